import type { Compilable } from 'kysely'
import type { BoardRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { expiryAfterPost } from '../boards/boards.rules'
import { GUEST_RECIPIENT, notificationKey } from './notifications.mail'
import { createNotificationsRepository } from './notifications.repository'
import { guestPostWebhooks } from '../webhooks/webhooks.effects'
import { drainOutbox } from './outbox'
import { outboxHandlers } from './outbox.handlers'

/**
 * Outbox rows that belong to a staff post: the customer's email for a public post, unless the
 * member marked it as a small correction (notifyGuest false). Internal notes never reach the
 * customer. Written in the same batch as the post; the batch port starts the send once it commits.
 */
export async function staffPostEffects({
  deps,
  workspace,
  board,
  message,
}: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
  message: {
    id: string
    internal: boolean
    notifyGuest: boolean
    body: string
    authorName: string
    now: number
  }
}): Promise<Compilable[]> {
  if (message.internal || !message.notifyGuest) return []
  const query = createNotificationsRepository(deps).insertEmail({
    id: deps.ids.id(),
    workspaceId: workspace.id,
    boardId: board.id,
    messageId: message.id,
    idempotencyKey: notificationKey(message.id, GUEST_RECIPIENT),
    payload: {
      template: 'guest-notification',
      to: board.customer_email,
      // The same rule the post applies to the board, from the board as it was before the post.
      expiresAt: expiryAfterPost(board.expires_at, message.now, workspace.expiry_days),
    },
    now: message.now,
  })
  return [query]
}

/**
 * Outbox rows that belong to a customer post: one email per member with notifications on, the
 * list taken by the insert itself (INSERT … SELECT) inside the post's batch.
 */
export async function guestPostEffects({
  deps,
  workspace,
  board,
  message,
}: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
  message: { id: string; body: string; authorName: string; now: number }
}): Promise<Compilable[]> {
  const query = createNotificationsRepository(deps).insertMemberEmails({
    workspaceId: workspace.id,
    boardId: board.id,
    messageId: message.id,
    now: message.now,
  })
  return [query, ...(await guestPostWebhooks({ deps, workspace, board, message }))]
}

/**
 * Called by a post once its batch (with the rows above) has committed: the send starts at once.
 * The periodic sender (Node) or the queue and cron (Workers) cover anything this misses.
 */
export function startSending(deps: Deps) {
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
}
