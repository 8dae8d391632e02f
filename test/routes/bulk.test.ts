// Bulk actions on the board list (issue #17.6): ticked rows or "all N matching", assign, status,
// tags, category and close, one batch per chunk of 100, a summary of what changed; another
// workspace's boards change nothing (404), a form without the CSRF token is refused.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  BASE_URL,
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { addMember } from './notifications.helpers'
import { createBoard } from '../../src/boards/boards.usecases'
import { createCategory } from '../../src/tags/tags.usecases'

let testApp: TestApp
let member: Browserish
let owner: Awaited<ReturnType<typeof createTestWorkspace>>
let sato: string

const boardsPath = () => `/w/${owner.workspace.slug}/boards`
/** The bulk bar's "all N matching", as the list asks for it once loaded. */
const allMatching = async (filters: string) => {
  const response = await member.get(`${boardsPath()}/matching?${filters}`)
  expect(response.status).toBe(200)
  return response.text()
}

async function newBoard(name: string, workspace = owner.workspace) {
  const { board } = await createBoard({
    deps: testApp.deps,
    workspace,
    createdBy: null,
    input: { name, customer_name: '山田 花子', customer_email: 'hanako@example.jp' },
  })
  return board.id
}

/** Posts the bulk form: `ids` repeated, like ticked checkboxes. */
async function bulk(fields: Record<string, string>, ids: string[] = [], client = member) {
  const body = new URLSearchParams({ _csrf: client.csrf!, ...fields })
  for (const id of ids) body.append('ids', id)
  return testApp.app.request(`${boardsPath()}/bulk`, {
    method: 'POST',
    headers: {
      Cookie: client.cookie!,
      Origin: BASE_URL,
      'Content-Type': 'application/x-www-form-urlencoded',
    },
    body: body.toString(),
  })
}

const boardsById = async () =>
  new Map(
    (
      await testApp.deps.db
        .selectFrom('boards')
        .select(['id', 'status', 'assignee_member_id', 'category_id'])
        .execute()
    ).map((board) => [board.id, board]),
  )

const tagCount = async () =>
  (await testApp.deps.db.selectFrom('board_tags').selectAll().execute()).length

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  member = await loginAs(testApp, owner.email, owner.password)
  sato = await addMember(testApp, owner.workspace.id, { name: '佐藤 彩', email: 'aya@example.jp' })
})

describe('bulk actions', () => {
  it('show a checkbox per row and the bar; "all N matching" only for a filtered list', async () => {
    await newBoard('名刺 A')
    await newBoard('チラシ B')
    const page = await (await member.get(boardsPath())).text()
    expect(page).toContain('id="bulk-form"')
    expect(page).toContain('form="bulk-form"')
    expect(page).toContain('aria-label="「名刺 A」を選択"')
    expect(page).not.toContain('name="all"')
    const searched = await (
      await member.get(`${boardsPath()}?q=${encodeURIComponent('名刺')}`)
    ).text()
    // "all N matching" is asked for once the list has loaded (counting may read many boards)
    expect(searched).not.toContain('件すべて')
    expect(searched).toContain(`hx-get="${boardsPath()}/matching?q=%E5%90%8D%E5%88%BA"`)
    expect(await allMatching('q=%E5%90%8D%E5%88%BA')).toContain('この検索に一致する1件<')
    expect(await allMatching('q=%E3%81%AA%E3%81%84')).not.toContain('name="all"')
    expect(searched).toContain('name="filters" value="q=%E5%90%8D%E5%88%BA"')
  })

  it('assign, set status, set category and close the ticked boards, with a summary', async () => {
    const a = await newBoard('A')
    const b = await newBoard('B')
    const c = await newBoard('C')
    const [category] = [
      await createCategory({ deps: testApp.deps, workspace: owner.workspace, name: '名刺' }),
    ]
    const assigned = await bulk({ action: 'assign', assignee: sato }, [a, b])
    expect(assigned.status).toBe(303)
    const location = assigned.headers.get('location')!
    const summary = await (await member.get(location)).text()
    expect(summary).toContain('2件の担当者を変更しました。')
    let boards = await boardsById()
    expect([a, b, c].map((id) => boards.get(id)!.assignee_member_id)).toEqual([sato, sato, null])

    const again = await bulk({ action: 'assign', assignee: sato }, [a, b, c])
    expect(await (await member.get(again.headers.get('location')!)).text()).toContain(
      '1件の担当者を変更しました。（2件は変更なし）',
    )

    await bulk({ action: 'status', status_to: 'on_hold' }, [a])
    await bulk({ action: 'category', category: category!.id }, [a, c])
    const closed = await bulk({ action: 'close' }, [b, c])
    expect(await (await member.get(closed.headers.get('location')!)).text()).toContain(
      '2件を終了にしました。',
    )
    boards = await boardsById()
    expect([a, b, c].map((id) => boards.get(id)!.status)).toEqual(['on_hold', 'closed', 'closed'])
    expect([a, b, c].map((id) => boards.get(id)!.category_id)).toEqual([
      category!.id,
      null,
      category!.id,
    ])
    // the status history says who did it, as for the side panel
    const history = await testApp.deps.db
      .selectFrom('status_changes')
      .select(['board_id', 'status', 'actor_name'])
      .execute()
    expect(history).toHaveLength(3)
    const ownerName = (
      await testApp.deps.db
        .selectFrom('members')
        .select('name')
        .where('id', '=', owner.ownerId)
        .executeTakeFirstOrThrow()
    ).name
    expect(history.map((row) => row.actor_name)).toEqual([ownerName, ownerName, ownerName])
  })

  it('adds and removes a tag on every board matching a search, in chunks of 100', async () => {
    const ids: string[] = []
    for (let i = 0; i < 130; i++) ids.push(await newBoard(`名刺 ${i}`))
    const other = await newBoard('チラシ')
    const added = await bulk({ action: 'add_tag', tag: '#校正待ち', all: '1', filters: 'q=名刺' })
    expect(added.status).toBe(303)
    expect(await (await member.get(added.headers.get('location')!)).text()).toContain(
      '130件にタグ「校正待ち」を付けました。',
    )
    expect(await tagCount()).toBe(130)
    const tagged = await testApp.deps.db
      .selectFrom('board_tags')
      .select('board_id')
      .where('board_id', '=', other)
      .execute()
    expect(tagged).toEqual([])
    expect(await allMatching(`q=${encodeURIComponent('#校正待ち')}`)).toContain(
      'この検索に一致する130件すべて',
    )

    const removed = await bulk({ action: 'remove_tag', tag: '校正待ち' }, ids.slice(0, 10))
    expect(await (await member.get(removed.headers.get('location')!)).text()).toContain(
      '10件からタグ「校正待ち」を外しました。',
    )
    expect(await tagCount()).toBe(120)
  })
})

describe('bulk actions: errors and security', () => {
  it('another workspace’s board among the ids: 404, nothing changes', async () => {
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    const mine = await newBoard('自社')
    const theirs = await newBoard('他社', other.workspace)
    for (const fields of [
      { action: 'close' } as Record<string, string>,
      { action: 'add_tag', tag: 'x' },
      { action: 'assign', assignee: 'me' },
    ]) {
      expect((await bulk(fields, [mine, theirs])).status).toBe(404)
    }
    const boards = await boardsById()
    expect(boards.get(mine)!.status).toBe('new')
    expect(boards.get(theirs)!.status).toBe('new')
    expect(boards.get(mine)!.assignee_member_id).toBeNull()
    expect(await tagCount()).toBe(0)
  })

  it('another workspace’s member or category, a bad tag, no boards: 422, nothing changes', async () => {
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    const theirCategory = await createCategory({
      deps: testApp.deps,
      workspace: other.workspace,
      name: '他社',
    })
    const mine = await newBoard('自社')
    for (const [fields, ids] of [
      [{ action: 'assign', assignee: other.ownerId }, [mine]],
      [{ action: 'category', category: theirCategory!.id }, [mine]],
      [{ action: 'add_tag', tag: 'two words' }, [mine]],
      [{ action: 'status', status_to: 'maybe' }, [mine]],
      [{ action: 'explode' }, [mine]],
      [{ action: 'close' }, []],
    ] as [Record<string, string>, string[]][]) {
      expect((await bulk(fields, ids)).status, JSON.stringify(fields)).toBe(422)
    }
    const boards = await boardsById()
    expect(boards.get(mine)).toMatchObject({
      status: 'new',
      assignee_member_id: null,
      category_id: null,
    })
    expect(await tagCount()).toBe(0)
  })

  it('refuses a form without the CSRF token', async () => {
    const mine = await newBoard('自社')
    const response = await testApp.app.request(`${boardsPath()}/bulk`, {
      method: 'POST',
      headers: {
        Cookie: member.cookie!,
        Origin: BASE_URL,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ action: 'close', ids: mine }).toString(),
    })
    expect(response.status).toBe(403)
    expect((await boardsById()).get(mine)!.status).toBe('new')
  })
})
