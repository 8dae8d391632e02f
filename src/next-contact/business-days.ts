import holidayJp from '@holiday-jp/holiday_jp'
import { addDays, addMonths, getDay, lastDayOfMonth } from 'date-fns'

// Calendar dates are "floating" Date objects at local midnight of the host: only their Y-M-D
// matters, so host and workspace time zones never leak into the arithmetic. The holiday table
// is keyed by 'YYYY-MM-DD' strings; looking dates up by string avoids holiday_jp's own
// Date → string conversion, which depends on the host time zone.
const HOLIDAYS: ReadonlySet<string> = new Set(Object.keys(holidayJp.holidays))

/** A calendar day at local midnight (time of day is meaningless). */
export type Day = Date

/** The calendar day y-m-d, or null when it does not exist (2月30日). */
export function makeDay(y: number, m: number, d: number): Day | null {
  if (m < 1 || m > 12 || d < 1 || d > 31) return null
  const day = new Date(y, m - 1, d)
  if (day.getMonth() !== m - 1 || day.getDate() !== d) return null
  return day
}

/** YYYY-MM-DD of a calendar day. */
export function ymd(day: Day): string {
  const m = day.getMonth() + 1
  const d = day.getDate()
  return `${day.getFullYear()}-${m < 10 ? '0' : ''}${m}-${d < 10 ? '0' : ''}${d}`
}

/** Negative, zero or positive as a is before, on or after b. */
export function compareDays(a: Day, b: Day): number {
  return a.getTime() - b.getTime()
}

/** The calendar day n days later (negative n goes back). */
export function plusDays(day: Day, n: number): Day {
  return addDays(day, n)
}

/** Same day-of-month n months later, clamped to the last day of the target month. */
export function plusMonths(day: Day, n: number): Day {
  return addMonths(day, n)
}

/** Last day of month m (1–12) of year y. */
export function endOfMonth(y: number, m: number): Day {
  return lastDayOfMonth(new Date(y, m - 1, 1))
}

/** ISO weekday: Monday = 1 … Sunday = 7. */
export function isoWeekday(day: Day): number {
  return getDay(day) || 7
}

/** True for a Japanese national holiday (including substitute holidays and 国民の休日). */
export function isJapaneseHoliday(day: Day): boolean {
  return HOLIDAYS.has(ymd(day))
}

/** Monday–Friday, not a national holiday and not one of the workspace's closure days. */
export function isBusinessDay(day: Day, closedDays: ReadonlySet<string>): boolean {
  const dow = getDay(day)
  if (dow === 0 || dow === 6) return false
  const key = ymd(day)
  return !HOLIDAYS.has(key) && !closedDays.has(key)
}

/** The n-th business day strictly after `today` (today never counts). */
export function nthBusinessDayAfter(today: Day, n: number, closedDays: ReadonlySet<string>): Day {
  let day = today
  let left = Math.max(1, n)
  // A year of closures cannot stall the loop forever: cap the scan at ten years.
  for (let guard = 0; guard < 3660; guard++) {
    day = addDays(day, 1)
    if (isBusinessDay(day, closedDays) && --left === 0) return day
  }
  return day
}
