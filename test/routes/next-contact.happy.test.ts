import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { linkPath, openAsGuest } from './guest.helpers'

// The clock starts on Tue 2026-11-24 10:00 in Tokyo (the day after 勤労感謝の日).

let testApp: TestApp
let member: Browserish
let slug: string
let workspaceId: string
let ownerId: string

async function createBoard(fields: Record<string, string> = {}) {
  const response = await member.post(`/w/${slug}/boards`, {
    name: '名刺 100枚',
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
    ...fields,
  })
  expect(response.status).toBe(303)
  const url = response.headers.get('location')!
  return { url, id: url.split('/').pop()! }
}

const boardRow = (id: string) =>
  testApp.deps.db.selectFrom('boards').selectAll().where('id', '=', id).executeTakeFirstOrThrow()
const lastMessage = (boardId: string) =>
  testApp.deps.db
    .selectFrom('messages')
    .selectAll()
    .where('board_id', '=', boardId)
    .orderBy('seq', 'desc')
    .executeTakeFirstOrThrow()

const htmx = { 'HX-Request': 'true' }

async function preview(url: string, form: Record<string, string>) {
  const response = await member.post(`${url}/next-contact/preview`, form, htmx)
  expect(response.status).toBe(200)
  return response.text()
}

function fieldValue(html: string, name: string): string | undefined {
  return (
    new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1] ??
    new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(html)?.[1]
  )
}

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  workspaceId = owner.workspace.id
  ownerId = owner.ownerId
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('next contact preview in the composer', () => {
  it('shows the phrase understood and the date it gives (Japanese)', async () => {
    const { url } = await createBoard()
    const html = await preview(url, {
      body: '再校正デザインは12月7日(月)にご提示いたします。',
      next_contact_mode: 'auto',
    })
    expect(html).toContain('id="next-contact"')
    expect(html).toContain(
      '「<mark class="contact-phrase" dir="auto">12月7日(月)</mark>」→ 次回連絡予定日',
    )
    expect(html).toContain('2026/12/07(月)')
    expect(fieldValue(html, 'next_contact_on')).toBe('2026-12-07')
    expect(fieldValue(html, 'next_contact_time')).toBe('')
    expect(fieldValue(html, 'next_contact_phrase')).toBe('12月7日(月)')
    expect(fieldValue(html, 'next_contact_mode')).toBe('auto')
    expect(html).toContain('設定しない')
  })

  it('reads times and business days', async () => {
    const { url } = await createBoard()
    const call = await preview(url, { body: '明日15時にお電話いたします。' })
    expect(fieldValue(call, 'next_contact_on')).toBe('2026-11-25')
    expect(fieldValue(call, 'next_contact_time')).toBe('15:00')
    expect(call).toContain('2026/11/25(水) 15:00')
    const business = await preview(url, { body: 'お見積りは2営業日以内にご連絡いたします。' })
    expect(fieldValue(business, 'next_contact_on')).toBe('2026-11-26')
  })

  it('speaks English to an English member and reads English sentences', async () => {
    await testApp.deps.db
      .updateTable('members')
      .set({ locale: 'en' })
      .where('id', '=', ownerId)
      .execute()
    const { url } = await createBoard()
    const html = await preview(url, {
      body: "Thanks! We'll send it by next Friday.",
      next_contact_mode: 'auto',
    })
    expect(html).toContain(
      '“<mark class="contact-phrase" dir="auto">next Friday</mark>”→ Next contact date',
    )
    expect(html).toContain('Fri, Dec 4, 2026')
    expect(fieldValue(html, 'next_contact_on')).toBe('2026-12-04')
    expect(html).toContain('Don&#39;t set')
    const none = await preview(url, { body: 'Thanks for your order.' })
    expect(none).toContain('No date found')
  })

  it('says so when the text has no date, and keeps the board date on show', async () => {
    const { url, id } = await createBoard()
    await testApp.deps.db
      .updateTable('boards')
      .set({ next_contact_on: '2026-12-01' })
      .where('id', '=', id)
      .execute()
    const html = await preview(url, {
      body: 'ありがとうございます。確認でき次第ご連絡します。',
      next_contact_mode: 'auto',
    })
    expect(html).toContain('日付は読み取れませんでした')
    expect(html).toContain('2026/12/01(火)')
    expect(html).not.toContain('name="next_contact_on"')
    expect(html).not.toContain('name="next_contact_phrase"')
    expect(html).toContain('日付を指定')
    const empty = await preview(url, { body: '' })
    expect(empty).toContain('文面に日付')
    expect(empty).not.toContain('name="next_contact_on"')
  })

  it('lets the member change the date or clear it', async () => {
    const { url } = await createBoard()
    const body = '12月7日(月)にご提示いたします。'
    const manual = await preview(url, {
      body,
      next_contact_mode: 'manual',
      next_contact_on: '2026-12-10',
      next_contact_time: '09:30',
    })
    expect(fieldValue(manual, 'next_contact_mode')).toBe('manual')
    expect(fieldValue(manual, 'next_contact_on')).toBe('2026-12-10')
    expect(fieldValue(manual, 'next_contact_time')).toBe('09:30')
    expect(manual).not.toContain('name="next_contact_phrase"')
    expect(manual).toContain('文面から読み取る')
    const cleared = await preview(url, {
      body,
      next_contact_mode: 'none',
      next_contact_on: '2026-12-07',
    })
    expect(fieldValue(cleared, 'next_contact_mode')).toBe('none')
    expect(cleared).toContain('この送信では次回連絡予定日を設定しません')
    expect(cleared).not.toContain('name="next_contact_on"')
    expect(cleared).toContain('元に戻す')
  })

  it('reads a template filled with the board date', async () => {
    const { url, id } = await createBoard()
    await testApp.deps.db
      .updateTable('boards')
      .set({ next_contact_on: '2026-12-07' })
      .where('id', '=', id)
      .execute()
    const page = await (await member.get(url)).text()
    // The order template carries {{next_contact_date}}, filled in from the board the way a
    // person writes it (12月7日(月), never ISO), and the preview reads that date back.
    const filled = /data-body="([^"]*12月7日\(月\)[^"]*)"/.exec(page)?.[1]
    expect(filled).toBeDefined()
    expect(page).not.toMatch(/data-body="[^"]*2026-12-07/)
    const body = filled!.replace(/&#10;|\n/g, '\n').replace(/&amp;/g, '&')
    const html = await preview(url, { body, next_contact_mode: 'auto' })
    expect(fieldValue(html, 'next_contact_on')).toBe('2026-12-07')
    expect(html).toContain('<mark class="contact-phrase" dir="auto">12月7日(月)</mark>')
    expect(html).not.toContain('nc-warning')
  })

  it('puts the preview in the composer of the board page', async () => {
    const { url, id } = await createBoard()
    const page = await (await member.get(url)).text()
    expect(page).toContain(`hx-post="/w/${slug}/boards/${id}/next-contact/preview"`)
    expect(page).toContain('from:(#composer textarea[name=body])')
    expect(page).toContain('name="next_contact_mode" value="auto"')
  })
})

describe('sending a message with a date', () => {
  it('sets the board date and time and keeps the phrase, highlighted for members only', async () => {
    const { url, id } = await createBoard()
    const body = '山田様\n再校正デザインは12月7日(月)15時にご提示いたします。'
    const sent = await member.post(`${url}/messages`, {
      body,
      next_contact_mode: 'auto',
      next_contact_on: '2026-12-07',
      next_contact_time: '15:00',
      next_contact_phrase: '12月7日(月)15時',
    })
    expect(sent.status).toBe(303)
    const board = await boardRow(id)
    expect(board).toMatchObject({ next_contact_on: '2026-12-07', next_contact_time: '15:00' })
    const message = await lastMessage(id)
    expect(message).toMatchObject({
      next_contact_on: '2026-12-07',
      next_contact_time: '15:00',
      next_contact_phrase: '12月7日(月)15時',
    })

    const staffPage = await (await member.get(url)).text()
    expect(staffPage).toContain('<mark class="contact-phrase">12月7日(月)15時</mark>')

    const guest = await openAsGuest(testApp, await linkPath(testApp, id))
    expect(guest.html).toContain('再校正デザインは12月7日(月)15時にご提示いたします。')
    expect(guest.html).not.toContain('contact-phrase')
    expect(guest.html).not.toContain('<mark')
    expect(guest.html).not.toContain('2026-12-07')
  })

  it('takes the date from the text actually sent, not from a preview that lagged behind', async () => {
    const { url, id } = await createBoard()
    await member.post(`${url}/messages`, {
      body: '明日ご連絡いたします。',
      next_contact_mode: 'auto',
      next_contact_on: '2026-12-31',
      next_contact_phrase: '古い文',
    })
    expect(await boardRow(id)).toMatchObject({
      next_contact_on: '2026-11-25',
      next_contact_time: null,
    })
    expect((await lastMessage(id)).next_contact_phrase).toBe('明日')
  })

  it('keeps a date the member set by hand, without a phrase', async () => {
    const { url, id } = await createBoard()
    await member.post(`${url}/messages`, {
      body: '12月7日(月)にご提示いたします。',
      next_contact_mode: 'manual',
      next_contact_on: '2026-12-10',
      next_contact_time: '09:30',
      next_contact_phrase: '12月7日(月)',
    })
    expect(await boardRow(id)).toMatchObject({
      next_contact_on: '2026-12-10',
      next_contact_time: '09:30',
    })
    expect((await lastMessage(id)).next_contact_phrase).toBeNull()
  })

  it('leaves the board date alone when the message has no date or the member cleared it', async () => {
    const { url, id } = await createBoard()
    await member.post(`${url}/messages`, {
      body: '12月7日(月)にご提示いたします。',
      next_contact_mode: 'auto',
    })
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-07')

    await member.post(`${url}/messages`, {
      body: '追加のご質問ありがとうございます。',
      next_contact_mode: 'auto',
    })
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-07')
    expect((await lastMessage(id)).next_contact_on).toBeNull()

    await member.post(`${url}/messages`, {
      body: '明日ご連絡します。',
      next_contact_mode: 'none',
      next_contact_on: '2026-11-25',
    })
    expect((await boardRow(id)).next_contact_on).toBe('2026-12-07')
    expect((await lastMessage(id)).next_contact_phrase).toBeNull()
  })

  it('re-renders the composer with the preview after a refused post', async () => {
    const { url } = await createBoard()
    const refused = await member.post(
      `${url}/messages`,
      { body: '{{customer_name}} 様 明日ご連絡します', next_contact_mode: 'auto' },
      htmx,
    )
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain('id="next-contact"')
    expect(fieldValue(html, 'next_contact_on')).toBe('2026-11-25')
  })
})

describe('the board list by next contact date', () => {
  it('sorts, marks overdue and today, filters, and survives a customer reply', async () => {
    const overdue = await createBoard({ name: 'チラシ 期限切れ' })
    const today = await createBoard({ name: 'ポスター 今日' })
    const later = await createBoard({ name: 'Tシャツ 来月' })
    const done = await createBoard({ name: '封筒 完了' })
    await member.post(later.url, { next_contact_on: '2026-12-20' })
    await member.post(today.url, { next_contact_on: '2026-11-24', next_contact_time: '15:00' })
    await member.post(overdue.url, { next_contact_on: '2026-11-20' })
    await member.post(done.url, { next_contact_on: '2026-11-19', status: 'done' })

    const sorted = await (await member.get(`/w/${slug}/boards?sort=next_contact`)).text()
    const order = ['封筒 完了', 'チラシ 期限切れ', 'ポスター 今日', 'Tシャツ 来月'].map((name) =>
      sorted.indexOf(name),
    )
    expect(order.every((at) => at > 0)).toBe(true)
    expect([...order].sort((a, b) => a - b)).toEqual(order)
    const rowOf = (html: string, name: string) => {
      const at = html.indexOf(name)
      return html.slice(html.lastIndexOf('<tr', at), html.indexOf('</tr>', at))
    }
    expect(rowOf(sorted, 'チラシ 期限切れ')).toContain('contact-overdue')
    expect(rowOf(sorted, 'ポスター 今日')).toContain('contact-today')
    expect(rowOf(sorted, 'Tシャツ 来月')).toContain('contact-upcoming')
    // Done work is never shown as overdue.
    expect(rowOf(sorted, '封筒 完了')).not.toContain('contact-overdue')

    const due = await (await member.get(`/w/${slug}/boards?due=1`)).text()
    expect(due).toContain('チラシ 期限切れ')
    expect(due).toContain('ポスター 今日')
    expect(due).not.toContain('Tシャツ 来月')
    expect(due).not.toContain('封筒 完了')

    // A customer reply moves the status but never clears the promise.
    const guest = await openAsGuest(testApp, await linkPath(testApp, today.id))
    const replied = await guest.client.post(`/g/${today.id}/messages`, {
      body: '承知しました。お待ちしています。',
    })
    expect(replied.status).toBe(303)
    expect(await boardRow(today.id)).toMatchObject({
      status: 'replied',
      next_contact_on: '2026-11-24',
      next_contact_time: '15:00',
    })
    expect(workspaceId).toBeTruthy()
  })
})
