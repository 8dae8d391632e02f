import { describe, expect, it } from 'vitest'
import type { TestApp } from '../helpers/app'
import { saveCareSettings } from '../../src/business-hours/business-hours.usecases'
import { sendDueAutoAnswers } from '../../src/auto-answers/auto-answers.usecases'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'

// The test clock starts on Tue 2026-11-24 10:00 in Tokyo (open, Mon–Fri 9–18).
const SATURDAY_EVENING = '2026-11-28T19:00:00+09:00'
const MINUTE = 60_000

async function enable(
  testApp: TestApp,
  workspaceId: string,
  options: { delay?: number | null; text?: string | null; on?: boolean } = {},
) {
  await saveCareSettings({
    deps: testApp.deps,
    workspace: { id: workspaceId },
    input: {
      week: [[], [[540, 1080]], [[540, 1080]], [[540, 1080]], [[540, 1080]], [[540, 1080]], []],
      japaneseHolidays: true,
      autoAnswer: options.on ?? true,
      autoAnswerDelayMinutes: options.delay ?? null,
      autoAnswerText: options.text ?? null,
      welcome: false,
      welcomeText: null,
      rating: false,
      ratingQuestion: null,
    },
  })
}

const answers = (testApp: TestApp, boardId: string) =>
  testApp.deps.db
    .selectFrom('auto_answers')
    .selectAll()
    .where('board_id', '=', boardId)
    .orderBy('created_at')
    .execute()

const autoMails = (testApp: TestApp) =>
  testApp.mailer.sent.filter((mail) => mail.headers?.['Auto-Submitted'] === 'auto-replied')

async function customerPosts(
  testApp: TestApp,
  board: { boardId: string; linkPath: () => Promise<string> },
  body: string,
) {
  const { client } = await openAsGuest(testApp, await board.linkPath())
  const response = await client.post(`/g/${board.boardId}/messages`, { body })
  expect(response.status).toBeLessThan(400)
  await testApp.drain()
}

describe('automatic answer outside business hours', () => {
  it('answers a customer post at once, by email, without a number or a status change', async () => {
    const setup = await setupBoard()
    const { testApp, workspace, boardId, member, staffUrl } = setup
    await member.post(`${staffUrl}/messages`, { body: '校正データをお送りします。' })
    await enable(testApp, workspace.id)
    testApp.clock.set(SATURDAY_EVENING)
    await customerPosts(testApp, setup, 'マット紙でお願いします。')

    const [answer, ...more] = await answers(testApp, boardId)
    expect(more).toEqual([])
    expect(answer).toMatchObject({ state: 'sent', sent_at: new Date(SATURDAY_EVENING).getTime() })
    // the next opening: Monday 9:00 in Tokyo
    expect(answer!.body).toContain('11月30日(月) 9:00以降')
    expect(answer!.body).toContain(`${workspace.name}です`)
    expect(answer!.period_start).toBe(new Date('2026-11-30T09:00:00+09:00').getTime())

    const [mail, ...others] = autoMails(testApp)
    expect(others).toEqual([])
    expect(mail!.to).toBe('yamada@example.jp')
    expect(mail!.subject).toBe(`メッセージを受け付けました【${workspace.name}】`)
    expect(mail!.text).toContain('11月30日(月) 9:00以降')
    expect(mail!.text).toContain('自動応答')
    expect(mail!.headers?.['In-Reply-To']).toMatch(/^<board\./)

    const board = await findBoard(testApp, boardId)
    expect(board.status).toBe('replied') // the customer's post, not the answer
    expect(board.last_no).toBe(2) // the staff post and the customer's: the answer has none
    expect(board.last_public_author).toBe('guest') // still unanswered by a person
  })

  it('answers at most once per opening period, however often the customer writes', async () => {
    const setup = await setupBoard()
    await enable(setup.testApp, setup.workspace.id)
    setup.testApp.clock.set(SATURDAY_EVENING)
    await customerPosts(setup.testApp, setup, '一通目')
    setup.testApp.clock.advance(60 * MINUTE)
    await customerPosts(setup.testApp, setup, '二通目')
    setup.testApp.clock.set('2026-11-29T11:00:00+09:00') // Sunday: still before Monday's opening
    await customerPosts(setup.testApp, setup, '三通目')
    expect(await answers(setup.testApp, setup.boardId)).toHaveLength(1)
    expect(autoMails(setup.testApp)).toHaveLength(1)

    // Monday evening, after closing: the next period (Tuesday) gets its own answer.
    setup.testApp.clock.set('2026-11-30T19:00:00+09:00')
    await customerPosts(setup.testApp, setup, '四通目')
    expect(await answers(setup.testApp, setup.boardId)).toHaveLength(2)
    expect(autoMails(setup.testApp)).toHaveLength(2)
  })

  it('fills the workspace text in one pass, in English for an English workspace', async () => {
    const setup = await setupBoard({
      locale: 'en',
      board: { customer_name: 'Ann {{next_opening}}' },
    })
    await enable(setup.testApp, setup.workspace.id, {
      text: 'Hi {{customer_name}}, {{shop_name}} reopens {{next_opening}}. {{unknown}}',
    })
    setup.testApp.clock.set(SATURDAY_EVENING)
    await customerPosts(setup.testApp, setup, 'Matte, please.')
    const [answer] = await answers(setup.testApp, setup.boardId)
    expect(answer!.body).toBe(
      `Hi Ann {{next_opening}}, ${setup.workspace.name} reopens Mon, Nov 30, 9:00 AM. {{unknown}}`,
    )
    expect(autoMails(setup.testApp)[0]!.subject).toBe(
      `We received your message [${setup.workspace.name}]`,
    )
  })

  it('sends nothing when the workspace has not switched answers on, nor for staff posts', async () => {
    const setup = await setupBoard()
    await enable(setup.testApp, setup.workspace.id, { on: false })
    setup.testApp.clock.set(SATURDAY_EVENING)
    await customerPosts(setup.testApp, setup, 'もしもし')
    await enable(setup.testApp, setup.workspace.id)
    await setup.member.post(`${setup.staffUrl}/messages`, { body: '週末も対応します' })
    await setup.member.post(`${setup.staffUrl}/messages`, { body: 'メモ', internal: '1' })
    await setup.testApp.drain()
    expect(await answers(setup.testApp, setup.boardId)).toEqual([])
    expect(autoMails(setup.testApp)).toEqual([])
  })
})

describe('automatic answer within business hours, after N minutes unanswered', () => {
  it('waits N minutes, then the job sends it once', async () => {
    const setup = await setupBoard()
    const { testApp, boardId } = setup
    await enable(testApp, setup.workspace.id, { delay: 15 })
    await customerPosts(testApp, setup, '色は青でお願いします') // Tue 10:00, open
    const [waiting] = await answers(testApp, boardId)
    expect(waiting).toMatchObject({
      state: 'pending',
      due_at: testApp.clock.now().getTime() + 15 * MINUTE,
    })
    expect(autoMails(testApp)).toEqual([])

    testApp.clock.advance(14 * MINUTE)
    expect(await sendDueAutoAnswers({ deps: testApp.deps })).toEqual({ sent: 0 })
    testApp.clock.advance(1 * MINUTE)
    expect(await sendDueAutoAnswers({ deps: testApp.deps })).toEqual({ sent: 1 })
    expect(await sendDueAutoAnswers({ deps: testApp.deps })).toEqual({ sent: 0 })
    await testApp.drain()
    const [sent] = await answers(testApp, boardId)
    expect(sent!.state).toBe('sent')
    // open now: the built-in text for open hours, no "next opening" to promise
    expect(sent!.body).toContain('ただいま担当者が内容を確認しております')
    expect(sent!.body).not.toMatch(/\d+月\d+日/)
    expect(autoMails(testApp)).toHaveLength(1)
  })

  it('a staff answer in the meantime cancels it; an internal note does not', async () => {
    const setup = await setupBoard()
    const { testApp, boardId, member, staffUrl } = setup
    await enable(testApp, setup.workspace.id, { delay: 30 })
    await customerPosts(testApp, setup, '納期はいつですか')
    testApp.clock.advance(5 * MINUTE)
    await member.post(`${staffUrl}/messages`, { body: '確認します', internal: '1' })
    expect((await answers(testApp, boardId))[0]!.state).toBe('pending')
    await member.post(`${staffUrl}/messages`, { body: '12月3日に発送予定です' })
    expect((await answers(testApp, boardId))[0]!.state).toBe('cancelled')
    testApp.clock.advance(60 * MINUTE)
    expect(await sendDueAutoAnswers({ deps: testApp.deps })).toEqual({ sent: 0 })
    await testApp.drain()
    expect(autoMails(testApp)).toEqual([])
  })

  it('is cancelled at its time when the board was closed or answers were switched off', async () => {
    const setup = await setupBoard()
    const { testApp, boardId, member, staffUrl } = setup
    await enable(testApp, setup.workspace.id, { delay: 10 })
    await customerPosts(testApp, setup, 'よろしくお願いします')
    await member.post(`${staffUrl}/close`, {})
    testApp.clock.advance(10 * MINUTE)
    expect(await sendDueAutoAnswers({ deps: testApp.deps })).toEqual({ sent: 0 })
    expect((await answers(testApp, boardId))[0]!.state).toBe('cancelled')
  })

  it('a workspace text with {{next_opening}} says "now" while the shop is open', async () => {
    const setup = await setupBoard()
    await enable(setup.testApp, setup.workspace.id, {
      delay: 5,
      text: '{{next_opening}}以降にご返信します',
    })
    await customerPosts(setup.testApp, setup, '至急です')
    setup.testApp.clock.advance(5 * MINUTE)
    await sendDueAutoAnswers({ deps: setup.testApp.deps })
    const [sent] = await answers(setup.testApp, setup.boardId)
    expect(sent!.body).toBe('ただいま（営業時間内）以降にご返信します')
  })

  it('without a delay, nothing is sent within business hours', async () => {
    const setup = await setupBoard()
    await enable(setup.testApp, setup.workspace.id, { delay: null })
    await customerPosts(setup.testApp, setup, 'こんにちは')
    expect(await answers(setup.testApp, setup.boardId)).toEqual([])
  })
})

describe('where the automatic answer shows', () => {
  it('under the customer thread until a person answers, and on the staff board', async () => {
    const setup = await setupBoard()
    const { testApp, boardId, member, staffUrl } = setup
    await enable(testApp, setup.workspace.id)
    testApp.clock.set(SATURDAY_EVENING)
    await customerPosts(testApp, setup, 'マット紙でお願いします。')

    const { html } = await openAsGuest(testApp, await setup.linkPath())
    expect(html).toContain('id="guest-auto-answer" class="guest-auto"')
    expect(html).toContain('11月30日(月) 9:00以降')

    const panel = await (await member.get(`${staffUrl}/auto-answers`)).text()
    expect(panel).toContain('自動応答を送信しました')
    expect(panel).toContain('11月30日(月) 9:00以降')

    testApp.clock.advance(60 * MINUTE)
    await member.post(`${staffUrl}/messages`, { body: '承知しました。' })
    const after = await openAsGuest(testApp, await setup.linkPath())
    expect(after.html).not.toContain('class="guest-auto"')
    // the board keeps its record
    expect(await (await member.get(`${staffUrl}/auto-answers`)).text()).toContain(
      '自動応答を送信しました',
    )
    void boardId
  })

  it('a member of another workspace gets a 404 for the board’s answers', async () => {
    const setup = await setupBoard()
    const other = await setupBoard({ testApp: setup.testApp })
    const response = await other.member.get(
      `/w/${other.workspace.slug}/boards/${setup.boardId}/auto-answers`,
    )
    expect(response.status).toBe(404)
  })
})
