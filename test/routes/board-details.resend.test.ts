import { describe, expect, it } from 'vitest'
import { recordDelivery } from '../../src/inbound/inbound.delivery'
import { resendKey } from '../../src/boards/board-events.repository'
import { findBoard, setupBoard } from './guest.helpers'
import { boardEvents, boardWithApi, textOf } from './board-details.helpers'
import { messageIdOf, outboxRows } from './notifications.helpers'

// After a bounce, correcting the address offers to re-send the last notification to the new
// one: one click, through the outbox, never twice. The warning and the offer sit at the top.

/** A board whose customer notification (No.2, the last of two) bounced. */
async function bouncedBoard(setup?: Awaited<ReturnType<typeof boardWithApi>>) {
  const board = setup ?? (await boardWithApi())
  const { testApp, member, staffUrl, boardId } = board
  await member.post(`${staffUrl}/messages`, { body: '校正データ v1 をお送りします。' })
  testApp.clock.advance(60_000)
  await member.post(`${staffUrl}/messages`, { body: '校正データ v2 をお送りします。' })
  await testApp.drain()
  const rows = await outboxRows(testApp, boardId)
  const last = rows.at(-1)!
  await recordDelivery({ deps: testApp.deps, providerId: last.provider_id!, status: 'bounced' })
  expect((await findBoard(testApp, boardId)).guest_email_problem).toBe('bounced')
  testApp.clock.advance(60_000)
  return board
}

const resendForm = (html: string) => /name="event_id" value="([^"]+)"/.exec(html)?.[1]

describe('re-sending the last notification after a bounce', () => {
  it('offers it at the top once the address is fixed; one click queues one email to the new address', async () => {
    const { testApp, member, staffUrl, boardId } = await bouncedBoard()
    const bounced = await (await member.get(staffUrl)).text()
    // the bounce warning is at the top of the board, above the thread
    expect(bounced.indexOf('お客様のメールアドレスにメールが届きませんでした')).toBeGreaterThan(0)
    expect(bounced.indexOf('お客様のメールアドレスにメールが届きませんでした')).toBeLessThan(
      bounced.indexOf('id="thread"'),
    )

    await member.post(`${staffUrl}/details`, {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'taro.fixed@example.jp',
    })
    expect((await findBoard(testApp, boardId)).guest_email_problem).toBeNull()
    const page = await (await member.get(staffUrl)).text()
    const offerAt = page.indexOf('class="alert info small resend-offer"')
    expect(offerAt).toBeGreaterThan(0)
    expect(offerAt).toBeLessThan(page.indexOf('id="thread"'))
    expect(page).not.toContain('お客様のメールアドレスにメールが届きませんでした')
    expect(textOf(page)).toContain(
      '以前のアドレスにはメールが届きませんでした。最後の通知（No.2）を新しいアドレス taro.fixed@example.jp に再送できます。',
    )
    const eventId = resendForm(page)!
    expect(eventId).toBeTruthy()

    const sentBefore = testApp.mailer.sent.length
    const click = await member.post(`${staffUrl}/resend-notification`, { event_id: eventId })
    expect(click.status).toBe(303)
    const messageId = await messageIdOf(testApp, boardId, 2)
    const rows = await outboxRows(testApp, boardId)
    const resent = rows.filter((row) => row.idempotency_key === resendKey(messageId, eventId))
    expect(resent).toHaveLength(1)
    expect(JSON.parse(resent[0]!.payload)).toMatchObject({
      template: 'guest-notification',
      to: 'taro.fixed@example.jp',
    })
    await testApp.drain()
    const mails = testApp.mailer.sent.slice(sentBefore)
    expect(mails.map((mail) => mail.to)).toEqual(['taro.fixed@example.jp'])
    expect(mails[0]!.text).toContain('校正データ v2')

    // the offer is gone; the board says what happened
    const after = await (await member.get(staffUrl)).text()
    expect(after).not.toContain('resend-offer')
    expect(textOf(after)).toContain('No.2 の通知を taro.fixed@example.jp に再送しました')
  })

  it('never twice: a second click and a double click queue nothing more', async () => {
    const { testApp, member, staffUrl, boardId } = await bouncedBoard()
    await member.post(`${staffUrl}/details`, {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'taro.fixed@example.jp',
    })
    const eventId = resendForm(await (await member.get(staffUrl)).text())!
    const clicks = await Promise.all([
      member.post(`${staffUrl}/resend-notification`, { event_id: eventId }),
      member.post(`${staffUrl}/resend-notification`, { event_id: eventId }),
    ])
    expect(clicks.map((click) => click.status)).toEqual([303, 303])
    await member.post(`${staffUrl}/resend-notification`, { event_id: eventId })
    const resent = (await outboxRows(testApp, boardId)).filter((row) =>
      row.idempotency_key.includes('/resend-'),
    )
    expect(resent).toHaveLength(1)
    const lines = (await boardEvents(testApp, boardId)).filter(
      (event) => event.kind === 'notification_resent',
    )
    expect(lines).toHaveLength(1)
  })

  it('no offer when the old address had not bounced', async () => {
    const { member, staffUrl } = await boardWithApi()
    await member.post(`${staffUrl}/messages`, { body: '校正です。' })
    await member.post(`${staffUrl}/details`, {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'other@example.jp',
    })
    expect(await (await member.get(staffUrl)).text()).not.toContain('resend-offer')
  })

  it('a new post to the new address withdraws the offer (the customer has a newer email)', async () => {
    const { member, staffUrl } = await bouncedBoard()
    await member.post(`${staffUrl}/details`, {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'taro.fixed@example.jp',
    })
    expect(await (await member.get(staffUrl)).text()).toContain('resend-offer')
    await member.post(`${staffUrl}/messages`, { body: '改めてお送りします。' })
    expect(await (await member.get(staffUrl)).text()).not.toContain('resend-offer')
  })

  it('a fix through the API offers the same; a bounce of the re-sent email flags the board again', async () => {
    const { testApp, api, member, staffUrl, boardId } = await bouncedBoard()
    const patched = await api.request('PATCH', `/boards/${boardId}`, {
      customer_email: 'taro.api@example.jp',
    })
    expect(patched.status).toBe(200)
    const eventId = resendForm(await (await member.get(staffUrl)).text())!
    expect(eventId).toBeTruthy()
    await member.post(`${staffUrl}/resend-notification`, { event_id: eventId })
    await testApp.drain()
    const resent = (await outboxRows(testApp, boardId)).find((row) =>
      row.idempotency_key.includes('/resend-'),
    )!
    expect(resent.status).toBe('sent')
    await recordDelivery({ deps: testApp.deps, providerId: resent.provider_id!, status: 'bounced' })
    expect((await findBoard(testApp, boardId)).guest_email_problem).toBe('bounced')
  })

  it('fixing the fix carries the offer to the newest address; the older offer is not honoured', async () => {
    const { testApp, member, staffUrl, boardId } = await bouncedBoard()
    const fix = (email: string) =>
      member.post(`${staffUrl}/details`, {
        name: '名刺 100枚',
        customer_name: '山田 太郎',
        customer_email: email,
      })
    await fix('first.fix@example.jp')
    const stale = resendForm(await (await member.get(staffUrl)).text())!
    testApp.clock.advance(1000)
    await fix('second.fix@example.jp')
    await member.post(`${staffUrl}/resend-notification`, { event_id: stale })
    const resentRows = async () =>
      (await outboxRows(testApp, boardId)).filter((row) => row.idempotency_key.includes('/resend-'))
    expect(await resentRows()).toEqual([])
    const page = await (await member.get(staffUrl)).text()
    expect(textOf(page)).toContain('新しいアドレス second.fix@example.jp に再送できます')
    const fresh = resendForm(page)!
    expect(fresh).not.toBe(stale)
    await member.post(`${staffUrl}/resend-notification`, { event_id: fresh })
    const rows = await resentRows()
    expect(rows.map((row) => JSON.parse(row.payload).to)).toEqual(['second.fix@example.jp'])
  })
})
