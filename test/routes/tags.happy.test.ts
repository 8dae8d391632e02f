// タグ・カテゴリ (issue #17): from the side panel and from #tag in an internal note, shown on the
// list and the board, found with #tag, -#tag and category:…; the settings page renames,
// recolours, merges and deletes.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

let testApp: TestApp
let member: Browserish
let owner: Awaited<ReturnType<typeof createTestWorkspace>>

const boardsPath = () => `/w/${owner.workspace.slug}/boards`
const tagsPath = () => `/w/${owner.workspace.slug}/settings/tags`

async function createBoard(name: string) {
  const response = await member.post(boardsPath(), {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const idOf = (url: string) => url.split('/').pop()!

async function tagsOf(url: string) {
  const rows = await testApp.deps.db
    .selectFrom('board_tags as bt')
    .innerJoin('tags as t', 't.id', 'bt.tag_id')
    .select('t.name')
    .where('bt.board_id', '=', idOf(url))
    .orderBy('t.name_key')
    .execute()
  return rows.map((row) => row.name)
}

async function found(q: string) {
  const html = await (await member.get(`${boardsPath()}?q=${encodeURIComponent(q)}`)).text()
  // one clock: boards tie on last activity, so the order is left out
  return [...html.matchAll(/<td class="col-name"><a href="[^"]*"><bdi>([^<]+)/g)]
    .map((m) => m[1])
    .sort()
}

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('tags', () => {
  it('are added and removed from the side panel, NFKC and case-insensitively one tag', async () => {
    const board = await createBoard('名刺 100枚')
    const page = await (await member.get(board)).text()
    expect(page).toContain('タグを追加')
    expect((await member.post(`${board}/tags`, { tag: '校正待ち #Proof' })).status).toBe(303)
    expect(await tagsOf(board)).toEqual(['Proof', '校正待ち'])
    // ＰＲＯＯＦ is Proof: nothing new
    const again = await member.post(
      `${board}/tags`,
      { tag: 'ＰＲＯＯＦ' },
      { 'HX-Request': 'true' },
    )
    expect(again.status).toBe(200)
    const panel = await again.text()
    expect(panel).toContain('id="board-panel"')
    expect(panel).toContain('id="board-tags-head"')
    expect(await tagsOf(board)).toEqual(['Proof', '校正待ち'])
    const tags = await testApp.deps.db.selectFrom('tags').select('name').execute()
    expect(tags).toHaveLength(2)

    expect((await member.post(`${board}/tags/remove`, { tag: 'proof' })).status).toBe(303)
    expect(await tagsOf(board)).toEqual(['校正待ち'])
    const list = await (await member.get(boardsPath())).text()
    expect(list).toContain('class="tag-chip tag-grey">#<bdi>校正待ち</bdi>')
    expect(await (await member.get(board)).text()).toContain('#<bdi>校正待ち</bdi>')
  })

  it('come from #tag in an internal note, never from a public post', async () => {
    const board = await createBoard('チラシ')
    const note = await member.post(`${board}/messages`, {
      body: '色校正を出しました #校正待ち。 #急ぎ\nhttps://example.jp/page#top',
      internal: '1',
    })
    expect(note.status).toBe(303)
    expect(await tagsOf(board)).toEqual(['急ぎ', '校正待ち'])
    const publicPost = await member.post(`${board}/messages`, { body: 'ご確認ください #公開' })
    expect(publicPost.status).toBe(303)
    expect(await tagsOf(board)).toEqual(['急ぎ', '校正待ち'])
  })

  it('are found with #tag and -#tag; an unknown tag is a hint, not an empty list', async () => {
    const a = await createBoard('案件A')
    const b = await createBoard('案件B')
    await createBoard('案件C')
    await member.post(`${a}/tags`, { tag: '校正待ち 急ぎ' })
    await member.post(`${b}/tags`, { tag: '校正待ち' })
    expect(await found('#校正待ち')).toEqual(['案件A', '案件B'])
    expect(await found('＃校正待ち #急ぎ')).toEqual(['案件A'])
    expect(await found('#校正待ち -#急ぎ')).toEqual(['案件B'])
    expect(await found('-#校正待ち')).toEqual(['案件C'])
    const unknown = await (
      await member.get(`${boardsPath()}?q=${encodeURIComponent('#校正まち')}`)
    ).text()
    expect(unknown).toContain('「#校正まち」というタグはありません。')
    expect(unknown).toContain('#校正待ち')
  })
})

describe('categories', () => {
  it('are made in the settings, set from the side panel, shown and found with category:', async () => {
    for (const name of ['名刺', 'チラシ', '冊子'])
      expect((await member.post(`${tagsPath()}/categories`, { name })).status).toBe(303)
    const categories = await testApp.deps.db
      .selectFrom('categories')
      .select(['id', 'name', 'position'])
      .orderBy('position')
      .execute()
    expect(categories.map((c) => c.name)).toEqual(['名刺', 'チラシ', '冊子'])
    const cards = await createBoard('山田様 名刺')
    await createBoard('佐藤様 冊子なし')
    const page = await (await member.get(cards)).text()
    expect(page).toContain('<select name="category">')
    expect((await member.post(cards, { category: categories[0]!.id })).status).toBe(303)
    expect(await found('category:名刺')).toEqual(['山田様 名刺'])
    expect(await found('category:none')).toEqual(['佐藤様 冊子なし'])
    const list = await (await member.get(boardsPath())).text()
    expect(list).toContain('<bdi>名刺</bdi>')
    const unknown = await (await member.get(`${boardsPath()}?q=category:ポスター`)).text()
    expect(unknown).toContain(
      '「category:ポスター」というカテゴリはありません。使えるカテゴリ: 名刺, チラシ, 冊子',
    )

    // renaming keeps the boards; deleting leaves them without one
    await member.post(`${tagsPath()}/categories/${categories[0]!.id}`, { name: 'ビジネスカード' })
    expect(await found('category:ビジネスカード')).toEqual(['山田様 名刺'])
    await member.post(`${tagsPath()}/categories/${categories[0]!.id}/delete`, {})
    const board = await testApp.deps.db
      .selectFrom('boards')
      .select('category_id')
      .where('id', '=', idOf(cards))
      .executeTakeFirstOrThrow()
    expect(board.category_id).toBeNull()
  })
})

describe('設定 → タグ', () => {
  it('renames, recolours, merges and deletes tags', async () => {
    const a = await createBoard('案件A')
    const b = await createBoard('案件B')
    await member.post(`${a}/tags`, { tag: '校正待ち 要確認' })
    await member.post(`${b}/tags`, { tag: 'こうせい待ち' })
    const page = await (await member.get(tagsPath())).text()
    expect(page).toContain('タグとカテゴリ')
    const tags = await testApp.deps.db.selectFrom('tags').select(['id', 'name']).execute()
    const id = (name: string) => tags.find((tag) => tag.name === name)!.id

    expect(
      (await member.post(`${tagsPath()}/${id('要確認')}`, { name: '要チェック', colour: 'red' }))
        .status,
    ).toBe(303)
    expect(await tagsOf(a)).toEqual(['校正待ち', '要チェック'])
    expect(await (await member.get(boardsPath())).text()).toContain('tag-chip tag-red')

    const merged = await member.post(`${tagsPath()}/${id('こうせい待ち')}/merge`, {
      into: id('校正待ち'),
    })
    expect(merged.status).toBe(200)
    expect(await merged.text()).toContain(
      '「こうせい待ち」を「校正待ち」に統合しました（1件のボード）。',
    )
    expect(await tagsOf(b)).toEqual(['校正待ち'])
    expect(await found('#校正待ち')).toEqual(['案件A', '案件B'])

    expect((await member.post(`${tagsPath()}/${id('校正待ち')}/delete`, {})).status).toBe(303)
    expect(await tagsOf(a)).toEqual(['要チェック'])
    expect(await tagsOf(b)).toEqual([])
  })
})
