import { z } from 'zod'
import { LIMITS } from '../boards/boards.schemas'
import { text } from '../shared/validation'
import { attachmentIdsField } from '../attachments/attachments.schemas'

/** The customer's reply: the same rules as a staff message body. */
export const guestMessageSchema = z.object({
  body: text(LIMITS.messageBody),
  attachment_ids: attachmentIdsField,
  /** random per rendered form: a double tap or a resend after a timeout posts once */
  submit_key: z
    .string()
    .regex(/^[A-Za-z0-9_-]{16,64}$/)
    .optional(),
})
export type GuestMessageInput = z.infer<typeof guestMessageSchema>
