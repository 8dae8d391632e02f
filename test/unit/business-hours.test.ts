import { describe, expect, it } from 'vitest'
import {
  DEFAULT_WEEK,
  businessMinutesBetween,
  formatDayHours,
  isOpenAt,
  nextOpeningAfter,
  openingPeriodAt,
  parseDayHours,
  readStoredWeek,
  type BusinessHours,
} from '../../src/business-hours/business-hours'

const tokyo: BusinessHours = {
  timeZone: 'Asia/Tokyo',
  week: DEFAULT_WEEK,
  closedDays: new Set(['2026-12-29', '2026-12-30', '2026-12-31']),
  japaneseHolidays: true,
}
const at = (iso: string) => new Date(iso)

describe('isOpenAt (Tokyo, Mon–Fri 9:00–18:00)', () => {
  it.each([
    ['2026-12-07T09:00:00+09:00', true], // Monday opening minute
    ['2026-12-07T08:59:59+09:00', false],
    ['2026-12-07T17:59:00+09:00', true],
    ['2026-12-07T18:00:00+09:00', false], // closing is exclusive
    ['2026-12-05T12:00:00+09:00', false], // Saturday
    ['2026-12-06T12:00:00+09:00', false], // Sunday
    ['2026-11-23T12:00:00+09:00', false], // 勤労感謝の日 (Monday)
    ['2026-12-29T12:00:00+09:00', false], // own closure
    ['2026-12-07T00:30:00Z', true], // 09:30 in Tokyo, whatever the host zone
  ])('%s → %s', (iso, open) => {
    expect(isOpenAt(tokyo, at(iso))).toBe(open)
  })

  it('holidays count only when the workspace observes them', () => {
    expect(isOpenAt({ ...tokyo, japaneseHolidays: false }, at('2026-11-23T12:00:00+09:00'))).toBe(
      true,
    )
  })
})

describe('nextOpeningAfter', () => {
  it.each([
    ['2026-12-07T10:00:00+09:00', '2026-12-07T10:00:00+09:00'], // open now: now
    ['2026-12-07T07:00:00+09:00', '2026-12-07T09:00:00+09:00'], // before opening
    ['2026-12-04T18:00:00+09:00', '2026-12-07T09:00:00+09:00'], // Friday close → Monday
    ['2026-12-05T23:59:00+09:00', '2026-12-07T09:00:00+09:00'], // Saturday night
    ['2026-11-20T19:00:00+09:00', '2026-11-24T09:00:00+09:00'], // over a holiday Monday
    ['2026-12-28T18:30:00+09:00', '2027-01-04T09:00:00+09:00'], // 年末年始: closures + 元日 + weekend
  ])('%s → %s', (from, expected) => {
    expect(nextOpeningAfter(tokyo, at(from))?.toISOString()).toBe(at(expected).toISOString())
  })

  it('is null when every weekday is closed', () => {
    const never = { ...tokyo, week: [[], [], [], [], [], [], []] }
    expect(nextOpeningAfter(never, at('2026-12-07T10:00:00+09:00'))).toBeNull()
  })

  it('midnight edges: an interval that runs to 24:00 is open at 23:59 and closed at 0:00', () => {
    const lateShop: BusinessHours = {
      ...tokyo,
      week: [[], [[1200, 1440]], [[1200, 1440]], [], [], [], []],
      closedDays: new Set(),
    }
    expect(isOpenAt(lateShop, at('2026-12-07T23:59:00+09:00'))).toBe(true)
    expect(isOpenAt(lateShop, at('2026-12-08T00:00:00+09:00'))).toBe(false)
    expect(nextOpeningAfter(lateShop, at('2026-12-08T00:00:00+09:00'))?.toISOString()).toBe(
      at('2026-12-08T20:00:00+09:00').toISOString(),
    )
  })
})

describe('businessMinutesBetween', () => {
  it.each([
    ['2026-12-07T10:00:00+09:00', '2026-12-07T10:30:00+09:00', 30],
    ['2026-12-07T17:30:00+09:00', '2026-12-08T09:30:00+09:00', 60], // across the night
    ['2026-12-04T17:00:00+09:00', '2026-12-07T10:00:00+09:00', 120], // across a weekend
    ['2026-12-05T10:00:00+09:00', '2026-12-06T10:00:00+09:00', 0], // weekend only
    ['2026-12-07T10:00:00+09:00', '2026-12-07T09:00:00+09:00', 0], // reversed
    ['2026-11-20T17:00:00+09:00', '2026-11-24T10:00:00+09:00', 120], // holiday Monday skipped
    ['2026-12-07T00:00:00+09:00', '2026-12-14T00:00:00+09:00', 5 * 9 * 60], // a full week
  ])('%s → %s = %d min', (from, to, minutes) => {
    expect(businessMinutesBetween(tokyo, at(from), at(to))).toBe(minutes)
  })

  it('keeps fractions of a minute', () => {
    expect(
      businessMinutesBetween(
        tokyo,
        at('2026-12-07T10:00:00+09:00'),
        at('2026-12-07T10:00:30+09:00'),
      ),
    ).toBe(0.5)
  })
})

describe('a DST zone (America/New_York, open every day 0:00–24:00)', () => {
  const ny: BusinessHours = {
    timeZone: 'America/New_York',
    week: Array.from({ length: 7 }, () => [[0, 1440] as const]),
    closedDays: new Set(),
    japaneseHolidays: false,
  }
  it('the short day of spring forward counts 23 hours', () => {
    expect(
      businessMinutesBetween(ny, at('2027-03-14T00:00:00-05:00'), at('2027-03-15T00:00:00-04:00')),
    ).toBe(23 * 60)
  })
  it('the long day of fall back counts 25 hours', () => {
    expect(
      businessMinutesBetween(ny, at('2026-11-01T00:00:00-04:00'), at('2026-11-02T00:00:00-05:00')),
    ).toBe(25 * 60)
  })
  it('9–17 on weekdays across spring forward: open at 9:00 local on both sides', () => {
    const office: BusinessHours = { ...ny, week: DEFAULT_WEEK.map(() => [[540, 1020] as const]) }
    expect(nextOpeningAfter(office, at('2027-03-13T20:00:00-05:00'))?.toISOString()).toBe(
      at('2027-03-14T09:00:00-04:00').toISOString(),
    )
  })
})

describe('openingPeriodAt', () => {
  it('is the current period while open, the next one while closed', () => {
    expect(openingPeriodAt(tokyo, at('2026-12-07T10:00:00+09:00'))?.start.toISOString()).toBe(
      at('2026-12-07T09:00:00+09:00').toISOString(),
    )
    expect(openingPeriodAt(tokyo, at('2026-12-05T10:00:00+09:00'))?.start.toISOString()).toBe(
      at('2026-12-07T09:00:00+09:00').toISOString(),
    )
  })
})

describe('settings text', () => {
  it.each([
    ['9:00-18:00', [[540, 1080]]],
    ['９：００〜１８：００', [[540, 1080]]],
    ['9時〜18時', [[540, 1080]]],
    ['9-18', [[540, 1080]]],
    [
      '9-12, 13-18',
      [
        [540, 720],
        [780, 1080],
      ],
    ],
    [
      '9:00-12:00, 13:00-18:00',
      [
        [540, 720],
        [780, 1080],
      ],
    ],
    [
      '13:00-18:00、9:00-12:00',
      [
        [540, 720],
        [780, 1080],
      ],
    ],
    ['20:00-24:00', [[1200, 1440]]],
    ['', []],
    ['定休日', []],
    ['closed', []],
  ])('%s', (text, intervals) => {
    expect(parseDayHours(text)).toEqual(intervals)
  })

  it.each(['18:00-9:00', '9:00-25:00', '9:60-10:00', 'nine to five', '9:00-12:00, 11:00-18:00'])(
    'refuses %s',
    (text) => {
      expect(parseDayHours(text)).toBeNull()
    },
  )

  it('round-trips', () => {
    expect(
      formatDayHours([
        [540, 720],
        [780, 1080],
      ]),
    ).toBe('9:00-12:00, 13:00-18:00')
    expect(parseDayHours(formatDayHours([[545, 1440]]))).toEqual([[545, 1440]])
  })

  it('reads the stored week, falling back to the default on anything unreadable', () => {
    expect(readStoredWeek(null)).toEqual(DEFAULT_WEEK)
    expect(readStoredWeek('not json')).toEqual(DEFAULT_WEEK)
    expect(readStoredWeek(JSON.stringify([[], [[600, 700]], [], [], [], [], []]))[1]).toEqual([
      [600, 700],
    ])
  })
})
