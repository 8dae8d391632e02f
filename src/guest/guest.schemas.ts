import { z } from 'zod'
import { LIMITS } from '../boards/boards.schemas'
import { text } from '../shared/validation'
import { attachmentIdsField } from '../attachments/attachments.schemas'

/** The customer's reply: the same rules as a staff message body. */
export const guestMessageSchema = z.object({
  body: text(LIMITS.messageBody),
  attachment_ids: attachmentIdsField,
})
export type GuestMessageInput = z.infer<typeof guestMessageSchema>
