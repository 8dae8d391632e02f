import { z } from 'zod'
import { RATING_COMMENT_MAX } from './ratings.rules'

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/

/** One point of the scale as a form sends it ("1" … "5"). */
export const ratingScoreField = z
  .string({ error: 'field.rating_choose' })
  .regex(/^[1-5]$/, { error: 'field.rating_choose' })
  .transform(Number)

/** The customer's rating form: a score and an optional comment (empty: none). */
export const ratingFormSchema = z.object({
  score: ratingScoreField,
  comment: z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : ''),
    z
      .string()
      .max(RATING_COMMENT_MAX, { error: 'field.too_long' })
      .refine((value) => !CONTROL_CHARS.test(value), { error: 'field.invalid' })
      .transform((value) => (value === '' ? null : value)),
  ),
})
export type RatingInput = z.output<typeof ratingFormSchema>
