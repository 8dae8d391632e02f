// The customer's rating when a board is settled (満足度, issue #18): asked on the customer's page
// and, with one-click links, in the email that tells them the board is done. One rating per
// board, changeable for 7 days; a low one alerts the assignee (or the members) at once; `board.rated` goes to
// webhooks. And the customer's own 「解決しました」, which moves the board to 完了 through the
// same status change members use.
import type { BoardRow } from '../db/schema'
import type { Deps } from '../deps'
import { createBoardsRepository } from '../boards/boards.repository'
import { updateBoard } from '../boards/boards.usecases'
import { createAutoAnswersRepository } from '../auto-answers/auto-answers.repository'
import { guestBoardClosed, guestBoardExpired } from '../guest/guest.errors'
import { guestBoardState, type GuestAccess } from '../guest/guest.usecases'
import { startSending } from '../notifications/notifications.effects'
import { ratingWebhooks } from '../webhooks/webhooks.effects'
import { ratingLocked, ratingNotDone, ratingOff } from './ratings.errors'
import { createRatingsRepository } from './ratings.repository'
import { isLowRating, ratingState, type RatingState } from './ratings.rules'
import { ratingPrompt } from './ratings.prompt'
import type { RatingInput } from './ratings.schemas'

/**
 * The customer rates the board (or changes the rating). One batch: the rating itself (a single
 * conditional UPDATE: done, not expired, never rated or first rated < 7 days ago), then the
 * `board.rated` webhook rows and — for a score of 1 or 2 — the alert emails (the assignee, or
 * with none every member who takes customer-post emails), both
 * gated on this write, so a write the database refuses adds nothing and nothing is sent twice.
 * Errors: 403 `rating_off` (the workspace does not ask), 410 (expired), 409 `rating_not_done`,
 * 409 `rating_locked` (the 7 days are over); nothing changes then.
 */
export async function rateBoard({
  deps,
  access,
  input,
}: {
  deps: Deps
  access: GuestAccess
  input: RatingInput
}): Promise<BoardRow> {
  const { board, workspace } = access
  const now = deps.clock.now().getTime()
  const prompt = await ratingPrompt({ deps, workspace })
  throwUnlessRateable(ratingState(board, prompt.on, now))

  const repository = createRatingsRepository(deps)
  const eventId = deps.ids.id()
  const write = { workspaceId: workspace.id, boardId: board.id, eventId, now }
  const queries = [
    repository.rateQuery({ ...write, score: input.score, comment: input.comment }),
    ...(await ratingWebhooks({
      deps,
      workspace,
      boardId: board.id,
      eventId,
      previousScore: board.rating_score,
      now,
    })),
    ...(isLowRating(input.score) ? [repository.lowRatingAlertQuery(write)] : []),
  ]
  const [result, ...effects] = await deps.batch(queries)
  const rated = result?.rows[0] as BoardRow | undefined
  if (!rated) {
    // Changed between the read and the write (closed, reopened, the 7 days ran out): say why.
    const current = await createBoardsRepository(deps).findById(workspace.id, board.id)
    throwUnlessRateable(current ? ratingState(current, prompt.on, now) : 'not_done')
    throw ratingNotDone()
  }
  if (effects.some((effect) => Number(effect.numAffectedRows ?? 0) > 0)) startSending(deps)
  return rated
}

function throwUnlessRateable(state: RatingState) {
  if (state === 'off') throw ratingOff()
  if (state === 'expired') throw guestBoardExpired()
  if (state === 'not_done') throw ratingNotDone()
  if (state === 'locked') throw ratingLocked()
}

/**
 * The customer's 「解決しました」: the board becomes 完了 through the members' own status change
 * (webhook `board.status_changed`, the status history saying the customer did it), and an
 * automatic answer still waiting to tell them "we'll be right with you" is cancelled. A board
 * already done is left as it is. Errors: 410 when expired, 403 `board_closed` when closed.
 */
export async function settleBoard({
  deps,
  access,
}: {
  deps: Deps
  access: GuestAccess
}): Promise<BoardRow> {
  const { board, workspace } = access
  const state = guestBoardState(board, deps.clock.now().getTime())
  if (state === 'expired') throw guestBoardExpired()
  if (state === 'closed') throw guestBoardClosed()
  if (board.status === 'done') return board
  return updateBoard({
    deps,
    workspace,
    boardId: board.id,
    input: { status: 'done' },
    actor: { kind: 'guest', name: board.customer_name },
    alsoWrite: [createAutoAnswersRepository(deps).cancelPending(workspace.id, board.id)],
  })
}

/**
 * Who set the board's current status by hand (done or closed: who ended it), for the staff
 * board; null when nobody did, or when a post came after (a post moves status on its own, and
 * the thread says who wrote it).
 */
export async function whoSetStatus({
  deps,
  board,
}: {
  deps: Pick<Deps, 'db'>
  board: Pick<BoardRow, 'id' | 'workspace_id' | 'status' | 'last_activity_at'>
}) {
  if (board.status !== 'done' && board.status !== 'closed') return null
  const change = await createBoardsRepository(deps).latestStatusChange(
    board.workspace_id,
    board.id,
    board.status,
  )
  return change && change.at >= board.last_activity_at ? change : null
}
