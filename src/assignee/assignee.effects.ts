// 担当者 (issue #17): what an assignment change writes besides the board's column — the email
// to the member now assigned (outbox, their `notify_assigned` switch applies, never to the one
// who assigned themselves) and the `board.assigned` webhook. Every path that sets a board's
// assignee (side panel, API, round-robin at creation, bulk assign) writes these statements in
// the same batch as the change, BEFORE the update: they select the board only while its
// assignee still differs from the new one, so setting the same assignee again announces nothing.
import { sql, type Compilable, type RawBuilder } from 'kysely'
import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import type { StatusActor } from '../boards/boards.repository'
import { validationError } from '../shared/errors'
import { subscribedEndpoints } from '../webhooks/webhooks.effects'
import { TEAM_NOTICE_KIND } from './team-notice.mail'

/** Who made the change, for the email's "assigned by" line and the self-assignment rule. */
export type AssignmentActor = StatusActor | { kind: 'system'; name: string }

/**
 * The notice statements of one assignment change, to run in the change's batch before the
 * update. `assignee` is the new member id (null: unassigned), or a SQL expression giving it
 * (round-robin picks inside SQL). Rows:
 * - one `board.assigned` webhook per subscribed endpoint, data `{ board, assignee: { id, name,
 *   email } | null, previous_assignee_id }`;
 * - one `team-notice` email row for the new assignee when it is not the actor and their
 *   `notify_assigned` is on, keyed `assigned/<event id>/<member id>` (a repeated batch adds
 *   nothing).
 * The board must belong to `workspace`: nothing is selected otherwise.
 */
export async function assignmentNoticeStatements({
  deps,
  workspace,
  boardId,
  assignee,
  actor,
  now,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  assignee: string | null | RawBuilder<string | null>
  actor?: AssignmentActor
  now: number
}): Promise<Compilable[]> {
  const eventId = deps.ids.id()
  const createdAt = new Date(now).toISOString()
  const newId: RawBuilder<string | null> =
    assignee === null ? sql<null>`NULL` : typeof assignee === 'string' ? sql`${assignee}` : assignee
  const endpoints = (await subscribedEndpoints(deps, workspace.id))('board.assigned')
  const changed = sql<boolean>`b.workspace_id = ${workspace.id} AND b.id = ${boardId} AND b.assignee_member_id IS NOT (${newId})`
  const webhooks = endpoints.map(
    (endpointId) =>
      sql`INSERT INTO outbox (id, workspace_id, kind, idempotency_key, board_id, message_id, payload, next_attempt_at, created_at)
        SELECT ${deps.ids.id()}, b.workspace_id, 'webhook', ${`webhook/${endpointId}/${eventId}`}, b.id, NULL,
          json_object('endpoint_id', ${endpointId}, 'event', json_object(
            'id', ${eventId}, 'type', 'board.assigned', 'created_at', ${createdAt},
            'data', json_object(
              'board', json_object('id', b.id, 'name', b.name, 'dedupe_key', b.dedupe_key, 'status', b.status),
              'assignee', CASE WHEN m.id IS NULL THEN NULL
                ELSE json_object('id', m.id, 'name', m.name, 'email', m.email) END,
              'previous_assignee_id', b.assignee_member_id))),
          ${now}, ${now}
        FROM boards b LEFT JOIN members m ON m.workspace_id = b.workspace_id AND m.id = (${newId})
        WHERE ${changed} AND ((${newId}) IS NULL OR m.id IS NOT NULL)`,
  )
  const actorMemberId = actor?.kind === 'member' ? actor.memberId : null
  const email =
    assignee === null
      ? []
      : [
          sql`INSERT INTO outbox (id, workspace_id, kind, idempotency_key, board_id, message_id, payload, next_attempt_at, created_at)
            SELECT ${deps.ids.id()}, b.workspace_id, ${TEAM_NOTICE_KIND}, ${`assigned/${eventId}/`} || m.id, b.id, NULL,
              json_object('kind', 'assigned', 'memberId', m.id, 'actorName', ${actor?.kind === 'system' ? null : (actor?.name ?? null)}),
              ${now}, ${now}
            FROM boards b JOIN members m ON m.workspace_id = b.workspace_id AND m.id = (${newId})
            WHERE ${changed} AND m.notify_assigned = 1 AND m.id IS NOT ${actorMemberId}
            ON CONFLICT (idempotency_key) DO NOTHING`,
        ]
  // Raw statements compile against this database's dialect, as the batch expects.
  return [...webhooks, ...email].map((raw) => ({ compile: () => raw.compile(deps.db) }))
}

/**
 * Everything one board's assignment change writes, for a caller that changes nothing else on
 * the board (bulk assign): the notices, then the update of `assignee_member_id` (and
 * `updated_at`). `assigneeId` must already be checked to be a member of `workspace` (see
 * `resolveAssignee`); a board of another workspace is left alone. Run the result in one batch
 * (`deps.batch`), several boards' statements may share one; the last statement returns the board
 * (RETURNING).
 */
export async function assignmentStatements(args: {
  deps: Deps
  workspace: Workspace
  boardId: string
  assigneeId: string | null
  actor?: AssignmentActor
  now: number
}): Promise<Compilable[]> {
  const { deps, workspace, boardId, assigneeId, now } = args
  return [
    ...(await assignmentNoticeStatements({ ...args, assignee: assigneeId })),
    deps.db
      .updateTable('boards')
      .set({ assignee_member_id: assigneeId, updated_at: now })
      .where('workspace_id', '=', workspace.id)
      .where('id', '=', boardId)
      .returningAll(),
  ]
}

/**
 * The member id a side panel's or the API's value names: "none" → null, "me" → the acting
 * member, else a member id of this workspace. Errors: 422 on `assignee` for anything else
 * (another workspace's member, an unknown id, "me" without a member).
 */
export async function resolveAssignee({
  deps,
  workspace,
  value,
  actor,
}: {
  deps: Deps
  workspace: Workspace
  value: string
  actor?: AssignmentActor
}): Promise<string | null> {
  if (value === 'none') return null
  const id = value === 'me' ? (actor?.kind === 'member' ? actor.memberId : undefined) : value
  const member = id
    ? await deps.db
        .selectFrom('members')
        .select('id')
        .where('workspace_id', '=', workspace.id)
        .where('id', '=', id)
        .executeTakeFirst()
    : undefined
  if (!member) throw validationError([{ field: 'assignee', problem: 'field.invalid_choice' }])
  return member.id
}
