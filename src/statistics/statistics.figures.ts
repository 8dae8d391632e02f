// Pure rules of the statistics page: periods, day buckets and duration summaries. No I/O.
import { TZDate } from '@date-fns/tz'
import { addDays, differenceInCalendarDays, endOfMonth, format, startOfISOWeek } from 'date-fns'

export type PeriodKind = 'week' | 'month' | 'custom'

/** A period of whole local days, `from` and `to` included ('YYYY-MM-DD' in the workspace zone). */
export interface Period {
  kind: PeriodKind
  from: string
  to: string
}

/** A custom period is at most this many days (a year and a day: a leap year fits). */
export const MAX_PERIOD_DAYS = 366

const parseDay = (day: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new Date(y, m - 1, d)
}
const dayText = (date: Date) => format(date, 'yyyy-MM-dd')

/**
 * The period the page shows: this week (Monday to Sunday, ISO 8601, as Japanese business
 * calendars count it), this month, or the custom days given. Custom days out of order are
 * swapped; a custom period longer than MAX_PERIOD_DAYS is cut to its last MAX_PERIOD_DAYS days.
 */
export function resolvePeriod(input: {
  kind: PeriodKind
  today: string
  from?: string
  to?: string
}): Period {
  const today = parseDay(input.today)
  if (input.kind === 'week') {
    const monday = startOfISOWeek(today)
    return { kind: 'week', from: dayText(monday), to: dayText(addDays(monday, 6)) }
  }
  if (input.kind === 'custom' && input.from && input.to) {
    let [from, to] = [input.from, input.to].sort() as [string, string]
    if (differenceInCalendarDays(parseDay(to), parseDay(from)) + 1 > MAX_PERIOD_DAYS)
      from = dayText(addDays(parseDay(to), -(MAX_PERIOD_DAYS - 1)))
    return { kind: 'custom', from, to }
  }
  return {
    kind: 'month',
    from: `${input.today.slice(0, 7)}-01`,
    to: dayText(endOfMonth(today)),
  }
}

/** Every local day of the period, in order. */
export function periodDays(period: Pick<Period, 'from' | 'to'>): string[] {
  const days: string[] = []
  const last = parseDay(period.to)
  for (let day = parseDay(period.from); day <= last; day = addDays(day, 1)) days.push(dayText(day))
  return days
}

/** The instant (epoch ms) local day `day` starts in `timeZone`. */
export function startOfLocalDay(day: string, timeZone: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new TZDate(y, m - 1, d, 0, 0, 0, 0, timeZone).getTime()
}

/**
 * The instants where each day of `days` starts, and where the last one ends: days.length + 1
 * boundaries. A day in a zone with summer time may be 23 or 25 hours long; each bucket is the
 * real local day.
 */
export function dayBoundaries(days: readonly string[], timeZone: string): number[] {
  if (days.length === 0) return []
  const last = days[days.length - 1]!
  return [
    ...days.map((day) => startOfLocalDay(day, timeZone)),
    startOfLocalDay(dayText(addDays(parseDay(last), 1)), timeZone),
  ]
}

/** How many `instants` fall into each [boundary i, boundary i+1) bucket. */
export function countPerDay(instants: Iterable<number>, boundaries: readonly number[]): number[] {
  const counts = new Array<number>(Math.max(boundaries.length - 1, 0)).fill(0)
  for (const at of instants) {
    // Binary search for the last boundary at or before `at`.
    let low = 0
    let high = boundaries.length - 1
    if (counts.length === 0 || at < boundaries[0]! || at >= boundaries[high]!) continue
    while (high - low > 1) {
      const middle = (low + high) >> 1
      if (boundaries[middle]! <= at) low = middle
      else high = middle
    }
    counts[low]! += 1
  }
  return counts
}

/**
 * The p-quantile (0 ≤ p ≤ 1) of values sorted ascending, interpolated between the two nearest
 * ranks: Hyndman & Fan's type 7, the definition of Excel's MEDIAN and PERCENTILE.INC, so a shop
 * that checks the figure in a spreadsheet gets the same number. Null for no values.
 */
export function quantileSorted(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null
  const position = (sorted.length - 1) * p
  const below = Math.floor(position)
  const low = sorted[below]!
  const high = sorted[Math.min(below + 1, sorted.length - 1)]!
  return low + (high - low) * (position - below)
}

/** Median and 90th percentile of durations (any unit), and how many there were. */
export interface DurationSummary {
  count: number
  median: number | null
  p90: number | null
}

export function summarizeDurations(values: readonly number[]): DurationSummary {
  const sorted = [...values].sort((a, b) => a - b)
  return {
    count: sorted.length,
    median: quantileSorted(sorted, 0.5),
    p90: quantileSorted(sorted, 0.9),
  }
}

/**
 * A DurationSummary from the values at the ranks a type-7 median and 90th percentile need
 * (⌊(n−1)p⌋ and the rank above, 0-based, ascending), as the repository picks them in SQL; the
 * same numbers quantileSorted gives over all n values. `count` is n; no ranks: no values.
 */
export function summaryFromRanks(
  ranked: readonly { rank: number; value: number; count: number }[],
): DurationSummary {
  const count = ranked[0]?.count ?? 0
  if (count === 0) return { count: 0, median: null, p90: null }
  const byRank = new Map(ranked.map((one) => [one.rank, one.value]))
  const quantile = (p: number) => {
    const position = (count - 1) * p
    const below = Math.floor(position)
    const low = byRank.get(below)!
    const high = byRank.get(Math.min(below + 1, count - 1))!
    return low + (high - low) * (position - below)
  }
  return { count, median: quantile(0.5), p90: quantile(0.9) }
}

/** Ratings of a period: how many, their average (1–5) and how many of each score. */
export interface RatingSummary {
  count: number
  /** null for no ratings */
  average: number | null
  /** boards rated 1, 2, 3, 4 and 5, in that order */
  distribution: [number, number, number, number, number]
}

/** The rating summary from counts per score (scores outside 1–5 are ignored). */
export function summarizeRatings(perScore: ReadonlyMap<number, number>): RatingSummary {
  const distribution = [1, 2, 3, 4, 5].map((score) => perScore.get(score) ?? 0) as [
    number,
    number,
    number,
    number,
    number,
  ]
  const count = distribution.reduce((sum, boards) => sum + boards, 0)
  const total = distribution.reduce((sum, boards, index) => sum + boards * (index + 1), 0)
  return { count, average: count === 0 ? null : total / count, distribution }
}
