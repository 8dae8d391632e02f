// The Shop API's validators. The OpenAPI document (api.openapi.ts) is generated from these very
// schemas with z.toJSONSchema, so the documentation cannot drift from what is enforced.
// Strict objects: an unknown key is a 422, never silently ignored (a typo like `customer_mail`
// must not create a board without an email).
import { z } from 'zod'
import { BOARD_STATUSES } from '../boards/boards.rules'
import { createBoardSchema, LIMITS, statusSchema } from '../boards/boards.schemas'
import { validationError, type FieldProblem } from '../shared/errors'
import type { MessageKey } from '../shared/i18n'
import { calendarDate, clockTime, line, messageId, text } from '../shared/validation'

const bool = () => z.boolean({ error: 'field.invalid' })

export const isoDateTime = z.iso.datetime({ offset: true, error: 'field.invalid_datetime' })

const templateId = z
  .string({ error: 'field.invalid' })
  .min(1, { error: 'field.required' })
  .max(64, { error: 'field.too_long' })

/**
 * Whose name a staff message posted through the API carries for the customer: the member with
 * this email address, or (left out) the shop's own name. Never the API key's name.
 */
const authorEmail = z
  .string({ error: 'field.invalid' })
  .trim()
  .min(1, { error: 'field.required' })
  .max(254, { error: 'field.too_long' })
  .meta({
    description:
      "Post in this member's name (the email they sign in with); left out, the shop's name is shown",
  })

export const apiFirstMessageSchema = z
  .strictObject({
    body: text(LIMITS.messageBody),
    /** a template id of the workspace: its status is applied, like the composer's buttons */
    template: templateId.optional(),
    /** email the customer (default true) */
    notify: bool().default(true),
    author_email: authorEmail.optional(),
  })
  .meta({ description: 'A first staff message, posted with the board and mailed to the customer.' })

export const apiCreateBoardSchema = z.strictObject({
  // the same field validators as the member form (src/boards/boards.schemas.ts)
  name: createBoardSchema.shape.name,
  customer_name: createBoardSchema.shape.customer_name,
  customer_email: createBoardSchema.shape.customer_email,
  dedupe_key: line(LIMITS.dedupeKey).optional(),
  message_id: messageId.optional(),
  first_message: apiFirstMessageSchema.optional(),
  /** 担当者: a member id of this workspace, or null for none; absent lets round-robin pick */
  assignee_id: z.string().max(64, { error: 'field.invalid_choice' }).nullable().optional(),
})
export type ApiCreateBoardInput = z.infer<typeof apiCreateBoardSchema>

export const apiUpdateBoardSchema = z.strictObject({
  // Corrected details: each real change is noted on the board for members (a system line).
  name: createBoardSchema.shape.name.optional(),
  customer_name: createBoardSchema.shape.customer_name.optional(),
  /** a new address clears the bounce warning of the old one */
  customer_email: createBoardSchema.shape.customer_email.optional(),
  status: statusSchema.optional(),
  next_contact_on: calendarDate.nullable().optional(),
  next_contact_time: clockTime.nullable().optional(),
  /** the moment the customer's link stops working */
  expires_at: isoDateTime.optional(),
  /** true closes the board by hand, false reopens it */
  closed: bool().optional(),
  /** 担当者: a member id of this workspace, or null to unassign */
  assignee_id: z.string().max(64, { error: 'field.invalid_choice' }).nullable().optional(),
  tags: z
    .array(z.string().max(100, { error: 'field.too_long' }))
    .max(50, { error: 'field.too_long' })
    .optional()
    .meta({
      description:
        "The board's tags, replacing the ones it has (tag names, NFKC, case-insensitive; new names become tags of the workspace). [] removes them all.",
    }),
  category: z.string().max(100, { error: 'field.too_long' }).nullable().optional().meta({
    description:
      "The name of one of the workspace's categories (設定 → タグ), or null for none; an unknown name is a 422.",
  }),
})
export type ApiUpdateBoardInput = z.infer<typeof apiUpdateBoardSchema>

export const apiPostMessageSchema = z.strictObject({
  body: text(LIMITS.messageBody),
  author_email: authorEmail.optional(),
  /** an internal note: never shown or mailed to the customer */
  internal: bool().default(false),
  /** email the customer (default true; ignored for internal notes) */
  notify: bool().default(true),
  template: templateId.optional(),
  /** the public number (No.) this message confirms as the decision */
  decides_no: z
    .number({ error: 'field.invalid' })
    .int({ error: 'field.invalid' })
    .positive({ error: 'field.invalid' })
    .optional(),
  /** the next contact date; null sets none; left out, the date the text promises is taken */
  next_contact_on: calendarDate.nullable().optional(),
  next_contact_time: clockTime.optional(),
})
export type ApiPostMessageInput = z.infer<typeof apiPostMessageSchema>

const pageLimit = (max: number, fallback: number) =>
  z
    .string()
    .regex(/^\d{1,4}$/, { error: 'field.invalid' })
    .transform(Number)
    .pipe(z.number().int().min(1, { error: 'field.invalid' }).max(max, { error: 'field.invalid' }))
    .optional()
    .transform((value) => value ?? fallback)

export const apiListBoardsQuery = z.strictObject({
  status: statusSchema.optional(),
  dedupe_key: line(LIMITS.dedupeKey).optional(),
  /** boards changed at or after this moment (ISO 8601) */
  updated_since: isoDateTime.optional(),
  /** boards whose next contact date is before this date */
  next_contact_before: calendarDate.optional(),
  /** the list's search syntax (src/search/search.query.ts); message text includes internal notes */
  q: z.string().trim().max(200, { error: 'field.too_long' }).optional().meta({
    description:
      'The list\'s search syntax: words and "phrases", status:, assignee:none / assignee:@name, #tag, -#tag, category:name / category:none, after:, before:, created:, next:, is:, has:attachment, from:customer. A problem (unknown operator, tag or category) is a 422 naming it.',
  }),
  cursor: z.string().max(200, { error: 'field.too_long' }).optional(),
  limit: pageLimit(100, 50),
})

export const apiListMessagesQuery = z.strictObject({
  /** only messages after this sequence number (the `seq` of the last one you have) */
  after_seq: z
    .string()
    .regex(/^\d{1,9}$/, { error: 'field.invalid' })
    .transform(Number)
    .optional(),
  limit: pageLimit(500, 200),
})

// Response shapes, for the OpenAPI document (responses are built by api.present.ts).

export const apiBoardSchema = z.object({
  id: z.string(),
  name: z.string(),
  customer_name: z.string(),
  customer_email: z.string(),
  dedupe_key: z.string().nullable(),
  message_id: z.string().nullable(),
  status: z.enum(BOARD_STATUSES),
  closed: z.boolean(),
  next_contact_on: z.string().nullable(),
  next_contact_time: z.string().nullable(),
  expires_at: z.string(),
  decision_no: z.number().int().nullable(),
  last_no: z.number().int(),
  unanswered: z.boolean(),
  assignee_id: z
    .string()
    .nullable()
    .meta({ description: 'The member handling the board (担当者), or null' }),
  tags: z.array(z.string()).meta({ description: "The board's tag names (タグ), by name" }),
  category: z
    .string()
    .nullable()
    .meta({ description: "The board's category (カテゴリ) name, or null" }),
  last_activity_at: z.string(),
  rating: z
    .object({
      score: z.number().int().min(1).max(5),
      comment: z.string().nullable(),
      rated_at: z.string(),
    })
    .nullable()
    .meta({
      description:
        "The customer's rating once the board is done (1 very dissatisfied … 5 very satisfied, with an optional comment), or null. Changeable by the customer for 7 days after the first rating; rated_at is the latest change.",
    }),
  created_at: z.string(),
  updated_at: z.string(),
  staff_url: z.string().optional(),
  guest_url: z.string().optional(),
})

export const apiMessageSchema = z.object({
  id: z.string(),
  board_id: z.string(),
  no: z.number().int().nullable(),
  seq: z.number().int(),
  internal: z.boolean(),
  author_kind: z.enum(['member', 'guest', 'api']),
  author_name: z.string(),
  body: z.string(),
  decides_no: z.number().int().nullable(),
  created_at: z.string(),
  edited_at: z.string().nullable(),
})

export const apiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.array(z.object({ field: z.string(), problem: z.string(), code: z.string() })),
  }),
})

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input
  for (const part of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<PropertyKey, unknown>)[part]
  }
  return value
}

function toProblems(issue: z.core.$ZodIssue, input: unknown): FieldProblem[] {
  const path = issue.path.map(String).join('.')
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => ({
      field: path ? `${path}.${key}` : key,
      problem: 'field.unknown',
    }))
  }
  const field = path || 'body'
  if (issue.code === 'invalid_type') {
    const given = valueAt(input, issue.path)
    if (given === undefined && issue.path.length > 0) return [{ field, problem: 'field.required' }]
    return [{ field, problem: 'field.wrong_type', params: { expected: issue.expected } }]
  }
  const key = (issue.message.startsWith('field.') ? issue.message : 'field.invalid') as MessageKey
  const params: Record<string, string | number> = {}
  if (issue.code === 'too_big') params.max = Number(issue.maximum)
  if (issue.code === 'too_small') params.min = Number(issue.minimum)
  return [{ field, problem: key, params }]
}

/** Like parseInput, but names unknown keys one by one and tells a wrong type from a missing one. */
export function parseApiInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const seen = new Set<string>()
  const details = result.error.issues
    .flatMap((issue) => toProblems(issue, input))
    .filter((problem) => {
      if (seen.has(problem.field)) return false
      seen.add(problem.field)
      return true
    })
  throw validationError(details)
}

/** Settings → API keys form (also the CLI's --name). */
export const apiKeyFormSchema = z.object({
  name: line(100),
  scope: z.preprocess(
    (value) => (value === '' || value === undefined ? 'write' : value),
    z.enum(['read', 'write'], { error: 'field.invalid_choice' }),
  ),
})
