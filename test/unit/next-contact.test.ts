import { describe, expect, it } from 'vitest'
import { extractNextContact } from '../../src/next-contact/extract'
import { NEXT_CONTACT_CASES, type NextContactCase } from '../fixtures/next-contact-sentences'

function label(c: NextContactCase): string {
  const want = c.expected
    ? `${c.expected.date}${c.expected.time ? ` ${c.expected.time}` : ''}`
    : 'null'
  const extra = [c.timeZone, c.closedDays ? `closed ${c.closedDays.length}` : undefined]
    .filter(Boolean)
    .join(', ')
  return `${c.text.replace(/\n/g, ' ')}  @${c.now}${extra ? ` (${extra})` : ''} → ${want}`
}

describe('extractNextContact', () => {
  it('has a table of at least 220 sentences', () => {
    expect(NEXT_CONTACT_CASES.length).toBeGreaterThanOrEqual(220)
  })

  it.each(NEXT_CONTACT_CASES.map((c) => [label(c), c] as const))('%s', (_name, c) => {
    const result = extractNextContact(c.text, {
      now: new Date(c.now),
      ...(c.timeZone ? { timeZone: c.timeZone } : {}),
      ...(c.closedDays ? { closedDays: c.closedDays } : {}),
    })
    if (c.expected === null) {
      expect(result).toBeNull()
      return
    }
    expect(result).not.toBeNull()
    expect({ date: result?.date, time: result?.time }).toEqual({
      date: c.expected.date,
      time: c.expected.time,
    })
    expect(result?.text.length).toBeGreaterThan(0)
    expect(c.text).toContain(result?.text)
  })

  it('is pure: the same input gives the same output and the input is untouched', () => {
    const now = new Date('2026-10-07T10:00:00+09:00')
    const closedDays = ['2026-10-08']
    const a = extractNextContact('翌営業日にご連絡いたします。', { now, closedDays })
    const b = extractNextContact('翌営業日にご連絡いたします。', { now, closedDays })
    expect(a).toEqual(b)
    expect(a?.date).toBe('2026-10-09')
    expect(now.toISOString()).toBe('2026-10-07T01:00:00.000Z')
    expect(closedDays).toEqual(['2026-10-08'])
  })

  it('returns null for empty text and an invalid now', () => {
    expect(extractNextContact('', { now: new Date() })).toBeNull()
    expect(extractNextContact('明日ご連絡します', { now: new Date('nope') })).toBeNull()
  })
})
