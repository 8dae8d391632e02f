// Rows → the API's JSON. Times are ISO 8601 in UTC; calendar dates stay 'YYYY-MM-DD' in the
// workspace time zone, as members see them.
import type { BoardRow, MessageRow, Workspace } from '../db/schema'
import type { Config, Deps } from '../deps'
import { guestUrl, staffBoardUrl } from '../guest/guest.link'
import { presentRating } from '../ratings/ratings.rules'
import type { BoardLabels } from '../tags/tags.usecases'

const iso = (ms: number) => new Date(ms).toISOString()

/**
 * A board as the API's JSON; `labels` are its tag names and category name (labelsOfBoards in
 * src/tags/tags.usecases.ts).
 */
export function presentBoard(board: BoardRow, labels: BoardLabels) {
  return {
    id: board.id,
    name: board.name,
    customer_name: board.customer_name,
    customer_email: board.customer_email,
    dedupe_key: board.dedupe_key,
    message_id: board.thread_message_id,
    status: board.status,
    closed: board.status === 'closed',
    next_contact_on: board.next_contact_on,
    next_contact_time: board.next_contact_time,
    expires_at: iso(board.expires_at),
    decision_no: board.decision_no,
    last_no: board.last_no,
    unanswered: board.last_public_author === 'guest',
    assignee_id: board.assignee_member_id,
    tags: labels.tags,
    category: labels.category,
    last_activity_at: iso(board.last_activity_at),
    rating: presentRating(board),
    created_at: iso(board.created_at),
    updated_at: iso(board.updated_at),
  }
}

/** A single board with the two links: the staff page and the customer's (secret) link. */
export async function presentBoardWithLinks(
  config: Pick<Config, 'baseUrl' | 'appSecret'>,
  workspace: Workspace,
  board: BoardRow,
  labels: BoardLabels,
) {
  return {
    ...presentBoard(board, labels),
    staff_url: staffBoardUrl(config, workspace.slug, board.id),
    guest_url: await guestUrl(config, board),
  }
}

export function presentMessage(message: MessageRow) {
  return {
    id: message.id,
    board_id: message.board_id,
    no: message.no,
    seq: message.seq,
    internal: message.internal === 1,
    author_kind: message.author_kind,
    author_name: message.author_name,
    body: message.body,
    decides_no: message.decides_no,
    created_at: iso(message.created_at),
    edited_at: message.edited_at === null ? null : iso(message.edited_at),
  }
}

/**
 * An answer as it is stored for an Idempotency-Key: the customer's link (a secret, DESIGN.md
 * §4) blanked to null wherever it appears (`guest_url`, `board.guest_url`), and the board it
 * belongs to, to rebuild the link on replay. A body that is not a board answer is kept as is.
 */
export function withoutGuestUrl(body: string): { body: string; boardId: string | null } {
  let parsed: unknown
  try {
    parsed = JSON.parse(body)
  } catch {
    return { body, boardId: null }
  }
  if (!parsed || typeof parsed !== 'object') return { body, boardId: null }
  const answer = parsed as { guest_url?: unknown; board?: { id?: unknown; guest_url?: unknown } }
  const boardId = typeof answer.board?.id === 'string' ? answer.board.id : null
  let blanked = false
  if ('guest_url' in answer) {
    answer.guest_url = null
    blanked = true
  }
  if (answer.board && typeof answer.board === 'object' && 'guest_url' in answer.board) {
    answer.board.guest_url = null
    blanked = true
  }
  return { body: blanked ? JSON.stringify(answer) : body, boardId }
}

/**
 * The stored answer with the customer's link put back, as the board's link is now (a link
 * reissued since gives the new one). Null stays when the board is gone.
 */
export async function withGuestUrl(
  deps: Pick<Deps, 'db' | 'config'>,
  workspace: Workspace,
  body: string,
  boardId: string | null,
): Promise<string> {
  if (!boardId) return body
  let answer: { guest_url?: unknown; board?: { guest_url?: unknown } }
  try {
    answer = JSON.parse(body) as typeof answer
  } catch {
    return body
  }
  const hasTop = answer && 'guest_url' in answer
  const hasBoard = answer?.board && typeof answer.board === 'object' && 'guest_url' in answer.board
  if (!hasTop && !hasBoard) return body
  const board = await deps.db
    .selectFrom('boards')
    .selectAll()
    .where('workspace_id', '=', workspace.id)
    .where('id', '=', boardId)
    .executeTakeFirst()
  if (!board) return body
  const url = await guestUrl(deps.config, board)
  if (hasTop) answer.guest_url = url
  if (hasBoard) answer.board!.guest_url = url
  return JSON.stringify(answer)
}
