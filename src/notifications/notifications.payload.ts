import { z } from 'zod'

/**
 * What an email row carries. The email itself is rendered at send time from the ids (rows stay
 * small); what would change between attempts and alter the mail is frozen here, so a resend
 * after a crash is the same request and the provider's idempotency check recognises it.
 */
export const notificationPayloadSchema = z.discriminatedUnion('template', [
  z.object({
    template: z.literal('guest-notification'),
    to: z.string(),
    /** the board's expiry right after this post (later posts extend it) */
    expiresAt: z.number(),
    /** this post made the board 完了 while the workspace asks for ratings: the five links go in */
    askRating: z.boolean().optional(),
  }),
  z.object({
    template: z.literal('member-notification'),
    memberId: z.string(),
  }),
])
export type NotificationPayload = z.infer<typeof notificationPayloadSchema>

export function parsePayload(payload: string): NotificationPayload | undefined {
  try {
    const parsed = notificationPayloadSchema.safeParse(JSON.parse(payload))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}
