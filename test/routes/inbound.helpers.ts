import { createTestApp, testConfig } from '../helpers/app'

export const INBOUND_DOMAIN = 'in.orderboard.test'
export const INBOUND_SECRET = 'inbound-secret-inbound-secret-123'
// whsec_ + base64 of 24 bytes, as Resend gives it
export const WEBHOOK_SECRET = `whsec_${Buffer.from('resend-webhook-secret-24').toString('base64')}`

/** A test app with inbound mail configured. */
export function createInboundApp() {
  return createTestApp({
    config: {
      ...testConfig,
      inboundDomain: INBOUND_DOMAIN,
      inboundSecret: INBOUND_SECRET,
      resendWebhookSecret: WEBHOOK_SECRET,
    },
  })
}

/** A plain UTF-8 email as an MTA would hand it over. */
export function rawEmail(options: {
  from?: string
  to: string
  messageId?: string
  inReplyTo?: string
  subject?: string
  body: string
  headers?: string[]
  attachment?: { name: string; type: string; content: string }
}) {
  const head = [
    `From: ${options.from ?? 'Yamada <yamada@example.jp>'}`,
    `To: ${options.to}`,
    `Subject: ${options.subject ?? 'Re: notification'}`,
    'Date: Tue, 24 Nov 2026 11:00:00 +0900',
    options.messageId === ''
      ? undefined
      : `Message-ID: <${options.messageId ?? `${Math.random().toString(36).slice(2)}@mail.example`}>`,
    options.inReplyTo ? `In-Reply-To: ${options.inReplyTo}` : undefined,
    'MIME-Version: 1.0',
    ...(options.headers ?? []),
  ].filter((line): line is string => line !== undefined)
  const text = `Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n${Buffer.from(options.body).toString('base64')}\r\n`
  if (!options.attachment) return `${head.join('\r\n')}\r\n${text}`
  const boundary = 'b-inbound-test'
  return (
    `${head.join('\r\n')}\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
    `--${boundary}\r\n${text}--${boundary}\r\n` +
    `Content-Type: ${options.attachment.type}\r\nContent-Disposition: attachment; filename="${options.attachment.name}"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
    `${Buffer.from(options.attachment.content).toString('base64')}\r\n--${boundary}--\r\n`
  )
}

/** POST /inbound/raw with the shared secret. */
export function postRaw(
  testApp: { app: { request: (path: string, init: RequestInit) => Response | Promise<Response> } },
  raw: string | Uint8Array,
  secret = INBOUND_SECRET,
) {
  return testApp.app.request('/inbound/raw', {
    method: 'POST',
    headers: { Authorization: `Bearer ${secret}`, 'Content-Type': 'message/rfc822' },
    body: raw as BodyInit,
  })
}
