import { addDays, addMonths, getDay, lastDayOfMonth } from 'date-fns'
import {
  DEFAULT_WEEK,
  isBusinessDay as isOpenDay,
  nthBusinessDayAfter as nthOpenDayAfter,
  type BusinessHours,
} from '../business-hours/business-hours'

// Calendar dates are "floating" Date objects at local midnight of the host: only their Y-M-D
// matters, so host and workspace time zones never leak into the arithmetic. Which days are
// business days is asked of the business-hours module (src/business-hours/business-hours.ts),
// the one place that knows the shop's week, its closed days and Japanese public holidays; it
// works on 'YYYY-MM-DD' strings, so the host time zone never shifts a day there either.

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

/**
 * The calendar business-day counting uses when no workspace calendar is given: the default week
 * (Monday–Friday), Japanese public holidays, and these closure days ('YYYY-MM-DD'). Only days
 * matter here, never times of day, so the time zone is a placeholder.
 */
export function defaultBusinessCalendar(closedDays: ReadonlySet<string>): BusinessHours {
  return { timeZone: 'UTC', week: DEFAULT_WEEK, closedDays, japaneseHolidays: true }
}

/** Is this calendar day a business day of `calendar` (see business-hours.ts `isBusinessDay`)? */
export function isBusinessDay(day: Day, calendar: BusinessHours): boolean {
  return isOpenDay(calendar, ymd(day))
}

/** The n-th business day of `calendar` strictly after `today` (today never counts). */
export function nthBusinessDayAfter(today: Day, n: number, calendar: BusinessHours): Day {
  const [y, m, d] = nthOpenDayAfter(calendar, ymd(today), n).split('-').map(Number) as [
    number,
    number,
    number,
  ]
  return new Date(y, m - 1, d)
}
