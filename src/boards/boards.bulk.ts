// Bulk actions on the board list (issue #17.6): the selected boards, or every board matching
// the list's filters, get one change — assignee, status, a tag on or off, category, closed. Each
// chunk of boards is ONE batch (D1 has no interactive transactions) holding every board's update
// with what belongs to it (status history, webhooks, assignment notices), exactly as the side
// panel writes them for one board.
import type { Compilable } from 'kysely'
import type { BoardStatus, Member, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { validationError } from '../shared/errors'
import { boardNotFound } from './boards.errors'
import { assignmentNoticeStatements, resolveAssignee } from '../assignee/assignee.effects'
import { startSending } from '../notifications/notifications.effects'
import { statusChangeWebhooks } from '../webhooks/webhooks.effects'
import { categoryFor, cleanTagNames, tagChangeStatements } from '../tags/tags.usecases'
import { createBoardsRepository, type BoardListQuery } from './boards.repository'
import { BOARD_STATUSES } from './boards.rules'

export const BULK_ACTIONS = [
  'assign',
  'status',
  'add_tag',
  'remove_tag',
  'category',
  'close',
] as const
export type BulkAction = (typeof BULK_ACTIONS)[number]

/** Boards per batch: about ten statements each, well inside D1's limits. */
export const BULK_CHUNK = 100
/** Most boards one bulk action may change ("all matching" included). */
export const BULK_MAX = 5000

export interface BulkResult {
  action: BulkAction
  /** boards that changed */
  changed: number
  /** boards that already were so */
  unchanged: number
  /** the tag's or category's name as applied (for the summary) */
  value?: string
}

/**
 * The ids of every board of the workspace the list's filters match (at most BULK_MAX, in the
 * list's order), with the list's very own filter clauses.
 */
export async function matchingBoardIds(deps: Pick<Deps, 'db'>, filter: BoardListQuery) {
  return createBoardsRepository(deps).matchingIds(filter, BULK_MAX)
}

/** How many boards the filters match, counted up to BULK_MAX + 1 (cheap at 100k boards). */
export async function countMatching(deps: Pick<Deps, 'db'>, filter: BoardListQuery) {
  return (await createBoardsRepository(deps).matchingIds(filter, BULK_MAX + 1)).length
}

/**
 * Applies one action to boards of the workspace, a chunk of BULK_CHUNK boards per batch.
 * `value`: assign — a member id, "me" or "none"; status — a status code; add_tag/remove_tag — a
 * tag name; category — a category id or "none"; close — nothing. Errors, before anything is
 * written: 404 when any id is not a board of this workspace; 422 on `value` for a value the
 * action can't take (another workspace's member or category, a bad tag name, a bad status) and
 * on `ids` for no boards or more than BULK_MAX.
 */
export async function bulkUpdateBoards({
  deps,
  workspace,
  member,
  boardIds,
  action,
  value,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  boardIds: readonly string[]
  action: BulkAction
  value: string | undefined
}): Promise<BulkResult> {
  const ids = [...new Set(boardIds)]
  if (ids.length === 0) throw validationError([{ field: 'ids', problem: 'bulk.none_selected' }])
  if (ids.length > BULK_MAX) throw validationError([{ field: 'ids', problem: 'field.too_long' }])
  const actor = { kind: 'member' as const, memberId: member.id, name: member.name }
  const now = deps.clock.now().getTime()

  // What the action sets, checked once for all boards.
  let assignee: string | null = null
  let status: BoardStatus = 'closed'
  let category: { id: string; name: string } | null = null
  let tag: ReturnType<typeof cleanTagNames> = []
  const bad = () => validationError([{ field: 'value', problem: 'field.invalid_choice' }])
  switch (action) {
    case 'assign':
      if (!value) throw bad()
      assignee = await resolveAssignee({ deps, workspace, value, actor }).catch(() => {
        throw bad()
      })
      break
    case 'status':
      if (!(BOARD_STATUSES as readonly string[]).includes(value ?? '')) throw bad()
      status = value as BoardStatus
      break
    case 'category':
      category = await categoryFor({
        deps,
        workspace,
        value: value ?? null,
        by: 'id',
        field: 'value',
      })
      break
    case 'add_tag':
    case 'remove_tag':
      tag = cleanTagNames([value ?? ''], 'value')
      break
    case 'close':
      break
  }

  // Every id must be a board of this workspace, or nothing happens.
  const boards: {
    id: string
    status: BoardStatus
    assignee_member_id: string | null
    category_id: string | null
  }[] = []
  for (let at = 0; at < ids.length; at += 500) {
    boards.push(
      ...(await deps.db
        .selectFrom('boards')
        .select(['id', 'status', 'assignee_member_id', 'category_id'])
        .where('workspace_id', '=', workspace.id)
        .where('id', 'in', ids.slice(at, at + 500))
        .execute()),
    )
  }
  if (boards.length !== ids.length) throw boardNotFound()

  const repository = createBoardsRepository(deps)
  let changed = 0
  let sends = false
  for (let at = 0; at < boards.length; at += BULK_CHUNK) {
    const chunk = boards.slice(at, at + BULK_CHUNK)
    const statements: Compilable[] = []
    if (action === 'add_tag' || action === 'remove_tag') {
      const change = await tagChangeStatements({
        deps,
        workspace,
        boardIds: chunk.map((board) => board.id),
        add: action === 'add_tag' ? tag : [],
        remove: action === 'remove_tag' ? tag : [],
        now,
      })
      statements.push(...change.statements)
      changed += change.changed
    } else {
      for (const board of chunk) {
        if (action === 'assign') {
          if (board.assignee_member_id === assignee) continue
          statements.push(
            ...(await assignmentNoticeStatements({
              deps,
              workspace,
              boardId: board.id,
              assignee,
              actor,
              now,
            })),
            repository.updateQuery(workspace.id, board.id, { assignee_member_id: assignee }, now),
          )
          if (assignee) sends = true
        } else if (action === 'category') {
          if (board.category_id === (category?.id ?? null)) continue
          statements.push(
            repository.updateQuery(
              workspace.id,
              board.id,
              { category_id: category?.id ?? null },
              now,
            ),
          )
        } else {
          const to = action === 'close' ? 'closed' : status
          if (board.status === to) continue
          statements.push(
            ...(await statusChangeWebhooks({
              deps,
              workspace,
              boardId: board.id,
              status: to,
              now,
            })),
            repository.statusChangeQuery({
              id: deps.ids.id(),
              workspaceId: workspace.id,
              boardId: board.id,
              status: to,
              actor,
              now,
            }),
            repository.updateQuery(workspace.id, board.id, { status: to }, now),
          )
        }
        changed++
      }
    }
    if (statements.length > 0) await deps.batch(statements)
  }
  if (sends) startSending(deps)
  return {
    action,
    changed,
    unchanged: boards.length - changed,
    value: action === 'category' ? (category?.name ?? undefined) : tag[0]?.name,
  }
}

/** The summary line of a bulk action, e.g. "12件の担当者を変更しました。". */
export function bulkSummaryKey(action: BulkAction) {
  return `bulk.done.${action}` as const
}
