import type { Compilable } from 'kysely'
import type { Deps } from '../deps'
import type { PostContext, PostEffect } from '../messages/messages.post'
import { expiryAfterPost } from '../boards/boards.rules'
import { GUEST_RECIPIENT, notificationKey } from './notifications.mail'
import { createNotificationsRepository } from './notifications.repository'
import { drainOutbox } from './outbox'
import { outboxHandlers } from './outbox.handlers'

/**
 * Outbox rows that belong to a staff post: the customer's email for a public post, unless the
 * member marked it as a small correction (notifyGuest false). Internal notes never reach the
 * customer.
 */
function staffPostEmails({ deps, workspace, board, message }: PostContext): Compilable[] {
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
function guestPostEmails({ deps, workspace, board, message }: PostContext): Compilable[] {
  return [
    createNotificationsRepository(deps).insertMemberEmails({
      workspaceId: workspace.id,
      boardId: board.id,
      messageId: message.id,
      now: message.now,
    }),
  ]
}

/** Post effect: the notification emails a post sends (customer's for staff posts, members' for customer posts). */
export const postEmailsEffect: PostEffect = {
  name: 'notification-emails',
  statements: (post) =>
    post.message.authorKind === 'guest' ? guestPostEmails(post) : staffPostEmails(post),
  startsSending: true,
}

/**
 * Called by a post once its batch (with the rows above) has committed: the send starts at once.
 * The periodic sender (Node) or the queue and cron (Workers) cover anything this misses.
 */
export function startSending(deps: Deps) {
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
}
