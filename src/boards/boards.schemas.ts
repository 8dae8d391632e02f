import { z } from 'zod'
import { BOARD_STATUSES } from './boards.rules'
import { BOARD_WARNINGS } from './boards.repository'
import {
  blankToUndefined,
  calendarDate,
  clockTime,
  email,
  line,
  messageId,
  optionalLine,
} from '../shared/validation'

export const LIMITS = {
  boardName: 200,
  customerName: 100,
  dedupeKey: 200,
  messageBody: 20_000,
} as const

export const createBoardSchema = z.object({
  name: line(LIMITS.boardName),
  customer_name: line(LIMITS.customerName),
  customer_email: email,
  dedupe_key: optionalLine(LIMITS.dedupeKey),
  message_id: z.preprocess(blankToUndefined, messageId.optional()),
})
export type CreateBoardInput = z.infer<typeof createBoardSchema>

export const statusSchema = z.enum(BOARD_STATUSES, { error: 'field.invalid_status' })

/** The side panel: each field optional, an empty date clears it. */
export const updateBoardSchema = z.object({
  status: z.preprocess(blankToUndefined, statusSchema.optional()),
  next_contact_on: z.preprocess(
    (value) => (value === '' ? null : value),
    calendarDate.nullable().optional(),
  ),
  next_contact_time: z.preprocess(
    (value) => (value === '' ? null : value),
    clockTime.nullable().optional(),
  ),
  expires_on: z.preprocess(blankToUndefined, calendarDate.optional()),
  /** 担当者: a member's id, "me" (who sends it) or "none" */
  assignee: z.preprocess(
    blankToUndefined,
    z.string().max(64, { error: 'field.invalid_choice' }).optional(),
  ),
  /** カテゴリ: one of the workspace's category ids, or "none" */
  category: z.preprocess(
    blankToUndefined,
    z.string().max(64, { error: 'field.invalid_choice' }).optional(),
  ),
})
export type UpdateBoardInput = z.infer<typeof updateBoardSchema>

export const listBoardsSchema = z.object({
  status: z.preprocess(blankToUndefined, statusSchema.optional()),
  q: z.preprocess(
    blankToUndefined,
    z.string().trim().max(200, { error: 'field.too_long' }).optional(),
  ),
  sort: z.preprocess(blankToUndefined, z.enum(['activity', 'next_contact']).default('activity')),
  due: z.preprocess((value) => value === '1' || value === 'on' || value === 'true', z.boolean()),
  warning: z.preprocess(
    blankToUndefined,
    z.enum(BOARD_WARNINGS, { error: 'field.invalid_choice' }).optional(),
  ),
  cursor: z.preprocess(blankToUndefined, z.string().max(200).optional()),
})

/** Deleting a board: the form's "I understand" box must be ticked. */
export const deleteBoardSchema = z.object({
  confirm: z.literal('1', { error: 'field.confirm_required' }),
})

/**
 * A bulk action from the list (issue #17.6): the ticked boards (`ids`) or, with `all`, every
 * board the list's filters (`filters`, the list's query string) match; the action's value comes
 * from its own field (assignee, status_to, tag, category).
 */
export const bulkFormSchema = z.object({
  action: z.enum(['assign', 'status', 'add_tag', 'remove_tag', 'category', 'close'], {
    error: 'field.invalid_choice',
  }),
  ids: z.array(z.string().max(64)).max(5000, { error: 'field.too_long' }).default([]),
  all: z.preprocess((value) => value === '1' || value === 'on', z.boolean()),
  filters: z.string().max(1000, { error: 'field.too_long' }).default(''),
  assignee: z.string().max(64).optional(),
  status_to: z.string().max(32).optional(),
  tag: z.string().max(200).optional(),
  category: z.string().max(64).optional(),
})
