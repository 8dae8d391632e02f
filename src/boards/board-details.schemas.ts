import { z } from 'zod'
import { createBoardSchema } from './boards.schemas'

/** The side panel's "correct the details" form: the same field rules as creating a board. */
export const boardDetailsSchema = z.object({
  name: createBoardSchema.shape.name,
  customer_name: createBoardSchema.shape.customer_name,
  customer_email: createBoardSchema.shape.customer_email,
})
export type BoardDetailsInput = z.infer<typeof boardDetailsSchema>

/** The one-click re-send after a corrected address: which address change it answers. */
export const resendNotificationSchema = z.object({
  event_id: z
    .string({ error: 'field.required' })
    .min(1, { error: 'field.required' })
    .max(64, { error: 'field.invalid' }),
})
