import { describe, expect, it } from 'vitest'
import {
  endOfLocalDay,
  formatCalendarDate,
  formatDate,
  formatDateTime,
  localDate,
} from '../../src/shared/time'

describe('time in the workspace zone', () => {
  const instant = Date.parse('2026-12-06T15:30:00Z') // 2026-12-07 00:30 in Tokyo, a Monday

  it('takes the calendar date in the time zone, not UTC', () => {
    expect(localDate(instant, 'Asia/Tokyo')).toBe('2026-12-07')
    expect(localDate(instant, 'UTC')).toBe('2026-12-06')
    expect(localDate(instant, 'America/Los_Angeles')).toBe('2026-12-06')
  })

  it('formats in Japanese and English', () => {
    expect(formatDateTime(instant, 'Asia/Tokyo', 'ja')).toBe('2026/12/07(月) 00:30')
    expect(formatDateTime(instant, 'Asia/Tokyo', 'en')).toBe('Mon, Dec 7, 2026 12:30 AM')
    expect(formatDateTime(Date.parse('2026-12-07T05:05:00Z'), 'Asia/Tokyo', 'en')).toBe(
      'Mon, Dec 7, 2026 2:05 PM',
    )
    expect(formatDate(instant, 'Asia/Tokyo', 'ja')).toBe('2026/12/07(月)')
    expect(formatCalendarDate('2027-01-01', 'ja')).toBe('2027/01/01(金)')
  })

  it('ends a calendar day at its last millisecond in the zone', () => {
    expect(new Date(endOfLocalDay('2027-01-31', 'Asia/Tokyo')).toISOString()).toBe(
      '2027-01-31T14:59:59.999Z',
    )
  })
})
