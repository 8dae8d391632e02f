import { describe, expect, it } from 'vitest'
import {
  formatDateTime,
  weekdayName,
  writtenDate,
  writtenDateTime,
  writtenMonthDay,
} from '../../src/shared/time'

// Dates a customer reads (their page, every email, {{next_contact_date}}): the way a person
// writes them — 12月5日(土) / Sat, Dec 5 — with the year only when it is not the current one in
// the workspace's time zone.

const tokyo = (now: string) => ({ timeZone: 'Asia/Tokyo', now: Date.parse(now) })

describe('written dates', () => {
  it('writes a calendar date the Japanese way and the English way, without this year', () => {
    const options = tokyo('2026-11-30T12:00:00+09:00')
    expect(writtenDate('2026-12-05', { ...options, locale: 'ja' })).toBe('12月5日(土)')
    expect(writtenDate('2026-12-05', { ...options, locale: 'en' })).toBe('Sat, Dec 5')
    expect(writtenDate('2026-01-09', { ...options, locale: 'ja' })).toBe('1月9日(金)')
  })

  it('adds the year only when the date is not in the current year', () => {
    const options = tokyo('2026-12-28T12:00:00+09:00')
    expect(writtenDate('2027-01-08', { ...options, locale: 'ja' })).toBe('2027年1月8日(金)')
    expect(writtenDate('2027-01-08', { ...options, locale: 'en' })).toBe('Fri, Jan 8, 2027')
    expect(writtenDate('2025-12-26', { ...options, locale: 'ja' })).toBe('2025年12月26日(金)')
    expect(
      writtenDateTime(Date.parse('2027-01-08T09:00:00+09:00'), { ...options, locale: 'en' }),
    ).toBe('Fri, Jan 8, 2027, 9:00 AM')
  })

  it('takes the current year in the workspace time zone, not UTC or the host', () => {
    // 2026-12-31 23:30 UTC is already 2027 in Tokyo, still 2026 in Los Angeles.
    const now = Date.parse('2026-12-31T23:30:00Z')
    const day = '2027-01-08'
    expect(writtenDate(day, { locale: 'ja', timeZone: 'Asia/Tokyo', now })).toBe('1月8日(金)')
    expect(writtenDate(day, { locale: 'ja', timeZone: 'America/Los_Angeles', now })).toBe(
      '2027年1月8日(金)',
    )
    expect(writtenDate(day, { locale: 'en', timeZone: 'UTC', now })).toBe('Fri, Jan 8, 2027')
  })

  it('writes an instant as its date and time in the workspace time zone', () => {
    const instant = Date.parse('2026-12-31T15:30:00Z') // New Year in Tokyo, New Year's Eve in LA
    expect(writtenDateTime(instant, { locale: 'ja', timeZone: 'Asia/Tokyo', now: instant })).toBe(
      '1月1日(金) 0:30',
    )
    expect(writtenDateTime(instant, { locale: 'ja', timeZone: 'UTC', now: instant })).toBe(
      '12月31日(木) 15:30',
    )
    expect(
      writtenDateTime(instant, { locale: 'en', timeZone: 'America/Los_Angeles', now: instant }),
    ).toBe('Thu, Dec 31, 7:30 AM')
    // The expiry of a board as an instant: the local date only.
    expect(writtenDate(instant, { locale: 'en', timeZone: 'Asia/Tokyo', now: instant })).toBe(
      'Fri, Jan 1',
    )
    // Read a day later, in the new year, last year's message carries its year.
    const later = Date.parse('2027-01-02T09:00:00+09:00')
    expect(writtenDateTime(instant, { locale: 'ja', timeZone: 'UTC', now: later })).toBe(
      '2026年12月31日(木) 15:30',
    )
  })

  it('writes noon and midnight the English way and hours without a leading zero', () => {
    const options = { locale: 'en' as const, timeZone: 'Asia/Tokyo', now: 0 }
    const at = (iso: string) => writtenDateTime(Date.parse(iso), options)
    expect(at('1970-03-02T12:00:00+09:00')).toBe('Mon, Mar 2, 12:00 PM')
    expect(at('1970-03-02T00:05:00+09:00')).toBe('Mon, Mar 2, 12:05 AM')
    expect(
      writtenDateTime(Date.parse('1970-03-02T09:05:00+09:00'), { ...options, locale: 'ja' }),
    ).toBe('3月2日(月) 9:05')
  })

  it('follows daylight saving time at both edges', () => {
    const options = {
      locale: 'en' as const,
      timeZone: 'America/New_York',
      now: Date.parse('2026-06-01T00:00:00Z'),
    }
    // 02:00 EST jumps to 03:00 EDT on Sunday 2026-03-08.
    expect(writtenDateTime(Date.parse('2026-03-08T06:59:00Z'), options)).toBe('Sun, Mar 8, 1:59 AM')
    expect(writtenDateTime(Date.parse('2026-03-08T07:00:00Z'), options)).toBe('Sun, Mar 8, 3:00 AM')
    // 01:30 happens twice on Sunday 2026-11-01 (EDT, then EST).
    expect(writtenDateTime(Date.parse('2026-11-01T05:30:00Z'), options)).toBe('Sun, Nov 1, 1:30 AM')
    expect(writtenDateTime(Date.parse('2026-11-01T06:30:00Z'), options)).toBe('Sun, Nov 1, 1:30 AM')
  })

  it('never shifts a calendar date, whatever the zone', () => {
    for (const timeZone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago', 'UTC']) {
      expect(
        writtenDate('2027-01-01', {
          locale: 'ja',
          timeZone,
          now: Date.parse('2027-06-01T00:00:00Z'),
        }),
      ).toBe('1月1日(金)')
    }
  })

  it('names a day without its weekday, and weekdays in full, for the date warnings', () => {
    const options = tokyo('2026-11-30T12:00:00+09:00')
    expect(writtenMonthDay('2026-12-05', { ...options, locale: 'ja' })).toBe('12月5日')
    expect(writtenMonthDay('2026-12-05', { ...options, locale: 'en' })).toBe('Dec 5')
    expect(writtenMonthDay('2027-01-08', { ...options, locale: 'ja' })).toBe('2027年1月8日')
    expect(writtenMonthDay('2027-01-08', { ...options, locale: 'en' })).toBe('Jan 8, 2027')
    expect([0, 5, 6].map((day) => weekdayName(day, 'ja'))).toEqual(['日曜日', '金曜日', '土曜日'])
    expect([0, 5, 6].map((day) => weekdayName(day, 'en'))).toEqual(['Sunday', 'Friday', 'Saturday'])
  })

  it('keeps the staff tables full and sortable', () => {
    const instant = Date.parse('2027-01-08T05:05:00Z')
    expect(formatDateTime(instant, 'Asia/Tokyo', 'ja')).toBe('2027/01/08(金) 14:05')
    expect(formatDateTime(instant, 'Asia/Tokyo', 'en')).toBe('Fri, Jan 8, 2027 2:05 PM')
  })
})
