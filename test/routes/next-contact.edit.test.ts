import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

// Issue #22 point 5: the date follows the text. The clock starts on Tue 2026-11-24 10:00 Tokyo.

let testApp: TestApp
let member: Browserish
let slug: string

const htmx = { 'HX-Request': 'true' }
const DAY = 24 * 3600_000

async function createBoard() {
  const response = await member.post(`/w/${slug}/boards`, {
    name: '名刺 100枚',
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  const url = response.headers.get('location')!
  return { url, id: url.split('/').pop()! }
}

const boardRow = (id: string) =>
  testApp.deps.db.selectFrom('boards').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const messages = (boardId: string) =>
  testApp.deps.db
    .selectFrom('messages')
    .selectAll()
    .where('board_id', '=', boardId)
    .orderBy('seq', 'asc')
    .execute()

async function post(url: string, form: Record<string, string>) {
  const sent = await member.post(`${url}/messages`, { next_contact_mode: 'auto', ...form })
  expect(sent.status).toBe(303)
}

async function edit(url: string, messageId: string, body: string, headers = {}) {
  const response = await member.post(`${url}/messages/${messageId}`, { body }, headers)
  expect(response.status).toBe(headers === htmx ? 200 : 303)
  return response
}

function fieldValue(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1]
}

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('editing a message re-reads its next contact date', () => {
  it('moves the message and the board date when the promise changes, read on the day it was posted', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: '明日ご連絡いたします。' })
    expect(await boardRow(id)).toMatchObject({ next_contact_on: '2026-11-25' })
    const [message] = await messages(id)

    // Two days later the member corrects the promise: 明後日 still counts from the day it was sent.
    testApp.clock.advance(2 * DAY)
    await edit(url, message!.id, '明後日の15時にご連絡いたします。')
    const [edited] = await messages(id)
    expect(edited).toMatchObject({
      next_contact_on: '2026-11-26',
      next_contact_time: '15:00',
      next_contact_phrase: '明後日の15時',
    })
    expect(await boardRow(id)).toMatchObject({
      next_contact_on: '2026-11-26',
      next_contact_time: '15:00',
    })
  })

  it('leaves the date alone when an edit does not touch the promise, however late', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: '明日ご連絡いたします。よろしくお願いします' })
    const [message] = await messages(id)
    testApp.clock.advance(5 * DAY)
    await edit(url, message!.id, '明日ご連絡いたします。よろしくお願いいたします。')
    expect((await messages(id))[0]).toMatchObject({
      next_contact_on: '2026-11-25',
      next_contact_phrase: '明日',
    })
    expect((await boardRow(id)).next_contact_on).toBe('2026-11-25')
  })

  it('clears the date of the message and of the board when the edit takes the promise out', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: "We'll call you tomorrow at 2.30pm." })
    expect(await boardRow(id)).toMatchObject({
      next_contact_on: '2026-11-25',
      next_contact_time: '14:30',
    })
    const [message] = await messages(id)
    await edit(url, message!.id, "We'll call you as soon as the proofs are ready.")
    expect((await messages(id))[0]).toMatchObject({
      next_contact_on: null,
      next_contact_time: null,
      next_contact_phrase: null,
    })
    expect(await boardRow(id)).toMatchObject({ next_contact_on: null, next_contact_time: null })
  })

  it('gives a message that had no date the one its new text promises', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: '確認でき次第ご連絡いたします。' })
    const [message] = await messages(id)
    expect(message!.next_contact_on).toBeNull()
    await edit(url, message!.id, '今晩8時ごろお電話いたします。')
    expect((await messages(id))[0]).toMatchObject({
      next_contact_on: '2026-11-24',
      next_contact_time: '20:00',
      next_contact_phrase: '今晩8時',
    })
    expect(await boardRow(id)).toMatchObject({
      next_contact_on: '2026-11-24',
      next_contact_time: '20:00',
    })
  })

  it('does not move the board when a later message set its date', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: '明日ご連絡いたします。' })
    await post(url, { body: '12月7日(月)に初校をご提示いたします。' })
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-07')
    const [first] = await messages(id)
    await edit(url, first!.id, '明後日ご連絡いたします。')
    expect((await messages(id))[0]!.next_contact_on).toBe('2026-11-26')
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-07')
  })

  it('does not move a board date the member changed by hand since', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: '明日ご連絡いたします。' })
    await testApp.deps.db
      .updateTable('boards')
      .set({ next_contact_on: '2026-12-01' })
      .where('id', '=', id)
      .execute()
    const [message] = await messages(id)
    await edit(url, message!.id, '明後日ご連絡いたします。')
    expect((await messages(id))[0]!.next_contact_on).toBe('2026-11-26')
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-01')
  })

  it('keeps a date set by hand and a date the member cleared', async () => {
    const { url, id } = await createBoard()
    await post(url, {
      body: '12月7日(月)にご提示いたします。',
      next_contact_mode: 'manual',
      next_contact_on: '2026-12-10',
    })
    await post(url, { body: '明日ご連絡します。', next_contact_mode: 'none' })
    const [manual, cleared] = await messages(id)
    await edit(url, manual!.id, '12月8日(火)にご提示いたします。')
    await edit(url, cleared!.id, '明後日ご連絡します。')
    const [afterManual, afterCleared] = await messages(id)
    expect(afterManual).toMatchObject({ next_contact_on: '2026-12-10', next_contact_phrase: null })
    expect(afterCleared).toMatchObject({ next_contact_on: null, next_contact_phrase: null })
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-10')
  })

  it('answers htmx with the message and the side panel showing the new date', async () => {
    const { url, id } = await createBoard()
    await post(url, { body: '明日ご連絡いたします。' })
    const [message] = await messages(id)
    const response = await edit(url, message!.id, '金曜日にご連絡いたします。', htmx)
    expect(response.headers.get('HX-Trigger')).toBe('next-contact-refresh')
    const html = await response.text()
    expect(html).toContain('<mark class="contact-phrase">金曜日</mark>')
    expect(html).toContain('id="board-panel"')
    expect(fieldValue(html, 'next_contact_on')).toBe('2026-11-27')
  })
})

describe('the composer preview shows what the server stores', () => {
  // The same text and clock through the preview route and the send route give the same row.
  const texts = [
    '今晩8時ごろお電話いたします。',
    '明晩7時にお電話いたします。',
    "We'll call you tomorrow at 2.30pm.",
    "We'll call you tomorrow at 14.30.",
    '明日１４：３０にお伺いいたします。',
    "I'll send the quote by EOD Friday.",
    '月初にご請求書をお送りします。',
    '2週間後に改めてご連絡いたします。',
    '金曜日に連絡させていただきます。',
    "The samples are packed on Thursday, and we'll ship them at noon.",
    '12月5日に完成し、当日15時にお届けいたします。',
    '2027.1.14（木）にお届けいたします。',
    'ご注文ありがとうございます。',
  ]
  it.each(texts)('%s', async (body) => {
    const { url, id } = await createBoard()
    const preview = await member.post(
      `${url}/next-contact/preview`,
      { body, next_contact_mode: 'auto' },
      htmx,
    )
    const html = await preview.text()
    await post(url, { body })
    const [stored] = await messages(id)
    expect({
      on: fieldValue(html, 'next_contact_on') || null,
      time: fieldValue(html, 'next_contact_time') || null,
      phrase: fieldValue(html, 'next_contact_phrase') ?? null,
    }).toEqual({
      on: stored!.next_contact_on,
      time: stored!.next_contact_time,
      phrase: stored!.next_contact_phrase,
    })
  })
})
