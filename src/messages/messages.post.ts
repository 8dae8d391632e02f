// The one way a message is written: staff posts (page and API) and customer posts (page and
// email reply) all call writePost, which builds the message's statements and the post's effects
// and runs them as ONE batch.
//
// Why one batch: an effect's rows (outbox emails, webhooks, the decision record, file links,
// read positions …) commit together with the message or not at all, so a crash never leaves a
// post without its notifications or a notification without its post, and D1 (no interactive
// transactions) gets the same guarantee as SQLite.
//
// Adding an effect (assignee notice, mention notice, statistics counter, automatic answer …):
// 1. write a `PostEffect` in your feature (e.g. `src/stats/stats.effects.ts`): `statements(post)`
//    returns the statements to add to the post's batch — [] when the post doesn't concern it.
//    It may read (endpoints, settings) but must not write: anything written outside the batch
//    is not crash-safe. Use `post.board` (the board BEFORE the post) and `post.statusAfter`;
//    numbers the post assigns (No., seq) are only known inside SQL, so compute from the boards
//    row in your statement (INSERT … SELECT … FROM boards) when you need them.
// 2. add it to POST_EFFECTS in `./post.effects.ts`; the list's order is the batch's order.
// 3. set `startsSending` if your rows are outbox rows that should go out right after the commit.
import type { Compilable } from 'kysely'
import type { BoardRow, BoardStatus, MessageRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { expiryAfterPost, statusTransitions, type StatusEvent } from '../boards/boards.rules'
import { startSending } from '../notifications/notifications.effects'
import { createMessagesRepository, type NewMessage } from './messages.repository'
import { POST_EFFECTS } from './post.effects'

/** What every effect sees of the post it belongs to. */
export interface PostContext {
  deps: Deps
  workspace: Workspace
  /** the board as it was before this post (its status, expiry and counters) */
  board: BoardRow
  /** the message being written; `authorKind` tells a customer post ('guest') from a staff one */
  message: NewMessage
  /** the board's status once the post commits */
  statusAfter: BoardStatus
  /** the public message this post confirms as the decision (staff posts only) */
  decided: MessageRow | null
  /** finished uploads to link to the message, as the client sent them (the effect checks them) */
  attachmentIds: string[] | undefined
}

/** One thing that happens with every post it concerns, in the post's own batch. */
export interface PostEffect {
  /** unique, for reading the registry and errors */
  name: string
  /** the statements to append to the post's batch; [] when this post doesn't concern it */
  statements(post: PostContext): Promise<Compilable[]> | Compilable[]
  /** its rows are outbox rows: start the sender once the batch has committed */
  startsSending?: boolean
}

/** A customer's message (page or email reply): public, and never mailed back to the customer. */
export function customerMessage(fields: {
  id: string
  workspaceId: string
  boardId: string
  authorName: string
  body: string
  now: number
}): NewMessage {
  return {
    ...fields,
    internal: false,
    authorKind: 'guest',
    authorMemberId: null,
    decidesNo: null,
    nextContactPhrase: null,
    nextContactOn: null,
    nextContactTime: null,
    notifyGuest: false,
  }
}

/**
 * Writes one message and everything that belongs to it in one batch: the message row (numbered
 * from the board's counters in the same statement), the board's counters, status (by `event`),
 * expiry (public posts only, DESIGN.md §2), decision and next-contact markers, then each
 * registered effect's statements. `claim` (statements that fail on a repeat) runs first, so a
 * retried request posts at most once.
 *
 * A customer post re-checks closed/expired inside the insert (see `guestPostAt`): when the board
 * closed meanwhile the whole batch fails and nothing is written. Returns the rows as written.
 * Errors: whatever an effect throws before the batch (e.g. 422 for bad attachment ids), or the
 * batch's own error; in both cases nothing is written.
 */
export async function writePost({
  deps,
  workspace,
  board,
  message,
  event,
  decided = null,
  attachmentIds,
  claim,
  effects = POST_EFFECTS,
}: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
  message: NewMessage
  event: StatusEvent
  decided?: MessageRow | null
  attachmentIds?: string[]
  claim?: Compilable | Compilable[]
  effects?: readonly PostEffect[]
}): Promise<{ message: MessageRow; board: BoardRow }> {
  const transitions = statusTransitions(event)
  const postWrites = createMessagesRepository(deps).postQueries(message, {
    transitions,
    // Internal notes extend nothing (DESIGN.md §2).
    expiresAtLeast: message.internal
      ? null
      : expiryAfterPost(board.expires_at, message.now, workspace.expiry_days),
    decisionNo: decided?.no ?? null,
    nextContact: message.nextContactOn
      ? { on: message.nextContactOn, time: message.nextContactTime }
      : null,
    guestPostAt: message.authorKind === 'guest' ? message.now : undefined,
  })
  const post: PostContext = {
    deps,
    workspace,
    board,
    message,
    statusAfter: transitions[board.status],
    decided,
    attachmentIds,
  }
  const claims = claim === undefined ? [] : Array.isArray(claim) ? claim : [claim]
  const queries: Compilable[] = [...claims, ...postWrites]
  let sends = false
  // In order, one after another: the batch's order (and the ids drawn) follow the registry.
  for (const effect of effects) {
    const statements = await effect.statements(post)
    queries.push(...statements)
    if (effect.startsSending && statements.length > 0) sends = true
  }
  const results = await deps.batch(queries)
  if (sends) startSending(deps)

  // The insert and the update return their rows, so the post costs no extra read.
  const offset = claims.length
  const saved = results[offset]?.rows[0] as MessageRow | undefined
  const updated = results[offset + 1]?.rows[0] as BoardRow | undefined
  if (!saved || !updated) throw new Error('posted message vanished')
  return { message: saved, board: updated }
}
