import { addMonths, addYears } from 'date-fns'
import { compareDays, isoWeekday, ymd, type Day } from './business-days'
import { extractNextContact, readingContext, type ExtractOptions } from './extract'
import { scanMentions, type Ctx, type DateMention, type Mention } from './grammar'
import { normalize, originalSpan } from './numerals'

// Dates that contradict themselves (issue 15, point 7): 「12月5日(金)」 when 12月5日 is a
// Saturday, "Fri, Dec 5" when it is a Saturday, or a promise made for a day the shop is closed.
// The dates are read by the next-contact grammar (grammar.ts), so every form the extractor
// reads is checked the same way: full-width parentheses, 金曜 / 金曜日, (Fri), Friday, …

/** A date in the text that says two things at once. `text` is as typed; `date` 'YYYY-MM-DD'. */
export type DateContradiction =
  | {
      kind: 'weekday'
      /** the phrase as the member typed it, 「12月5日(金)」 */
      text: string
      start: number
      end: number
      date: string
      /** the weekday written (0 = Sunday … 6 = Saturday) */
      written: number
      /** the weekday `date` really is */
      actual: number
    }
  | { kind: 'closed'; text: string; start: number; end: number; date: string }

export type ContradictionOptions = ExtractOptions & {
  /**
   * True for a day ('YYYY-MM-DD') the shop does not open: closed weekday, own closure or
   * observed holiday (business-hours.ts). Without it only weekdays are checked.
   */
  isClosedDay?: (day: string) => boolean
}

const JA_WEEKDAY: Record<string, number> = { 日: 0, 月: 1, 火: 2, 水: 3, 木: 4, 金: 5, 土: 6 }
const EN_WEEKDAY: Record<string, number> = {
  sun: 0,
  mon: 1,
  tue: 2,
  wed: 3,
  thu: 4,
  fri: 5,
  sat: 6,
}

// A weekday written in a date mention: （金）, (金曜), (金・祝), 金曜, 金曜日, (Fri), Friday, Fri.
// The Japanese forms need their brackets or 曜, so 12月 or 5日 are never read as weekdays.
const JA_IN_BRACKETS =
  /[(（]\s*([月火水木金土日](?:[・･/]?[月火水木金土日])*)(?:曜日?)?(?:[・･/]?(?:祝日?|休))?\s*[)）]/
const JA_WITH_YOUBI = /([月火水木金土日])曜/
const EN_WEEKDAY_WORD = /\b(mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?\b/i
const BARE_WEEKDAY =
  /^(?:(?:今週|来週|再来週|次の|次回の|今度の)\s*の?\s*)?[月火水木金土日]曜日?$|^(?:(?:this|next|coming|the following)\s+)?(?:mon|tues|wednes|thurs|fri|satur|sun)day$/i

// "12月5日" or "Dec 5" without a year is the next such day (spec §2), but a member who writes
// 「12月5日(金)にいただいたご注文」 on the 10th means the one just past: both are tried.
const HAS_YEAR = /\d{4}|年|令和|R\s*\d/
const MONTH_DAY =
  /\d\s*月\s*\d{1,2}\s*日|^\s*\d{1,2}[/.]\d{1,2}(?![/.]\d)|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*(?:the\s+)?\d|\d(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/i
const DAY_ONLY = /^(?:\d{1,2}\s*日|the\s+\d{1,2}(?:st|nd|rd|th))/i

/** The one weekday a mention's words name, or null (none, or several: (土日)). */
function writtenWeekday(words: string): number | null {
  const bracket = JA_IN_BRACKETS.exec(words)
  if (bracket) {
    const days = new Set((bracket[1] ?? '').replace(/[・･/]/g, ''))
    if (days.size !== 1) return null
    return JA_WEEKDAY[[...days][0] as string] ?? null
  }
  const youbi = JA_WITH_YOUBI.exec(words)
  if (youbi) return JA_WEEKDAY[youbi[1] as string] ?? null
  const english = EN_WEEKDAY_WORD.exec(words)
  if (english) return EN_WEEKDAY[(english[1] ?? '').toLowerCase()] ?? null
  return null
}

const weekdayOf = (day: Day) => isoWeekday(day) % 7

/** How far back "the occurrence just past" may lie: a quarter of a year. */
const RECENT = 92 * 24 * 60 * 60 * 1000

/** The mention as read now, and the occurrence just past for a date written without a year. */
function readings(mention: DateMention, words: string, ctx: Ctx): Day[] {
  const now = mention.resolve(ctx)
  if (!now) return []
  const back =
    !HAS_YEAR.test(words) && MONTH_DAY.test(words)
      ? addYears(ctx.today, -1)
      : DAY_ONLY.test(words)
        ? addMonths(ctx.today, -1)
        : null
  if (!back) return [now]
  const before = mention.resolve({ ...ctx, today: back })
  const recent =
    before && compareDays(before, ctx.today) < 0 && distance(before, ctx.today) <= RECENT
  return recent && before ? [now, before] : [now]
}

function distance(a: Day, b: Day) {
  return Math.abs(compareDays(a, b))
}

// A bare weekday next to a date is that date's weekday: 金曜日の12月5日, Friday the 5th,
// Dec 5, Friday.
const GAP_BEFORE = /^[\s,、]*(?:の)?\s*$/
const GAP_AFTER = /^[\s,、]*$/

/**
 * Every date in `text` whose written weekday is not the weekday of the date it names, and the
 * date the text promises (extract.ts) when `isClosedDay` says the shop is closed then. Pure:
 * dates resolve against `now` in `timeZone` exactly as extractNextContact reads them; a date
 * written without a year passes when the weekday fits the occurrence just past (an order
 * 「12月5日(金)にいただいた」 a week ago). Results are in text order, `text` as typed.
 */
export function findDateContradictions(
  text: string,
  options: ContradictionOptions,
): DateContradiction[] {
  if (text.length === 0 || Number.isNaN(options.now.getTime())) return []
  const normalized = normalize(text)
  const t = normalized.text
  const mentions = scanMentions(t).filter(
    (m): m is DateMention => m.kind === 'date' && !m.weak && m.ref === undefined,
  )
  const ctx = readingContext(options)
  const found: DateContradiction[] = []
  const used = new Set<Mention>()
  for (let i = 0; i < mentions.length; i++) {
    const mention = mentions[i] as DateMention
    if (used.has(mention)) continue
    let words = t.slice(mention.start, mention.end)
    let start = mention.start
    let end = mention.end
    let target = mention
    let written = writtenWeekday(words)
    // A bare weekday (金曜日, Friday) names the day it is; beside a date it is that date's note.
    const next = mentions[i + 1]
    if (BARE_WEEKDAY.test(words.trim()) && next) {
      const nextWords = t.slice(next.start, next.end)
      if (GAP_BEFORE.test(t.slice(mention.end, next.start)) && !BARE_WEEKDAY.test(nextWords)) {
        target = next
        words = nextWords
        end = next.end
        used.add(next)
      }
    } else if (written === null && next) {
      const nextWords = t.slice(next.start, next.end)
      if (BARE_WEEKDAY.test(nextWords.trim()) && GAP_AFTER.test(t.slice(mention.end, next.start))) {
        written = writtenWeekday(nextWords)
        end = next.end
        used.add(next)
      }
    }
    if (written === null) continue
    const days = readings(target, words, ctx)
    if (days.length === 0 || days.some((day) => weekdayOf(day) === written)) continue
    const nearest = days.reduce((a, b) => (distance(b, ctx.today) < distance(a, ctx.today) ? b : a))
    const [from, raw] = originalSpan(normalized, start, end)
    // "Friday 5 December." — the sentence's full stop is not part of the date ("Dec." is).
    const to = /(?:\d|[A-Za-z]{5,})\.$/.test(text.slice(from, raw)) ? raw - 1 : raw
    found.push({
      kind: 'weekday',
      text: text.slice(from, to),
      start: from,
      end: to,
      date: ymd(nearest),
      written,
      actual: weekdayOf(nearest),
    })
  }
  if (options.isClosedDay) {
    const promise = extractNextContact(text, options)
    if (promise && options.isClosedDay(promise.date)) {
      const at = text.indexOf(promise.text)
      found.push({
        kind: 'closed',
        text: promise.text,
        start: at,
        end: at + promise.text.length,
        date: promise.date,
      })
    }
  }
  return found.sort((a, b) => a.start - b.start)
}
