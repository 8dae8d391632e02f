// Rows → the API's JSON. Times are ISO 8601 in UTC; calendar dates stay 'YYYY-MM-DD' in the
// workspace time zone, as members see them.
import type { BoardRow, MessageRow, Workspace } from '../db/schema'
import type { Config } from '../deps'
import { guestUrl, staffBoardUrl } from '../guest/guest.link'

const iso = (ms: number) => new Date(ms).toISOString()

export function presentBoard(board: BoardRow) {
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
    last_activity_at: iso(board.last_activity_at),
    created_at: iso(board.created_at),
    updated_at: iso(board.updated_at),
  }
}

/** A single board with the two links: the staff page and the customer's (secret) link. */
export async function presentBoardWithLinks(
  config: Pick<Config, 'baseUrl' | 'appSecret'>,
  workspace: Workspace,
  board: BoardRow,
) {
  return {
    ...presentBoard(board),
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
