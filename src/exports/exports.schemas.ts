import { z } from 'zod'
import { listBoardsSchema, statusSchema } from '../boards/boards.schemas'
import { BOARD_WARNINGS } from '../boards/boards.repository'
import { blankToUndefined, calendarDate } from '../shared/validation'

const flag = z.preprocess(
  (value) => value === '1' || value === 'on' || value === 'true',
  z.boolean(),
)

/** `utf-8` (with a BOM, the default) or Shift_JIS for older Excel; cp932 and sjis mean the same. */
export const csvEncodingSchema = z.preprocess(
  (value) => {
    const given = blankToUndefined(value)
    if (typeof given !== 'string') return given
    const name = given.toLowerCase()
    return ['cp932', 'sjis', 'shift-jis', 'windows-31j'].includes(name) ? 'shift_jis' : name
  },
  z.enum(['utf-8', 'shift_jis'], { error: 'field.invalid_choice' }).default('utf-8'),
)

/**
 * The member side's export query: the board list's own filters (status, q, due, warning) and/or
 * a period of local days (from, to; both included), the encoding, and for messages whether
 * internal notes are included.
 */
export const exportQuerySchema = listBoardsSchema
  .pick({ status: true, q: true, due: true, warning: true })
  .extend({
    from: z.preprocess(blankToUndefined, calendarDate.optional()),
    to: z.preprocess(blankToUndefined, calendarDate.optional()),
    encoding: csvEncodingSchema,
    internal: flag,
  })

/** The same for the API (`GET /api/v1/boards.csv`, `/messages.csv`): unknown keys are an error. */
export const apiExportQuery = z.strictObject({
  status: statusSchema.optional(),
  /** search in board name, customer, email and dedupe key, as the board list does */
  q: z.string().trim().max(200, { error: 'field.too_long' }).optional(),
  /** '1': only boards due today or overdue */
  due: flag.optional(),
  warning: z.enum(BOARD_WARNINGS, { error: 'field.invalid_choice' }).optional(),
  /** first local day (workspace time zone) of boards created / messages posted, included */
  from: calendarDate.optional(),
  /** last local day, included */
  to: calendarDate.optional(),
  encoding: csvEncodingSchema,
  /** messages.csv: '1' includes internal notes */
  internal: flag.optional(),
})
