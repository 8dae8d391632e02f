import { z } from 'zod'
import { LIMITS } from '../boards/boards.schemas'
import { text } from '../shared/validation'

/** The customer's reply: the same rules as a staff message body. */
export const guestMessageSchema = z.object({ body: text(LIMITS.messageBody) })
export type GuestMessageInput = z.infer<typeof guestMessageSchema>
