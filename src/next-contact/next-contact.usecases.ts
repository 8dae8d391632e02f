import { createDigestRepository } from './digest.repository'
import type { BoardRow, MessageRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { getBoard } from '../boards/boards.usecases'
import { LIMITS } from '../boards/boards.schemas'
import { notFound, type FieldProblem } from '../shared/errors'
import { calendarDate, clockTime } from '../shared/validation'
import { intervalsOn, type BusinessHours } from '../business-hours/business-hours'
import { loadBusinessHours } from '../business-hours/business-hours.usecases'
import { closedDaysOf } from './closed-days'
import { defaultBusinessCalendar } from './business-days'
import { findDateContradictions, type DateContradiction } from './contradictions'
import { extractNextContact, type NextContact } from './extract'

/**
 * What the member chose in the composer: `auto` takes the date the text gives (the default),
 * `manual` keeps the date and time the member typed, `none` sets no date with this message.
 */
export type ComposerMode = 'auto' | 'manual' | 'none'

export const composerMode = (value: unknown): ComposerMode =>
  value === 'manual' || value === 'none' ? value : 'auto'

/** The message text as it will be stored (the schema trims and folds CRLF the same way). */
const storedBody = (body: string) =>
  body.replace(/\r\n?/g, '\n').trim().slice(0, LIMITS.messageBody)

/**
 * Could `text` count business days (営業日, business/working days)? A superset of what the
 * grammar reads (grammar.ts, the 営業日 and "business day" rules): when false, no calendar is
 * consulted while reading it.
 */
export function mentionsBusinessDays(text: string): boolean {
  return /営業|business|working/i.test(text.normalize('NFKC'))
}

/**
 * The calendar to read `text` with: the workspace's business hours (one read of its settings)
 * when the reading consults them — the text speaks of business days, or (`checkDates`, the
 * composer's box) every date in it is checked against the shop's closed days — else the default
 * one with the workspace's closed days, which such a reading never consults: an empty composer
 * and most sent messages cost no read.
 */
export async function calendarFor({
  deps,
  workspace,
  text,
  checkDates = false,
}: {
  deps: Pick<Deps, 'db'>
  workspace: Workspace
  text: string
  checkDates?: boolean
}): Promise<BusinessHours> {
  const consulted = checkDates ? text.trim() !== '' : mentionsBusinessDays(text)
  if (!consulted) return defaultBusinessCalendar(new Set(closedDaysOf(workspace)))
  return loadBusinessHours({ deps, workspace })
}

/**
 * The date a staff message promises, in the workspace's time zone; business days (営業日) are
 * the days of the workspace's calendar (`loadBusinessHours`: its week, closed days, holidays).
 */
export function readNextContact({
  body,
  workspace,
  now,
  calendar,
}: {
  body: string
  workspace: Workspace
  now: Date
  calendar: BusinessHours
}): NextContact | null {
  const text = storedBody(body)
  if (text === '') return null
  return extractNextContact(text, { now, timeZone: workspace.time_zone, calendar })
}

export interface NextContactPreview {
  mode: ComposerMode
  /** the body has some text */
  hasText: boolean
  /** what the text promises (auto mode), with the phrase that says it */
  found: NextContact | null
  /** the values the composer sends with the message */
  on: string | null
  time: string | null
  phrase: string | null
  /** the board's date now, which a message without a date leaves alone */
  current: { on: string | null; time: string | null }
  problems: FieldProblem[]
  /** dates in the text that contradict themselves (a wrong weekday, a promise on a closed day) */
  contradictions: DateContradiction[]
}

const field = (form: Record<string, string>, name: string) => (form[name] ?? '').trim()

/**
 * The composer's next-contact state from its form fields. Pure: the preview route and the send
 * path compute the same thing from the same fields, so what was shown is what gets saved.
 */
export function composeNextContact({
  form,
  workspace,
  board,
  now,
  calendar,
  checkDates = true,
}: {
  form: Record<string, string>
  workspace: Workspace
  board: Pick<BoardRow, 'next_contact_on' | 'next_contact_time'>
  now: Date
  /** the workspace's business days (`loadBusinessHours`) */
  calendar: BusinessHours
  /** list the dates that contradict themselves (the preview; the send path needs none) */
  checkDates?: boolean
}): NextContactPreview {
  const mode = composerMode(form.next_contact_mode)
  const body = form.body ?? ''
  const text = storedBody(body)
  const base = {
    mode,
    hasText: body.trim() !== '',
    found: null,
    on: null,
    time: null,
    phrase: null,
    current: { on: board.next_contact_on, time: board.next_contact_time },
    problems: [],
    // Whatever the mode, a date that says two things is worth a look before sending.
    contradictions:
      text && checkDates
        ? findDateContradictions(text, {
            now,
            timeZone: workspace.time_zone,
            calendar,
            isClosedDay: (day: string) => intervalsOn(calendar, day).length === 0,
          })
        : [],
  }
  if (mode === 'none') return base
  if (mode === 'manual') {
    const on = field(form, 'next_contact_on')
    const time = field(form, 'next_contact_time')
    const problems: FieldProblem[] = []
    if (on && !calendarDate.safeParse(on).success)
      problems.push({ field: 'next_contact_on', problem: 'field.invalid_date' })
    if (time && !clockTime.safeParse(time).success)
      problems.push({ field: 'next_contact_time', problem: 'field.invalid_time' })
    return { ...base, on: on || null, time: on && time ? time : null, problems }
  }
  const found = readNextContact({ body, workspace, now, calendar })
  if (!found) return base
  return { ...base, found, on: found.date, time: found.time ?? null, phrase: found.text }
}

/**
 * The preview for one board's composer, read with the shop's calendar (business hours, closed
 * days, holidays: 営業日 and the closed-day check); a board of another workspace is a 404.
 */
export async function previewNextContact({
  deps,
  workspace,
  boardId,
  form,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  form: Record<string, string>
}): Promise<NextContactPreview> {
  const [board, calendar] = await Promise.all([
    getBoard({ deps, workspace, boardId }),
    calendarFor({ deps, workspace, text: form.body ?? '', checkDates: true }),
  ])
  return composeNextContact({ form, workspace, board, now: deps.clock.now(), calendar })
}

/**
 * The staff composer's fields as the message schema reads them: in `auto` mode the date is taken
 * again from the text being sent (a member who sends before the preview caught up still gets
 * the date the text says), `manual` keeps the member's date without a phrase, `none` sends no
 * date. A form without a mode (older pages, scripts) is passed through untouched.
 */
export function resolveComposerNextContact({
  form,
  workspace,
  now,
  calendar,
}: {
  form: Record<string, string>
  workspace: Workspace
  now: Date
  calendar: BusinessHours
}): Record<string, string> {
  if (form.next_contact_mode === undefined) return form
  const resolved = composeNextContact({
    form,
    workspace,
    board: { next_contact_on: null, next_contact_time: null },
    now,
    calendar,
    checkDates: false,
  })
  const {
    next_contact_on: _on,
    next_contact_time: _time,
    next_contact_phrase: _phrase,
    next_contact_mode: _mode,
    ...rest
  } = form
  if (resolved.mode === 'manual') {
    // Invalid manual values go through as typed so the schema reports them on the right field.
    return {
      ...rest,
      next_contact_on: form.next_contact_on ?? '',
      next_contact_time: form.next_contact_time ?? '',
    }
  }
  if (!resolved.on) return rest
  return {
    ...rest,
    next_contact_on: resolved.on,
    next_contact_time: resolved.time ?? '',
    next_contact_phrase: resolved.phrase ?? '',
  }
}

/** A message's next contact columns: all null when it sets no date. */
export interface MessageNextContact {
  on: string | null
  time: string | null
  phrase: string | null
}

/**
 * The next contact date an edited staff message carries, or null to keep what it has.
 *
 * The new text is read at the instant the message was first posted (`created_at`): its relative
 * words (明日, next Friday, 2時間後) meant that day when the customer read them, so an edit that
 * leaves the promise alone leaves the date alone, and one that changes it moves the date the
 * same way the composer would have. A date the member set by hand (a date without a phrase) is
 * kept, and so is "no date" when the old text did give one (the member cleared it on purpose).
 */
export function rereadNextContact({
  message,
  body,
  workspace,
  calendar,
}: {
  message: Pick<
    MessageRow,
    'body' | 'created_at' | 'next_contact_on' | 'next_contact_time' | 'next_contact_phrase'
  >
  body: string
  workspace: Workspace
  /** the workspace's business days (`loadBusinessHours`) */
  calendar: BusinessHours
}): MessageNextContact | null {
  const now = new Date(message.created_at)
  if (message.next_contact_on && !message.next_contact_phrase) return null
  if (!message.next_contact_on && readNextContact({ body: message.body, workspace, now, calendar }))
    return null
  const found = readNextContact({ body, workspace, now, calendar })
  const next: MessageNextContact = found
    ? { on: found.date, time: found.time ?? null, phrase: found.text }
    : { on: null, time: null, phrase: null }
  const same =
    next.on === message.next_contact_on &&
    next.time === message.next_contact_time &&
    next.phrase === message.next_contact_phrase
  return same ? null : next
}

/** Each member's own switch for the daily digest. */
export async function setDigestEnabled({
  deps,
  workspace,
  memberId,
  enabled,
}: {
  deps: Deps
  workspace: Workspace
  memberId: string
  enabled: boolean
}) {
  if (!(await createDigestRepository(deps).setEnabled(workspace.id, memberId, enabled)))
    throw notFound()
}
