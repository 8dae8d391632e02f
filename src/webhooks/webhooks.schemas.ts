import { z } from 'zod'
import { isPublicAddress, isRefusedName, literalAddress } from './webhooks.address'

export const WEBHOOK_EVENTS = [
  'message.created',
  'board.status_changed',
  'board.decided',
  'board.rated',
  'board.assigned',
  'board.tags_changed',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** Why a webhook URL is refused, as the i18n key the form shows. */
export type WebhookUrlProblem =
  | 'field.invalid_url'
  | 'field.webhook_scheme'
  | 'field.webhook_credentials'
  | 'field.webhook_private'
  | 'field.webhook_private_local'

/**
 * https only (the signature proves the sender, not secrecy). Plain http is allowed for
 * localhost only, and only when Orderboard itself runs on http (a developer's machine, tests).
 * Literal addresses must be public (webhooks.address.ts), and names that always stay local
 * (`localhost.`, `foo.localhost`, single labels) are refused here; what a name resolves to is
 * checked at registration and again at each delivery (`resolvedTargetProblem`), on Node.
 * Returns why a URL is refused, or undefined when it may be registered. A local https address
 * on a development machine gets its own reason: use http://localhost there.
 */
export function webhookUrlProblem(
  value: string,
  allowLocalHttp: boolean,
): WebhookUrlProblem | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return 'field.invalid_url'
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'field.webhook_scheme'
  if (url.username || url.password) return 'field.webhook_credentials'
  const host = url.hostname.toLowerCase()
  const literal = literalAddress(host)
  const local = literal ? !isPublicAddress(literal) : isRefusedName(host)
  if (url.protocol === 'http:') {
    if (allowLocalHttp && isLocalDevHost(host)) return undefined
    return local ? 'field.webhook_private' : 'field.webhook_scheme'
  }
  if (!local) return undefined
  return allowLocalHttp && (isLocalDevHost(host) || isLoopbackName(host))
    ? 'field.webhook_private_local'
    : 'field.webhook_private'
}

/** Whether a webhook URL may be registered (see `webhookUrlProblem`). */
export function isAllowedWebhookUrl(value: string, allowLocalHttp: boolean): boolean {
  return webhookUrlProblem(value, allowLocalHttp) === undefined
}

/** The hosts plain-http webhooks may use in local development. */
export const isLocalDevHost = (host: string) =>
  host === 'localhost' || host === '127.0.0.1' || host === '[::1]'

/** This machine under another spelling: `localhost.`, `*.localhost`, 127.x.x.x, ::1. */
const isLoopbackName = (host: string) => {
  const bare = host.replace(/\.$/, '')
  if (bare === 'localhost' || bare.endsWith('.localhost')) return true
  const literal = literalAddress(host)
  return literal !== undefined && /^(127\.|::1$|0:0:0:0:0:0:0:1$)/.test(literal)
}

export const webhookFormSchema = (allowLocalHttp: boolean) =>
  z.object({
    url: z
      .string({ error: 'field.required' })
      .trim()
      .min(1, { error: 'field.required' })
      .max(500, { error: 'field.too_long' })
      .superRefine((value, ctx) => {
        const problem = webhookUrlProblem(value, allowLocalHttp)
        if (problem) ctx.addIssue({ code: 'custom', message: problem })
      })
      // stored as the URL parser writes it: controls and spaces percent-encoded, host lower-case
      .transform((value) => new URL(value).href),
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { error: 'field.invalid_choice' }))
      .min(1, { error: 'field.required' }),
  })
