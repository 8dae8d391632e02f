// What one row of the board list and one board's pages show, mapped once from their database
// rows (BoardListRow, BoardRow, BoardEventRow, status_changes: snake_case, JSON columns as text,
// flags as 0/1) so the views only render and a row's kept markup is keyed by exactly what it shows.
import type {
  BoardEventRow,
  BoardRow,
  BoardStatus,
  StatusChangeTable,
  Workspace,
} from '../db/schema'
import { ratingChangeableUntil } from '../ratings/ratings.rules'
import { guestEmailHealth, type GuestEmailHealth } from '../inbound/inbound.health'
import { localDate } from '../shared/time'
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

/** What a list row and the board page both show of a board (boardFacts maps it). */
export interface BoardFacts {
  id: string
  name: string
  customerName: string
  customerEmail: string
  dedupeKey: string | null
  status: BoardStatus
  /** YYYY-MM-DD in the workspace's time zone, or null */
  nextContactOn: string | null
  /** HH:MM, or null */
  nextContactTime: string | null
  /** epoch ms */
  expiresAt: number
  /** past expires_at now */
  expired: boolean
  /** the customer's address bounced or reported spam (guestEmailHealth) */
  emailProblem: GuestEmailHealth['problem']
  /** days the shop's last post has gone unread, once past the workspace's threshold */
  unreadDays: number | null
}

/** One row of the board list, as views/boards/list.tsx renders it. Flat but for the tags. */
export interface BoardListItem extends BoardFacts {
  /** 担当者's display name, or null */
  assigneeName: string | null
  /** タグ, sorted by name */
  tags: TagChip[]
  /** カテゴリ's name, or null */
  categoryName: string | null
  /** how the next contact date reads today (overdue / today …) */
  urgency: ContactUrgency
  /** epoch ms */
  lastActivityAt: number
  /** the blue marker: messages this member has not seen */
  unread: boolean
  /** the orange marker: the customer wrote last */
  unanswered: boolean
  /** the customer's rating (1–5), or null */
  ratingScore: number | null
}

/**
 * Maps a list row for the list as it reads at `now` (epoch ms) on `today` (YYYY-MM-DD, the
 * workspace's time zone); `unreadWarningDays` is the workspace's threshold (0: off).
 */
export function toBoardListItem(
  row: BoardListRow,
  clock: { today: string; now: number; unreadWarningDays: number },
): BoardListItem {
  return {
    ...boardFacts(row, clock.now, clock.unreadWarningDays),
    assigneeName: row.assignee_name,
    tags: tagsFromList(row.tag_list),
    categoryName: row.category_name,
    urgency: contactUrgency(row.next_contact_on, row.status, clock.today),
    lastActivityAt: row.last_activity_at,
    unread: hasUnread(row.message_seq, row.read_seq),
    unanswered: isUnanswered(row.last_public_author),
    ratingScore: row.rating_score,
  }
}

/**
 * What a list row and the board page both show of a board, mapped the same way: its names,
 * status, next contact, expiry (and whether it has passed at `now`) and the customer's email
 * health (guestEmailHealth with the workspace's threshold `unreadWarningDays`).
 */
function boardFacts(
  row: BoardListRow | BoardRow,
  now: number,
  unreadWarningDays: number,
): BoardFacts {
  const health = guestEmailHealth(row, now, unreadWarningDays)
  return {
    id: row.id,
    name: row.name,
    customerName: row.customer_name,
    customerEmail: row.customer_email,
    dedupeKey: row.dedupe_key,
    status: row.status,
    nextContactOn: row.next_contact_on,
    nextContactTime: row.next_contact_time,
    expiresAt: row.expires_at,
    expired: isExpired(row.expires_at, now),
    emailProblem: health.problem,
    unreadDays: health.unreadDays,
  }
}

/**
 * The key of a list row's kept markup (views/fragments.ts): every field of the item, plus what
 * the row reads from the viewer — language, time zone, the list's address and the workspace's
 * status names (modelKey of the names the row shows).
 */
export function boardListItemKey(
  item: BoardListItem,
  viewer: { locale: string; timeZone: string; base: string; statusLabels: string },
): string {
  return `board-row|${viewer.locale}|${viewer.timeZone}|${viewer.base}|${viewer.statusLabels}${modelKey(item)}`
}

/** The customer's rating as members see it on the board (BoardView.rating). */
export interface StaffRatingView {
  /** 1–5 */
  score: number
  comment: string | null
  /** epoch ms of the latest rating (or change of it) */
  ratedAt: number
  /** changed since it was first given */
  changed: boolean
}

/**
 * One board as the staff board page shows it (views/boards/board.tsx: side panel, composer,
 * alerts, header; the details form, the tags panel, the rating, the link panel and the print
 * view read parts of it). Clock-derived state is read at the page's `now`.
 */
export interface BoardView extends BoardFacts {
  /** 担当者: the member's id, or null */
  assigneeId: string | null
  /** カテゴリ: the category's id, or null */
  categoryId: string | null
  /** the expiry's date in the workspace's time zone (YYYY-MM-DD, the side panel's field) */
  expiresOn: string
  /** the board's message sequence (the thread's last message; the poller asks after it) */
  messageSeq: number
  /** the highest public comment number the customer has read */
  guestReadNo: number
  /** epoch ms the customer last opened the board, or null (never) */
  guestReadAt: number | null
  /** the customer's rating, or null while there is none */
  rating: StaffRatingView | null
}

/**
 * Maps a board row for the staff pages as they read at `now` (epoch ms) in `workspace` (its
 * time zone and unread-warning threshold, `unread_warning_days`, 0: off).
 */
export function toBoardView(
  row: BoardRow,
  clock: { now: number; workspace: Pick<Workspace, 'time_zone' | 'unread_warning_days'> },
): BoardView {
  return {
    ...boardFacts(row, clock.now, clock.workspace.unread_warning_days),
    assigneeId: row.assignee_member_id,
    categoryId: row.category_id,
    expiresOn: localDate(row.expires_at, clock.workspace.time_zone),
    messageSeq: row.message_seq,
    guestReadNo: row.guest_read_no,
    guestReadAt: row.guest_read_at,
    rating:
      row.rating_score === null || row.rated_at === null
        ? null
        : {
            score: row.rating_score,
            comment: row.rating_comment,
            ratedAt: row.rated_at,
            changed: row.first_rated_at !== null && row.first_rated_at !== row.rated_at,
          },
  }
}

/** The customer's own rating on the customer's pages (GuestBoardView.rating). */
export interface GuestRatingView {
  /** 1–5, or null (not rated yet) */
  score: number | null
  comment: string | null
  /** epoch ms until which the rating may still be changed (exclusive), or null (not rated) */
  changeableUntil: number | null
}

/**
 * One board as the customer's pages show it (views/guest/board.tsx, the rating pages, the print
 * view): only what the customer may see — never the assignee, tags, category, dedupe key,
 * internal notes or their counters.
 */
export interface GuestBoardView {
  id: string
  name: string
  customerName: string
  /** 完了: the rating is asked, 「解決しました」 is not offered */
  done: boolean
  /** epoch ms */
  expiresAt: number
  /** the last public comment number (the thread's last message; the poller asks after it) */
  lastNo: number
  rating: GuestRatingView
}

/** Maps a board row for the customer's pages. */
export function toGuestBoardView(row: BoardRow): GuestBoardView {
  return {
    id: row.id,
    name: row.name,
    customerName: row.customer_name,
    done: row.status === 'done',
    expiresAt: row.expires_at,
    lastNo: row.last_no,
    rating: {
      score: row.rating_score,
      comment: row.rating_comment,
      changeableUntil:
        row.first_rated_at === null ? null : ratingChangeableUntil(row.first_rated_at),
    },
  }
}

/** One system line of a board's thread (a corrected detail, a re-sent notification). */
export interface BoardEventView {
  id: string
  /** the message sequence the line follows (none of the thread's: at the top) */
  afterSeq: number
  kind: BoardEventRow['kind']
  /** the corrected field, or null (a re-sent notification) */
  field: BoardEventRow['field']
  oldValue: string | null
  newValue: string | null
  /** the re-sent notification's message, or null */
  messageId: string | null
  actorKind: BoardEventRow['actor_kind']
  actorName: string
  /** epoch ms */
  at: number
}

/** Maps a board's system lines (in thread order). */
export function toBoardEventViews(rows: BoardEventRow[]): BoardEventView[] {
  return rows.map((row) => ({
    id: row.id,
    afterSeq: row.after_seq,
    kind: row.kind,
    field: row.field,
    oldValue: row.old_value,
    newValue: row.new_value,
    messageId: row.message_id,
    actorKind: row.actor_kind,
    actorName: row.actor_name,
    at: row.at,
  }))
}

/** Who set the board's current status by hand (the side panel's 「お客様が完了にしました」). */
export interface StatusChangeView {
  actorKind: StatusChangeTable['actor_kind']
  actorName: string
  /** epoch ms */
  at: number
}

/** Maps a status change row (whoSetStatus), or null. */
export function toStatusChangeView(
  row: Pick<StatusChangeTable, 'actor_kind' | 'actor_name' | 'at'> | null,
): StatusChangeView | null {
  return row && { actorKind: row.actor_kind, actorName: row.actor_name, at: row.at }
}
