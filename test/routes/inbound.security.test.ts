import { afterEach, describe, expect, it, vi } from 'vitest'
import { svixSignature } from '../../src/inbound/inbound.svix'
import { replyAddress } from '../../src/inbound/inbound.address'
import { INBOUND_MAX_BYTES } from '../../src/inbound/inbound.routes'
import { createTestApp } from '../helpers/app'
import { findBoard, setupBoard } from './guest.helpers'
import { createInboundApp, postRaw, rawEmail, WEBHOOK_SECRET } from './inbound.helpers'

type App = ReturnType<typeof createInboundApp>

async function postWebhook(
  testApp: App,
  body: string,
  options: { id?: string; timestamp?: number; secret?: string; signature?: string } = {},
) {
  const id = options.id ?? 'msg_2abc'
  const timestamp = String(options.timestamp ?? Math.floor(testApp.clock.now().getTime() / 1000))
  const signature =
    options.signature ??
    (await svixSignature(options.secret ?? WEBHOOK_SECRET, id, timestamp, body))
  return testApp.app.request('/inbound/resend', {
    method: 'POST',
    headers: {
      'svix-id': id,
      'svix-timestamp': timestamp,
      'svix-signature': signature,
      'Content-Type': 'application/json',
    },
    body,
  })
}

/** Resend's API stand-in: the received email by id, then its raw MIME. */
function stubResend(raw: string) {
  const calls: string[] = []
  vi.stubGlobal('fetch', async (input: string | URL | Request) => {
    const url = String(input instanceof Request ? input.url : input)
    calls.push(url)
    if (url.includes('/emails/receiving/'))
      return Response.json({ object: 'email', raw: { download_url: 'https://cdn.test/raw/1' } })
    if (url === 'https://cdn.test/raw/1') return new Response(raw)
    return new Response('no', { status: 404 })
  })
  return calls
}

afterEach(() => {
  vi.unstubAllGlobals()
})

async function webhookApp() {
  const testApp = createInboundApp()
  testApp.deps.config = {
    ...testApp.deps.config,
    resendApiKey: 're_test',
    resendBaseUrl: 'https://resend.test',
  }
  const setup = await setupBoard({ testApp })
  const address = (await replyAddress(
    testApp.deps.config,
    await findBoard(testApp, setup.boardId),
  ))!
  return { ...setup, testApp, address }
}

const receivedEvent = (emailId = 'em_1') =>
  JSON.stringify({
    type: 'email.received',
    created_at: '2026-11-24T01:00:00Z',
    data: { email_id: emailId },
  })

describe('POST /inbound/resend (svix signature)', () => {
  it('accepts a good signature, fetches the mail and posts it; the same svix-id is not processed twice', async () => {
    const { testApp, address, boardId } = await webhookApp()
    const calls = stubResend(
      rawEmail({ to: address, messageId: 'wh-1@mail.example', body: 'メールで返信します' }),
    )
    const first = await postWebhook(testApp, receivedEvent())
    expect(first.status).toBe(200)
    expect(await first.json()).toEqual({ outcome: 'posted' })
    expect(calls).toEqual(['https://resend.test/emails/receiving/em_1', 'https://cdn.test/raw/1'])

    const replay = await postWebhook(testApp, receivedEvent())
    expect(await replay.json()).toEqual({ outcome: 'duplicate_delivery' })
    expect(calls).toHaveLength(2)
    // a new delivery id for the same mail is caught by the Message-ID
    const again = await postWebhook(testApp, receivedEvent(), { id: 'msg_other' })
    expect(await again.json()).toEqual({ outcome: 'duplicate' })
    const posts = await testApp.deps.db
      .selectFrom('messages')
      .select('body')
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'guest')
      .execute()
    expect(posts).toEqual([{ body: 'メールで返信します' }])
  })

  it('refuses a bad signature, a wrong secret and a tampered body with 401', async () => {
    const { testApp } = await webhookApp()
    const calls = stubResend('')
    expect((await postWebhook(testApp, receivedEvent(), { signature: 'v1,AAAA' })).status).toBe(401)
    expect(
      (
        await postWebhook(testApp, receivedEvent(), {
          secret: `whsec_${btoa('another-secret-value')}`,
        })
      ).status,
    ).toBe(401)
    const signed = await svixSignature(
      WEBHOOK_SECRET,
      'msg_x',
      String(Math.floor(testApp.clock.now().getTime() / 1000)),
      receivedEvent('em_1'),
    )
    expect(
      (await postWebhook(testApp, receivedEvent('em_2'), { id: 'msg_x', signature: signed }))
        .status,
    ).toBe(401)
    expect(calls).toEqual([])
  })

  it('refuses missing headers', async () => {
    const { testApp } = await webhookApp()
    const response = await testApp.app.request('/inbound/resend', {
      method: 'POST',
      body: receivedEvent(),
    })
    expect(response.status).toBe(401)
  })

  it('refuses a timestamp more than five minutes off, even correctly signed (replay later)', async () => {
    const { testApp } = await webhookApp()
    stubResend('')
    const now = Math.floor(testApp.clock.now().getTime() / 1000)
    const stale = await postWebhook(testApp, receivedEvent(), { timestamp: now - 301 })
    expect(stale.status).toBe(401)
    expect(await stale.json()).toEqual({ error: 'stale_timestamp' })
    expect((await postWebhook(testApp, receivedEvent(), { timestamp: now + 301 })).status).toBe(401)
  })

  it('accepts one good signature among several (secret rotation) and ignores other event types', async () => {
    const { testApp } = await webhookApp()
    const body = JSON.stringify({ type: 'email.opened', data: {} })
    const timestamp = String(Math.floor(testApp.clock.now().getTime() / 1000))
    const good = await svixSignature(WEBHOOK_SECRET, 'msg_r', timestamp, body)
    const response = await postWebhook(testApp, body, {
      id: 'msg_r',
      timestamp: Number(timestamp),
      signature: `v1,bogus ${good}`,
    })
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ outcome: 'ignored' })
  })

  it('answers 404 when no webhook secret is configured', async () => {
    const testApp = createTestApp()
    const response = await testApp.app.request('/inbound/resend', { method: 'POST', body: '{}' })
    expect(response.status).toBe(404)
  })
})

describe('POST /inbound/raw (bearer secret)', () => {
  it('refuses a missing or wrong secret', async () => {
    const { testApp, address } = await webhookApp()
    const raw = rawEmail({ to: address, body: 'x' })
    expect((await testApp.app.request('/inbound/raw', { method: 'POST', body: raw })).status).toBe(
      401,
    )
    expect((await postRaw(testApp, raw, 'wrong-secret')).status).toBe(401)
  })

  it('answers 413 above the size limit', async () => {
    const { testApp } = await webhookApp()
    const response = await postRaw(testApp, new Uint8Array(INBOUND_MAX_BYTES + 1))
    expect(response.status).toBe(413)
  })

  it('answers 404 when no inbound secret is configured', async () => {
    const testApp = createTestApp()
    expect((await postRaw(testApp, 'x')).status).toBe(404)
  })

  it('needs no CSRF token or Origin (it is not a browser form)', async () => {
    const { testApp, address } = await webhookApp()
    const response = await postRaw(testApp, rawEmail({ to: address, body: 'こんにちは' }))
    expect(response.status).toBe(200)
  })
})
