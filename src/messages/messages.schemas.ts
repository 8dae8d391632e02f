import { z } from 'zod'
import { LIMITS } from '../boards/boards.schemas'
import { attachmentIdsField } from '../attachments/attachments.schemas'
import { blankToUndefined, calendarDate, clockTime, text } from '../shared/validation'

const checkbox = z.preprocess(
  (value) => value === '1' || value === 'on' || value === 'true' || value === true,
  z.boolean(),
)

export const postMessageSchema = z.object({
  body: text(LIMITS.messageBody),
  internal: checkbox,
  template_id: z.preprocess(blankToUndefined, z.string().max(64).optional()),
  decides_no: z.preprocess(
    blankToUndefined,
    z.coerce.number({ error: 'field.invalid' }).int().positive().optional(),
  ),
  /** skip the customer email for a small correction */
  silent: checkbox,
  next_contact_on: z.preprocess(blankToUndefined, calendarDate.optional()),
  next_contact_time: z.preprocess(blankToUndefined, clockTime.optional()),
  next_contact_phrase: z.preprocess(blankToUndefined, z.string().max(200).optional()),
  /** finished uploads to send with the message (comma-separated ids) */
  attachment_ids: attachmentIdsField,
})
export type PostMessageInput = z.infer<typeof postMessageSchema>

export const editMessageSchema = z.object({ body: text(LIMITS.messageBody) })
