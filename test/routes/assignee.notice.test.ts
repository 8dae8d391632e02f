// 担当者 (issue #17): assigning someone else emails them through the outbox (their switch applies,
// never the one who assigned themselves), and every change is one `board.assigned` webhook.
import { beforeEach, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { createWebhookEndpoint } from '../../src/webhooks/webhooks.usecases'
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
let member: Browserish
let owner: Awaited<ReturnType<typeof createTestWorkspace>>
let sato: string

const boardsPath = () => `/w/${owner.workspace.slug}/boards`

async function createBoard(name: string) {
  const response = await member.post(boardsPath(), {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const noticeRows = () =>
  testApp.deps.db.selectFrom('outbox').selectAll().where('kind', '=', 'team-notice').execute()
const webhookEvents = async () =>
  (
    await testApp.deps.db.selectFrom('outbox').selectAll().where('kind', '=', 'webhook').execute()
  ).map(
    (row) =>
      (JSON.parse(row.payload) as { event: { type: string; data: Record<string, unknown> } }).event,
  )

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  member = await loginAs(testApp, owner.email, owner.password)
  sato = await addMember(testApp, owner.workspace.id, { name: '佐藤 彩', email: 'aya@example.jp' })
})

describe('the assignment email', () => {
  it('goes to the member assigned by someone else, in their language, with a link to the board', async () => {
    const board = await createBoard('名刺 100枚')
    expect((await member.post(board, { assignee: sato })).status).toBe(303)
    await testApp.drain()
    const mail = testApp.mailer.sent.filter((m) => m.to === 'aya@example.jp')
    expect(mail).toHaveLength(1)
    expect(mail[0]!.subject).toBe('【担当】名刺 100枚')
    expect(mail[0]!.text).toContain(
      'オーナー さんが「名刺 100枚」（山田 花子 様）の担当者をあなたにしました。',
    )
    expect(mail[0]!.html).toContain(`http://orderboard.test${board}`)
    expect(mail[0]!.idempotencyKey).toMatch(/^assigned\/.+\//)

    // The same assignee again announces nothing; back to none emails nobody.
    await member.post(board, { assignee: sato })
    await member.post(board, { assignee: 'none' })
    await testApp.drain()
    expect(await noticeRows()).toHaveLength(1)

    const english = await addMember(testApp, owner.workspace.id, {
      name: 'Ann',
      email: 'ann@example.com',
      locale: 'en',
    })
    await member.post(board, { assignee: english })
    await testApp.drain()
    const ann = testApp.mailer.sent.find((m) => m.to === 'ann@example.com')
    expect(ann?.subject).toBe('[Assigned to you] 名刺 100枚')
    expect(ann?.text).toContain('オーナー assigned “名刺 100枚” (山田 花子) to you.')
  })

  it('is never sent to a member who assigns themselves, nor to one who turned it off', async () => {
    const board = await createBoard('チラシ')
    await member.post(board, { assignee: 'me' })
    await testApp.deps.db
      .updateTable('members')
      .set({ notify_assigned: 0 })
      .where('id', '=', sato)
      .execute()
    await member.post(board, { assignee: sato })
    await testApp.drain()
    expect(await noticeRows()).toEqual([])
    expect(testApp.mailer.sent).toEqual([])
  })

  it('is switched off and on again from the member’s own notification settings', async () => {
    const form = await (await member.get(`/w/${owner.workspace.slug}/settings`)).text()
    expect(form).toContain('name="notify_assigned"')
    expect(form).toContain('name="notify_mention"')
    await member.post(`/w/${owner.workspace.slug}/settings/me`, {
      notify_email: '1',
      notify_mention: '1',
    })
    const row = await testApp.deps.db
      .selectFrom('members')
      .select(['notify_email', 'notify_assigned', 'notify_mention'])
      .where('id', '=', owner.ownerId)
      .executeTakeFirstOrThrow()
    expect(row).toEqual({ notify_email: 1, notify_assigned: 0, notify_mention: 1 })
  })

  it('goes out for an API assignment too, naming the key; another workspace’s member changes nothing', async () => {
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace: owner.workspace,
      name: '受注システム',
      createdBy: owner.ownerId,
    })
    const api = apiClient(testApp, key)
    const id = (await createBoard('冊子')).split('/').pop()!
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    expect(
      (await api.request('PATCH', `/boards/${id}`, { assignee_id: other.ownerId })).status,
    ).toBe(422)
    expect(await noticeRows()).toEqual([])
    expect((await api.request('PATCH', `/boards/${id}`, { assignee_id: sato })).status).toBe(200)
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'aya@example.jp')
    expect(mail?.text).toContain('受注システム さんが「冊子」')
  })
})

describe('board.assigned', () => {
  it('is one event per change, with the assignee or null', async () => {
    await createWebhookEndpoint({
      deps: testApp.deps,
      workspace: owner.workspace,
      createdBy: null,
      input: { url: 'https://hooks.example.com/orderboard', events: ['board.assigned'] },
    })
    const board = await createBoard('名刺')
    const id = board.split('/').pop()!
    await member.post(board, { assignee: sato })
    await member.post(board, { assignee: sato })
    await member.post(board, { assignee: 'none' })
    const events = await webhookEvents()
    expect(events.map((e) => e.type)).toEqual(['board.assigned', 'board.assigned'])
    expect(events[0]!.data).toEqual({
      board: { id, name: '名刺', dedupe_key: null, status: 'new' },
      assignee: { id: sato, name: '佐藤 彩', email: 'aya@example.jp' },
      previous_assignee_id: null,
    })
    expect(events[1]!.data).toMatchObject({ assignee: null, previous_assignee_id: sato })
  })
})
