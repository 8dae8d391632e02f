// What one message of a thread shows, mapped once from its database row (MessageRow: snake_case,
// `internal` as 0/1) and its files, so the views only render and a message's kept markup is
// keyed by exactly what it shows.
import type { BoardRow, MessageRow } from '../db/schema'
import { localDate } from '../shared/time'
import type { AttachmentView } from '../attachments/attachments.usecases'
import type { GuestMessage } from '../guest/guest.repository'
import { modelKey } from '../../views/fragments'

/** One message of the staff thread, as views/boards/board.tsx renders it. */
export interface ThreadMessage {
  id: string
  /** the board's message sequence (anchors `#m-<seq>`, the poller) */
  seq: number
  /** the public comment number, null for an internal note */
  no: number | null
  internal: boolean
  /** written by the customer (else by staff or the system) */
  fromGuest: boolean
  authorName: string
  body: string
  /** epoch ms */
  createdAt: number
  /** epoch ms of the last edit, or null */
  editedAt: number | null
  /** the comment number this message decides, or null */
  decidesNo: number | null
  /** the words that set the next contact date (highlighted), or null */
  nextContactPhrase: string | null
  /** YYYY-MM-DD, or null */
  nextContactOn: string | null
  /** HH:MM, or null */
  nextContactTime: string | null
  /** this is the board's decided comment */
  decided: boolean
  /** decided, and edited after the decision */
  decisionChanged: boolean
  /** a staff comment the customer has read */
  readByGuest: boolean
  /** an internal note naming someone with `@`: its names are highlighted (not kept markup) */
  mentions: boolean
  /** the message's files (none: undefined) */
  files: AttachmentView[] | undefined
}

/**
 * What a staff thread's markup is made from of its board: what its messages show of it (which
 * comment is decided, how far the customer read) and what says its rows are unchanged
 * (`messageSeq` moves with every new message, `threadRev` with an edit or a removed file,
 * migrations/0009_thread_rev.sql). The mappers read the board through this model only, and the
 * whole thread's key holds every field of it: a field the mapper starts to read is in the key.
 */
export interface ThreadBoard {
  id: string
  messageSeq: number
  threadRev: number
  /** the decided comment's number, or null */
  decisionNo: number | null
  /** the highest public comment number the customer has read */
  guestReadNo: number
}

/** The fields of ThreadBoard, in its order: the thread's key holds these and nothing else. */
const THREAD_BOARD_FIELDS = [
  'id',
  'messageSeq',
  'threadRev',
  'decisionNo',
  'guestReadNo',
] as const satisfies readonly (keyof ThreadBoard)[]

/** Maps the board row's thread columns. */
export function toThreadBoard(
  row: Pick<BoardRow, 'id' | 'message_seq' | 'thread_rev' | 'decision_no' | 'guest_read_no'>,
): ThreadBoard {
  return {
    id: row.id,
    messageSeq: row.message_seq,
    threadRev: row.thread_rev,
    decisionNo: row.decision_no,
    guestReadNo: row.guest_read_no,
  }
}

/** The same for the customer's thread (public messages: the read position isn't shown). */
export type GuestThreadBoard = Omit<ThreadBoard, 'guestReadNo'>

const GUEST_THREAD_BOARD_FIELDS = [
  'id',
  'messageSeq',
  'threadRev',
  'decisionNo',
] as const satisfies readonly (keyof GuestThreadBoard)[]

/** Maps the board row's columns the customer's thread is made from (no read position). */
export function toGuestThreadBoard(row: Parameters<typeof toThreadBoard>[0]): GuestThreadBoard {
  return pick(toThreadBoard(row), GUEST_THREAD_BOARD_FIELDS)
}

/** Just `fields` of `board`, in their order (a wider object keys the same). */
function pick<T extends object, K extends keyof T>(board: T, fields: readonly K[]): Pick<T, K> {
  const picked = {} as Pick<T, K>
  for (const field of fields) picked[field] = board[field]
  return picked
}

/** What a message shows from its board: which comment is decided, how far the customer read. */
export type ThreadContext = {
  board: ThreadBoard
  /** the decided comment was edited after the decision (DecisionView.changedSince) */
  decisionChanged?: boolean
  /** files of the thread's messages, by message id */
  attachments?: Record<string, AttachmentView[]>
}

/** Maps a staff thread's message row with its files and its board's decision and read position. */
export function toThreadMessage(row: MessageRow, context: ThreadContext): ThreadMessage {
  const fromGuest = row.author_kind === 'guest'
  const decided = row.no !== null && context.board.decisionNo === row.no
  return {
    id: row.id,
    seq: row.seq,
    no: row.no,
    internal: Boolean(row.internal),
    fromGuest,
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    decidesNo: row.decides_no,
    nextContactPhrase: row.next_contact_phrase,
    nextContactOn: row.next_contact_on,
    nextContactTime: row.next_contact_time,
    decided,
    decisionChanged: decided && Boolean(context.decisionChanged),
    readByGuest: !fromGuest && row.no !== null && row.no <= context.board.guestReadNo,
    mentions: Boolean(row.internal) && row.body.includes('@'),
    files: context.attachments?.[row.id],
  }
}

/** Maps a staff thread's rows (in thread order). */
export function toThreadMessages(rows: MessageRow[], context: ThreadContext): ThreadMessage[] {
  return rows.map((row) => toThreadMessage(row, context))
}

/**
 * The key of a staff message's kept markup (views/fragments.ts): every field of the message,
 * plus what it reads from the viewer — language, time zone — and the links' workspace and board.
 */
export function threadMessageKey(
  message: ThreadMessage,
  viewer: { locale: string; timeZone: string; slug: string; boardId: string },
): string {
  return `message|${viewer.locale}|${viewer.timeZone}|${viewer.slug}|${viewer.boardId}${modelKey(message)}`
}

/**
 * The key of a whole staff thread's kept markup, known before its rows are read: the board's
 * thread fields (ThreadBoard), whether the decided comment changed since, and the
 * viewer's language, time zone and workspace (the links).
 */
export function threadKey(
  context: Pick<ThreadContext, 'board' | 'decisionChanged'>,
  viewer: { locale: string; timeZone: string; slug: string },
): string {
  return `thread|${viewer.locale}|${viewer.timeZone}|${viewer.slug}|${context.decisionChanged ?? false}${modelKey(pick(context.board, THREAD_BOARD_FIELDS))}`
}

/** One public message on the customer's page (views/guest/board.tsx). */
export interface GuestThreadMessage {
  id: string
  no: number
  /** written by this customer (「あなた」) */
  mine: boolean
  authorName: string
  body: string
  /** epoch ms */
  createdAt: number
  /** epoch ms of the last edit, or null */
  editedAt: number | null
  decidesNo: number | null
  decided: boolean
  /** decided, and edited after the decision */
  decisionChanged: boolean
  /** the message's public files (none: undefined) */
  files: AttachmentView[] | undefined
}

/** What a customer's message shows from its board: the decided comment and the public files. */
export type GuestThreadContext = Omit<ThreadContext, 'board'> & {
  board: GuestThreadBoard
}

/** Maps one of the customer's public message rows with its public files and the board's decision. */
export function toGuestThreadMessage(
  row: GuestMessage,
  context: GuestThreadContext,
): GuestThreadMessage {
  const decided = context.board.decisionNo === row.no
  return {
    id: row.id,
    no: row.no,
    mine: row.author_kind === 'guest',
    authorName: row.author_name,
    body: row.body,
    createdAt: row.created_at,
    editedAt: row.edited_at,
    decidesNo: row.decides_no,
    decided,
    decisionChanged: decided && Boolean(context.decisionChanged),
    files: context.attachments?.[row.id],
  }
}

/** Maps the customer's public message rows (in thread order). */
export function toGuestThreadMessages(
  rows: GuestMessage[],
  context: GuestThreadContext,
): GuestThreadMessage[] {
  return rows.map((row) => toGuestThreadMessage(row, context))
}

/**
 * The key of a customer's whole thread as rendered (views/fragments.ts), known before its rows
 * are read: the board's thread fields (GuestThreadBoard), whether the decided comment
 * changed since, the language and time zone, and the year of `now` (epoch ms: dates of the
 * current year are written without it, so a new year renders them anew). Nothing of the viewer's
 * own goes in the markup (the reply form with its token stays outside), so two customers never
 * share anything but a board they both hold the link to.
 */
export function guestThreadKey(
  context: Pick<GuestThreadContext, 'board' | 'decisionChanged'>,
  viewer: { locale: string; timeZone: string; now: number },
): string {
  const year = localDate(viewer.now, viewer.timeZone).slice(0, 4)
  return `guest-thread|${viewer.locale}|${viewer.timeZone}|${year}|${context.decisionChanged ?? false}${modelKey(pick(context.board, GUEST_THREAD_BOARD_FIELDS))}`
}
