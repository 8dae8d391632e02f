// Correcting a board's details (issue #15.5): board name, customer name and customer email,
// from the side panel or the Shop API's PATCH. Every real change leaves a system line on the
// board; a new customer address after a bounce offers to re-send the last notification there.
import type { Compilable } from 'kysely'
import type { BoardRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { auditStatement } from '../team/audit'
import { startSending } from '../notifications/notifications.effects'
import { createNotificationsRepository } from '../notifications/notifications.repository'
import { boardNotFound } from './boards.errors'
import { getBoard } from './boards.usecases'
import {
  createBoardEventsRepository,
  DETAIL_FIELDS,
  resendKey,
  type DetailField,
  type EventActor,
} from './board-events.repository'

export type DetailChanges = Partial<Record<DetailField, string>>

/** The fields of `input` that differ from the board (the same value twice changes nothing). */
export function changedDetails(board: BoardRow, input: DetailChanges): DetailChanges {
  const changes: DetailChanges = {}
  for (const field of DETAIL_FIELDS) {
    const value = input[field]
    if (value !== undefined && value !== board[field]) changes[field] = value
  }
  return changes
}

/**
 * The statements that correct a board's details, for one batch: a system line per changed
 * field (each reads the old value itself), then the board's update (RETURNING the row, last).
 * `audit` adds the audit log entry of a new customer address (who may now receive the mail).
 */
export function detailStatements({
  deps,
  workspace,
  board,
  changes,
  actor,
  audit,
}: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
  changes: DetailChanges
  actor: EventActor
  audit?: { ip: string | null }
}): Compilable[] {
  const now = deps.clock.now().getTime()
  const events = createBoardEventsRepository(deps)
  const statements: Compilable[] = []
  for (const field of DETAIL_FIELDS) {
    const value = changes[field]
    if (value === undefined) continue
    statements.push(
      events.detailChangedQuery({
        id: deps.ids.id(),
        workspaceId: workspace.id,
        boardId: board.id,
        field,
        value,
        actor,
        now,
      }),
    )
  }
  if (changes.customer_email !== undefined && audit) {
    statements.push(
      auditStatement(deps, {
        workspaceId: workspace.id,
        actor: actor.memberId ? { id: actor.memberId, name: actor.name } : null,
        action: 'board.customer_email_changed',
        target: board.name,
        detail: {
          from: board.customer_email,
          to: changes.customer_email,
          ...(actor.kind === 'api' ? { api_key: actor.name } : {}),
        },
        ip: audit.ip,
      }),
    )
  }
  statements.push(events.updateDetailsQuery(workspace.id, board.id, changes, now))
  return statements
}

/**
 * Corrects a board's details in one batch. Fields left out, or given as they already are,
 * change nothing and leave no line. Returns the board as it is afterwards and the fields that
 * changed. Errors: 404 for a board of another workspace.
 */
export async function correctBoardDetails({
  deps,
  workspace,
  boardId,
  input,
  actor,
  audit,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  input: DetailChanges
  actor: EventActor
  audit?: { ip: string | null }
}): Promise<{ board: BoardRow; changed: DetailField[] }> {
  const board = await getBoard({ deps, workspace, boardId })
  const changes = changedDetails(board, input)
  const changed = DETAIL_FIELDS.filter((field) => changes[field] !== undefined)
  if (changed.length === 0) return { board, changed }
  const results = await deps.batch(
    detailStatements({ deps, workspace, board, changes, actor, audit }),
  )
  const updated = results.at(-1)?.rows[0] as BoardRow | undefined
  if (!updated) throw boardNotFound()
  return { board: updated, changed }
}

/** The re-send a member may make now (see createBoardEventsRepository().resendOffer). */
export const resendOffer = (deps: Deps, board: BoardRow) =>
  createBoardEventsRepository(deps).resendOffer(board)

/**
 * Re-sends the last customer notification to the corrected address, through the outbox. The
 * row's idempotency key is fixed by the address change it answers, so a double click, a second
 * member or a retry queues it once; the system line is written only with that first row.
 * Returns whether this call queued it.
 */
export async function resendLastNotification({
  deps,
  workspace,
  boardId,
  eventId,
  actor,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  /** the address change the member answered (the offer they saw) */
  eventId: string
  actor: EventActor
}): Promise<{ queued: boolean; board: BoardRow }> {
  const board = await getBoard({ deps, workspace, boardId })
  const offer = await resendOffer(deps, board)
  if (!offer || offer.eventId !== eventId) return { queued: false, board }
  const now = deps.clock.now().getTime()
  const key = resendKey(offer.messageId, offer.eventId)
  const events = createBoardEventsRepository(deps)
  const [line] = await deps.batch([
    events.resentQuery({
      id: deps.ids.id(),
      workspaceId: workspace.id,
      boardId: board.id,
      messageId: offer.messageId,
      to: offer.to,
      outboxKey: key,
      actor,
      now,
    }),
    createNotificationsRepository(deps).insertEmail({
      id: deps.ids.id(),
      workspaceId: workspace.id,
      boardId: board.id,
      messageId: offer.messageId,
      idempotencyKey: key,
      payload: { template: 'guest-notification', to: offer.to, expiresAt: board.expires_at },
      now,
    }),
    events.bumpThreadRevQuery(workspace.id, board.id),
  ])
  const queued = Number(line?.numAffectedRows ?? 0) > 0
  if (queued) startSending(deps)
  return { queued, board }
}
