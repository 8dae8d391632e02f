import type { Compilable } from 'kysely'
import type { Deps } from '../deps'
import type { PostContext, PostEffect } from '../messages/messages.post'
import { expiryAfterPost } from '../boards/boards.rules'
import { GUEST_RECIPIENT, notificationKey } from './notifications.mail'
import { getCareSettings } from '../business-hours/business-hours.usecases'
import { createNotificationsRepository } from './notifications.repository'
import { drainOutbox, type DrainResult } from './outbox'
import { outboxHandlers } from './outbox.handlers'

/**
 * Outbox rows that belong to a staff post: the customer's email for a public post, unless the
 * member marked it as a small correction (notifyGuest false). Internal notes never reach the
 * customer. The post that makes the board 完了 asks for a rating in its email when the
 * workspace asks for ratings (the settings are read only for such a post).
 */
async function staffPostEmails({
  deps,
  workspace,
  board,
  message,
  statusAfter,
}: PostContext): Promise<Compilable[]> {
  if (message.internal || !message.notifyGuest) return []
  const becomesDone = statusAfter === 'done' && board.status !== 'done'
  const askRating =
    becomesDone && (await getCareSettings({ deps, workspaceId: workspace.id })).rating
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
      ...(askRating ? { askRating: true } : {}),
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
  // One drain at a time per database: a burst of posts would otherwise start one drain each,
  // and their turns between emails would all come due in the same turn of the event loop,
  // holding waiting requests for dozens of emails. A post during a drain asks it to go round
  // once more instead, so its rows are sent without waiting for the periodic sender.
  const running = drains.get(deps.db)
  if (running) {
    running.again = true
    return
  }
  const drain = beginDrain(deps)
  deps.defer(drain.run)
}

/**
 * Sends everything due, through the same one-drain-at-a-time gate as startSending: the periodic
 * sender (Node's interval, the Workers' cron and queue). When a drain is running already (a
 * post's), it is asked to go round once more and this resolves when it ends, instead of a second
 * drain sending beside it — two drains would each take a turn of the event loop per email.
 * Resolves to what the drain sent, retried and failed.
 */
export function sendDue(deps: Deps): Promise<DrainResult> {
  const running = drains.get(deps.db)
  if (running) {
    running.again = true
    return running.done
  }
  return beginDrain(deps).run()
}

interface RunningDrain {
  again: boolean
  /** resolves when the drain ends (never rejects: a failed drain is reported by `run`) */
  done: Promise<DrainResult>
}

function beginDrain(deps: Deps) {
  let finished!: (result: DrainResult) => void
  const state: RunningDrain = { again: false, done: new Promise((resolve) => (finished = resolve)) }
  drains.set(deps.db, state)
  const total: DrainResult = { sent: 0, retried: 0, failed: 0 }
  return {
    async run(): Promise<DrainResult> {
      try {
        do {
          state.again = false
          const round = await drainOutbox({ deps, handlers: outboxHandlers })
          total.sent += round.sent
          total.retried += round.retried
          total.failed += round.failed
        } while (state.again)
        return total
      } finally {
        drains.delete(deps.db)
        finished(total)
      }
    },
  }
}

const drains = new WeakMap<object, RunningDrain>()
