// Pure rules from DESIGN.md §2: statuses, expiry, list markers. No I/O here.
import type { BoardStatus } from '../db/schema'

export const BOARD_STATUSES = ['new', 'waiting', 'replied', 'on_hold', 'done', 'closed'] as const

export function isBoardStatus(value: unknown): value is BoardStatus {
  return typeof value === 'string' && (BOARD_STATUSES as readonly string[]).includes(value)
}

export type StatusEvent =
  | { kind: 'staff_post'; templateStatus?: BoardStatus | null }
  | { kind: 'internal_note' }
  | { kind: 'decision' }
  | { kind: 'guest_post' }
  | { kind: 'member_sets'; status: BoardStatus }

/** The status a board moves to when `event` happens while it is `current`. */
export function nextStatus(current: BoardStatus, event: StatusEvent): BoardStatus {
  switch (event.kind) {
    case 'staff_post':
      if (event.templateStatus) return event.templateStatus
      return current === 'done' || current === 'closed' ? current : 'waiting'
    case 'internal_note':
      return current
    case 'decision':
      return 'done'
    case 'guest_post':
      return current === 'closed' ? current : 'replied'
    case 'member_sets':
      return event.status
  }
}

/**
 * The same rule as a table from every current status to the next one, so a write can apply it
 * inside one SQL statement (`CASE status WHEN …`) and stay atomic without a transaction.
 */
export function statusTransitions(event: StatusEvent): Record<BoardStatus, BoardStatus> {
  return Object.fromEntries(
    BOARD_STATUSES.map((status) => [status, nextStatus(status, event)]),
  ) as Record<BoardStatus, BoardStatus>
}

export const DAY_MS = 24 * 60 * 60 * 1000

/** Every public post keeps the board visible for at least `expiryDays` after it. */
export function expiryAfterPost(currentExpiresAt: number, postedAt: number, expiryDays: number) {
  return Math.max(currentExpiresAt, postedAt + expiryDays * DAY_MS)
}

export function isExpired(expiresAt: number, now: number): boolean {
  return now >= expiresAt
}

/** Blue marker: messages this member has not seen. Grey once they opened the board. */
export function hasUnread(messageSeq: number, readSeq: number | null | undefined): boolean {
  return messageSeq > (readSeq ?? 0)
}

/** Orange marker: the latest public message is the customer's and nobody answered yet. */
export function isUnanswered(lastPublicAuthor: string | null): boolean {
  return lastPublicAuthor === 'guest'
}

export type ContactUrgency = 'overdue' | 'today' | 'upcoming' | 'none'

/** Next contact warning: overdue (red) and today (highlighted) only while work is open. */
export function contactUrgency(
  nextContactOn: string | null,
  status: BoardStatus,
  today: string,
): ContactUrgency {
  if (!nextContactOn) return 'none'
  if (status === 'done' || status === 'closed') return 'upcoming'
  if (nextContactOn < today) return 'overdue'
  if (nextContactOn === today) return 'today'
  return 'upcoming'
}
