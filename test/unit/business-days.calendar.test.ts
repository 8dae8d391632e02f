import { describe, expect, it } from 'vitest'
import {
  DEFAULT_WEEK,
  isBusinessDay,
  nthBusinessDayAfter,
  type BusinessHours,
  type OpeningInterval,
} from '../../src/business-hours/business-hours'
import { extractNextContact } from '../../src/next-contact/extract'
import { mentionsBusinessDays } from '../../src/next-contact/next-contact.usecases'
import { NEXT_CONTACT_CASES } from '../fixtures/next-contact-sentences'

// Next-contact business days (営業日) ask the business-hours module. The default week is the
// spec's Monday–Friday (shared/spec/next-contact.md §6); a shop's own week, closed days and
// holiday setting change which days count. 2026-11-23 (Mon) is 勤労感謝の日.

const NINE_TO_SIX: OpeningInterval[] = [[540, 1080]]
const calendar = (
  week: ReadonlyArray<ReadonlyArray<OpeningInterval>> = DEFAULT_WEEK,
  extra: Partial<BusinessHours> = {},
): BusinessHours => ({
  timeZone: 'Asia/Tokyo',
  week,
  closedDays: new Set(),
  japaneseHolidays: true,
  ...extra,
})
const SATURDAYS_TOO = [
  [],
  NINE_TO_SIX,
  NINE_TO_SIX,
  NINE_TO_SIX,
  NINE_TO_SIX,
  NINE_TO_SIX,
  NINE_TO_SIX,
]
const CLOSED_WEDNESDAYS = [[], NINE_TO_SIX, NINE_TO_SIX, [], NINE_TO_SIX, NINE_TO_SIX, []]

describe('business days from the business-hours module', () => {
  it('the default week: Monday–Friday, holidays and closed days skipped, today never counts', () => {
    const hours = calendar()
    expect(isBusinessDay(hours, '2026-11-23')).toBe(false) // holiday
    expect(isBusinessDay(hours, '2026-11-28')).toBe(false) // Saturday
    expect(isBusinessDay(hours, '2026-11-24')).toBe(true)
    expect(nthBusinessDayAfter(hours, '2026-11-20', 1)).toBe('2026-11-24')
    expect(nthBusinessDayAfter(hours, '2026-11-24', 0)).toBe('2026-11-25') // n < 1 counts as 1
    expect(nthBusinessDayAfter(hours, '2026-12-28', 1)).toBe('2026-12-29')
    const yearEnd = calendar(DEFAULT_WEEK, {
      closedDays: new Set(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-01']),
    })
    expect(nthBusinessDayAfter(yearEnd, '2026-12-28', 1)).toBe('2027-01-04')
  })

  it('a shop open on Saturdays counts them; one closed on Wednesdays skips them', () => {
    expect(nthBusinessDayAfter(calendar(SATURDAYS_TOO), '2026-11-27', 1)).toBe('2026-11-28')
    expect(nthBusinessDayAfter(calendar(), '2026-11-27', 1)).toBe('2026-11-30')
    expect(nthBusinessDayAfter(calendar(CLOSED_WEDNESDAYS), '2026-11-24', 1)).toBe('2026-11-26')
  })

  it('a shop that opens on public holidays counts them', () => {
    const open = calendar(DEFAULT_WEEK, { japaneseHolidays: false })
    expect(nthBusinessDayAfter(open, '2026-11-20', 1)).toBe('2026-11-23')
    expect(nthBusinessDayAfter(calendar(), '2026-11-20', 1)).toBe('2026-11-24')
  })

  it('a calendar that never opens gives up after ten years instead of looping', () => {
    const never = calendar([[], [], [], [], [], [], []])
    expect(nthBusinessDayAfter(never, '2026-11-24', 1) > '2036-01-01').toBe(true)
  })

  it('extractNextContact counts with the calendar it is given, and the default one without', () => {
    const now = new Date('2026-11-27T10:00:00+09:00') // Friday
    const text = '2営業日以内に発送いたします。'
    expect(extractNextContact(text, { now })?.date).toBe('2026-12-01')
    expect(extractNextContact(text, { now, calendar: calendar(SATURDAYS_TOO) })?.date).toBe(
      '2026-11-30',
    )
    expect(
      extractNextContact('翌営業日にご連絡いたします。', {
        now: new Date('2026-11-24T10:00:00+09:00'),
        calendar: calendar(CLOSED_WEDNESDAYS),
      })?.date,
    ).toBe('2026-11-26')
    // calendar-based words are never moved by the shop's week
    expect(
      extractNextContact('明日ご連絡いたします。', {
        now: new Date('2026-11-24T10:00:00+09:00'),
        calendar: calendar(CLOSED_WEDNESDAYS),
      })?.date,
    ).toBe('2026-11-25')
  })

  it('a sentence that never mentions business days reads the same with any calendar (none is loaded for it)', () => {
    const never = calendar([[], [], [], [], [], [], []], { japaneseHolidays: false })
    let skipped = 0
    for (const c of NEXT_CONTACT_CASES) {
      if (mentionsBusinessDays(c.text)) {
        skipped++
        continue
      }
      const now = new Date(c.now)
      const timeZone = c.timeZone ?? 'Asia/Tokyo'
      expect(extractNextContact(c.text, { now, timeZone, calendar: never })).toEqual(
        extractNextContact(c.text, { now, timeZone, closedDays: c.closedDays }),
      )
    }
    // the business-day sentences are the ones that do need it
    expect(skipped).toBeGreaterThan(5)
    expect(skipped).toBeLessThan(NEXT_CONTACT_CASES.length / 4)
  })
})
