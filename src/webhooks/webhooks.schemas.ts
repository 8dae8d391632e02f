import { z } from 'zod'

export const WEBHOOK_EVENTS = ['message.created', 'board.status_changed', 'board.decided'] as const
export type WebhookEvent = (typeof WEBHOOK_EVENTS)[number]

const PRIVATE_V4 =
  /^(10\.|127\.|0\.|169\.254\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/

/**
 * https only (the signature proves the sender, not secrecy). Plain http is allowed for
 * localhost only, and only when Orderboard itself runs on http (a developer's machine, tests).
 * Literal private and link-local addresses are refused so an endpoint cannot point the sender at
 * the shop's own network (a name that resolves there is the network's job to block).
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
  const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]'
  if (url.protocol === 'http:') return allowLocalHttp && local
  if (url.protocol !== 'https:') return false
  if (local || PRIVATE_V4.test(host) || host.startsWith('[')) return false
  return host.includes('.')
}

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
