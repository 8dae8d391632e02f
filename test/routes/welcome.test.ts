import { describe, expect, it } from 'vitest'
import { createTestApp, loginAs, type TestApp } from '../helpers/app'
import { saveCareSettings } from '../../src/business-hours/business-hours.usecases'
import { DEFAULT_WEEK } from '../../src/business-hours/business-hours'
import { createApiWorkspace, validBoard } from './api.helpers'

async function welcomeOn(testApp: TestApp, workspaceId: string, text: string | null = null) {
  await saveCareSettings({
    deps: testApp.deps,
    workspace: { id: workspaceId },
    input: {
      week: DEFAULT_WEEK.map((day) => [...day]),
      japaneseHolidays: true,
      autoAnswer: false,
      autoAnswerDelayMinutes: null,
      autoAnswerText: null,
      welcome: true,
      welcomeText: text,
      rating: false,
      ratingQuestion: null,
    },
  })
}

const messagesOf = (testApp: TestApp, boardId: string) =>
  testApp.deps.db
    .selectFrom('messages')
    .selectAll()
    .where('board_id', '=', boardId)
    .orderBy('seq')
    .execute()

describe('welcome message on new boards', () => {
  it('a board a member opens gets No.1 from the shop, emailed to the customer', async () => {
    const testApp = createTestApp()
    const owner = await createApiWorkspace(testApp)
    await welcomeOn(testApp, owner.workspace.id)
    const member = await loginAs(testApp, owner.email, owner.password)
    const created = await member.post(`/w/${owner.workspace.slug}/boards`, {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'yamada@example.jp',
    })
    expect(created.status).toBe(303)
    const boardId = created.headers.get('location')!.split('/').at(-1)!
    const [welcome, ...rest] = await messagesOf(testApp, boardId)
    expect(rest).toEqual([])
    expect(welcome).toMatchObject({
      no: 1,
      internal: 0,
      author_kind: 'member',
      author_member_id: null,
      author_name: owner.workspace.name,
    })
    expect(welcome!.body).toContain('山田 太郎 様')
    expect(welcome!.body).toContain(`${owner.workspace.name}です`)
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'yamada@example.jp')
    expect(mail?.text).toContain('No.1')
    const board = await testApp.deps.db
      .selectFrom('boards')
      .selectAll()
      .where('id', '=', boardId)
      .executeTakeFirstOrThrow()
    expect(board.status).toBe('waiting')
    // the page shows the shop, not a member, as its author
    const page = await (await member.get(`/w/${owner.workspace.slug}/boards/${boardId}`)).text()
    expect(page).toContain(owner.workspace.name)
  })

  it('the API: welcomed without first_message, not with it, and never twice on a retry', async () => {
    const testApp = createTestApp()
    const owner = await createApiWorkspace(testApp)
    await welcomeOn(testApp, owner.workspace.id, 'ようこそ {{customer_name}} 様（{{board_name}}）')
    const first = await owner.api.request('POST', '/boards', validBoard({ dedupe_key: 'order-1' }))
    expect(first.status).toBe(201)
    const { board } = (await first.json()) as { board: { id: string; status: string } }
    expect(board.status).toBe('waiting')
    const retry = await owner.api.request('POST', '/boards', validBoard({ dedupe_key: 'order-1' }))
    expect(retry.status).toBe(200)
    const messages = await messagesOf(testApp, board.id)
    expect(messages.map((m) => m.body)).toEqual(['ようこそ 山田 花子 様（名刺 100枚 (#10421)）'])

    const withFirst = await owner.api.request(
      'POST',
      '/boards',
      validBoard({ dedupe_key: 'order-2', first_message: { body: 'ご注文ありがとうございます' } }),
    )
    expect(withFirst.status).toBe(201)
    const second = (await withFirst.json()) as { board: { id: string } }
    expect((await messagesOf(testApp, second.board.id)).map((m) => m.body)).toEqual([
      'ご注文ありがとうございます',
    ])
  })

  it('is off by default', async () => {
    const testApp = createTestApp()
    const owner = await createApiWorkspace(testApp)
    const created = await owner.api.request('POST', '/boards', validBoard())
    const { board } = (await created.json()) as { board: { id: string } }
    expect(await messagesOf(testApp, board.id)).toEqual([])
  })

  it('the settings refuse a variable the text cannot use, in the member’s language', async () => {
    const testApp = createTestApp()
    const owner = await createApiWorkspace(testApp)
    const member = await loginAs(testApp, owner.email, owner.password)
    const response = await member.post(`/w/${owner.workspace.slug}/settings/hours`, {
      hours_mon: '9:00-18:00',
      welcome: '1',
      welcome_text: 'ようこそ {{next_opening}} {{member_name}}',
      auto_answer_text: '{{next_opening}}以降にご返信します',
    })
    expect(response.status).toBe(422)
    const page = await response.text()
    expect(page).toContain('この文面では使えない差し込み項目です: {{next_opening}} {{member_name}}')
    expect(page).not.toContain('id="auto_answer_text-error"')
  })
})
