import { describe, expect, it } from 'vitest'
import { findDateContradictions } from '../../src/next-contact/contradictions'

// Mon 2026-11-30 12:00 in Tokyo. 2026-12-05 is a Saturday, 2026-12-04 a Friday.
const now = new Date('2026-11-30T12:00:00+09:00')
const check = (text: string, extra: Partial<Parameters<typeof findDateContradictions>[1]> = {}) =>
  findDateContradictions(text, { now, timeZone: 'Asia/Tokyo', ...extra })
const wrong = (text: string) =>
  check(text).map((found) =>
    found.kind === 'weekday'
      ? { phrase: found.text, date: found.date, written: found.written, actual: found.actual }
      : { phrase: found.text, date: found.date },
  )

describe('a written weekday that is not the date’s', () => {
  it.each([
    ['12月5日(金)に再校正デザインをご提示します。', '12月5日(金)'],
    ['１２月５日（金）にご提示します。', '１２月５日（金）'],
    ['12月5日（金曜）にお届けします。', '12月5日（金曜）'],
    ['12月5日(金曜日)に発送いたします。', '12月5日(金曜日)'],
    ['12月5日金曜日に発送いたします。', '12月5日金曜日'],
    ['12月5日 金曜にお伺いします。', '12月5日 金曜'],
    ['十二月五日（金）にご連絡いたします。', '十二月五日（金）'],
    ['2026年12月5日(金)に納品予定です。', '2026年12月5日(金)'],
    ['12/5(金)に発送します。', '12/5(金)'],
    ['12/5（金）15時にお電話します。', '12/5（金）'],
    ['金曜日の12月5日にお届けします。', '金曜日の12月5日'],
    ['5日(金)にご連絡します。', '5日(金)'],
  ])('Japanese: %s', (text, phrase) => {
    expect(wrong(text)).toEqual([{ phrase, date: '2026-12-05', written: 5, actual: 6 }])
  })

  it.each([
    ['We will ship on Fri, Dec 5.', 'Fri, Dec 5'],
    ['We will ship on Friday, December 5.', 'Friday, December 5'],
    ["We'll send the proof on Dec 5 (Fri).", 'Dec 5 (Fri)'],
    ["We'll deliver on Friday 5 December.", 'Friday 5 December'],
    ["We'll call you on Friday the 5th.", 'Friday the 5th'],
    ["We'll deliver on Dec 5, Friday.", 'Dec 5, Friday'],
    ['Delivery on 12/5 (Fri).', '12/5 (Fri)'],
    ['We will reply on Fri., Dec. 5th, 2026.', 'Fri., Dec. 5th, 2026'],
  ])('English: %s', (text, phrase) => {
    expect(wrong(text)).toEqual([{ phrase, date: '2026-12-05', written: 5, actual: 6 }])
  })

  it('checks relative days with a weekday note too', () => {
    expect(wrong('明日（水）にお送りします。')).toEqual([
      { phrase: '明日（水）', date: '2026-12-01', written: 3, actual: 2 },
    ])
    expect(wrong('今週金曜日（本日）中にご連絡します。')).toEqual([
      { phrase: '今週金曜日（本日）', date: '2026-11-30', written: 5, actual: 1 },
    ])
  })

  it('reports every wrong date in a message, in text order, with the phrase as typed', () => {
    const text = '初校は12月3日(水)、再校は12月5日(金)にご提示します。Final on Tue, Dec 9.'
    const found = check(text)
    expect(found.map((f) => f.text)).toEqual(['12月3日(水)', '12月5日(金)', 'Tue, Dec 9'])
    for (const f of found) expect(text.slice(f.start, f.end)).toBe(f.text)
  })

  it('says nothing when the weekday is right, absent, or not one weekday', () => {
    for (const text of [
      '12月4日(金)にお届けします。',
      '12月5日（土）にお届けします。',
      'We will ship on Fri, Dec 4.',
      'Saturday, December 5 works.',
      '12月5日にお届けします。',
      '金曜日にお届けします。',
      'next Friday we will call.',
      '12月7日（月・祝）に発送します。',
      '12月5日(土日)は休みです。',
      '12月5日（祝）',
      '明日(火)に発送します。',
      '2027年1月8日(金)にご連絡します。',
      '価格は12/5個です',
      'Thanks, see you soon.',
      '',
    ]) {
      expect(check(text), text).toEqual([])
    }
  })

  it('reads a date without a year as the one just past when that one fits', () => {
    // Mon 2026-12-07: 12月5日(土) and 12月4日(金) were last week.
    const later = new Date('2026-12-07T12:00:00+09:00')
    expect(
      findDateContradictions('12月4日(金)にいただいたご注文の件です。', {
        now: later,
        timeZone: 'Asia/Tokyo',
      }),
    ).toEqual([])
    // a year back is not "just past": 2025-12-05 was a Friday, but that is not what is meant
    expect(wrong('12月5日(金)にお届けします。')).toHaveLength(1)
    // and a wrong past date names the day just past
    expect(
      findDateContradictions('12月4日(木)にいただいたご注文', {
        now: later,
        timeZone: 'Asia/Tokyo',
      }).map((f) => f.date),
    ).toEqual(['2026-12-04'])
  })

  it('resolves "today" in the workspace time zone', () => {
    // 2026-11-30 20:00 UTC is already Tuesday 12-01 in Tokyo.
    const at = new Date('2026-11-30T20:00:00Z')
    expect(
      findDateContradictions('本日（火）発送します。', { now: at, timeZone: 'Asia/Tokyo' }),
    ).toEqual([])
    expect(
      findDateContradictions('本日（火）発送します。', {
        now: at,
        timeZone: 'America/New_York',
      }).map((f) => f.date),
    ).toEqual(['2026-11-30'])
  })
})

describe('a promise for a day the shop is closed', () => {
  const isClosedDay = (day: string) => day === '2026-12-04' || day === '2026-12-05'

  it('flags the date the message promises, with or without a weekday', () => {
    expect(check('12月4日(金)に発送いたします。', { isClosedDay })).toEqual([
      { kind: 'closed', text: '12月4日(金)', start: 0, end: 8, date: '2026-12-04' },
    ])
    expect(
      check('We will ship on Friday, December 4.', { isClosedDay }).map((f) => [f.kind, f.date]),
    ).toEqual([['closed', '2026-12-04']])
  })

  it('gives both warnings when the weekday is wrong and the day closed', () => {
    expect(
      check('12月5日(金)にお届けします。', { isClosedDay })
        .map((f) => f.kind)
        .sort(),
    ).toEqual(['closed', 'weekday'])
  })

  it('leaves dates that are not the promise alone', () => {
    expect(check('12月4日(金)は休業日です。', { isClosedDay })).toEqual([])
    expect(check('12月4日(金)にいただいたご注文', { isClosedDay })).toEqual([])
    expect(check('12月7日(月)にお届けします。', { isClosedDay })).toEqual([])
  })
})
