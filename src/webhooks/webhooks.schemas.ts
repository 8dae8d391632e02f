import { z } from 'zod'
import { isLoopback, isPublicAddress, isRefusedName, literalAddress } from './webhooks.address'

export const WEBHOOK_EVENTS = [
  'message.created',
  'board.status_changed',
  'board.decided',
  'board.rated',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/** Why a webhook URL is refused, as an i18n key (and the host it names), or undefined. */
export type WebhookUrlProblem = {
  problem:
    | 'field.invalid_url'
    | 'field.webhook_https'
    | 'field.webhook_credentials'
    | 'field.webhook_loopback'
    | 'field.webhook_private'
    | 'field.webhook_local_name'
  host?: string
}

/**
 * https only (the signature proves the sender, not secrecy). Plain http is allowed for
 * localhost only, and only when Orderboard itself runs on http (a developer's machine, tests).
 * Literal addresses must be public (webhooks.address.ts), and names that always stay local
 * (`localhost.`, `foo.localhost`, single labels) are refused here; what a name resolves to is
 * checked at registration and again at each delivery (`resolvedTargetProblem`), on Node.
 * Returns the reason in words a member can act on: `https://127.0.0.1/` is refused because it
 * is the server itself, not because of its scheme.
 */
export function webhookUrlProblem(
  value: string,
  allowLocalHttp: boolean,
): WebhookUrlProblem | undefined {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return { problem: 'field.invalid_url' }
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return { problem: 'field.webhook_https' }
  if (url.username || url.password) return { problem: 'field.webhook_credentials' }
  const host = url.hostname.toLowerCase()
  if (url.protocol === 'http:') {
    return allowLocalHttp && isLocalDevHost(host) ? undefined : { problem: 'field.webhook_https' }
  }
  const literal = literalAddress(host)
  if (literal) {
    if (isPublicAddress(literal)) return undefined
    return {
      problem: isLoopback(literal) ? 'field.webhook_loopback' : 'field.webhook_private',
      host,
    }
  }
  if (isRefusedName(host)) {
    const loopbackName = host.replace(/\.$/, '').split('.').at(-1) === 'localhost'
    return { problem: loopbackName ? 'field.webhook_loopback' : 'field.webhook_local_name', host }
  }
  return undefined
}

/** Whether a webhook URL may be registered and called (see `webhookUrlProblem`). */
export function isAllowedWebhookUrl(value: string, allowLocalHttp: boolean): boolean {
  return webhookUrlProblem(value, allowLocalHttp) === undefined
}

/** The hosts plain-http webhooks may use in local development. */
export const isLocalDevHost = (host: string) =>
  host === 'localhost' || host === '127.0.0.1' || host === '[::1]'

export const webhookFormSchema = (allowLocalHttp: boolean) =>
  z.object({
    url: z
      .string({ error: 'field.required' })
      .trim()
      .min(1, { error: 'field.required' })
      .max(500, { error: 'field.too_long' })
      .superRefine((value, context) => {
        const found = webhookUrlProblem(value, allowLocalHttp)
        if (found)
          context.addIssue({
            code: 'custom',
            message: found.problem,
            params: { host: found.host ?? '' },
          })
      }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { error: 'field.invalid_choice' }))
      .min(1, { error: 'field.required' }),
  })
