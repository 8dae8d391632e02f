// Round-robin (issue #17): with the workspace's switch on, new boards (staff form and API) go in
// turn to members who opted in; an explicit assignee in the API wins; the member assigned is
// emailed "in turn".
import { beforeEach, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { apiClient } from './api.helpers'
import { addMember } from './notifications.helpers'

let testApp: TestApp
let owner: Awaited<ReturnType<typeof createTestWorkspace>>
let browser: Browserish
let sato: string
let ito: string

const settings = () => `/w/${owner.workspace.slug}/settings`

async function createBoard(name: string) {
  const response = await browser.post(`/w/${owner.workspace.slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!.split('/').pop()!
}

const assigneeOf = async (id: string) =>
  (
    await testApp.deps.db
      .selectFrom('boards')
      .select('assignee_member_id')
      .where('id', '=', id)
      .executeTakeFirstOrThrow()
  ).assignee_member_id

const optIn = (...ids: string[]) =>
  testApp.deps.db.updateTable('members').set({ round_robin: 1 }).where('id', 'in', ids).execute()

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  browser = await loginAs(testApp, owner.email, owner.password)
  sato = await addMember(testApp, owner.workspace.id, { name: '佐藤 彩', email: 'aya@example.jp' })
  ito = await addMember(testApp, owner.workspace.id, { name: '伊藤 蓮', email: 'ren@example.jp' })
})

describe('round-robin', () => {
  it('is off by default: new boards have no assignee', async () => {
    await optIn(sato, ito)
    expect(await assigneeOf(await createBoard('名刺'))).toBeNull()
  })

  it('assigns new boards in turn among members who opted in, and emails them', async () => {
    expect((await browser.post(`${settings()}/round-robin`, { enabled: '1' })).status).toBe(303)
    expect((await browser.post(`${settings()}/round-robin/me`, { join: '1' })).status).toBe(303)
    await optIn(sato, ito)
    const page = await (await browser.get(settings())).text()
    expect(page).toContain('いまはオンです。')
    expect(page).toContain('順番から外れる')

    const assignees: (string | null)[] = []
    for (const name of ['一', '二', '三', '四', '五', '六'])
      assignees.push(await assigneeOf(await createBoard(name)))
    // everyone once before anyone twice, then the same order again
    expect(new Set(assignees.slice(0, 3))).toEqual(new Set([owner.ownerId, sato, ito]))
    expect(assignees.slice(3)).toEqual(assignees.slice(0, 3))

    await testApp.drain()
    const toSato = testApp.mailer.sent.filter((m) => m.to === 'aya@example.jp')
    expect(toSato).toHaveLength(2)
    expect(toSato[0]!.text).toContain('順番の割り当てであなたの担当になりました。')

    // Leaving the turn: only the others get new boards.
    await testApp.deps.db
      .updateTable('members')
      .set({ round_robin: 0 })
      .where('id', '=', ito)
      .execute()
    const next = [await createBoard('七'), await createBoard('八'), await createBoard('九')]
    const later = await Promise.all(next.map(assigneeOf))
    expect(later).not.toContain(ito)
    expect(new Set(later)).toEqual(new Set([owner.ownerId, sato]))
  })

  it('lets an explicit API assignee win, and assigns in turn through the API otherwise', async () => {
    await testApp.deps.db.updateTable('workspaces').set({ round_robin: 1 }).execute()
    await optIn(sato)
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace: owner.workspace,
      name: 'shop',
      createdBy: owner.ownerId,
    })
    const api = apiClient(testApp, key)
    const body = { name: 'API', customer_name: '山田', customer_email: 'y@example.jp' }
    const inTurn = await api.request('POST', '/boards', body)
    expect(inTurn.status).toBe(201)
    expect(((await inTurn.json()) as { board: { assignee_id: string } }).board.assignee_id).toBe(
      sato,
    )
    const explicit = await api.request('POST', '/boards', { ...body, assignee_id: ito })
    expect(((await explicit.json()) as { board: { assignee_id: string } }).board.assignee_id).toBe(
      ito,
    )
    const none = await api.request('POST', '/boards', { ...body, assignee_id: null })
    expect(((await none.json()) as { board: { assignee_id: null } }).board.assignee_id).toBeNull()
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    const refused = await api.request('POST', '/boards', { ...body, assignee_id: other.ownerId })
    expect(refused.status).toBe(422)
    // a repeated dedupe key uses no turn
    const keyed = { ...body, dedupe_key: 'order-1' }
    await api.request('POST', '/boards', keyed)
    const turnBefore = await testApp.deps.db
      .selectFrom('members')
      .select('round_robin_turn')
      .where('id', '=', sato)
      .executeTakeFirstOrThrow()
    expect((await api.request('POST', '/boards', keyed)).status).toBe(200)
    expect(
      await testApp.deps.db
        .selectFrom('members')
        .select('round_robin_turn')
        .where('id', '=', sato)
        .executeTakeFirstOrThrow(),
    ).toEqual(turnBefore)
    expect(await testApp.deps.db.selectFrom('boards').select('id').execute()).toHaveLength(4)
  })

  it('is switched by admins only; a member opts themselves in', async () => {
    const memberEmail = 'member@example.jp'
    const { hashPassword } = await import('../../src/shared/crypto')
    await testApp.deps.db
      .updateTable('members')
      .set({ email: memberEmail, password_hash: await hashPassword('correct horse battery') })
      .where('id', '=', sato)
      .execute()
    const member = await loginAs(testApp, memberEmail, 'correct horse battery')
    expect((await member.post(`${settings()}/round-robin`, { enabled: '1' })).status).toBe(403)
    expect((await member.post(`${settings()}/round-robin`, { enabled: 'yes' })).status).toBe(403)
    expect((await browser.post(`${settings()}/round-robin`, { enabled: 'yes' })).status).toBe(422)
    expect((await member.post(`${settings()}/round-robin/me`, { join: '1' })).status).toBe(303)
    const rows = await testApp.deps.db
      .selectFrom('members')
      .select(['id', 'round_robin'])
      .where('round_robin', '=', 1)
      .execute()
    expect(rows.map((r) => r.id)).toEqual([sato])
    const workspace = await testApp.deps.db
      .selectFrom('workspaces')
      .select('round_robin')
      .executeTakeFirstOrThrow()
    expect(workspace.round_robin).toBe(0)
  })
})
