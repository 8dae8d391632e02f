// A search with words lists boards by their newest matching message (issue #17's bench: the
// index streams matches newest first, so a page never reads every match). Paged without a board
// twice or one left out, through steps of the index when filters leave most matches out, and a
// dedupe key typed exactly comes first.
import { beforeEach, describe, expect, it } from 'vitest'
import { createBoardsRepository } from '../../src/boards/boards.repository'
import { searchFor } from '../../src/search/search.usecases'
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

async function createBoard(name: string, fields: Record<string, string> = {}) {
  const response = await member.post(`/w/${owner.workspace.slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
    ...fields,
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

async function post(board: string, body: string) {
  testApp.clock.advance(60_000) // each post a minute later: the list's order is by time
  expect((await member.post(`${board}/messages`, { body })).status).toBeLessThan(400)
}

/** The names the list shows for a search, in order. */
async function found(q: string) {
  const response = await member.get(`/w/${owner.workspace.slug}/boards?q=${encodeURIComponent(q)}`)
  expect(response.status).toBe(200)
  const html = await response.text()
  return [...html.matchAll(/<td class="col-name"><a href="[^"]*"><bdi>([^<]+)/g)].map((m) => m[1])
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

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('search with words: newest match first', () => {
  it('lists the board with the newest matching message first, not the newest activity', async () => {
    const first = await createBoard('名刺 A')
    await post(first, 'ロゴは濃紺で')
    const second = await createBoard('名刺 B')
    await post(second, 'ロゴを大きく')
    await post(first, '納期は金曜です') // A is active last, but its match is older
    expect(await found('')).toEqual(['名刺 A', '名刺 B'])
    expect(await found('ロゴ')).toEqual(['名刺 B', '名刺 A'])
    await post(first, 'ロゴの位置も確認しました')
    expect(await found('ロゴ')).toEqual(['名刺 A', '名刺 B'])
  })

  it('pages through every matching board once, whatever matched above the cursor', async () => {
    const boards: string[] = []
    for (let i = 1; i <= 7; i++) {
      boards.push(await createBoard(`チラシ ${i}`))
      await post(boards.at(-1)!, `ロゴ案 ${i} をお送りします`)
    }
    // チラシ 3 matches again, newest of all: first, and never again on a later page
    await post(boards[2]!, 'ロゴは右上に')
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
    await post(kept, 'ロゴの解像度について')
    await testApp.deps.db
      .updateTable('boards')
      .set({ status: 'on_hold' })
      .where('id', '=', kept.split('/').at(-1)!)
      .execute()
    const busy = await createBoard('冊子 多い')
    // more matching rows than the first step reads, all on a board the filter leaves out
    for (let i = 0; i < 300; i++) await post(busy, `ロゴ ${i}`)
    expect(await found('status:on_hold ロゴ')).toEqual(['冊子 保留'])
    expect(await found('ロゴ')).toEqual(['冊子 多い', '冊子 保留'])
    expect(await allPages('-status:on_hold ロゴ', 1)).toEqual([['冊子 多い']])
  }, 60_000)

  it('puts the board whose dedupe key is the word first, once', async () => {
    await createBoard('冊子', { dedupe_key: 'ORD-77' })
    const other = await createBoard('チラシ')
    await post(other, '前回の ORD-77 と同じ仕様で')
    expect(await found('ORD-77')).toEqual(['冊子', 'チラシ'])
    expect(await allPages('ORD-77', 1)).toEqual([['冊子'], ['チラシ']])
  })
})
