import holidayJp from '@holiday-jp/holiday_jp'
import { TZDate } from '@date-fns/tz'

// A shop's opening hours, answered in its own time zone. Everything that asks "are we open",
// "when do we open next" or "how many working minutes passed" (automatic answers, next-contact
// business days, statistics) goes through this one module, so the three never disagree.
//
// Local calendar days are handled as 'YYYY-MM-DD' strings and minutes from local midnight;
// instants are built with TZDate only at interval edges, so a DST zone's short and long days
// count their real elapsed minutes (a 02:00–03:00 gap that does not exist counts 0).

/** Minutes from local midnight: [open, close), 0 ≤ open < close ≤ 1440. */
export type OpeningInterval = readonly [open: number, close: number]

/**
 * A workspace's business hours.
 * - `week[d]` lists the opening intervals of weekday d (0 = Sunday … 6 = Saturday), sorted and
 *   not overlapping; an empty list is a closed weekday.
 * - `closedDays` are the workspace's own closures (年末年始, お盆) as local 'YYYY-MM-DD'.
 * - `japaneseHolidays`: national holidays of Japan (holiday_jp, substitute holidays included)
 *   are closed days too.
 */
export interface BusinessHours {
  timeZone: string
  week: ReadonlyArray<ReadonlyArray<OpeningInterval>>
  closedDays: ReadonlySet<string>
  japaneseHolidays: boolean
}

/** 9:00–18:00 Monday to Friday: what a Japanese shop means by 営業時間 when it has set nothing. */
export const DEFAULT_WEEK: ReadonlyArray<ReadonlyArray<OpeningInterval>> = [
  [],
  [[540, 1080]],
  [[540, 1080]],
  [[540, 1080]],
  [[540, 1080]],
  [[540, 1080]],
  [],
]

const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays))
const MINUTE = 60_000
/** Scans stop after ten years of days: a calendar closed for longer has no next opening. */
const MAX_SCAN_DAYS = 3660

interface LocalMoment {
  day: string
  weekday: number
  minute: number
}

const formatters = new Map<string, Intl.DateTimeFormat>()

function localMoment(instant: number, timeZone: string): LocalMoment {
  let formatter = formatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    formatters.set(timeZone, formatter)
  }
  const parts: Record<string, string> = {}
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value
  const day = `${parts.year}-${parts.month}-${parts.day}`
  return {
    day,
    weekday: weekdayOf(day),
    minute: Number(parts.hour) * 60 + Number(parts.minute),
  }
}

function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay()
}

function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10)
}

/** The instant of local minute `minute` (0–1440) of local day `day` in `timeZone`. */
function instantOf(day: string, minute: number, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new TZDate(y, m - 1, d, Math.floor(minute / 60), minute % 60, 0, 0, timeZone).getTime()
}

/** True when local day `day` ('YYYY-MM-DD') is a closed day (own closure or, if observed, a holiday). */
export function isClosedDay(hours: BusinessHours, day: string): boolean {
  return hours.closedDays.has(day) || (hours.japaneseHolidays && HOLIDAYS.has(day))
}

/** The opening intervals of local day `day`: none on a closed day. */
export function intervalsOn(hours: BusinessHours, day: string): ReadonlyArray<OpeningInterval> {
  if (isClosedDay(hours, day)) return []
  return hours.week[weekdayOf(day)] ?? []
}

/**
 * Is local day `day` ('YYYY-MM-DD') a business day (営業日): the shop opens at some time that day
 * — a weekday with opening hours that is neither a closed day nor, when observed, a Japanese
 * public holiday. With the default week this is Monday–Friday minus holidays and closures, the
 * rule of shared/spec/next-contact.md §6; a shop open on Saturdays counts Saturdays too.
 */
export function isBusinessDay(hours: BusinessHours, day: string): boolean {
  return intervalsOn(hours, day).length > 0
}

/**
 * The n-th business day strictly after local day `day` (the day itself never counts, whatever
 * the time; n < 1 counts as 1), as 'YYYY-MM-DD'. A calendar with no business day within ten
 * years gives the day ten years on.
 */
export function nthBusinessDayAfter(hours: BusinessHours, day: string, n: number): string {
  let left = Math.max(1, n)
  let current = day
  for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++) {
    current = nextDay(current)
    if (isBusinessDay(hours, current) && --left === 0) return current
  }
  return current
}

/** Is the shop open at instant `at`? Intervals are half-open: open at 9:00, closed at 18:00. */
export function isOpenAt(hours: BusinessHours, at: Date | number): boolean {
  const local = localMoment(+at, hours.timeZone)
  return intervalsOn(hours, local.day).some(([o, c]) => local.minute >= o && local.minute < c)
}

/**
 * The first instant at or after `at` when the shop is open: `at` itself while open, else the
 * start of the next opening interval. Null when nothing opens within ten years (every weekday
 * closed).
 */
export function nextOpeningAfter(hours: BusinessHours, at: Date | number): Date | null {
  const t = +at
  let day = localMoment(t, hours.timeZone).day
  for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++, day = nextDay(day)) {
    for (const [o, c] of intervalsOn(hours, day)) {
      const start = instantOf(day, o, hours.timeZone)
      const end = instantOf(day, c, hours.timeZone)
      if (end <= t) continue
      return new Date(Math.max(start, t))
    }
  }
  return null
}

/**
 * Business minutes from `from` to `to` (both instants): the real elapsed minutes that fall
 * inside opening intervals. 0 when `to` is not after `from`. Fractions of a minute are kept
 * (statistics take medians of these).
 */
export function businessMinutesBetween(
  hours: BusinessHours,
  from: Date | number,
  to: Date | number,
): number {
  const a = +from
  const b = +to
  if (b <= a) return 0
  let total = 0
  let day = localMoment(a, hours.timeZone).day
  const lastDay = localMoment(b, hours.timeZone).day
  for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++, day = nextDay(day)) {
    for (const [o, c] of intervalsOn(hours, day)) {
      const start = Math.max(instantOf(day, o, hours.timeZone), a)
      const end = Math.min(instantOf(day, c, hours.timeZone), b)
      if (end > start) total += end - start
    }
    if (day >= lastDay) break
  }
  return total / MINUTE
}

/**
 * The opening period that contains `at`, or — when closed — the next one: its start and end as
 * instants. "At most one automatic answer per board per opening period" keys on `start`.
 * Null when nothing opens within ten years.
 */
export function openingPeriodAt(
  hours: BusinessHours,
  at: Date | number,
): { start: Date; end: Date } | null {
  const t = +at
  let day = localMoment(t, hours.timeZone).day
  for (let scanned = 0; scanned < MAX_SCAN_DAYS; scanned++, day = nextDay(day)) {
    for (const [o, c] of intervalsOn(hours, day)) {
      const end = instantOf(day, c, hours.timeZone)
      if (end <= t) continue
      return { start: new Date(instantOf(day, o, hours.timeZone)), end: new Date(end) }
    }
  }
  return null
}

// ── Stored form and the settings text ──────────────────────────────────────────────────────────
// Stored as JSON in workspaces.business_hours: an array of seven arrays of [open, close] minute
// pairs (Sunday first). Edited as one text field per weekday: "9:00-18:00", "9:00-12:00,
// 13:00-18:00", or empty for closed. Full-width digits and 〜/~/– are accepted.

// 9:00, 9時, 9時30分, or a bare hour (9-18)
const TIME = String.raw`(\d{1,2})(?:[:：時](\d{2})?分?)?`
const RANGE = new RegExp(String.raw`^${TIME}\s*(?:-|〜|~|–|—|から)\s*${TIME}$`)

/** Reads one weekday's text; null when it can't be read. */
export function parseDayHours(text: string): OpeningInterval[] | null {
  const cleaned = text.normalize('NFKC').trim()
  if (cleaned === '' || /^(休み?|休業|定休日?|closed|-)$/i.test(cleaned)) return []
  const intervals: OpeningInterval[] = []
  for (const piece of cleaned.split(
    /\s*[,、;／/]\s*|\s+(?=\d{1,2}[:：時]\d{0,2}\s*(?:-|〜|~|–|—|から))/,
  )) {
    const match = RANGE.exec(piece.trim())
    if (!match) return null
    const open = Number(match[1]) * 60 + Number(match[2] ?? 0)
    const close = Number(match[3]) * 60 + Number(match[4] ?? 0)
    if (Number(match[2] ?? 0) > 59 || Number(match[4] ?? 0) > 59) return null
    if (open >= close || close > 1440) return null
    intervals.push([open, close])
  }
  intervals.sort((x, y) => x[0] - y[0])
  for (let i = 1; i < intervals.length; i++) {
    if (intervals[i]![0] < intervals[i - 1]![1]) return null
  }
  return intervals
}

const hhmm = (minute: number) =>
  `${Math.floor(minute / 60)}:${String(minute % 60).padStart(2, '0')}`

/** One weekday's intervals as settings text: "9:00-12:00, 13:00-18:00" ('' when closed). */
export function formatDayHours(intervals: ReadonlyArray<OpeningInterval>): string {
  return intervals.map(([o, c]) => `${hhmm(o)}-${hhmm(c)}`).join(', ')
}

/** The stored JSON back as a week; the default week when the column is empty or unreadable. */
export function readStoredWeek(json: string | null | undefined): OpeningInterval[][] {
  if (!json) return DEFAULT_WEEK.map((d) => [...d])
  try {
    const value: unknown = JSON.parse(json)
    if (!Array.isArray(value) || value.length !== 7) return DEFAULT_WEEK.map((d) => [...d])
    return value.map((day) =>
      Array.isArray(day)
        ? day
            .filter(
              (pair): pair is [number, number] =>
                Array.isArray(pair) &&
                Number.isInteger(pair[0]) &&
                Number.isInteger(pair[1]) &&
                pair[0] >= 0 &&
                pair[0] < pair[1] &&
                pair[1] <= 1440,
            )
            .map(([o, c]) => [o, c] as const)
        : [],
    )
  } catch {
    return DEFAULT_WEEK.map((d) => [...d])
  }
}
