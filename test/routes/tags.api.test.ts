// タグ・カテゴリ through the API (issue #17): the board's JSON carries tags and category, PATCH
// sets them (tags created on the fly, an unknown category is a 422), webhooks announce tag
// changes, q= takes #tag and category:, and the CSV export has both columns.
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app'
import { createApiWorkspace, validBoard } from './api.helpers'
import { createCategory } from '../../src/tags/tags.usecases'

let testApp: TestApp
let shop: Awaited<ReturnType<typeof createApiWorkspace>>

type BoardJson = { id: string; tags: string[]; category: string | null }
const json = async (response: Response) => (await response.json()) as Record<string, any>

async function newBoard(overrides: Record<string, unknown> = {}): Promise<BoardJson> {
  const response = await shop.api.request('POST', '/boards', validBoard(overrides))
  expect(response.status).toBe(201)
  return (await json(response)).board as BoardJson
}

beforeEach(async () => {
  testApp = createTestApp()
  shop = await createApiWorkspace(testApp)
  for (const name of ['名刺', 'チラシ'])
    await createCategory({ deps: testApp.deps, workspace: shop.workspace, name })
})

describe('API: tags and category', () => {
  it('a new board has no tags and no category; PATCH sets both, GET reads them', async () => {
    const board = await newBoard()
    expect(board.tags).toEqual([])
    expect(board.category).toBeNull()
    const patched = await shop.api.request('PATCH', `/boards/${board.id}`, {
      tags: ['校正待ち', '#急ぎ', 'ｷｭｳｷﾞ'],
      category: 'チラシ',
    })
    expect(patched.status).toBe(200)
    const body = (await json(patched)).board as BoardJson
    expect(body.tags).toEqual(['校正待ち', '急ぎ', 'キュウギ'].sort((a, b) => (a < b ? -1 : 1)))
    expect(body.category).toBe('チラシ')
    // a set: tags left out come off
    const again = (
      await json(await shop.api.request('PATCH', `/boards/${board.id}`, { tags: ['急ぎ'] }))
    ).board as BoardJson
    expect(again.tags).toEqual(['急ぎ'])
    const read = (await json(await shop.api.request('GET', `/boards/${board.id}`)))
      .board as BoardJson
    expect(read).toMatchObject({ tags: ['急ぎ'], category: 'チラシ' })
    const cleared = await shop.api.request('PATCH', `/boards/${board.id}`, {
      tags: [],
      category: null,
    })
    expect((await json(cleared)).board).toMatchObject({ tags: [], category: null })
  })

  it('refuses an unknown category and a bad tag with 422, changing nothing', async () => {
    const board = await newBoard()
    await shop.api.request('PATCH', `/boards/${board.id}`, { tags: ['急ぎ'], category: '名刺' })
    for (const body of [
      { category: 'ポスター', tags: ['新しい'] },
      { tags: ['two words'] },
      { tags: ['a'.repeat(31)] },
      { tags: 'not-a-list' },
    ]) {
      const response = await shop.api.request('PATCH', `/boards/${board.id}`, body)
      expect(response.status, JSON.stringify(body)).toBe(422)
      expect((await json(response)).error.code).toBe('validation_failed')
    }
    const read = (await json(await shop.api.request('GET', `/boards/${board.id}`)))
      .board as BoardJson
    expect(read).toMatchObject({ tags: ['急ぎ'], category: '名刺' })
    const tags = await testApp.deps.db.selectFrom('tags').select('name').execute()
    expect(tags.map((tag) => tag.name)).toEqual(['急ぎ'])
  })

  it('another workspace’s board is a 404; its category name is not this one’s', async () => {
    const other = await createApiWorkspace(testApp, { slug: 'other' })
    await createCategory({ deps: testApp.deps, workspace: other.workspace, name: 'ポスター' })
    const theirs = (await json(await other.api.request('POST', '/boards', validBoard()))).board
    expect(
      (await shop.api.request('PATCH', `/boards/${theirs.id}`, { tags: ['乗っ取り'] })).status,
    ).toBe(404)
    const mine = await newBoard()
    expect(
      (await shop.api.request('PATCH', `/boards/${mine.id}`, { category: 'ポスター' })).status,
    ).toBe(422)
    expect(await testApp.deps.db.selectFrom('board_tags').selectAll().execute()).toEqual([])
  })

  it('an internal note’s #tag shows in the post’s answer; q= finds #tag and category:', async () => {
    const a = await newBoard({ name: '案件A', dedupe_key: 'A' })
    const b = await newBoard({ name: '案件B', dedupe_key: 'B' })
    const posted = await shop.api.request('POST', `/boards/${a.id}/messages`, {
      body: '色校正待ち #校正待ち',
      internal: true,
    })
    expect(posted.status).toBe(201)
    expect(((await json(posted)).board as BoardJson).tags).toEqual(['校正待ち'])
    await shop.api.request('PATCH', `/boards/${b.id}`, { category: '名刺' })
    const list = async (q: string) => {
      const response = await shop.api.request('GET', `/boards?q=${encodeURIComponent(q)}`)
      return { status: response.status, body: await json(response) }
    }
    expect((await list('#校正待ち')).body.boards.map((x: BoardJson) => x.id)).toEqual([a.id])
    expect((await list('-#校正待ち')).body.boards.map((x: BoardJson) => x.id)).toEqual([b.id])
    expect((await list('category:名刺')).body.boards.map((x: BoardJson) => x.id)).toEqual([b.id])
    const unknown = await list('#ない')
    expect(unknown.status).toBe(422)
    expect(JSON.stringify(unknown.body)).toContain('#ない')

    const csv = await shop.api.request('GET', `/boards.csv?q=${encodeURIComponent('#校正待ち')}`)
    expect(csv.status).toBe(200)
    const lines = (await csv.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split(/\r?\n/)
    const header = lines[0]!.split(',')
    expect(header).toContain('tags')
    expect(header).toContain('category')
    expect(lines).toHaveLength(2)
    const cells = lines[1]!.split(',')
    expect(cells[header.indexOf('tags')]).toBe('校正待ち')
  })

  it('announces board.tags_changed with what was added and removed', async () => {
    await testApp.deps.db
      .insertInto('webhook_endpoints')
      .values({
        id: 'ep1',
        workspace_id: shop.workspace.id,
        url: 'https://shop.example.jp/hooks',
        events: JSON.stringify(['board.tags_changed']),
        secret: 'sealed',
        created_by: shop.ownerId,
        created_at: 0,
      })
      .execute()
    const board = await newBoard()
    await shop.api.request('PATCH', `/boards/${board.id}`, { tags: ['校正待ち', '急ぎ'] })
    await shop.api.request('PATCH', `/boards/${board.id}`, { tags: ['急ぎ', '入稿済'] })
    await shop.api.request('PATCH', `/boards/${board.id}`, { tags: ['急ぎ', '入稿済'] })
    const rows = await testApp.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('kind', '=', 'webhook')
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    const events = rows.map((row) => JSON.parse(row.payload).event)
    expect(events).toHaveLength(2)
    expect(events.every((event) => event.type === 'board.tags_changed')).toBe(true)
    const data = events.map((event) => event.data)
    expect(data).toContainEqual(
      expect.objectContaining({ added: ['校正待ち', '急ぎ'], removed: [] }),
    )
    expect(data).toContainEqual(
      expect.objectContaining({ added: ['入稿済'], removed: ['校正待ち'] }),
    )
    expect(data[0].board.id).toBe(board.id)
  })
})
