import { PermanentMailError, TransientMailError, type MailTransport } from '../../deps'
import { assertSafeMail } from '../mail-headers'

export interface ResendOptions {
  apiKey: string
  /** https://api.resend.com unless a test points it at a stand-in */
  baseUrl?: string
  timeoutMs?: number
  fetch?: typeof fetch
}

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  const at = Date.parse(trimmed)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/**
 * Resend over plain fetch (Node and Workers alike). The outbox key goes in `Idempotency-Key`,
 * so a resend after a crash within Resend's 24-hour window is dropped by Resend. 429 and 5xx
 * are worth retrying (429 with its Retry-After); other 4xx are not.
 */
export function createResendTransport(options: ResendOptions): MailTransport {
  const baseUrl = (options.baseUrl ?? 'https://api.resend.com').replace(/\/$/, '')
  const doFetch = options.fetch ?? fetch
  return {
    name: 'resend',
    async send(mail) {
      assertSafeMail(mail)
      let response: Response
      try {
        response = await doFetch(`${baseUrl}/emails`, {
          method: 'POST',
          headers: {
            Authorization: `Bearer ${options.apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': mail.idempotencyKey,
          },
          body: JSON.stringify({
            from: mail.from,
            to: [mail.to],
            subject: mail.subject,
            html: mail.html,
            text: mail.text,
            headers: mail.headers,
          }),
          signal: AbortSignal.timeout(options.timeoutMs ?? 20_000),
        })
      } catch (error) {
        throw new TransientMailError(
          `resend unreachable: ${error instanceof Error ? error.message : String(error)}`,
        )
      }
      const body = (await response.json().catch(() => ({}))) as {
        id?: unknown
        name?: unknown
        message?: unknown
      }
      if (response.ok && typeof body.id === 'string') return { providerId: body.id }
      const detail = `resend ${response.status}${typeof body.name === 'string' ? ` ${body.name}` : ''}${
        typeof body.message === 'string' ? `: ${body.message.slice(0, 200)}` : ''
      }`
      if (response.status === 409 && body.name === 'concurrent_idempotent_requests') {
        // The same key is still being processed (our earlier attempt): ask again shortly.
        throw new TransientMailError(detail, 1_000)
      }
      if (response.status === 409 && body.name === 'invalid_idempotent_request') {
        // This key was already accepted with a different body (the message was edited or the
        // link reissued since): the customer has the earlier mail. Sending again would double it.
        return { providerId: 'resend:already-accepted' }
      }
      if (response.status === 429) {
        throw new TransientMailError(detail, parseRetryAfter(response.headers.get('retry-after')))
      }
      if (response.status >= 500 || response.ok) throw new TransientMailError(detail)
      throw new PermanentMailError(detail)
    },
  }
}
