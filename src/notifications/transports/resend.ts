import {
  PermanentMailError,
  TransientMailError,
  UncertainMailError,
  type MailTransport,
} from '../../deps'
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

/** A fetch failure that certainly sent nothing: the connection was never made. */
function neverConnected(error: unknown): boolean {
  const code = String(
    (error as { cause?: { code?: unknown } } | undefined)?.cause?.code ??
      (error as { code?: unknown } | undefined)?.code ??
      '',
  )
  return /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)$/.test(code)
}

/**
 * Resend over plain fetch (Node and Workers alike). The outbox key goes in `Idempotency-Key`,
 * so a resend within Resend's 24-hour window is dropped by Resend: a timeout or a connection lost
 * mid-request is simply retried (marked `outcomeUnknown`, in case the outbox gives up on it).
 * 429 and 5xx are worth retrying (429 with its Retry-After); other 4xx are not. The two 409s of
 * idempotency (resend.com/docs/dashboard/emails/idempotency-keys): `concurrent_idempotent_requests`
 * — our earlier request with this key is still in progress — is retried; and
 * `invalid_idempotent_request` — this key was already used with another body — is an
 * UncertainMailError: an earlier version of this mail may well have gone out, and retrying the
 * key can never tell.
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
          undefined,
          { outcomeUnknown: !neverConnected(error) },
        )
      }
      const body = (await response.json().catch(() => ({}))) as {
        id?: unknown
        name?: unknown
        message?: unknown
      }
      if (response.ok && typeof body.id === 'string') return { providerId: body.id }
      if (response.ok) {
        // Accepted, but the answer is unreadable: the same key again returns Resend's first answer.
        throw new TransientMailError(`resend ${response.status} without an email id`, undefined, {
          outcomeUnknown: true,
        })
      }
      const detail = `resend ${response.status}${typeof body.name === 'string' ? ` ${body.name}` : ''}${
        typeof body.message === 'string' ? `: ${body.message.slice(0, 200)}` : ''
      }`
      if (response.status === 409 && body.name === 'concurrent_idempotent_requests') {
        // The same key is still being processed (our earlier attempt): ask again shortly.
        throw new TransientMailError(detail, 1_000, { outcomeUnknown: true })
      }
      if (response.status === 409 && body.name === 'invalid_idempotent_request') {
        // This key was already used with a different body (the message was edited or the link
        // reissued since an attempt whose answer we never heard): the customer may have the
        // earlier mail, or nothing. Only a person can tell; never recorded as sent.
        throw new UncertainMailError(
          `${detail} — an earlier attempt with this key may have been sent`,
        )
      }
      if (response.status === 429) {
        throw new TransientMailError(detail, parseRetryAfter(response.headers.get('retry-after')))
      }
      if (response.status >= 500) throw new TransientMailError(detail)
      throw new PermanentMailError(detail)
    },
  }
}
