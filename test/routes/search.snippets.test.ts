// Search results show which message matched (issue #17.4): the best matching message under each
// found board, its words in <mark>, escaped; internal notes only for members.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { openAsGuest, linkPath } from './guest.helpers'
import { searchFor } from '../../src/search/search.usecases'
import { matchSnippets } from '../../src/search/search.snippets'

let testApp: TestApp
let member: Browserish
let slug: string
let owner: Awaited<ReturnType<typeof createTestWorkspace>>

async function createBoard(name: string) {
  const response = await member.post(`/w/${slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const post = async (board: string, body: string, internal = false) =>
  expect(
    (await member.post(`${board}/messages`, { body, ...(internal ? { internal: '1' } : {}) }))
      .status,
  ).toBeLessThan(400)

/** The list's page for a search, and each row's snippet markup by board name. */
async function search(q: string) {
  const response = await member.get(`/w/${slug}/boards?q=${encodeURIComponent(q)}`)
  expect(response.status).toBe(200)
  const html = await response.text()
  const rows = new Map<string, string>()
  for (const row of html.matchAll(/<tr class="board-row[^"]*"[^>]*>([\s\S]*?)<\/tr>/g)) {
    const name = /<td class="col-name"><a href="[^"]*"><bdi>([^<]+)/.exec(row[1]!)?.[1]
    const snippet = /<a class="match-snippet[^"]*"[\s\S]*?<\/a>/.exec(row[1]!)?.[0] ?? ''
    rows.set(name!, snippet)
  }
  return { html, rows }
}

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('matched-message snippets', () => {
  it('show the best matching message with its No., author and the words marked', async () => {
    const board = await createBoard('名刺 100枚')
    await post(board, 'ロゴは左上にお願いします。')
    await post(board, 'ロゴの色は濃紺でお願いします。')
    await post(board, '納期は来週です。')
    const { rows } = await search('ロゴ 濃紺')
    const snippet = rows.get('名刺 100枚')!
    // the message holding both words wins over the one holding one
    expect(snippet).toContain('No.2')
    expect(snippet).toContain('<bdi>オーナー</bdi>')
    expect(snippet).toContain('<mark>ロゴ</mark>の色は<mark>濃紺</mark>でお願いします。')
    expect(snippet).toMatch(/href="\/w\/[^"]+\/boards\/[^"#]+#m-\d+"/)

    // one word found in two messages: the newest of them
    expect((await search('ロゴ')).rows.get('名刺 100枚')).toContain('<mark>ロゴ</mark>の色は')
  })

  it('show a one-word match however old, read by its index row (the list by match)', async () => {
    const board = await createBoard('冊子 20部')
    await post(board, '表紙のロゴは金箔押しで')
    for (let i = 0; i < 35; i++) await post(board, `第${i + 1}稿をお送りします`)
    const snippet = (await search('金箔')).rows.get('冊子 20部')!
    expect(snippet).toContain('表紙のロゴは<mark>金箔</mark>押しで')
    expect(snippet).toContain('No.1')
  })

  it('mark what was written, however it was written (full/half width, kana)', async () => {
    const board = await createBoard('Tシャツ')
    await post(board, 'ｶﾗｰはＲＥＤで、ろごは胸に。ｶﾞｲﾄﾞ付き')
    expect((await search('カラー')).rows.get('Tシャツ')).toContain('<mark>ｶﾗｰ</mark>は')
    expect((await search('red')).rows.get('Tシャツ')).toContain('<mark>ＲＥＤ</mark>')
    expect((await search('ロゴ')).rows.get('Tシャツ')).toContain('<mark>ろご</mark>は胸')
    // a half-width voiced mark belongs to its letter: ｶﾞ is marked whole
    expect((await search('ガイド')).rows.get('Tシャツ')).toContain('<mark>ｶﾞｲﾄﾞ</mark>付き')
    // a one-character word
    expect((await search('胸')).rows.get('Tシャツ')).toContain('<mark>胸</mark>に')
  })

  it('escape hostile text: no markup from a message ever reaches the page', async () => {
    const board = await createBoard('危険な投稿')
    await post(board, '<script>alert(1)</script> ロゴ <img src=x onerror=alert(2)> "&amp;"')
    const { html, rows } = await search('ロゴ')
    const snippet = rows.get('危険な投稿')!
    expect(snippet).toContain('&lt;script&gt;alert(1)&lt;/script&gt; <mark>ロゴ</mark> &lt;img')
    expect(snippet).toContain('&amp;amp;')
    expect(html).not.toContain('<script>alert')
    expect(html).not.toContain('<img src=x')
    // a search word with markup in it is text too
    const board2 = await createBoard('記号')
    await post(board2, 'タグは<b>太字</b>のまま')
    const marked = (await search('"<b>太字"')).rows.get('記号')!
    expect(marked).toContain('&lt;<mark>b</mark>&gt;<mark>太字</mark>')
    expect(marked).not.toContain('<b>')
  })

  it('cut a long message to a window around the first hit', async () => {
    const board = await createBoard('冊子')
    await post(board, `${'あ'.repeat(300)}ロゴ${'い'.repeat(300)}`)
    const snippet = (await search('ロゴ')).rows.get('冊子')!
    expect(snippet).toMatch(/…あ+<mark>ロゴ<\/mark>い+…/)
    expect(snippet.length).toBeLessThan(600)
  })

  it('show internal notes to members, marked as such; a board found by its name has none', async () => {
    const board = await createBoard('ポスター')
    await post(board, '単価は社外秘です', true)
    const snippet = (await search('社外秘')).rows.get('ポスター')!
    expect(snippet).toContain('match-snippet is-internal')
    expect(snippet).toContain('社内メモ')
    expect(snippet).toContain('<mark>社外秘</mark>')
    expect((await search('ポスター')).rows.get('ポスター')).toBe('')
  })

  it('never give the customer side an internal note: not in snippets without notes, not on their page', async () => {
    const board = await createBoard('のぼり')
    const boardId = board.split('/').pop()!
    await post(board, '社内: 原価が高い', true)
    const { client } = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(
      (await client.post(`/g/${boardId}/messages`, { body: '原価の内訳を教えてください' })).status,
    ).toBeLessThan(400)
    // the member sees the newest match, the internal note's or the customer's
    const found = await searchFor(testApp.deps, '原価', {
      workspaceId: owner.workspace.id,
      timeZone: 'Asia/Tokyo',
      now: testApp.deps.clock.now().getTime(),
      includeInternal: false,
    })
    if (!found.ok) throw new Error('search failed')
    const publicOnly = await matchSnippets(testApp.deps.db, found.search, [boardId])
    expect(publicOnly.get(boardId)?.internal).toBe(false)
    expect(publicOnly.get(boardId)?.authorKind).toBe('guest')
    const noteOnly = await searchFor(testApp.deps, '高い', {
      workspaceId: owner.workspace.id,
      timeZone: 'Asia/Tokyo',
      now: testApp.deps.clock.now().getTime(),
      includeInternal: false,
    })
    if (!noteOnly.ok) throw new Error('search failed')
    expect((await matchSnippets(testApp.deps.db, noteOnly.search, [boardId])).size).toBe(0)
    const guestPage = await (await client.get(`/g/${boardId}`)).text()
    expect(guestPage).not.toContain('原価が高い')
    expect(guestPage).not.toContain('<mark>')
  })

  it('from:customer shows the customer’s message, and another workspace’s board gives nothing', async () => {
    const board = await createBoard('封筒')
    const boardId = board.split('/').pop()!
    await post(board, '色見本をお送りします')
    const { client } = await openAsGuest(testApp, await linkPath(testApp, boardId))
    await client.post(`/g/${boardId}/messages`, { body: '色は赤でお願いします' })
    expect((await search('from:customer 色')).rows.get('封筒')).toContain('<mark>色</mark>は赤')
    expect((await search('from:staff 色')).rows.get('封筒')).toContain('<mark>色</mark>見本')

    const other = await createTestWorkspace(testApp, { slug: 'other' })
    const found = await searchFor(testApp.deps, '色', {
      workspaceId: other.workspace.id,
      timeZone: 'Asia/Tokyo',
      now: testApp.deps.clock.now().getTime(),
      includeInternal: true,
    })
    if (!found.ok) throw new Error('search failed')
    expect((await matchSnippets(testApp.deps.db, found.search, [boardId])).size).toBe(0)
  })
})
