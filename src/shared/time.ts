import { format } from 'date-fns'
import { enUS } from 'date-fns/locale/en-US'
import { ja } from 'date-fns/locale/ja'
import { tz, TZDate } from '@date-fns/tz'
import type { Locale } from '../db/schema'

// Every date the app shows or mails is formatted here, with date-fns in the workspace's time
// zone (@date-fns/tz). Two families:
// - the staff's tables (list, audit log, keys): full and sortable at a glance,
//   2026/12/07(月) 14:05 · Mon, Dec 7, 2026 2:05 PM;
// - what a customer reads (their page, every email, template variables): the way a person
//   writes a date, 12月7日(月) 14:05 · Mon, Dec 7, 2:05 PM, with the year only when it is not
//   the current one (2027年1月8日(金) · Fri, Jan 8, 2027).

const LOCALES = { ja, en: enUS } as const
const zones = new Map<string, ReturnType<typeof tz>>()

function zone(timeZone: string) {
  let context = zones.get(timeZone)
  if (!context) {
    context = tz(timeZone)
    zones.set(timeZone, context)
  }
  return context
}

// A list page formats the same few hundred minutes over and over (a thread, a page of boards);
// every pattern here stops at minutes, so one formatted string serves a whole minute.
const cache = new Map<string, string>()

function formatIn(instant: number, timeZone: string, pattern: string, locale: Locale): string {
  const key = `${pattern}|${timeZone}|${locale}|${Math.floor(instant / 60_000)}`
  let text = cache.get(key)
  if (text === undefined) {
    if (cache.size > 5000) cache.clear()
    text = format(instant, pattern, { in: zone(timeZone), locale: LOCALES[locale] })
    cache.set(key, text)
  }
  return text
}

/** A calendar date 'YYYY-MM-DD' as the UTC midnight it names (no time zone can shift it). */
function calendarInstant(day: string): number {
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number]
  return Date.UTC(year, month - 1, dayOfMonth)
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  return formatIn(+instant, timeZone, 'yyyy-MM-dd', 'en')
}

const STAFF_DATE = { ja: 'yyyy/MM/dd(E)', en: 'EEE, MMM d, yyyy' } as const
const STAFF_DATE_TIME = { ja: 'yyyy/MM/dd(E) HH:mm', en: 'EEE, MMM d, yyyy h:mm a' } as const

/** Staff tables: 2026/12/07(月) 14:05 in Japanese, Mon, Dec 7, 2026 2:05 PM in English. */
export function formatDateTime(instant: number, timeZone: string, locale: Locale): string {
  return formatIn(instant, timeZone, STAFF_DATE_TIME[locale], locale)
}

/** Staff tables: 2026/12/07(月) in Japanese, Mon, Dec 7, 2026 in English. */
export function formatDate(instant: number, timeZone: string, locale: Locale): string {
  return formatIn(instant, timeZone, STAFF_DATE[locale], locale)
}

/** Staff tables: a calendar date string (YYYY-MM-DD) as formatDate writes it, no zone shift. */
export function formatCalendarDate(day: string, locale: Locale): string {
  return formatIn(calendarInstant(day), 'UTC', STAFF_DATE[locale], locale)
}

/** How a written date is placed: the reader's language, the zone, and when "now" is. */
export interface WrittenDateOptions {
  locale: Locale
  /** the workspace's IANA time zone: instants are written as its local date and time */
  timeZone: string
  /** the moment of writing (epoch ms or Date): its year, in `timeZone`, is left out */
  now: number | Date
}

const WRITTEN_DATE = {
  ja: { thisYear: 'M月d日(E)', otherYear: 'y年M月d日(E)' },
  en: { thisYear: 'EEE, MMM d', otherYear: 'EEE, MMM d, y' },
} as const
const WRITTEN_TIME = { ja: ' H:mm', en: ', h:mm a' } as const

function sameYear(instant: number, inZone: string, options: WrittenDateOptions): boolean {
  const year = formatIn(instant, inZone, 'yyyy', 'en')
  return year === formatIn(+options.now, options.timeZone, 'yyyy', 'en')
}

/**
 * A date the way a person writes it to a customer: 12月5日(金) in Japanese, Fri, Dec 5 in
 * English; 2027年1月8日(金) / Fri, Jan 8, 2027 when it falls in another year than `now`.
 * `date` is a calendar date 'YYYY-MM-DD' (written as is, no zone shift) or an instant (epoch
 * ms, written as its date in `timeZone`).
 */
export function writtenDate(date: string | number, options: WrittenDateOptions): string {
  const patterns = WRITTEN_DATE[options.locale]
  if (typeof date === 'string') {
    const instant = calendarInstant(date)
    const pattern = sameYear(instant, 'UTC', options) ? patterns.thisYear : patterns.otherYear
    return formatIn(instant, 'UTC', pattern, options.locale)
  }
  const pattern = sameYear(date, options.timeZone, options) ? patterns.thisYear : patterns.otherYear
  return formatIn(date, options.timeZone, pattern, options.locale)
}

/**
 * A date and time the way a person writes them: 12月5日(金) 9:00 in Japanese (24-hour clock,
 * no leading zero), Fri, Dec 5, 9:00 AM in English; the year as in `writtenDate`.
 */
export function writtenDateTime(instant: number, options: WrittenDateOptions): string {
  const patterns = WRITTEN_DATE[options.locale]
  const date = sameYear(instant, options.timeZone, options) ? patterns.thisYear : patterns.otherYear
  return formatIn(instant, options.timeZone, date + WRITTEN_TIME[options.locale], options.locale)
}

const WRITTEN_MONTH_DAY = {
  ja: { thisYear: 'M月d日', otherYear: 'y年M月d日' },
  en: { thisYear: 'MMM d', otherYear: 'MMM d, y' },
} as const

/**
 * A calendar date 'YYYY-MM-DD' without its weekday, for sentences that name the weekday
 * themselves: 12月5日 / Dec 5; 2027年1月8日 / Jan 8, 2027 when not in the year of `now`.
 */
export function writtenMonthDay(day: string, options: WrittenDateOptions): string {
  const instant = calendarInstant(day)
  const patterns = WRITTEN_MONTH_DAY[options.locale]
  const pattern = sameYear(instant, 'UTC', options) ? patterns.thisYear : patterns.otherYear
  return formatIn(instant, 'UTC', pattern, options.locale)
}

// 2023-01-01 was a Sunday: weekday n is that date plus n days.
const A_SUNDAY = Date.UTC(2023, 0, 1)

/** A weekday's full name, 0 = Sunday … 6 = Saturday: 土曜日 / Saturday. */
export function weekdayName(weekday: number, locale: Locale): string {
  return formatIn(A_SUNDAY + (((weekday % 7) + 7) % 7) * 86_400_000, 'UTC', 'EEEE', locale)
}

/** End of a calendar day (23:59:59.999) in a time zone, as epoch ms. */
export function endOfLocalDay(day: string, timeZone: string): number {
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number]
  return new TZDate(year, month - 1, dayOfMonth, 23, 59, 59, 999, timeZone).getTime()
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone })
    return true
  } catch {
    return false
  }
}
