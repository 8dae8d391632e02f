import { z } from 'zod'
import { blankToUndefined, calendarDate } from '../shared/validation'

/** The statistics page's period: this week, this month (the default) or custom local days. */
export const statisticsQuerySchema = z.object({
  period: z.preprocess(
    blankToUndefined,
    z.enum(['week', 'month', 'custom'], { error: 'field.invalid_choice' }).default('month'),
  ),
  from: z.preprocess(blankToUndefined, calendarDate.optional()),
  to: z.preprocess(blankToUndefined, calendarDate.optional()),
  /** narrow the page to the boards assigned now to this member (their id); blank: all boards */
  member: z.preprocess(
    blankToUndefined,
    z.string().max(64, { error: 'field.invalid_choice' }).optional(),
  ),
  /** narrow the page to the boards in this category / with this tag now (ids); blank: all */
  category: z.preprocess(
    blankToUndefined,
    z.string().max(64, { error: 'field.invalid_choice' }).optional(),
  ),
  tag: z.preprocess(
    blankToUndefined,
    z.string().max(64, { error: 'field.invalid_choice' }).optional(),
  ),
})
