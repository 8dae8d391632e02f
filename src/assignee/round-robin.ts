// Round-robin assignment (issue #17): with the workspace's switch on, each new board (staff form
// and API without an explicit assignee) goes to the next member who opted in. D1 has no
// interactive transactions, so the pick is made inside the board's own insert batch: one UPDATE
// gives the member with the lowest turn (never picked first, then the longest ago) the
// workspace's next turn number, and the board takes the member holding the highest turn. The
// batch runs as one transaction on SQLite and on D1, so two boards created at once get two turns.
import { sql, type Compilable, type RawBuilder } from 'kysely'
import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { assignmentNoticeStatements } from './assignee.effects'

/** The member the last turn went to, as a SQL expression (NULL when nobody opted in). */
function lastPicked(workspaceId: string): RawBuilder<string | null> {
  return sql<string | null>`(SELECT id FROM members WHERE workspace_id = ${workspaceId}
    AND round_robin = 1 AND round_robin_turn IS NOT NULL ORDER BY round_robin_turn DESC LIMIT 1)`
}

/**
 * The statements that assign a board just inserted in the same batch (`boardId`, still without
 * an assignee) to the next member in turn, with the assignment email and `board.assigned`
 * webhook (actor: the workspace, so the email says "in turn"). Run them AFTER the insert: when
 * the insert did nothing (a dedupe key that already existed) they change nothing and use no
 * turn. The last statement returns the board (RETURNING) once assigned. [] when the
 * workspace's switch is off.
 */
export async function roundRobinStatements({
  deps,
  workspace,
  boardId,
  now,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  now: number
}): Promise<Compilable[]> {
  if (workspace.round_robin !== 1) return []
  const ws = workspace.id
  const turn = sql`UPDATE members SET round_robin_turn =
      (SELECT COALESCE(MAX(round_robin_turn), 0) + 1 FROM members WHERE workspace_id = ${ws})
    WHERE id = (SELECT id FROM members WHERE workspace_id = ${ws} AND round_robin = 1
      ORDER BY round_robin_turn IS NOT NULL, round_robin_turn, created_at, id LIMIT 1)
    AND EXISTS (SELECT 1 FROM boards WHERE workspace_id = ${ws} AND id = ${boardId}
      AND assignee_member_id IS NULL)`
  const picked = lastPicked(ws)
  return [
    { compile: () => turn.compile(deps.db) },
    ...(await assignmentNoticeStatements({
      deps,
      workspace,
      boardId,
      assignee: picked,
      actor: { kind: 'system', name: 'round-robin' },
      now,
    })),
    deps.db
      .updateTable('boards')
      .set({ assignee_member_id: picked })
      .where('workspace_id', '=', ws)
      .where('id', '=', boardId)
      .where('assignee_member_id', 'is', null)
      .returningAll(),
  ]
}

/** The workspace's switch (admins, Settings). */
export async function setRoundRobin({
  deps,
  workspace,
  enabled,
}: {
  deps: Deps
  workspace: Workspace
  enabled: boolean
}) {
  await deps.db
    .updateTable('workspaces')
    .set({ round_robin: enabled ? 1 : 0 })
    .where('id', '=', workspace.id)
    .execute()
}

/**
 * A member's own opt-in. Joining starts with no turn, so the newcomer is picked next; leaving
 * keeps nothing to undo (the boards they have stay theirs).
 */
export async function setRoundRobinMember({
  deps,
  workspace,
  memberId,
  join,
}: {
  deps: Deps
  workspace: Workspace
  memberId: string
  join: boolean
}) {
  await deps.db
    .updateTable('members')
    .set({ round_robin: join ? 1 : 0, round_robin_turn: null })
    .where('workspace_id', '=', workspace.id)
    .where('id', '=', memberId)
    .where('round_robin', '=', join ? 0 : 1)
    .execute()
}

/** Members who opted in, in name order, for the settings card. */
export function roundRobinMembers(deps: Deps, workspaceId: string) {
  return deps.db
    .selectFrom('members')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspaceId)
    .where('round_robin', '=', 1)
    .orderBy('name')
    .execute()
}
