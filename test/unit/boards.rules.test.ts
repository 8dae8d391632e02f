import { describe, expect, it } from 'vitest'
import {
  BOARD_STATUSES,
  contactUrgency,
  DAY_MS,
  expiryAfterPost,
  hasUnread,
  isExpired,
  isUnanswered,
  nextStatus,
  statusTransitions,
} from '../../src/boards/boards.rules'

describe('status rules (DESIGN.md §2)', () => {
  it.each([
    ['new', 'waiting'],
    ['waiting', 'waiting'],
    ['replied', 'waiting'],
    ['on_hold', 'waiting'],
    ['done', 'done'],
    ['closed', 'closed'],
  ] as const)('a plain staff post on %s → %s', (from, to) => {
    expect(nextStatus(from, { kind: 'staff_post' })).toBe(to)
  })

  it('a template carrying a status applies it, whatever the current status', () => {
    for (const from of BOARD_STATUSES) {
      expect(nextStatus(from, { kind: 'staff_post', templateStatus: 'on_hold' })).toBe('on_hold')
    }
  })

  it.each(BOARD_STATUSES)('a customer post on %s → replied unless closed', (from) => {
    expect(nextStatus(from, { kind: 'guest_post' })).toBe(from === 'closed' ? 'closed' : 'replied')
  })

  it('a decision sets done; an internal note changes nothing; a member sets anything', () => {
    for (const from of BOARD_STATUSES) {
      expect(nextStatus(from, { kind: 'decision' })).toBe('done')
      expect(nextStatus(from, { kind: 'internal_note' })).toBe(from)
      expect(nextStatus(from, { kind: 'member_sets', status: 'closed' })).toBe('closed')
    }
  })

  it('the SQL transition table agrees with the rule for every status', () => {
    const table = statusTransitions({ kind: 'guest_post' })
    for (const from of BOARD_STATUSES)
      expect(table[from]).toBe(nextStatus(from, { kind: 'guest_post' }))
  })
})

describe('expiry', () => {
  const postedAt = Date.UTC(2026, 10, 24)
  it('a public post keeps the board at least expiry days after it', () => {
    expect(expiryAfterPost(postedAt, postedAt, 30)).toBe(postedAt + 30 * DAY_MS)
  })
  it('never shortens an expiry a member set further out', () => {
    const later = postedAt + 90 * DAY_MS
    expect(expiryAfterPost(later, postedAt, 30)).toBe(later)
  })
  it('is expired from the expiry instant on', () => {
    expect(isExpired(postedAt, postedAt - 1)).toBe(false)
    expect(isExpired(postedAt, postedAt)).toBe(true)
  })
})

describe('markers', () => {
  it('blue while the member has not seen the latest message, grey once read', () => {
    expect(hasUnread(3, null)).toBe(true)
    expect(hasUnread(3, 2)).toBe(true)
    expect(hasUnread(3, 3)).toBe(false)
    expect(hasUnread(0, null)).toBe(false)
  })
  it('orange only when the latest public message is the customer’s', () => {
    expect(isUnanswered('guest')).toBe(true)
    expect(isUnanswered('member')).toBe(false)
    expect(isUnanswered(null)).toBe(false)
  })
  it('next contact: overdue red, today highlighted, not for done or closed boards', () => {
    expect(contactUrgency('2026-11-23', 'waiting', '2026-11-24')).toBe('overdue')
    expect(contactUrgency('2026-11-24', 'replied', '2026-11-24')).toBe('today')
    expect(contactUrgency('2026-11-25', 'waiting', '2026-11-24')).toBe('upcoming')
    expect(contactUrgency('2026-11-23', 'done', '2026-11-24')).toBe('upcoming')
    expect(contactUrgency('2026-11-23', 'closed', '2026-11-24')).toBe('upcoming')
    expect(contactUrgency(null, 'waiting', '2026-11-24')).toBe('none')
  })
})
