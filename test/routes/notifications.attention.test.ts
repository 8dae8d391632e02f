// Mail whose fate is unknown (Resend's 409 invalid_idempotent_request, an SMTP connection lost
// after the message was sent, a last attempt that timed out): recorded as failed and needing
// attention, never as sent, never retried by itself; members see it on the board in Japanese and
// English and may send it again by hand, under a key of its own.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TransientMailError, UncertainMailError, type MailTransport } from '../../src/deps'
import { drainOutbox, OUTBOX_POLICY } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { createResendTransport } from '../../src/notifications/transports/resend'
import { startResendStandIn, type ResendStandIn } from '../contract/resend-standin'
import { createTestApp } from '../helpers/app'
import { setupBoard } from './guest.helpers'
import { outboxRows } from './notifications.helpers'

const HOUR = 60 * 60_000

async function boardWithMailer(
  mailer: (memory: MailTransport) => MailTransport,
  locale?: 'ja' | 'en',
) {
  const testApp = createTestApp()
  testApp.deps.mailer = mailer(testApp.mailer)
  const setup = await setupBoard({ testApp, locale })
  await setup.member.post(`${setup.staffUrl}/messages`, { body: '校正データをお送りします。' })
  await testApp.drain()
  const row = async () => (await outboxRows(testApp, setup.boardId))[0]!
  const panel = async () =>
    (await setup.member.get(`${setup.staffUrl}/notifications`, { 'HX-Request': 'true' })).text()
  return { ...setup, testApp, row, panel }
}

describe('a notification nobody can say was sent', () => {
  it('is failed and needs attention at once, and no drain ever tries it again', async () => {
    let calls = 0
    const { testApp, row } = await boardWithMailer(() => ({
      name: 'unsure',
      async send() {
        calls += 1
        throw new UncertainMailError('smtp: Connection closed unexpectedly — may have accepted it')
      },
    }))
    expect(await row()).toMatchObject({
      status: 'failed',
      needs_attention: 1,
      attempts: 1,
      provider_id: null,
      sent_at: null,
    })
    for (let i = 0; i < 5; i += 1) {
      testApp.clock.advance(HOUR)
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    }
    expect(calls).toBe(1)
    expect((await row()).status).toBe('failed')
  })

  it('a last attempt that may have reached the provider ends as needing attention, not failed', async () => {
    const { testApp, row } = await boardWithMailer(() => ({
      name: 'timing-out',
      send: () =>
        Promise.reject(
          new TransientMailError('resend unreachable: timeout', undefined, {
            outcomeUnknown: true,
          }),
        ),
    }))
    for (let i = 0; i < OUTBOX_POLICY.maxAttempts; i += 1) {
      testApp.clock.advance(HOUR)
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    }
    expect(await row()).toMatchObject({
      status: 'failed',
      needs_attention: 1,
      attempts: OUTBOX_POLICY.maxAttempts,
    })
  })

  it('a definite refusal stays a plain failure', async () => {
    const { row } = await boardWithMailer(() => ({
      name: 'refusing',
      send: () => Promise.reject(new TransientMailError('resend 503', undefined)),
    }))
    expect(await row()).toMatchObject({ status: 'pending', needs_attention: 0 })
  })
})

describe('members see it on the board and may send it again', () => {
  it('in Japanese: the warning, what to do, and a re-send under a key of its own', async () => {
    let unsure = true
    const { testApp, member, staffUrl, boardId, row, panel } = await boardWithMailer((memory) => ({
      name: 'unsure-once',
      async send(mail) {
        if (unsure) throw new UncertainMailError('resend 409 invalid_idempotent_request')
        return memory.send(mail)
      },
    }))
    const html = await panel()
    expect(html).toContain('メール通知の問題')
    expect(html).toContain('No.1 · お客様へ')
    expect(html).toContain('要確認：送信されたかどうか分かりません')
    expect(html).toContain('自動では再送しません')
    expect(html).toContain('二重に届くことがあります')
    expect(html).toContain('resend 409 invalid_idempotent_request')
    expect(html).toContain('class="needs-attention"')
    expect(html).toContain('もう一度送る')
    // the customer's latest emails: never "送信済み"
    expect(html).toContain('要確認（送信されたか不明）')
    expect(html).toContain('state-needs_attention')
    expect(html).not.toContain('送信済み')

    const first = await row()
    unsure = false
    const resent = await member.post(
      `${staffUrl}/notifications/${first.id}/retry`,
      {},
      { 'HX-Request': 'true' },
    )
    expect(resent.status).toBe(200)
    await testApp.drain()
    expect(await row()).toMatchObject({
      status: 'sent',
      needs_attention: 0,
      manual_resends: 1,
      attempts: 1,
    })
    // the provider sees a new key: the member chose to send it again
    expect(testApp.mailer.sent.map((mail) => mail.idempotencyKey)).toEqual([
      `${first.idempotency_key}/resend-1`,
    ])
    const after = await panel()
    expect(after).not.toContain('要確認')
    expect(after).toContain('送信済み')
    expect((await outboxRows(testApp, boardId))[0]!.idempotency_key).toBe(first.idempotency_key)
  })

  it('in English', async () => {
    const { panel } = await boardWithMailer(
      () => ({
        name: 'unsure',
        send: () => Promise.reject(new UncertainMailError('smtp: connection lost after DATA')),
      }),
      'en',
    )
    const html = await panel()
    expect(html).toContain('Needs attention: it may or may not have been sent')
    expect(html).toContain('It is not sent again automatically')
    expect(html).toContain('it may arrive twice')
    expect(html).toContain('Needs attention (may not have been sent)')
    expect(html).toContain('Send again')
    expect(html).not.toContain('>Sent<')
  })

  it('a plain failure is retried by hand under the same key (the provider dedupes it)', async () => {
    let refuse = true
    const { testApp, member, staffUrl, row } = await boardWithMailer((memory) => ({
      name: 'refusing-once',
      async send(mail) {
        if (refuse) throw new UncertainMailError('x')
        return memory.send(mail)
      },
    }))
    // turned into a plain failure, as a 422 would leave it
    await testApp.deps.db.updateTable('outbox').set({ needs_attention: 0 }).execute()
    refuse = false
    const first = await row()
    await member.post(`${staffUrl}/notifications/${first.id}/retry`, {})
    await testApp.drain()
    expect(await row()).toMatchObject({ status: 'sent', manual_resends: 0 })
    expect(testApp.mailer.sent.map((mail) => mail.idempotencyKey)).toEqual([first.idempotency_key])
  })
})

describe('through the Resend transport: 409 invalid_idempotent_request', () => {
  let standIn: ResendStandIn
  beforeAll(async () => {
    standIn = await startResendStandIn()
  })
  afterAll(async () => {
    await standIn.close()
  })

  it('is never recorded as sent; a member re-sends it and Resend takes the new key', async () => {
    const testApp = createTestApp()
    const resend = createResendTransport({ apiKey: standIn.apiKey, baseUrl: standIn.url })
    testApp.deps.mailer = resend
    // the first attempt's answer is lost; Resend has the key (with the body as it was then)
    const { member, staffUrl, boardId } = await setupBoard({ testApp })
    testApp.deps.mailer = {
      name: 'resend',
      send: () => Promise.reject(new TransientMailError('resend unreachable: timeout')),
    }
    await member.post(`${staffUrl}/messages`, { body: '第1稿です。' })
    await testApp.drain()
    const [waiting] = await outboxRows(testApp, boardId)
    await resend.send({
      from: testApp.deps.config.mailFrom,
      to: 'yamada@example.jp',
      subject: 'チャットボード通知',
      html: '<p>第1稿（編集前）</p>',
      text: '第1稿（編集前）',
      headers: {},
      idempotencyKey: waiting!.idempotency_key,
    })
    expect(standIn.deliveries).toHaveLength(1)

    // the retry carries today's body under the same key: 409 invalid_idempotent_request
    testApp.deps.mailer = resend
    testApp.clock.advance(HOUR)
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    const [unsure] = await outboxRows(testApp, boardId)
    expect(unsure).toMatchObject({ status: 'failed', needs_attention: 1, provider_id: null })
    expect(unsure!.last_error).toMatch(/^resend 409 invalid_idempotent_request/)
    expect(standIn.deliveries).toHaveLength(1)

    await member.post(`${staffUrl}/notifications/${unsure!.id}/retry`, {})
    await testApp.drain()
    const [sent] = await outboxRows(testApp, boardId)
    expect(sent).toMatchObject({ status: 'sent', needs_attention: 0 })
    expect(standIn.deliveries).toHaveLength(2)
    expect(standIn.deliveries[1]!.idempotencyKey).toBe(`${waiting!.idempotency_key}/resend-1`)
    expect(sent!.provider_id).toBe(standIn.deliveries[1]!.id)
  })
})
