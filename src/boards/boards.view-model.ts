// What one row of the board list shows, mapped once from its database row (BoardListRow:
// snake_case, JSON columns as text) so the view only renders and the row's kept markup is keyed
// by exactly what it shows.
import type { BoardStatus } from '../db/schema'
import { guestEmailHealth, type GuestEmailHealth } from '../inbound/inbound.health'
import { tagsFromList, type TagChip } from '../tags/tags.rules'
import { modelKey } from '../../views/fragments'
import type { BoardListRow } from './boards.repository'
import {
  contactUrgency,
  hasUnread,
  isExpired,
  isUnanswered,
  type ContactUrgency,
} from './boards.rules'

/** One row of the board list, as views/boards/list.tsx renders it. Flat but for the tags. */
export interface BoardListItem {
  id: string
  name: string
  customerName: string
  customerEmail: string
  dedupeKey: string | null
  status: BoardStatus
  /** 担当者's display name, or null */
  assigneeName: string | null
  /** タグ, sorted by name */
  tags: TagChip[]
  /** カテゴリ's name, or null */
  categoryName: string | null
  /** YYYY-MM-DD in the workspace's time zone, or null */
  nextContactOn: string | null
  /** HH:MM, or null */
  nextContactTime: string | null
  /** how the next contact date reads today (overdue / today …) */
  urgency: ContactUrgency
  /** epoch ms */
  expiresAt: number
  /** epoch ms */
  lastActivityAt: number
  /** the blue marker: messages this member has not seen */
  unread: boolean
  /** the orange marker: the customer wrote last */
  unanswered: boolean
  /** past expires_at now */
  expired: boolean
  /** the customer's rating (1–5), or null */
  ratingScore: number | null
  /** the customer's address bounced or reported spam (guestEmailHealth) */
  emailProblem: GuestEmailHealth['problem']
  /** days the shop's last post has gone unread, once past the workspace's threshold */
  unreadDays: number | null
}

/**
 * Maps a list row for the list as it reads at `now` (epoch ms) on `today` (YYYY-MM-DD, the
 * workspace's time zone); `unreadWarningDays` is the workspace's threshold (0: off).
 */
export function toBoardListItem(
  row: BoardListRow,
  clock: { today: string; now: number; unreadWarningDays: number },
): BoardListItem {
  const health = guestEmailHealth(row, clock.now, clock.unreadWarningDays)
  return {
    id: row.id,
    name: row.name,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    dedupeKey: row.dedupe_key,
    status: row.status,
    assigneeName: row.assignee_name,
    tags: tagsFromList(row.tag_list),
    categoryName: row.category_name,
    nextContactOn: row.next_contact_on,
    nextContactTime: row.next_contact_time,
    urgency: contactUrgency(row.next_contact_on, row.status, clock.today),
    expiresAt: row.expires_at,
    lastActivityAt: row.last_activity_at,
    unread: hasUnread(row.message_seq, row.read_seq),
    unanswered: isUnanswered(row.last_public_author),
    expired: isExpired(row.expires_at, clock.now),
    ratingScore: row.rating_score,
    emailProblem: health.problem,
    unreadDays: health.unreadDays,
  }
}

/**
 * The key of a list row's kept markup (views/fragments.ts): every field of the item, plus what
 * the row reads from the viewer — language, time zone, the list's address and the workspace's
 * status names (`workspaces.status_labels` as stored).
 */
export function boardListItemKey(
  item: BoardListItem,
  viewer: { locale: string; timeZone: string; base: string; statusLabels: string },
): string {
  return `board-row|${viewer.locale}|${viewer.timeZone}|${viewer.base}|${viewer.statusLabels}${modelKey(item)}`
}
