import { z } from 'zod'
import { addDays, differenceInCalendarDays } from 'date-fns'
import type { FieldProblem } from '../shared/errors'

// A workspace's own closures (年末年始, お盆) are edited as text, one day or one range a line,
// and stored as a JSON array of 'YYYY-MM-DD' (workspaces.closed_days) that business-day
// counting skips. Dates are handled as UTC midnights so the host time zone never shifts them.

/** One range may span at most a year; the whole list at most this many days. */
const MAX_RANGE_DAYS = 366
export const MAX_CLOSED_DAYS = 1000
const MAX_LINES = 200

const DAY = String.raw`(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})`
const LINE = new RegExp(String.raw`^${DAY}(?:\s*(?:〜|~|–|—|\.\.|から|to|\s-\s)\s*${DAY})?$`, 'i')

function toDay(y: string, m: string, d: string): Date | null {
  const year = Number(y)
  const month = Number(m)
  const day = Number(d)
  if (year < 2000 || year > 2100) return null
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return date
}

const iso = (date: Date) => date.toISOString().slice(0, 10)

export type ClosedDaysParse = { ok: true; days: string[] } | { ok: false; problem: FieldProblem }

/**
 * Reads the settings textarea: blank lines and `#` comments are ignored, full-width digits are
 * accepted, `2026-12-29〜2027-01-03` (or `~`, `..`, ` - `, `to`) is a range, both ends included.
 * Returns the sorted, de-duplicated days, or the first line that cannot be read.
 */
export function parseClosedDaysText(text: string, field = 'closed_days'): ClosedDaysParse {
  const days = new Set<string>()
  const lines = text.normalize('NFKC').split(/\r\n|\r|\n/)
  if (lines.length > MAX_LINES) {
    return {
      ok: false,
      problem: { field, problem: 'field.closed_days_too_many', params: { max: MAX_CLOSED_DAYS } },
    }
  }
  for (const [index, raw] of lines.entries()) {
    const line = raw.replace(/#.*$/, '').trim()
    if (line === '') continue
    const bad = {
      ok: false as const,
      problem: {
        field,
        problem: 'field.closed_days_line' as const,
        params: { line: index + 1, text: line.slice(0, 40) },
      },
    }
    const match = LINE.exec(line)
    if (!match) return bad
    const start = toDay(match[1]!, match[2]!, match[3]!)
    const end = match[4] ? toDay(match[4], match[5]!, match[6]!) : start
    if (!start || !end) return bad
    const span = differenceInCalendarDays(end, start)
    if (span < 0 || span >= MAX_RANGE_DAYS) return bad
    for (let offset = 0; offset <= span; offset++) days.add(iso(addDays(start, offset)))
    if (days.size > MAX_CLOSED_DAYS) {
      return {
        ok: false,
        problem: { field, problem: 'field.closed_days_too_many', params: { max: MAX_CLOSED_DAYS } },
      }
    }
  }
  return { ok: true, days: [...days].sort() }
}

/** The stored list (JSON) back as textarea lines, consecutive days folded into ranges. */
export function formatClosedDays(days: readonly string[]): string {
  const lines: string[] = []
  let start: string | undefined
  let previous: string | undefined
  const flush = () => {
    if (start && previous) lines.push(start === previous ? start : `${start}〜${previous}`)
  }
  for (const day of [...days].sort()) {
    if (previous && iso(addDays(new Date(`${previous}T00:00:00Z`), 1)) === day) {
      previous = day
      continue
    }
    flush()
    start = day
    previous = day
  }
  flush()
  return lines.join('\n')
}

const STORED_DAY = /^\d{4}-\d{2}-\d{2}$/

/** The workspace's closure days from its JSON column; anything unreadable counts as none. */
export function closedDaysOf(workspace: { closed_days: string }): string[] {
  try {
    const parsed: unknown = JSON.parse(workspace.closed_days)
    return Array.isArray(parsed)
      ? parsed.filter((day): day is string => typeof day === 'string' && STORED_DAY.test(day))
      : []
  } catch {
    return []
  }
}

/**
 * The settings form field: textarea text in, the JSON column value out. Absent leaves the
 * column alone (forms and clients that do not know the field keep working).
 */
export const closedDaysField = z
  .string()
  .max(20_000, { error: 'field.too_long' })
  .transform((text, ctx) => {
    const parsed = parseClosedDaysText(text)
    if (parsed.ok) return JSON.stringify(parsed.days)
    ctx.addIssue({ code: 'custom', message: parsed.problem.problem, params: parsed.problem.params })
    return z.NEVER
  })
  .optional()
