import type { BoardRow } from '../db/schema'

const DAY_MS = 24 * 3600_000

/** The default of the (not yet stored) workspace setting: warn after three days unread. */
export const UNREAD_WARNING_DAYS = 3

export interface GuestEmailHealth {
  /** the customer's address bounced, or they reported our mail as spam */
  problem: 'bounced' | 'complained' | null
  /** days the latest staff message has gone unread, once past the workspace's threshold */
  unreadDays: number | null
}

/**
 * Whether the shop should reach the customer another way. "Unread" means the last public post
 * is the shop's and the customer's read receipt is below it; the clock runs from the board's
 * last activity (the staff post, or a later internal note, which only delays the warning).
 */
export function guestEmailHealth(
  board: Pick<
    BoardRow,
    | 'guest_email_problem'
    | 'last_public_author'
    | 'guest_read_no'
    | 'last_no'
    | 'last_activity_at'
    | 'status'
  >,
  now: number,
  days = UNREAD_WARNING_DAYS,
): GuestEmailHealth {
  const unread =
    board.status !== 'closed' &&
    board.last_public_author === 'member' &&
    board.guest_read_no < board.last_no &&
    days > 0 &&
    now - board.last_activity_at >= days * DAY_MS
  return {
    problem: board.guest_email_problem ?? null,
    unreadDays: unread ? Math.floor((now - board.last_activity_at) / DAY_MS) : null,
  }
}
