import { z } from 'zod'
import { isPublicAddress, isRefusedName, literalAddress } from './webhooks.address'

export const WEBHOOK_EVENTS = [
  'message.created',
  'board.status_changed',
  'board.decided',
  'board.rated',
] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

/**
 * https only (the signature proves the sender, not secrecy). Plain http is allowed for
 * localhost only, and only when Orderboard itself runs on http (a developer's machine, tests).
 * Literal addresses must be public (webhooks.address.ts), and names that always stay local
 * (`localhost.`, `foo.localhost`, single labels) are refused here; what a name resolves to is
 * checked at registration and again at each delivery (`resolvedTargetProblem`), on Node.
 */
export function isAllowedWebhookUrl(value: string, allowLocalHttp: boolean): boolean {
  let url: URL
  try {
    url = new URL(value)
  } catch {
    return false
  }
  if (url.username || url.password) return false
  const host = url.hostname.toLowerCase()
  if (url.protocol === 'http:') return allowLocalHttp && isLocalDevHost(host)
  if (url.protocol !== 'https:') return false
  const literal = literalAddress(host)
  if (literal) return isPublicAddress(literal)
  return !isRefusedName(host)
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
      .refine((value) => isAllowedWebhookUrl(value, allowLocalHttp), {
        error: 'field.invalid_url',
      }),
    events: z
      .array(z.enum(WEBHOOK_EVENTS, { error: 'field.invalid_choice' }))
      .min(1, { error: 'field.required' }),
  })
