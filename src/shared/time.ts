import { TZDate } from '@date-fns/tz'
import { addDays, format } from 'date-fns'
import type { Locale } from '../db/schema'

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  return format(new TZDate(typeof instant === 'number' ? instant : instant.getTime(), timeZone), 'yyyy-MM-dd')
}

const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土']

/** 2026/12/07(月) 14:05 in Japanese, Dec 7, 2026 2:05 PM in English. */
export function formatDateTime(instant: number, timeZone: string, locale: Locale): string {
  const date = new TZDate(instant, timeZone)
  if (locale === 'ja') return `${format(date, 'yyyy/MM/dd')}(${WEEKDAYS_JA[date.getDay()]}) ${format(date, 'HH:mm')}`
  return format(date, 'MMM d, yyyy h:mm a')
}

export function formatDate(instant: number, timeZone: string, locale: Locale): string {
  const date = new TZDate(instant, timeZone)
  if (locale === 'ja') return `${format(date, 'yyyy/MM/dd')}(${WEEKDAYS_JA[date.getDay()]})`
  return format(date, 'EEE, MMM d, yyyy')
}

/** Formats a calendar date string (YYYY-MM-DD) without any time zone shift. */
export function formatCalendarDate(day: string, locale: Locale): string {
  const [year, month, dayOfMonth] = day.split('-').map(Number) as [number, number, number]
  const date = new Date(Date.UTC(year, month - 1, dayOfMonth))
  if (locale === 'ja') return `${day.replaceAll('-', '/')}(${WEEKDAYS_JA[date.getUTCDay()]})`
  return format(new TZDate(date, 'UTC'), 'EEE, MMM d, yyyy')
}

/** `days` calendar days after an instant, in the workspace time zone (DST-safe). */
export function addLocalDays(instant: number, days: number, timeZone: string): number {
  return addDays(new TZDate(instant, timeZone), days).getTime()
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
