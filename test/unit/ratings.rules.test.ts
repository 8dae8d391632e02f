import { describe, expect, it } from 'vitest'
import {
  isLowRating,
  presentRating,
  RATING_CHANGE_MS,
  ratingLabel,
  ratingState,
} from '../../src/ratings/ratings.rules'
import { ratingFormSchema } from '../../src/ratings/ratings.schemas'

const NOW = Date.parse('2026-11-24T10:00:00+09:00')
const done = { status: 'done' as const, expires_at: NOW + 1, first_rated_at: null }

describe('rating rules', () => {
  it('asks only while on, done and not expired; changeable for 7 days from the first rating', () => {
    expect(ratingState(done, false, NOW)).toBe('off')
    expect(ratingState({ ...done, expires_at: NOW }, true, NOW)).toBe('expired')
    for (const status of ['new', 'waiting', 'replied', 'on_hold', 'closed'] as const)
      expect(ratingState({ ...done, status }, true, NOW)).toBe('not_done')
    expect(ratingState(done, true, NOW)).toBe('open')
    const rated = { ...done, expires_at: NOW + 30 * RATING_CHANGE_MS, first_rated_at: NOW }
    expect(ratingState(rated, true, NOW)).toBe('changeable')
    expect(ratingState(rated, true, NOW + RATING_CHANGE_MS - 1)).toBe('changeable')
    expect(ratingState(rated, true, NOW + RATING_CHANGE_MS)).toBe('locked')
  })

  it('names every point in both languages; 1 and 2 are low', () => {
    expect([1, 2, 3, 4, 5].map((s) => ratingLabel(s, 'ja'))).toEqual([
      'とても不満',
      '不満',
      'ふつう',
      '満足',
      'とても満足',
    ])
    expect(ratingLabel(4, 'en')).toBe('Satisfied')
    expect([1, 2, 3, 4, 5].map(isLowRating)).toEqual([true, true, false, false, false])
  })

  it('presents the API shape, or null before a rating', () => {
    expect(presentRating({ rating_score: null, rating_comment: null, rated_at: null })).toBeNull()
    expect(presentRating({ rating_score: 4, rating_comment: null, rated_at: NOW })).toEqual({
      score: 4,
      comment: null,
      rated_at: '2026-11-24T01:00:00.000Z',
    })
  })

  it('reads the form: a score 1–5 and an optional comment (empty is none)', () => {
    expect(ratingFormSchema.parse({ score: '5', comment: '  ' })).toEqual({
      score: 5,
      comment: null,
    })
    expect(ratingFormSchema.parse({ score: '1' })).toEqual({ score: 1, comment: null })
    expect(ratingFormSchema.parse({ score: '2', comment: 'a\r\nb' }).comment).toBe('a\nb')
    for (const score of ['', '0', '6', '10', '1.0', ' 3', 'x'])
      expect(ratingFormSchema.safeParse({ score }).success).toBe(false)
    expect(ratingFormSchema.safeParse({ score: '3', comment: 'x'.repeat(2001) }).success).toBe(
      false,
    )
  })
})
