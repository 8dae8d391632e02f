import {
  compareDays,
  endOfMonth,
  isoWeekday,
  makeDay,
  nthBusinessDayAfter,
  plusDays,
  plusMonths,
  type Day,
} from './business-days'
import type { BusinessHours } from '../business-hours/business-hours'

/** What a mention needs to turn into a calendar day. */
export type Ctx = {
  today: Day
  /** Minutes since local midnight of `now`. */
  nowMinutes: number
  nowMs: number
  /** the workspace's business days (src/business-hours): which days 営業日 counts */
  calendar: BusinessHours
  /** Local calendar day and HH:mm of an instant in the workspace time zone. */
  local: (ms: number) => { day: Day; minutes: number }
}

/** A.m. or p.m. half of a day, from a time-of-day word (今晩, 明朝, tonight, Friday morning). */
export type DayPart = 'am' | 'pm'

export type DateMention = {
  kind: 'date'
  start: number
  end: number
  resolve: (c: Ctx) => Day | null
  /** the half of the day the words name (今晩 → pm, 明朝 → am); it reads a bare hour after it */
  part?: DayPart
  /** EOD, COB, 朝イチ, first thing: a time of the day named next to it, else its own guess */
  weak?: boolean
  /** 当日 / 同日 / その日 (0), 翌日 / the next day (1): days after the date named before it */
  ref?: number
}

export type TimeMention = {
  kind: 'time'
  start: number
  end: number
  /** minutes after local midnight as read without a day-part word; 1440 = the next midnight */
  minutes: number
  /** minutes as written when the hour carried no a.m./p.m. word (so 今晩 or tonight can turn it) */
  bare?: number
}

export type HoursMention = {
  kind: 'hours'
  start: number
  end: number
  hours: number
}

export type Mention = DateMention | TimeMention | HoursMention

// `lang` lets a message skip rules it cannot match: Japanese-only text never runs the English
// rules and vice versa, which roughly halves the regex work per message.
type Rule = { lang: 'ja' | 'en' | 'any'; re: RegExp; make: (m: RegExpExecArray) => Mention | null }

const JA_WD: Record<string, number> = { 月: 1, 火: 2, 水: 3, 木: 4, 金: 5, 土: 6, 日: 7 }
const EN_WD: Record<string, number> = {
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
  sun: 7,
}
const EN_MONTH: Record<string, number> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
}
const EN_NUM: Record<string, number> = {
  a: 1,
  an: 1,
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  fourteen: 14,
  couple: 2,
}

const MONTH_NAME =
  '(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\\b\\.?'
const EN_WEEKDAY = '(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|sday|urday)?\\.?'
const EN_COUNT =
  '(\\d{1,3}|an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fourteen|couple(?: of)?)'
// A weekday or holiday note after a date ("(金)", "（火・祝）", "(Fri)") never moves the date.
const ANNOT = `(?:\\s*[(（]\\s*(?:[月火水木金土日祝休][・･/]?){1,3}(?:曜日?)?(?:[・･/]?祝日?)?\\s*[)）]|\\s*[(（]\\s*${EN_WEEKDAY}\\s*[)）]|\\s*[(（]祝日?[)）]|\\s*[月火水木金土日]曜日?(?:[(（]祝日?[)）])?)?`
const PERIOD_JA = '(上旬|初旬|中旬|下旬|頭|初め|はじめ|始め|末|中|いっぱい|初)'

function num(s: string | undefined): number {
  if (s === undefined) return NaN
  const key = s.toLowerCase().replace(/ of$/, '')
  const n = EN_NUM[key]
  return n ?? Number.parseInt(s, 10)
}

function monthOf(s: string | undefined): number {
  return s === undefined ? NaN : (EN_MONTH[s.slice(0, 3).toLowerCase()] ?? NaN)
}

function weekdayOf(s: string | undefined): number {
  return s === undefined ? NaN : (EN_WD[s.slice(0, 3).toLowerCase()] ?? JA_WD[s] ?? NaN)
}

function date(
  start: number,
  end: number,
  resolve: (c: Ctx) => Day | null,
  extra?: Pick<DateMention, 'part' | 'weak' | 'ref'>,
): DateMention {
  return extra
    ? { kind: 'date', start, end, resolve, ...extra }
    : { kind: 'date', start, end, resolve }
}

function time(start: number, end: number, minutes: number | null, bare?: number): Mention | null {
  if (minutes === null) return null
  return bare === undefined
    ? { kind: 'time', start, end, minutes }
    : { kind: 'time', start, end, minutes, bare }
}

function span(m: RegExpExecArray): [number, number] {
  return [m.index, m.index + m[0].length]
}

// Year-less month/day: the next occurrence on or after today.
function nextMonthDay(c: Ctx, month: number, day: number): Day | null {
  const y = c.today.getFullYear()
  const d = makeDay(y, month, day)
  if (d && compareDays(d, c.today) >= 0) return d
  return makeDay(y + 1, month, day) ?? makeDay(y + 4 - (y % 4), month, day)
}

function withYear(c: Ctx, rel: string | undefined, year: number | undefined): number | undefined {
  if (year !== undefined && !Number.isNaN(year)) return year
  const y = c.today.getFullYear()
  if (rel === '来年') return y + 1
  if (rel === '再来年') return y + 2
  if (rel === '今年') return y
  return undefined
}

function explicitDay(c: Ctx, y: number | undefined, month: number, day: number): Day | null {
  return y === undefined ? nextMonthDay(c, month, day) : makeDay(y, month, day)
}

// Day-only ("the 28th", 28日): this month if not past, else next month.
function dayOnly(c: Ctx, day: number): Day | null {
  const y = c.today.getFullYear()
  const m = c.today.getMonth() + 1
  const d = makeDay(y, m, day)
  if (d && compareDays(d, c.today) >= 0) return d
  const next = plusMonths(makeDay(y, m, 1) as Day, 1)
  return makeDay(next.getFullYear(), next.getMonth() + 1, day)
}

function mondayOf(day: Day): Day {
  return plusDays(day, 1 - isoWeekday(day))
}

function maxDay(a: Day, b: Day): Day {
  return compareDays(a, b) >= 0 ? a : b
}

// Period start clamped to today: periods that already began resolve to today.
function period(c: Ctx, y: number, m: number, kind: string): Day | null {
  const last = endOfMonth(y, m)
  let from: Day | null
  let to: Day
  switch (kind) {
    case '中旬':
    case 'mid':
      from = makeDay(y, m, 11)
      to = makeDay(y, m, 20) as Day
      break
    case '下旬':
    case 'late':
      from = makeDay(y, m, 21)
      to = last
      break
    case '末':
    case 'end':
      from = last
      to = last
      break
    case '中':
    case 'いっぱい':
    case 'month':
      from = makeDay(y, m, 1)
      to = last
      break
    default:
      from = makeDay(y, m, 1)
      to = makeDay(y, m, 10) as Day
  }
  if (!from) return null
  if (compareDays(to, c.today) < 0) return null
  return maxDay(from, c.today)
}

// A month named without a year: the next occurrence whose period has not ended.
function periodNext(c: Ctx, m: number, kind: string, rel?: string, year?: number): Day | null {
  const y = withYear(c, rel, year)
  if (y !== undefined) return period(c, y, m, kind)
  const ty = c.today.getFullYear()
  return period(c, ty, m, kind) ?? period(c, ty + 1, m, kind)
}

// 月初 / 月末 / "the start of the month": this month's period if it has not ended, else next
// month's (月初 said on 11-30 is 12-01).
function thisOrNextPeriod(c: Ctx, kind: string): Day | null {
  const y = c.today.getFullYear()
  const mo = c.today.getMonth() + 1
  const next = relMonth(c, 'next')
  return period(c, y, mo, kind) ?? period(c, next.y, next.m, kind)
}

// 朝イチ / first thing alone: this morning while it is still early (before 09:00), else tomorrow.
function nextMorning(c: Ctx): Day {
  return c.nowMinutes < 540 ? c.today : plusDays(c.today, 1)
}

function enPart(word: string | undefined): DayPart | undefined {
  if (!word) return undefined
  const k = word.toLowerCase()
  return k === 'morning'
    ? 'am'
    : k === 'afternoon' || k === 'evening' || k === 'night'
      ? 'pm'
      : undefined
}

const JA_REL_DAY: Record<string, { days: number; part?: DayPart }> = {
  本日: { days: 0 },
  今日: { days: 0 },
  明日: { days: 1 },
  明後日: { days: 2 },
  あさって: { days: 2 },
  明々後日: { days: 3 },
  しあさって: { days: 3 },
  今晩: { days: 0, part: 'pm' },
  今夜: { days: 0, part: 'pm' },
  今夕: { days: 0, part: 'pm' },
  今朝: { days: 0, part: 'am' },
  明晩: { days: 1, part: 'pm' },
  明夜: { days: 1, part: 'pm' },
  明朝: { days: 1, part: 'am' },
}

function relMonth(c: Ctx, rel: string): { y: number; m: number } {
  const offset = /再来|after next/i.test(rel) ? 2 : /来|next/i.test(rel) ? 1 : 0
  const first = plusMonths(makeDay(c.today.getFullYear(), c.today.getMonth() + 1, 1) as Day, offset)
  return { y: first.getFullYear(), m: first.getMonth() + 1 }
}

function enPeriodKind(s: string): string {
  const k = s.toLowerCase()
  if (k.startsWith('early') || k.includes('beginning') || k.includes('start')) return '上旬'
  if (k.startsWith('mid') || k.includes('middle')) return 'mid'
  if (k.startsWith('late')) return 'late'
  return 'end'
}

function weekdayIn(c: Ctx, weekOffset: number, wd: number): Day {
  return plusDays(mondayOf(c.today), weekOffset * 7 + wd - 1)
}

// Bare weekday: strictly after today, 1–7 days ahead.
function nextWeekday(c: Ctx, wd: number): Day {
  const diff = (wd - isoWeekday(c.today) + 7) % 7 || 7
  return plusDays(c.today, diff)
}

function weekOffsetOf(s: string | undefined): number | null {
  if (!s) return null
  const k = s.toLowerCase()
  if (k === '今週' || k === 'this' || k === '週内') return 0
  if (k === '来週' || k === 'next' || k === '週明け') return 1
  if (k === '再来週' || k === 'the week after next') return 2
  return null
}

const PM_WORDS = /^(?:午後|pm|夜|晩|夕方|夕|昼|in the afternoon|in the evening|at night)$/
const AM_WORDS = /^(?:午前|am|朝|早朝|in the morning)$/

/** The a.m./p.m. reading a meridiem or time-of-day word gives, if any. */
export function partOf(word: string | undefined): DayPart | undefined {
  if (!word) return undefined
  const k = word.toLowerCase().replace(/\./g, '').replace(/\s+/g, ' ')
  return PM_WORDS.test(k) ? 'pm' : AM_WORDS.test(k) ? 'am' : undefined
}

/**
 * Minutes after midnight of h:min in the given half of the day. Without a half, an hour from 1
 * to 6 is read in business hours (3時 / at 3 → 15:00): nobody promises a call at 3 a.m.
 * `24時` and `midnight` give 1440, the midnight that ends the day.
 */
function clock(h: number, min: number, part: DayPart | null | undefined): number | null {
  let hour = h
  if (Number.isNaN(hour) || Number.isNaN(min) || min > 59) return null
  if (hour === 24 && min === 0) return 1440
  if (part === 'pm') {
    if (hour < 12) hour += 12
  } else if (part === 'am') {
    if (hour === 12) hour = 0
  } else if (part === undefined && hour >= 1 && hour <= 6) {
    hour += 12
  }
  if (hour > 23) return null
  return hour * 60 + min
}

/** A time mention for h:min; a time with no half of the day keeps its as-written reading too. */
function clockMention(m: RegExpExecArray, h: number, min: number, word: string | undefined) {
  const [s, e] = span(m)
  const part = partOf(word)
  if (part) return time(s, e, clock(h, min, part))
  const asWritten = clock(h, min, null)
  if (asWritten === null || h > 12 || h === 0) return time(s, e, asWritten)
  return time(s, e, clock(h, min, undefined), asWritten)
}

/**
 * The minutes a time mention gives under a day-part word (今晩 8時 → 20:00, 明朝 9時 → 09:00);
 * a time that names its own half of the day, or none, keeps its reading.
 */
export function timeIn(t: TimeMention, part: DayPart | undefined): number {
  if (t.bare === undefined || !part) return t.minutes
  if (part === 'pm') return t.bare < 720 ? t.bare + 720 : t.bare
  return t.bare
}

const EN_HOUR_WORDS = 'one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve'
const EN_HOUR: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  eleven: 11,
  twelve: 12,
  twenty: 20,
  'twenty-five': 25,
}

function hourOf(s: string): number {
  return EN_HOUR[s.toLowerCase()] ?? Number.parseInt(s, 10)
}

const HOUR_CAN_END =
  /^\s*(?:$|[.,;:!?)\]–—-]|(?:tonight|today|tomorrow|this|that|on|in|at|and|or|to|for|sharp|latest|the|next|mon|tue|wed|thu|fri|sat|sun|we|i|you|if|so|but|please)\b)/i

// An English hour or dotted time needs one of these right before it to be a clock time.
const AT_BEFORE = /(?:\b(?:at|around|about|by|until|till|from|before|after|between)|@|〜|~)\s*$/i

const TIME_RANGE_TAIL =
  '(?:\\s*(?:〜|~|-|–|から)\\s*(?:午前|午後)?\\s*\\d{1,2}(?:\\s*時(?:半|\\s*\\d{1,2}\\s*分)?|:\\d{2})(?:\\s*(?:am|pm))?)?'

const EN_TIME_RANGE_TAIL =
  '(?:\\s*(?:-|–|to|and|〜|~)\\s*(?:\\d{1,2}(?::\\d{2})?\\s*(?:a\\.?m\\.?|p\\.?m\\.?)?|noon|midday))?'

const RULES: Rule[] = [
  // 2026年12月5日(金), 令和8年12月5日, 来年1月15日, 12月5日
  {
    lang: 'ja',
    re: new RegExp(
      `(?:(?:令和|R)\\s*(\\d{1,2}|元)\\s*年\\s*|(\\d{4})\\s*年\\s*|(来年|再来年|今年)\\s*の?\\s*)?(\\d{1,2})\\s*月\\s*(\\d{1,2})\\s*日(?![間後])${ANNOT}`,
      'g',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const reiwa = m[1] === '元' ? 1 : m[1] ? num(m[1]) : NaN
      const year = !Number.isNaN(reiwa) ? 2018 + reiwa : m[2] ? num(m[2]) : undefined
      const month = num(m[4])
      const day = num(m[5])
      return date(s, e, (c) => explicitDay(c, withYear(c, m[3], year), month, day))
    },
  },
  // 来月10日, 来月の5日
  {
    lang: 'ja',
    re: new RegExp(`(来月|今月|再来月)\\s*の?\\s*(\\d{1,2})\\s*日(?![間後])${ANNOT}`, 'g'),
    make: (m) => {
      const [s, e] = span(m)
      const day = num(m[2])
      return date(s, e, (c) => {
        const { y, m: mo } = relMonth(c, m[1] as string)
        return makeDay(y, mo, day)
      })
    },
  },
  // R9.1.15, 2026/3/4, 2026-12-10, 2026.12.15, 12/5, 11/6, 12.4, 12/15/2026
  {
    lang: 'any',
    re: new RegExp(
      `(?<![\\w.,/:\\-¥$])(?:(?:令和|R)\\s*(\\d{1,2})\\.(\\d{1,2})\\.(\\d{1,2})|(\\d{4})([/.\\-])(\\d{1,2})\\5(\\d{1,2})|(\\d{1,2})/(\\d{1,2})/(\\d{4})|(\\d{1,2})([/.])(\\d{1,2}))(?![\\d/]|\\.\\d|[.,]?\\s*(?:mm|cm|kg|km|ml|m|g|l|%|倍|万|円|インチ|inch|pt|mb|gb|部|枚|個|点|着)(?![a-z]))${ANNOT}`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      if (m[1]) {
        const y = 2018 + num(m[1])
        const mo = num(m[2])
        const d = num(m[3])
        return date(s, e, () => makeDay(y, mo, d))
      }
      if (m[4]) {
        const y = num(m[4])
        const mo = num(m[6])
        const d = num(m[7])
        return date(s, e, () => makeDay(y, mo, d))
      }
      if (m[10]) {
        const y = num(m[10])
        const mo = num(m[8])
        const d = num(m[9])
        return date(s, e, () => makeDay(y, mo, d))
      }
      const mo = num(m[11])
      const d = num(m[13])
      if (mo < 1 || mo > 12 || d < 1 || d > 31) return null
      // "at 12.30" is a time (rule below), not 30 December.
      if (m[12] === '.' && /(?:\b(?:at|around|about)|@)\s*$/i.test(m.input.slice(0, m.index)))
        return null
      return date(s, e, (c) => nextMonthDay(c, mo, d))
    },
  },
  // Thu, Jan 8 / Dec. 9th, 2026 / December 5
  {
    lang: 'en',
    re: new RegExp(
      `\\b(?:${EN_WEEKDAY},?\\s+)?${MONTH_NAME}\\s*(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4})\\b)?${ANNOT}`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const mo = monthOf(m[1])
      const d = num(m[2])
      const y = m[3] ? num(m[3]) : undefined
      return date(s, e, (c) => explicitDay(c, y, mo, d))
    },
  },
  // 5 December, the 5th of December, Friday 5 December 2026
  {
    lang: 'en',
    re: new RegExp(
      `\\b(?:${EN_WEEKDAY},?\\s+)?(?:the\\s+)?(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH_NAME}(?:,?\\s+(\\d{4})\\b)?`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const d = num(m[1])
      const mo = monthOf(m[2])
      const y = m[3] ? num(m[3]) : undefined
      return date(s, e, (c) => explicitDay(c, y, mo, d))
    },
  },
  // the 28th
  {
    lang: 'en',
    re: /\bthe\s+(\d{1,2})(?:st|nd|rd|th)\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const d = num(m[1])
      return date(s, e, (c) => dayOnly(c, d))
    },
  },
  // 28日 (day of month only)
  {
    lang: 'ja',
    re: new RegExp(
      `(?<![\\d月/.])(\\d{1,2})\\s*日(?![間後目]|以内|ほど|程|くらい|ぐらい|前後|営業|分)${ANNOT}`,
      'g',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const d = num(m[1])
      return date(s, e, (c) => dayOnly(c, d))
    },
  },
  // 本日, 明日, 明後日 … (with an optional weekday note: 本日（金）); 今晩 / 今夜 / 明晩 / 明朝 also
  // name the half of the day, so 今晩8時 is 20:00 and 明朝 is tomorrow even before dawn.
  {
    lang: 'ja',
    re: new RegExp(
      `(明々後日|しあさって|明後日|あさって|本日|今日|明日|今晩|今夜|今夕|明晩|明夜|明朝|今朝)(?!以前)${ANNOT}(?:\\s*[(（](?:本日|今日)[)）])?`,
      'g',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const w = m[1] as string
      const rel = JA_REL_DAY[w] as { days: number; part?: DayPart }
      const n = rel.days
      return date(s, e, (c) => plusDays(c.today, n), rel.part ? { part: rel.part } : undefined)
    },
  },
  // 当日 / 同日 / その日 / 翌日 / 翌々日: counted from the date named just before (resolved later)
  {
    lang: 'ja',
    re: /(当日|同日|その日|翌々日|翌日)/g,
    make: (m) => {
      const [s, e] = span(m)
      const ref = m[1] === '翌日' ? 1 : m[1] === '翌々日' ? 2 : 0
      return date(s, e, (c) => plusDays(c.today, ref), { ref })
    },
  },
  {
    lang: 'en',
    re: /\b(?:the\s+same\s+day|that\s+(?:same\s+)?day|the\s+(?:next|following)\s+day|the\s+day\s+after)\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const ref = /same|that/i.test(m[0]) ? 0 : 1
      return date(s, e, (c) => plusDays(c.today, ref), { ref })
    },
  },
  // 朝イチ / 朝一番 / first thing: the morning of the day named with it; alone, the next morning
  {
    lang: 'ja',
    re: /(?<![明今])朝(?:イチ|いち|一番|一)(?![0-9時])/g,
    make: (m) => {
      const [s, e] = span(m)
      return date(s, e, nextMorning, { weak: true, part: 'am' })
    },
  },
  {
    lang: 'en',
    re: /\bfirst\s+thing(?:\s+in\s+the\s+morning)?\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      return date(s, e, nextMorning, { weak: true, part: 'am' })
    },
  },
  // EOD / COB / end of (business) day / close of business: the day named with it, else today
  {
    lang: 'en',
    re: /\b(?:(?:the\s+)?end\s+of\s+(?:the\s+)?(?:business\s+|working\s+)?day|(?:the\s+)?end\s+of\s+business|eod|cob|(?:the\s+)?close\s+of\s+(?:business|play))\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      return date(s, e, (c) => c.today, { weak: true })
    },
  },
  {
    lang: 'en',
    re: /\b(the day after tomorrow|tomorrow|later today|today|tonight|this (?:morning|afternoon|evening))(?:\s+(morning|afternoon|evening|night))?\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const w = (m[1] as string).toLowerCase()
      const n = w === 'tomorrow' ? 1 : w.startsWith('the day after') ? 2 : 0
      const part = enPart(m[2] ?? (w === 'tonight' ? 'night' : w.replace(/^this /, '')))
      return date(s, e, (c) => plusDays(c.today, n), part ? { part } : undefined)
    },
  },
  // 3日後, 5日以内, 2週間ほど, 1ヶ月後
  {
    lang: 'ja',
    re: /(\d{1,3})\s*(日|週間|[かヶヵカケ箇]\s*月)\s*(後|以内|ほど|程度|程|くらい|ぐらい|前後|で|中に|をめど|を目途|を目安)?/g,
    make: (m) => {
      const unit = m[2] as string
      if (unit === '日' && !m[3]) return null
      const [s, e] = span(m)
      const n = num(m[1])
      if (unit === '日') return date(s, e, (c) => plusDays(c.today, n))
      if (unit === '週間') return date(s, e, (c) => plusDays(c.today, 7 * n))
      return date(s, e, (c) => plusMonths(c.today, n))
    },
  },
  {
    lang: 'en',
    re: new RegExp(
      `\\b(?:(?:in|within|after)\\s+(?:about\\s+|around\\s+|roughly\\s+|approximately\\s+)?${EN_COUNT}\\s+(days?|weeks?|months?|fortnights?)(?:'s|')?(?:\\s+time)?|${EN_COUNT}\\s+(days?|weeks?|months?|fortnights?)\\s+from\\s+(?:now|today))\\b`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const n = num(m[1] ?? m[3])
      const unit = (m[2] ?? (m[4] as string)).toLowerCase()
      if (unit.startsWith('day')) return date(s, e, (c) => plusDays(c.today, n))
      if (unit.startsWith('fortnight')) return date(s, e, (c) => plusDays(c.today, 14 * n))
      if (unit.startsWith('week')) return date(s, e, (c) => plusDays(c.today, 7 * n))
      return date(s, e, (c) => plusMonths(c.today, n))
    },
  },
  // ひと月後, ふた月ほど
  {
    lang: 'ja',
    re: /(ひと|ふた)\s*月\s*(?:後|以内|ほど|程度|程|くらい|ぐらい|で)/g,
    make: (m) => {
      const [s, e] = span(m)
      const n = m[1] === 'ふた' ? 2 : 1
      return date(s, e, (c) => plusMonths(c.today, n))
    },
  },
  // 翌営業日, 3営業日以内, next business day, within 2 business days
  {
    lang: 'ja',
    re: /翌営業日|(\d{1,2})\s*営業日/g,
    make: (m) => {
      const [s, e] = span(m)
      const n = m[1] ? num(m[1]) : 1
      return date(s, e, (c) => nthBusinessDayAfter(c.today, n, c.calendar))
    },
  },
  {
    lang: 'en',
    re: new RegExp(
      `\\bnext\\s+(?:business|working)\\s+day\\b|\\b(?:(?:in|within)\\s+(?:about\\s+)?)?${EN_COUNT}\\s+(?:business|working)\\s+days?\\b`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const n = m[1] ? num(m[1]) : 1
      return date(s, e, (c) => nthBusinessDayAfter(c.today, n, c.calendar))
    },
  },
  // 今週金曜日（本日）, 来週水曜日, 再来週の月曜, 次の金曜日, 金曜日
  {
    lang: 'ja',
    re: /(?:(今週|来週|再来週|次の|次回の|今度の)\s*の?\s*)?([月火水木金土日])曜日?(?:\s*[(（]\s*(本日|今日|祝日?|祝)\s*[)）])?/g,
    make: (m) => {
      const [s, e] = span(m)
      const wd = JA_WD[m[2] as string] as number
      const off = weekOffsetOf(m[1])
      if (m[3] === '本日' || m[3] === '今日') return date(s, e, (c) => c.today)
      if (off === null) return date(s, e, (c) => nextWeekday(c, wd))
      return date(s, e, (c) => weekdayIn(c, off, wd))
    },
  },
  {
    lang: 'en',
    re: /\b(?:(this|next|coming|the following)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)(?:\s+(morning|afternoon|evening|night))?\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const wd = weekdayOf(m[2])
      const which = m[1]?.toLowerCase()
      const off = which === 'this' ? 0 : which === 'next' ? 1 : null
      const part = enPart(m[3])
      const extra = part ? { part } : undefined
      if (off === null) return date(s, e, (c) => nextWeekday(c, wd), extra)
      return date(s, e, (c) => weekdayIn(c, off, wd), extra)
    },
  },
  // 来週中, 週明け, 再来週 (no weekday) → Monday of that week
  {
    lang: 'ja',
    re: /(再来週|来週|今週|週明け|週内)(?!末)(?:中|内|いっぱい|前半|初め|頭)?/g,
    make: (m) => {
      const [s, e] = span(m)
      const off = weekOffsetOf(m[1]) as number
      return date(s, e, (c) => maxDay(weekdayIn(c, off, 1), c.today))
    },
  },
  {
    lang: 'en',
    re: /\b(?:early\s+|(?:at\s+)?the\s+(?:beginning|start)\s+of\s+)?(the week after next|next week|this week)\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const off = weekOffsetOf((m[1] as string).toLowerCase().replace(/ week$/, '')) as number
      return date(s, e, (c) => maxDay(weekdayIn(c, off, 1), c.today))
    },
  },
  // the end of the week / the end of next week → that week's Friday (the working week's end)
  {
    lang: 'en',
    re: /\b(?:the\s+)?end\s+of\s+(?:the|this|(next))\s+(?:working\s+|business\s+)?week\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const off = m[1] ? 1 : 0
      return date(s, e, (c) => maxDay(weekdayIn(c, off, 5), c.today))
    },
  },
  // 12月中旬, 来年1月上旬, 4月末, 12月中
  {
    lang: 'ja',
    re: new RegExp(
      `(?:(来年|今年|再来年)\\s*の?\\s*|(\\d{4})\\s*年\\s*)?(\\d{1,2})\\s*月\\s*の?\\s*${PERIOD_JA}`,
      'g',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const mo = num(m[3])
      const year = m[2] ? num(m[2]) : undefined
      return date(s, e, (c) => periodNext(c, mo, m[4] as string, m[1], year))
    },
  },
  // 来月上旬, 今月末, 来月末, 来月, 月末
  {
    lang: 'ja',
    re: new RegExp(
      `(再来月|来月|今月)\\s*の?\\s*${PERIOD_JA}?|(?<![\\d今来])(月末|月初(?:め|旬)?|月はじめ|月始め)`,
      'g',
    ),
    make: (m) => {
      const [s, e] = span(m)
      if (m[3]) {
        const kind = m[3] === '月末' ? '末' : '上旬'
        // 月初 said after the 10th is next month's start; 月末 is always this month's last day.
        return date(s, e, (c) => thisOrNextPeriod(c, kind))
      }
      const kind = m[2] ?? 'month'
      return date(s, e, (c) => {
        const { y, m: mo } = relMonth(c, m[1] as string)
        return period(c, y, mo, kind)
      })
    },
  },
  // early next month, mid-July, late December 2026, the end of the month
  {
    lang: 'en',
    re: new RegExp(
      `\\b(early|mid|late|(?:the\\s+)?(?:beginning|start|middle|end)\\s+of)[\\s-]*(?:the\\s+)?(?:(this month|next month|month)|${MONTH_NAME}(?:\\s+(\\d{4})\\b)?)`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const kind = enPeriodKind(m[1] as string)
      if (m[2]) {
        const rel = (m[2] as string).toLowerCase()
        if (rel === 'month') return date(s, e, (c) => thisOrNextPeriod(c, kind))
        return date(s, e, (c) => {
          const { y, m: mo } = relMonth(c, rel)
          return period(c, y, mo, kind)
        })
      }
      const mo = monthOf(m[3])
      const year = m[4] ? num(m[4]) : undefined
      return date(s, e, (c) => periodNext(c, mo, kind, undefined, year))
    },
  },
  {
    lang: 'en',
    re: /\b(?:the\s+)?(?:end of|early|late)\s+(?:the\s+)?month\b|\bmonth-end\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const kind = enPeriodKind(m[0].replace(/^the\s+/i, ''))
      return date(s, e, (c) => thisOrNextPeriod(c, kind))
    },
  },
  // Times: 午後3時, 15時30分, 17時半, 夕方5時, 夜8時, 13時〜14時 (→ start). 今晩 / 明朝 are dates
  // with a day part (below), so their 晩 / 朝 is not read as this rule's prefix.
  {
    lang: 'ja',
    re: new RegExp(
      `(?:(?<![今明昨])(午前|午後|AM|PM|早朝|朝|夜|晩|夕方|夕|昼)\\s*の?\\s*)?(\\d{1,2})\\s*時(?!間)\\s*(?:(半)|(\\d{1,2})\\s*分)?${TIME_RANGE_TAIL}`,
      'gi',
    ),
    make: (m) => clockMention(m, num(m[2]), m[3] ? 30 : m[4] ? num(m[4]) : 0, m[1]),
  },
  // 15:30, 15 : 30, 9:30 AM, 1:00 pm
  {
    lang: 'any',
    re: new RegExp(
      `(?<![\\d:.])(\\d{1,2})\\s*:\\s*(\\d{2})(?!\\d)(?:\\s*(a\\.?m\\.?|p\\.?m\\.?))?(?:${TIME_RANGE_TAIL}|${EN_TIME_RANGE_TAIL})`,
      'gi',
    ),
    make: (m) => clockMention(m, num(m[1]), num(m[2]), m[3]),
  },
  // 2.30pm, 9.30 a.m., 14.30, at 9.00: a dot between hour and minutes is a time when it carries
  // a.m./p.m., follows "at", or cannot be a month (12.4 stays a date).
  {
    lang: 'any',
    re: new RegExp(
      `(?<![\\d:.,/\\-])(\\d{1,2})\\.(\\d{2})(?!\\d|\\.\\d|\\s*[/\\-]\\d)(?:\\s*(a\\.m\\.|p\\.m\\.|am\\b|pm\\b))?${EN_TIME_RANGE_TAIL}`,
      'gi',
    ),
    make: (m) => {
      const h = num(m[1])
      if (!m[3] && h <= 12 && !AT_BEFORE.test(m.input.slice(Math.max(0, m.index - 12), m.index)))
        return null
      return clockMention(m, h, num(m[2]), m[3])
    },
  },
  {
    lang: 'en',
    re: new RegExp(
      `(?<![\\d:.])(\\d{1,2})\\s*(a\\.m\\.|p\\.m\\.|am\\b|pm\\b)${EN_TIME_RANGE_TAIL}`,
      'gi',
    ),
    make: (m) => clockMention(m, num(m[1]), 0, m[2]),
  },
  // at 8, half past 3, quarter to 5, 3 o'clock, 10 in the morning: an English hour without
  // a.m./p.m. needs a clock word or "at / by / around" before it.
  {
    lang: 'en',
    re: new RegExp(
      `\\b(?:(half|(?:a\\s+)?quarter|\\d{1,2}|five|ten|twenty|twenty-five)\\s+(past|after|to)\\s+)?(\\d{1,2}|${EN_HOUR_WORDS})\\b(\\s*o'?clock)?(?:\\s+(in the (?:morning|afternoon|evening)|at night))?(?!\\s*(?:[:/\\d]|\\.\\d|a\\.?m\\b|p\\.?m\\b|st\\b|nd\\b|rd\\b|th\\b|%|-|(?:business |working )?(?:days?|weeks?|months?|years?|hours?|minutes?|mins?|pcs|pieces|boxes|copies|units|items|people|persons|of\\b)))`,
      'gi',
    ),
    make: (m) => {
      const clockWord = m[2] !== undefined || m[4] !== undefined || m[5] !== undefined
      if (!clockWord && !AT_BEFORE.test(m.input.slice(Math.max(0, m.index - 12), m.index)))
        return null
      if (!clockWord && !/\d/.test(m[3] as string)) return null
      // "at 5 kg", "at 1 location": a bare number is an hour only where a time can end.
      if (!clockWord && !HOUR_CAN_END.test(m.input.slice(m.index + m[0].length))) return null
      let h = hourOf(m[3] as string)
      let min = 0
      if (m[2] !== undefined) {
        const lead = (m[1] as string).toLowerCase()
        const by = lead === 'half' ? 30 : lead.includes('quarter') ? 15 : hourOf(lead)
        if (Number.isNaN(by) || by > 59) return null
        if (/^(?:past|after)$/i.test(m[2])) min = by
        else {
          h = h === 1 ? 12 : h - 1
          min = 60 - by
        }
      }
      if (h < 1 || h > 23) return null
      return clockMention(m, h, min, m[5])
    },
  },
  {
    lang: 'any',
    re: /正午|\b(?:12\s+)?noon\b|\bmidday\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      return { kind: 'time', start: s, end: e, minutes: 720 }
    },
  },
  {
    lang: 'en',
    re: /\bmidnight\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      return { kind: 'time', start: s, end: e, minutes: 1440 }
    },
  },
  // 2時間後, 3時間以内, within 2 hours
  {
    lang: 'ja',
    re: /(\d{1,2})\s*時間\s*(?:後|以内|ほど|程度|程|くらい|ぐらい|前後|で)/g,
    make: (m) => {
      const [s, e] = span(m)
      return { kind: 'hours', start: s, end: e, hours: num(m[1]) }
    },
  },
  {
    lang: 'en',
    re: new RegExp(`\\b(?:in|within)\\s+(?:about\\s+)?${EN_COUNT}\\s+hours?\\b`, 'gi'),
    make: (m) => {
      const [s, e] = span(m)
      return { kind: 'hours', start: s, end: e, hours: num(m[1]) }
    },
  },
]

// Cheap gate: text without any of these cannot hold a mention, so most chatter skips the
// full rule set.
const PRESCAN =
  /\d|日|週|月|曜|時|正午|晩|夜|朝|夕|当日|同日|あさって|しあさって|today|tomorrow|tonight|morning|afternoon|evening|eod|cob|business|close of|first thing|week|month|fortnight|day|hour|noon|midnight|o'?clock|past|quarter|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the \d/i

const HAS_LATIN = /[a-z]/i
const HAS_JA = /[\u3040-\u30ff\u3400-\u9fff]/

/** All date, time and N-hours mentions in normalised text, overlaps resolved longest-first. */
export function scanMentions(text: string): Mention[] {
  if (!PRESCAN.test(text)) return []
  const found: Mention[] = []
  const hasEn = HAS_LATIN.test(text)
  const hasJa = HAS_JA.test(text)
  for (const rule of RULES) {
    if ((rule.lang === 'en' && !hasEn) || (rule.lang === 'ja' && !hasJa)) continue
    rule.re.lastIndex = 0
    let m: RegExpExecArray | null
    while ((m = rule.re.exec(text)) !== null) {
      if (m[0].length === 0) {
        rule.re.lastIndex++
        continue
      }
      const mention = rule.make(m)
      if (mention) found.push(mention)
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - b.start - (a.end - a.start))
  const kept: Mention[] = []
  let coveredTo = -1
  for (const m of found) {
    if (m.start < coveredTo) {
      const last = kept[kept.length - 1]
      // A longer match that starts inside the previous one wins (来週水曜日 over 来週).
      if (
        last &&
        m.start >= last.start &&
        m.end - m.start > last.end - last.start &&
        m.end > last.end
      ) {
        kept[kept.length - 1] = m
        coveredTo = m.end
      }
      continue
    }
    kept.push(m)
    coveredTo = m.end
  }
  return kept
}
