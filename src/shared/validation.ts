import { z } from 'zod'
import { validationError, type FieldProblem } from './errors'
import type { MessageKey } from './i18n'
import { isDeliverableAddress } from './email-address'

// Schemas carry i18n keys as their messages, so one schema gives Japanese and English errors.

const CONTROL_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/
const LINE_BREAKS = /[\r\n\u2028\u2029]/

/**
 * Bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069; Unicode UAX #9). In a
 * one-line name they only serve to make text read differently than it is stored
 * (`invoice\u202Efdp.exe` shows as "invoiceexe.pdf"), so they are removed from such fields and
 * from mail headers; views still isolate every user text (`<bdi>`, `dir="auto"`).
 */
export const BIDI_CONTROLS = /[\u202a-\u202e\u2066-\u2069]/g

/** The text without bidi embeddings, overrides and isolates. */
export const withoutBidiControls = (value: string) => value.replace(BIDI_CONTROLS, '')

/**
 * A one-line text field: bidi controls removed, trimmed, required, no control characters or
 * line breaks.
 */
export const line = (max: number) =>
  z
    .string({ error: 'field.required' })
    .transform((value) => withoutBidiControls(value).trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'field.required' })
        .max(max, { error: 'field.too_long' })
        .refine((value) => !CONTROL_CHARS.test(value) && !LINE_BREAKS.test(value), {
          error: 'field.invalid',
        }),
    )

export const optionalLine = (max: number) =>
  z.preprocess(
    (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
    line(max).optional(),
  )

/** Multi-line text: trimmed, line breaks kept, other control characters refused. */
export const text = (max: number) =>
  z
    .string({ error: 'field.required' })
    .transform((value) => value.replace(/\r\n?/g, '\n').trim())
    .pipe(
      z
        .string()
        .min(1, { error: 'field.required' })
        .max(max, { error: 'field.too_long' })
        .refine((value) => !CONTROL_CHARS.test(value), { error: 'field.invalid' }),
    )

/**
 * An email address as a mail server takes it (src/shared/email-address.ts): the form, the Shop
 * API and inbound mail apply this same rule.
 */
export const email = z
  .string({ error: 'field.required' })
  .trim()
  .min(1, { error: 'field.required' })
  .max(254, { error: 'field.too_long' })
  .pipe(
    z
      .email({ error: 'field.invalid_email' })
      .refine(isDeliverableAddress, { error: 'field.invalid_email' }),
  )

export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'field.invalid_date' })
  .refine(
    (value) => {
      const date = new Date(`${value}T00:00:00Z`)
      return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value)
    },
    { error: 'field.invalid_date' },
  )

export const clockTime = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'field.invalid_time' })

/** An RFC 5322 msg-id: `<left@right>` without spaces, angle brackets or line breaks inside. */
export const messageId = z
  .string()
  .trim()
  .max(250, { error: 'field.too_long' })
  .regex(/^<[^<>\s@]+@[^<>\s@]+>$/, { error: 'field.invalid_message_id' })

/** Empty form fields mean "not given". */
export const blankToUndefined = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value

function toProblem(issue: z.core.$ZodIssue): FieldProblem {
  const field = issue.path.map(String).join('.') || 'body'
  const key = (issue.message.startsWith('field.') ? issue.message : 'field.invalid') as MessageKey
  const params: Record<string, string | number> = {}
  if (issue.code === 'too_big') params.max = Number(issue.maximum)
  if (issue.code === 'too_small') params.min = Number(issue.minimum)
  // A custom check can name what was wrong (the line of a textarea, say) for the message.
  if (issue.code === 'custom' && issue.params) Object.assign(params, issue.params)
  return { field, problem: key, params }
}

/** Parses input or throws a 422 AppError whose details name each field and its problem. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const seen = new Set<string>()
  const details = result.error.issues.map(toProblem).filter((problem) => {
    if (seen.has(problem.field)) return false
    seen.add(problem.field)
    return true
  })
  throw validationError(details)
}
