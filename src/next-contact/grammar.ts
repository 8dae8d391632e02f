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

/** What a mention needs to turn into a calendar day. */
export type Ctx = {
  today: Day
  /** Minutes since local midnight of `now`. */
  nowMinutes: number
  nowMs: number
  closedDays: ReadonlySet<string>
  /** Local calendar day and HH:mm of an instant in the workspace time zone. */
  local: (ms: number) => { day: Day; minutes: number }
}

export type DateMention = {
  kind: 'date'
  start: number
  end: number
  resolve: (c: Ctx) => Day | null
}

export type TimeMention = {
  kind: 'time'
  start: number
  end: number
  minutes: number
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
const PERIOD_JA = '(上旬|初旬|中旬|下旬|頭|初め|はじめ|始め|末|中|いっぱい)'

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

function date(start: number, end: number, resolve: (c: Ctx) => Day | null): DateMention {
  return { kind: 'date', start, end, resolve }
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
  if (k === '今週' || k === 'this') return 0
  if (k === '来週' || k === 'next' || k === '週明け') return 1
  if (k === '再来週' || k === 'the week after next') return 2
  return null
}

function clock(h: number, min: number, mer: string | undefined): number | null {
  let hour = h
  const k = mer?.toLowerCase().replace(/\./g, '')
  if (k === '午後' || k === 'pm' || k === '夜' || k === '夕方' || k === '夕' || k === '昼') {
    if (hour < 12) hour += 12
  } else if (k === '午前' || k === 'am' || k === '朝') {
    if (hour === 12) hour = 0
  }
  if (hour > 23 || min > 59 || Number.isNaN(hour) || Number.isNaN(min)) return null
  return hour * 60 + min
}

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
  // 本日, 明日, 明後日 … (with an optional weekday note: 本日（金）)
  {
    lang: 'ja',
    re: new RegExp(
      `(明々後日|しあさって|明後日|あさって|本日|今日|明日)(?!以前)${ANNOT}(?:\\s*[(（](?:本日|今日)[)）])?`,
      'g',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const w = m[1] as string
      const n =
        w === '本日' || w === '今日'
          ? 0
          : w === '明日'
            ? 1
            : w === '明後日' || w === 'あさって'
              ? 2
              : 3
      return date(s, e, (c) => plusDays(c.today, n))
    },
  },
  {
    lang: 'en',
    re: /\b(the day after tomorrow|tomorrow|later today|today|tonight|this (?:morning|afternoon|evening)|end of (?:the )?(?:business )?day|eod|cob|close of business)\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const w = (m[1] as string).toLowerCase()
      const n = w === 'tomorrow' ? 1 : w.startsWith('the day after') ? 2 : 0
      return date(s, e, (c) => plusDays(c.today, n))
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
      `\\b(?:in|within|after)\\s+(?:about\\s+|around\\s+)?${EN_COUNT}\\s+(days?|weeks?|months?)\\b`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const n = num(m[1])
      const unit = (m[2] as string).toLowerCase()
      if (unit.startsWith('day')) return date(s, e, (c) => plusDays(c.today, n))
      if (unit.startsWith('week')) return date(s, e, (c) => plusDays(c.today, 7 * n))
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
      return date(s, e, (c) => nthBusinessDayAfter(c.today, n, c.closedDays))
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
      return date(s, e, (c) => nthBusinessDayAfter(c.today, n, c.closedDays))
    },
  },
  // 今週金曜日（本日）, 来週水曜日, 再来週の月曜, 次の金曜日, 金曜日
  {
    lang: 'ja',
    re: /(今週|来週|再来週|次の|次回の|今度の)?\s*の?\s*([月火水木金土日])曜日?(?:\s*[(（]\s*(本日|今日|祝日?|祝)\s*[)）])?/g,
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
    re: /\b(?:(this|next|coming|the following)\s+)?(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      const wd = weekdayOf(m[2])
      const which = m[1]?.toLowerCase()
      const off = which === 'this' ? 0 : which === 'next' ? 1 : null
      if (off === null) return date(s, e, (c) => nextWeekday(c, wd))
      return date(s, e, (c) => weekdayIn(c, off, wd))
    },
  },
  // 来週中, 週明け, 再来週 (no weekday) → Monday of that week
  {
    lang: 'ja',
    re: /(再来週|来週|今週|週明け)(?!末)(?:中|いっぱい|前半|初め|頭)?/g,
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
    re: new RegExp(`(再来月|来月|今月)\\s*の?\\s*${PERIOD_JA}?|(?<![\\d今来])(月末|月初)`, 'g'),
    make: (m) => {
      const [s, e] = span(m)
      if (m[3]) {
        const kind = m[3] === '月末' ? '末' : '上旬'
        return date(s, e, (c) => {
          const { y, m: mo } = relMonth(c, '今月')
          return period(c, y, mo, kind)
        })
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
      return date(s, e, (c) => {
        const { y, m: mo } = relMonth(c, 'this')
        return period(c, y, mo, kind)
      })
    },
  },
  // Times: 午後3時, 15時30分, 17時半, 夕方5時, 13時〜14時 (→ start)
  {
    lang: 'ja',
    re: new RegExp(
      `(午前|午後|AM|PM|朝|夜|夕方|夕|昼)?\\s*(\\d{1,2})\\s*時(?!間)\\s*(?:(半)|(\\d{1,2})\\s*分)?${TIME_RANGE_TAIL}`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const min = m[3] ? 30 : m[4] ? num(m[4]) : 0
      const t = clock(num(m[2]), min, m[1])
      return t === null ? null : { kind: 'time', start: s, end: e, minutes: t }
    },
  },
  {
    lang: 'any',
    re: new RegExp(
      `(?<![\\d:.])(\\d{1,2}):(\\d{2})(?!\\d)\\s*(a\\.?m\\.?|p\\.?m\\.?)?(?:${TIME_RANGE_TAIL}|${EN_TIME_RANGE_TAIL})`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const t = clock(num(m[1]), num(m[2]), m[3])
      return t === null ? null : { kind: 'time', start: s, end: e, minutes: t }
    },
  },
  {
    lang: 'en',
    re: new RegExp(
      `(?<![\\d:.])(\\d{1,2})\\s*(a\\.m\\.|p\\.m\\.|am\\b|pm\\b)${EN_TIME_RANGE_TAIL}`,
      'gi',
    ),
    make: (m) => {
      const [s, e] = span(m)
      const t = clock(num(m[1]), 0, m[2])
      return t === null ? null : { kind: 'time', start: s, end: e, minutes: t }
    },
  },
  {
    lang: 'any',
    re: /正午|\bnoon\b|\bmidday\b/gi,
    make: (m) => {
      const [s, e] = span(m)
      return { kind: 'time', start: s, end: e, minutes: 720 }
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
  /\d|日|週|月|時|正午|あさって|しあさって|today|tomorrow|tonight|morning|afternoon|evening|eod|cob|business|week|month|day|hour|noon|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|the \d/i

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
