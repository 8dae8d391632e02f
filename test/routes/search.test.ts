// The board list's search and the API's q=: message text (Japanese included), operators,
// problems shown instead of an empty list, and who may find what.
import { sql } from 'kysely'
import { beforeEach, describe, expect, it } from 'vitest'
import { gramsOf } from '../../src/search/search.text'
import { createBoardsRepository } from '../../src/boards/boards.repository'
import { searchFor } from '../../src/search/search.usecases'
import { backfillSearchIndex, backfillSearchIndexFor } from '../../src/search/search.backfill'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { apiClient } from './api.helpers'
import { createApiKey } from '../../src/api/api.usecases'
import { openAsGuest, linkPath } from './guest.helpers'

let testApp: TestApp
let member: Browserish
let slug: string
let owner: Awaited<ReturnType<typeof createTestWorkspace>>

async function createBoard(name: string, fields: Record<string, string> = {}) {
  const response = await member.post(`/w/${slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
    ...fields,
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

/** The names of the boards the list shows for a search. */
async function found(q: string, client = member, workspaceSlug = slug) {
  const response = await client.get(`/w/${workspaceSlug}/boards?q=${encodeURIComponent(q)}`)
  expect(response.status).toBe(200)
  const html = await response.text()
  return [...html.matchAll(/<td class="col-name"><a href="[^"]*"><bdi>([^<]+)/g)].map((m) => m[1])
}

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('search: words in message text', () => {
  it('finds Japanese words of one, two and more characters in any message', async () => {
    const logo = await createBoard('名刺 100枚')
    await member.post(`${logo}/messages`, { body: 'ロゴの色は濃紺でお願いします。' })
    const flyer = await createBoard('チラシ A4')
    await member.post(`${flyer}/messages`, { body: '両面カラーで500部です' })

    expect(await found('ロゴ')).toEqual(['名刺 100枚'])
    expect(await found('色')).toEqual(['名刺 100枚'])
    expect(await found('濃紺でお願い')).toEqual(['名刺 100枚'])
    expect(await found('両面カラー')).toEqual(['チラシ A4'])
    expect(await found('名刺')).toEqual(['名刺 100枚']) // the board's own name
    expect(await found('ロゴ 500部')).toEqual([]) // every word must be on the board
  })

  it('ignores full-width/half-width and hiragana/katakana differences', async () => {
    const board = await createBoard('Tシャツ')
    await member.post(`${board}/messages`, { body: 'ｶﾗｰはＲＥＤで、ロゴは胸に' })
    expect(await found('カラー')).toEqual(['Tシャツ'])
    expect(await found('red')).toEqual(['Tシャツ'])
    expect(await found('ろご')).toEqual(['Tシャツ'])
    expect(await found('ｔシャツ')).toEqual(['Tシャツ'])
  })

  it('finds the customer by name and email, and the dedupe key exactly', async () => {
    await createBoard('冊子', {
      customer_name: '佐藤 一郎',
      customer_email: 'ichiro@example.jp',
      dedupe_key: 'ORD-77',
    })
    expect(await found('佐藤')).toEqual(['冊子'])
    expect(await found('ichiro@example')).toEqual(['冊子'])
    expect(await found('ORD-77')).toEqual(['冊子'])
    // in part and in any case, full-width too (the key is in the board's own index row)
    for (const q of ['ord-77', 'Ord-77', 'ORD', 'ＯＲＤ－７７', '77'])
      expect(await found(q), q).toEqual(['冊子'])
    expect(await found('ORD-78')).toEqual([])
  })

  it('says there are no categories or tags yet, rather than listing none', async () => {
    const page = async (q: string) =>
      await (await member.get(`/w/${slug}/boards?q=${encodeURIComponent(q)}`)).text()
    expect(await page('category:名刺')).toContain(
      '「category:名刺」: カテゴリがまだありません。設定 → タグ で作れます',
    )
    expect(await page('#校正待ち')).toContain('「#校正待ち」: タグがまだありません。')
  })

  it('finds a dedupe key written before keys were indexed, once the backfill has run (0026)', async () => {
    await createBoard('封筒', { dedupe_key: 'PG-10' })
    // the board's own row as it was before: name, customer and email only
    const own = await testApp.deps.db
      .selectFrom('search_rows')
      .select('id')
      .where('message_id', 'is', null)
      .executeTakeFirstOrThrow()
    await testApp.deps.db.deleteFrom('search_index').where('rowid', '=', own.id).execute()
    await testApp.deps.db
      .insertInto('search_index')
      .values({ rowid: own.id, grams: gramsOf('封筒\n山田 花子\nhanako@example.jp') })
      .execute()
    expect(await found('pg-10')).toEqual([])
    // what migration 0026 does, then the job
    await sql`DELETE FROM search_index WHERE rowid IN (SELECT sr.id FROM search_rows sr JOIN boards b ON b.id = sr.board_id WHERE sr.message_id IS NULL AND b.dedupe_key IS NOT NULL)`.execute(
      testApp.deps.db,
    )
    await sql`UPDATE search_backfill SET boards_below = (SELECT MAX(rowid) FROM boards) + 1`.execute(
      testApp.deps.db,
    )
    await backfillSearchIndex({ deps: testApp.deps })
    expect(await found('pg-10')).toEqual(['封筒'])
    expect(await found('封筒')).toEqual(['封筒'])
  })

  it('finds internal notes for members, and from: narrows to who wrote it', async () => {
    const board = await createBoard('ポスター')
    await member.post(`${board}/messages`, { body: '単価は社外秘', internal: '1' })
    expect(await found('社外秘')).toEqual(['ポスター'])
    expect(await found('from:customer 社外秘')).toEqual([])
    expect(await found('from:staff 社外秘')).toEqual(['ポスター'])
  })

  it('finds a customer post, and from:customer finds only theirs', async () => {
    const board = await createBoard('のぼり')
    const { client } = await openAsGuest(testApp, await linkPath(testApp, board.split('/').pop()!))
    expect(
      (
        await client.post(`/g/${board.split('/').pop()}/messages`, {
          body: '納期は金曜希望、A-4で',
        })
      ).status,
    ).toBeLessThan(400)
    await member.post(`${board}/messages`, { body: '納期、承知しました' })
    expect(await found('金曜')).toEqual(['のぼり'])
    expect(await found('from:customer 金曜')).toEqual(['のぼり'])
    expect(await found('from:customer 承知')).toEqual([])
    expect(await found('from:customer A-4')).toEqual(['のぼり'])
    expect(await found('from:staff A-4')).toEqual([])
    expect(await found('A-4')).toEqual(['のぼり'])
    expect(await found('A+4')).toEqual([]) // the symbol counts
  })

  it('finds an edited message by its new text only', async () => {
    const board = await createBoard('封筒')
    await member.post(`${board}/messages`, { body: '長3封筒です' })
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .executeTakeFirstOrThrow()
    const edited = await member.post(`${board}/messages/${message.id}`, { body: '角2封筒です' })
    expect(edited.status).toBeLessThan(400)
    expect(await found('角2')).toEqual(['封筒'])
    expect(await found('長3')).toEqual([])
  })

  it('never finds another workspace’s boards or messages', async () => {
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    const otherMember = await loginAs(testApp, other.email, other.password)
    const theirs = await otherMember.post('/w/other/boards', {
      name: '他社の案件',
      customer_name: '鈴木',
      customer_email: 'suzuki@example.jp',
    })
    await otherMember.post(`${theirs.headers.get('location')}/messages`, { body: '秘密のロゴ' })
    await createBoard('うちの案件')
    expect(await found('秘密')).toEqual([])
    expect(await found('他社')).toEqual([])
    expect(await found('秘密', otherMember, 'other')).toEqual(['他社の案件'])
  })
})

describe('search: operators', () => {
  it('combines status, is:, has: and dates with words', async () => {
    const a = await createBoard('名刺 A')
    await member.post(`${a}/messages`, { body: 'ロゴ入り' })
    const b = await createBoard('名刺 B')
    expect(await found('status:waiting')).toEqual(['名刺 A'])
    expect(await found('status:返答待ち ロゴ')).toEqual(['名刺 A'])
    expect(await found('-status:waiting 名刺')).toEqual(['名刺 B'])
    expect(await found('status:new')).toEqual(['名刺 B'])
    expect(await found('is:expired')).toEqual([])
    expect(await found('is:expired -is:expired is:unread is:unanswered -is:bounced')).toEqual([])
    expect((await found('-is:expired -is:bounced -is:closed')).sort()).toEqual(['名刺 A', '名刺 B'])
    expect(await found('has:attachment')).toEqual([])
    // the test clock is 2026-11-24 in Tokyo
    expect((await found('after:2026-11-24')).sort()).toEqual(['名刺 A', '名刺 B'])
    expect(await found('before:2026-11-24')).toEqual([])
    expect((await found('created:2026-11-24')).sort()).toEqual(['名刺 A', '名刺 B'])
    expect(await found('created:2026-11-25..')).toEqual([])
    void b
  })

  it('reads is:unread per member', async () => {
    await createBoard('未読テスト')
    // the creator has read their own new board
    const unread = await found('is:unread')
    const read = await found('-is:unread')
    expect([...unread, ...read]).toEqual(['未読テスト'])
  })

  it('shows what is wrong with a search instead of an empty list, in the member’s language', async () => {
    await createBoard('名刺')
    const response = await member.get(
      `/w/${slug}/boards?q=${encodeURIComponent('stauts:waiting 名刺')}`,
    )
    const html = await response.text()
    expect(html).toContain('role="alert"')
    expect(html).toContain('「stauts:waiting」は使えない検索条件です。')
    expect(html).toContain('「status:」のことですか？')
    expect(
      await (await member.get(`/w/${slug}/boards?q=${encodeURIComponent('#校正待ち')}`)).text(),
    ).toContain('「#校正待ち」: タグがまだありません。')
  })

  it('offers the syntax in a help popover', async () => {
    const html = await (await member.get(`/w/${slug}/boards`)).text()
    expect(html).toContain('<details class="search-help">')
    expect(html).toContain('status:waiting')
  })
})

describe('search: API q=', () => {
  it('takes the same syntax and answers 422 with the problem for a bad one', async () => {
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace: owner.workspace,
      name: 'shop',
      createdBy: owner.ownerId,
    })
    const api = apiClient(testApp, key)
    const board = await createBoard('名刺 API')
    await member.post(`${board}/messages`, { body: 'ロゴは左上' })
    await createBoard('別の案件')
    const listed = await api.request(
      'GET',
      `/boards?q=${encodeURIComponent('ロゴ status:waiting')}`,
    )
    expect(listed.status).toBe(200)
    const body = (await listed.json()) as { boards: { name: string }[] }
    expect(body.boards.map((b) => b.name)).toEqual(['名刺 API'])

    const bad = await api.request('GET', `/boards?q=${encodeURIComponent('stauts:x')}`)
    expect(bad.status).toBe(422)
    const error = (await bad.json()) as { error: { details: { field: string }[] } }
    expect(JSON.stringify(error)).toContain('stauts:x')
    const unread = await api.request('GET', `/boards?q=is:unread`)
    expect(unread.status).toBe(422)
  })
})

describe('search: backfill of what was written before the index', () => {
  it('indexes old boards and messages once, however often it runs', async () => {
    const board = await createBoard('旧案件')
    await member.post(`${board}/messages`, { body: '古いメッセージのロゴ' })
    // as if written before migration 0018: no index rows, the cursor above them
    await testApp.deps.db.deleteFrom('search_index').execute()
    await testApp.deps.db.deleteFrom('search_rows').execute()
    await testApp.deps.db
      .updateTable('search_backfill')
      .set({ boards_below: 1000, messages_below: 1000 })
      .execute()
    expect(await found('ロゴ')).toEqual([])
    expect(await backfillSearchIndex({ deps: testApp.deps, chunk: 1 })).toEqual({
      boards: 1,
      messages: 1,
    })
    await backfillSearchIndex({ deps: testApp.deps, chunk: 1 })
    await backfillSearchIndex({ deps: testApp.deps, chunk: 1 })
    expect(await backfillSearchIndex({ deps: testApp.deps })).toEqual({ boards: 0, messages: 0 })
    expect(await found('ロゴ')).toEqual(['旧案件'])
    expect(await found('旧案件')).toEqual(['旧案件'])
    const rows = await testApp.deps.db.selectFrom('search_rows').selectAll().execute()
    expect(rows).toHaveLength(2)
  })
})

describe('search: the backfill job', () => {
  it('takes chunk after chunk within one run until done, or until its time budget is used', async () => {
    for (const name of ['一', '二', '三', '四', '五']) {
      const board = await createBoard(`旧${name}`)
      await member.post(`${board}/messages`, { body: `古い${name}のロゴ` })
    }
    const forget = async () => {
      await testApp.deps.db.deleteFrom('search_index').execute()
      await testApp.deps.db.deleteFrom('search_rows').execute()
      await testApp.deps.db
        .updateTable('search_backfill')
        .set({ boards_below: 1000, messages_below: 1000 })
        .execute()
    }
    await forget()
    // the test clock stands still: the budget never runs out, the run ends when all is indexed
    expect(await backfillSearchIndexFor({ deps: testApp.deps, chunk: 2 })).toEqual({
      boards: 5,
      messages: 5,
      chunks: 3,
    })
    expect((await found('ロゴ')).sort()).toEqual(['旧一', '旧三', '旧二', '旧五', '旧四'])

    // a clock that moves a second per read: a budget of 1.5 s stops after the second chunk
    await forget()
    const clock = testApp.deps.clock
    let at = clock.now().getTime()
    const moving = { ...testApp.deps, clock: { now: () => new Date((at += 1000)) } }
    const run = await backfillSearchIndexFor({ deps: moving, chunk: 2, budgetMs: 1500 })
    expect(run.chunks).toBe(2)
    expect(run.boards).toBe(4)
    expect(await backfillSearchIndexFor({ deps: testApp.deps, chunk: 2 })).toMatchObject({
      boards: 1,
      messages: 1,
    })
  })
})

describe('search: rows of deleted boards', () => {
  it('never reuses an index row id, so posting after a board is deleted still works', async () => {
    const gone = await createBoard('消える案件')
    await member.post(`${gone}/messages`, { body: '消えるメッセージ' })
    await testApp.deps.db.deleteFrom('boards').where('id', '=', gone.split('/').pop()!).execute()
    const kept = await createBoard('残る案件')
    expect((await member.post(`${kept}/messages`, { body: '残るメッセージ' })).status).toBeLessThan(
      400,
    )
    expect(await found('残る')).toEqual(['残る案件'])
    expect(await found('消える')).toEqual([])
  })
})

// With words, the list is ordered by the newest matching message (issue #17's bench: the index
// streams matches newest first, so a page never reads every match): paged without a board twice
// or one left out, through steps of the index when filters leave most matches out, and a dedupe
// key typed exactly comes first.
/** A post a minute after the last (the list's order is by time). */
async function postLater(board: string, body: string) {
  testApp.clock.advance(60_000)
  expect((await member.post(`${board}/messages`, { body })).status).toBeLessThan(400)
}

/** Every board of a search, `size` per page, paged as the list pages (one more row than shown). */
async function allPages(q: string, size: number) {
  const found = await searchFor(testApp.deps, q, {
    workspaceId: owner.workspace.id,
    timeZone: owner.workspace.time_zone,
    now: Date.now(),
    memberId: owner.ownerId,
    includeInternal: true,
  })
  if (!found.ok) throw new Error(JSON.stringify(found.problems))
  const repository = createBoardsRepository(testApp.deps)
  const pages: string[][] = []
  let cursor: { sortValue: number; id: string } | undefined
  for (;;) {
    const rows = await repository.list({
      workspaceId: owner.workspace.id,
      memberId: owner.ownerId,
      search: found.search,
      sort: 'activity',
      cursor,
      limit: size + 1,
    })
    const page = rows.slice(0, size)
    pages.push(page.map((row) => row.name))
    if (rows.length <= size) return pages
    const last = page.at(-1)!
    cursor = { sortValue: last.match_rid!, id: last.id }
  }
}

describe('search with words: newest match first', () => {
  it('lists the board with the newest matching message first, not the newest activity', async () => {
    const first = await createBoard('名刺 A')
    await postLater(first, 'ロゴは濃紺で')
    const second = await createBoard('名刺 B')
    await postLater(second, 'ロゴを大きく')
    await postLater(first, '納期は金曜です') // A is active last, but its match is older
    expect(await found('')).toEqual(['名刺 A', '名刺 B'])
    expect(await found('ロゴ')).toEqual(['名刺 B', '名刺 A'])
    await postLater(first, 'ロゴの位置も確認しました')
    expect(await found('ロゴ')).toEqual(['名刺 A', '名刺 B'])
  })

  it('pages through every matching board once, whatever matched above the cursor', async () => {
    const boards: string[] = []
    for (let i = 1; i <= 7; i++) {
      boards.push(await createBoard(`チラシ ${i}`))
      await postLater(boards.at(-1)!, `ロゴ案 ${i} をお送りします`)
    }
    // チラシ 3 matches again, newest of all: first, and never again on a later page
    await postLater(boards[2]!, 'ロゴは右上に')
    const pages = await allPages('ロゴ', 2)
    expect(pages).toEqual([
      ['チラシ 3', 'チラシ 7'],
      ['チラシ 6', 'チラシ 5'],
      ['チラシ 4', 'チラシ 2'],
      ['チラシ 1'],
    ])
  })

  it('reads further steps of the index when filters leave the newest matches out', async () => {
    const kept = await createBoard('冊子 保留')
    await postLater(kept, 'ロゴの解像度について')
    await testApp.deps.db
      .updateTable('boards')
      .set({ status: 'on_hold' })
      .where('id', '=', kept.split('/').at(-1)!)
      .execute()
    const busy = await createBoard('冊子 多い')
    // more matching rows than the first step reads, all on a board the filter leaves out
    for (let i = 0; i < 300; i++) await postLater(busy, `ロゴ ${i}`)
    expect(await found('status:on_hold ロゴ')).toEqual(['冊子 保留'])
    expect(await found('ロゴ')).toEqual(['冊子 多い', '冊子 保留'])
    expect(await allPages('-status:on_hold ロゴ', 1)).toEqual([['冊子 多い']])
  }, 60_000)

  it('puts the board whose dedupe key is the word first, once', async () => {
    await createBoard('冊子', { dedupe_key: 'ORD-77' })
    const other = await createBoard('チラシ')
    await postLater(other, '前回の ORD-77 と同じ仕様で')
    expect(await found('ORD-77')).toEqual(['冊子', 'チラシ'])
    expect(await allPages('ORD-77', 1)).toEqual([['冊子'], ['チラシ']])
  })
})
