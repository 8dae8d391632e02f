import { TZDate } from '@date-fns/tz'
import type { Locale } from '../db/schema'

interface LocalParts {
  year: string
  month: string
  day: string
  hour: string
  minute: string
  weekday: number
}

const WEEKDAY_INDEX: Record<string, number> = {
  Sun: 0,
  Mon: 1,
  Tue: 2,
  Wed: 3,
  Thu: 4,
  Fri: 5,
  Sat: 6,
}
const formatters = new Map<string, Intl.DateTimeFormat>()

// One cached Intl formatter per time zone: a list page formats hundreds of instants, and a
// TZDate per instant costs ~60 µs where formatToParts on a cached formatter costs a few.
const partsCache = new Map<string, LocalParts>()

function localParts(instant: Date | number, timeZone: string): LocalParts {
  // Pages show the same few hundred minutes over and over (a thread, a list page).
  const ms = typeof instant === 'number' ? instant : instant.getTime()
  const key = `${timeZone}|${Math.floor(ms / 60_000)}`
  let cached = partsCache.get(key)
  if (!cached) {
    if (partsCache.size > 5000) partsCache.clear()
    cached = computeLocalParts(ms, timeZone)
    partsCache.set(key, cached)
  }
  return cached
}

function computeLocalParts(instant: number, timeZone: string): LocalParts {
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
      weekday: 'short',
    })
    formatters.set(timeZone, formatter)
  }
  const parts: Record<string, string> = {}
  for (const part of formatter.formatToParts(instant)) parts[part.type] = part.value
  return {
    year: parts.year ?? '',
    month: parts.month ?? '',
    day: parts.day ?? '',
    hour: parts.hour ?? '',
    minute: parts.minute ?? '',
    weekday: WEEKDAY_INDEX[parts.weekday ?? ''] ?? 0,
  }
}

/** The calendar date (YYYY-MM-DD) of an instant in a time zone. */
export function localDate(instant: Date | number, timeZone: string): string {
  const p = localParts(instant, timeZone)
  return `${p.year}-${p.month}-${p.day}`
}

const WEEKDAYS_JA = ['日', '月', '火', '水', '木', '金', '土']
const WEEKDAYS_EN = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat']
const MONTHS_EN = [
  'Jan',
  'Feb',
  'Mar',
  'Apr',
  'May',
  'Jun',
  'Jul',
  'Aug',
  'Sep',
  'Oct',
  'Nov',
  'Dec',
]

function dateText(p: LocalParts, locale: Locale) {
  if (locale === 'ja') return `${p.year}/${p.month}/${p.day}(${WEEKDAYS_JA[p.weekday]})`
  return `${WEEKDAYS_EN[p.weekday]}, ${MONTHS_EN[Number(p.month) - 1]} ${Number(p.day)}, ${p.year}`
}

/** 2026/12/07(月) 14:05 in Japanese, Mon, Dec 7, 2026 2:05 PM in English. */
export function formatDateTime(instant: number, timeZone: string, locale: Locale): string {
  const p = localParts(instant, timeZone)
  if (locale === 'ja') return `${dateText(p, locale)} ${p.hour}:${p.minute}`
  const hour = Number(p.hour)
  return `${dateText(p, locale)} ${hour % 12 === 0 ? 12 : hour % 12}:${p.minute} ${hour < 12 ? 'AM' : 'PM'}`
}

export function formatDate(instant: number, timeZone: string, locale: Locale): string {
  return dateText(localParts(instant, timeZone), locale)
}

/**
 * A date and time the way a person writes it to a customer: 12月7日(月) 9:00 in Japanese,
 * Mon, Dec 7, 9:00 AM in English (no year, no leading zero on the hour).
 */
export function formatWrittenDateTime(instant: number, timeZone: string, locale: Locale): string {
  const p = localParts(instant, timeZone)
  const hour = Number(p.hour)
  if (locale === 'ja') {
    return `${Number(p.month)}月${Number(p.day)}日(${WEEKDAYS_JA[p.weekday]}) ${hour}:${p.minute}`
  }
  const clock = `${hour % 12 === 0 ? 12 : hour % 12}:${p.minute} ${hour < 12 ? 'AM' : 'PM'}`
  return `${WEEKDAYS_EN[p.weekday]}, ${MONTHS_EN[Number(p.month) - 1]} ${Number(p.day)}, ${clock}`
}

/** Formats a calendar date string (YYYY-MM-DD) without any time zone shift. */
export function formatCalendarDate(day: string, locale: Locale): string {
  const [year, month, dayOfMonth] = day.split('-') as [string, string, string]
  const weekday = new Date(
    Date.UTC(Number(year), Number(month) - 1, Number(dayOfMonth)),
  ).getUTCDay()
  return dateText({ year, month, day: dayOfMonth, hour: '00', minute: '00', weekday }, locale)
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
