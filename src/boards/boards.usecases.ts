import type { BoardRow, BoardStatus, Member, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { endOfLocalDay, localDate } from '../shared/time'
import { decodeCursor, encodeCursor } from '../shared/list-filter'
import { boardNotFound, DuplicateBoardError } from './boards.errors'
import {
  assignmentNoticeStatements,
  assignmentStatements,
  resolveAssignee,
  type AssignmentActor,
} from '../assignee/assignee.effects'
import { roundRobinStatements } from '../assignee/round-robin'
import { createMentionsRepository } from '../mentions/mentions.repository'
import type { Compilable } from 'kysely'
import {
  createBoardsRepository,
  type BoardChanges,
  type BoardListQuery,
  type BoardSort,
  type BoardWarning,
  type NewBoard,
  type StatusActor,
} from './boards.repository'
import { indexBoardStatements } from '../search/search.index'
import { searchFor } from '../search/search.usecases'
import type { SearchProblem } from '../search/search.query'
import { matchSnippets, type MatchSnippet } from '../search/search.snippets'
import { statusChangeWebhooks } from '../webhooks/webhooks.effects'
import { DAY_MS } from './boards.rules'
import { startSending } from '../notifications/notifications.effects'
import type { CreateBoardInput, UpdateBoardInput } from './boards.schemas'
import { auditStatementWhileBoardExists, type AuditEntry } from '../team/audit'
import { categoryFor } from '../tags/tags.usecases'
import { toBoardListItem } from './boards.view-model'

export type CreateBoardResult =
  { created: true; board: BoardRow } | { created: false; board: BoardRow }

/**
 * Opens a board. With a dedupe key, a second create (even a concurrent one) never makes a
 * second board: the unique index decides, and the existing board comes back instead.
 * `alsoWrite(boardId)` gives statements to commit in the same batch as the insert (an
 * Idempotency-Key's commit record); they run after it, so they can test that it inserted.
 */
export async function createBoard({
  deps,
  workspace,
  createdBy,
  input,
  alsoWrite,
  assignee,
}: {
  deps: Deps
  workspace: Workspace
  createdBy: string | null
  input: CreateBoardInput
  alsoWrite?: (boardId: string) => Compilable[]
  /**
   * 担当者 at creation (issue #17): a member id already checked to be of this workspace
   * (`resolveAssignee`), null for none; undefined lets the workspace's round-robin pick.
   */
  assignee?: { id: string | null; actor: AssignmentActor }
}): Promise<CreateBoardResult> {
  const repository = createBoardsRepository(deps)
  const now = deps.clock.now().getTime()
  const newBoard: NewBoard = {
    id: deps.ids.id(),
    workspaceId: workspace.id,
    name: input.name,
    customerName: input.customer_name,
    customerEmail: input.customer_email,
    dedupeKey: input.dedupe_key ?? null,
    threadMessageId: input.message_id ?? null,
    expiresAt: now + workspace.expiry_days * DAY_MS,
    createdBy,
    now,
  }
  // The board's own fields go into the search index in the insert's batch (issue #17), and so
  // does its assignment: an explicit one, or the next member in turn (round-robin).
  const assignment =
    assignee === undefined
      ? await roundRobinStatements({ deps, workspace, boardId: newBoard.id, now })
      : assignee.id === null
        ? []
        : await assignmentStatements({
            deps,
            workspace,
            boardId: newBoard.id,
            assigneeId: assignee.id,
            actor: assignee.actor,
            now,
          })
  const head = [repository.insertQuery(newBoard), ...indexBoardStatements(deps.db, newBoard)]
  const results = await deps.batch([...head, ...assignment, ...(alsoWrite?.(newBoard.id) ?? [])])
  const inserted = results[0]?.rows[0] as BoardRow | undefined
  const assigned = assignment.length
    ? (results[head.length + assignment.length - 1]?.rows[0] as BoardRow | undefined)
    : undefined
  if (assignment.length && inserted) startSending(deps)
  const board = assigned ?? inserted
  if (board) return { created: true, board }
  const existing = input.dedupe_key
    ? await repository.findByDedupeKey(workspace.id, input.dedupe_key)
    : undefined
  if (!existing) throw new Error('board insert did nothing without a dedupe conflict')
  return { created: false, board: existing }
}

/** Like createBoard, but a duplicate key is an error pointing at the existing board. */
export async function createBoardOrFail(args: Parameters<typeof createBoard>[0]) {
  const result = await createBoard(args)
  if (!result.created) throw new DuplicateBoardError(result.board.id, result.board.name)
  return result.board
}

/** The board list's cursor: a mangled one just starts from the first page. */
function decodeListCursor(cursor: string | undefined) {
  const values = cursor ? decodeCursor(cursor, 2) : undefined
  if (!values || typeof values[1] !== 'string') return undefined
  return { sortValue: values[0]!, id: values[1] }
}

export const PAGE_SIZE = 50

export async function listBoards({
  deps,
  workspace,
  member,
  filters,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  filters: {
    status?: BoardStatus
    q?: string
    sort: BoardSort
    due: boolean
    warning?: BoardWarning
    cursor?: string
  }
}) {
  const today = localDate(deps.clock.now(), workspace.time_zone)
  const now = deps.clock.now().getTime()
  const unreadDays = workspace.unread_warning_days
  const found = filters.q
    ? await searchFor(deps, filters.q, {
        workspaceId: workspace.id,
        timeZone: workspace.time_zone,
        now,
        memberId: member.id,
        includeInternal: true,
      })
    : undefined
  if (found && !found.ok)
    return {
      boards: [],
      nextCursor: undefined,
      today,
      problems: found.problems,
      snippets: new Map<string, MatchSnippet>(),
    }
  const rows = await createBoardsRepository(deps).list({
    workspaceId: workspace.id,
    memberId: member.id,
    status: filters.status,
    search: found?.search,
    sort: filters.sort,
    dueOn: filters.due ? today : undefined,
    warning: filters.warning,
    now,
    unreadBefore: unreadDays > 0 ? now - unreadDays * DAY_MS : null,
    cursor: decodeListCursor(filters.cursor),
    limit: PAGE_SIZE + 1,
  })
  const boards = rows.slice(0, PAGE_SIZE)
  const last = boards.at(-1)
  const nextCursor =
    rows.length > PAGE_SIZE && last
      ? encodeCursor([
          filters.sort === 'next_contact'
            ? last.contact_sort
            : (last.match_rid ?? last.last_activity_at),
          last.id,
        ])
      : undefined
  // the matched message of each row, for a search with words (one query for the page's rows)
  const snippets = found?.search.words.length
    ? await matchSnippets(
        deps.db,
        found.search,
        boards.map((board) => board.id),
        boards.every((board) => board.match_rid !== undefined)
          ? boards.map((board) => board.match_rid!)
          : undefined,
      )
    : new Map<string, MatchSnippet>()
  const clock = { today, now, unreadWarningDays: unreadDays }
  return {
    boards: boards.map((row) => toBoardListItem(row, clock)),
    nextCursor,
    today,
    problems: [] as SearchProblem[],
    snippets,
  }
}

export async function getBoard({
  deps,
  workspace,
  boardId,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
}) {
  const board = await createBoardsRepository(deps).findById(workspace.id, boardId)
  if (!board) throw boardNotFound()
  return board
}

/**
 * The board as a member opens it: read up to its last message from now on. Re-opening a board
 * already read writes nothing (most page views are re-reads). `readSeq` is how far the member
 * had read before this visit (null: never opened), for the page's "unread from here" line.
 */
export async function openBoard({
  deps,
  workspace,
  member,
  boardId,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  boardId: string
}) {
  const found = await createBoardsRepository(deps).findWithReadSeq(workspace.id, boardId, member.id)
  if (!found) throw boardNotFound()
  const { read_seq: readSeq, ...board } = found
  if (readSeq === null || readSeq < board.message_seq)
    await markBoardRead({ deps, member, boardId })
  return { board, readSeq }
}

export async function markBoardRead({
  deps,
  member,
  boardId,
}: {
  deps: Deps
  member: Member
  boardId: string
}) {
  const now = deps.clock.now().getTime()
  // Opening the board reads its mentions of this member too (the header's メンション badge).
  await deps.batch([
    createBoardsRepository(deps).markRead(member.id, boardId, now),
    createMentionsRepository(deps).markBoardRead(member.id, boardId, now),
  ])
}

/**
 * The side panel, the API and the customer's 「解決しました」: status, next contact date and time,
 * expiry (a calendar day, kept to its end), 担当者 and カテゴリ (an id of the workspace's, or
 * "none"; anything else is a 422 on `category`). A status change is announced to webhooks and, with
 * an `actor`, recorded in the board's status history (who set it), in the batch of the change;
 * `alsoWrite` adds statements to that batch (they run before the update). Errors: 404 when the
 * board is not in the workspace.
 */
export async function updateBoard({
  deps,
  workspace,
  boardId,
  input,
  actor,
  alsoWrite = [],
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  /** `expires_at` (epoch ms) is the API's exact expiry; the side panel sends a day */
  input: UpdateBoardInput & { expires_at?: number }
  actor?: StatusActor
  alsoWrite?: Compilable[]
}) {
  const changes: BoardChanges = {}
  if (input.status) changes.status = input.status
  if (input.next_contact_on !== undefined) {
    changes.next_contact_on = input.next_contact_on
    changes.next_contact_time = input.next_contact_on ? (input.next_contact_time ?? null) : null
  } else if (input.next_contact_time !== undefined) {
    changes.next_contact_time = input.next_contact_time
  }
  if (input.expires_on) changes.expires_at = endOfLocalDay(input.expires_on, workspace.time_zone)
  if (input.expires_at !== undefined) changes.expires_at = input.expires_at
  if (input.assignee !== undefined)
    changes.assignee_member_id = await resolveAssignee({
      deps,
      workspace,
      value: input.assignee,
      actor,
    })
  if (input.category !== undefined)
    changes.category_id =
      (await categoryFor({ deps, workspace, value: input.category, by: 'id' }))?.id ?? null
  const now = deps.clock.now().getTime()
  const repository = createBoardsRepository(deps)
  const update = repository.updateQuery(workspace.id, boardId, changes, now)
  // A status change is announced to webhooks and recorded in the same batch as the change itself.
  const before: Compilable[] = changes.status
    ? [
        ...(await statusChangeWebhooks({ deps, workspace, boardId, status: changes.status, now })),
        ...(actor
          ? [
              repository.statusChangeQuery({
                id: deps.ids.id(),
                workspaceId: workspace.id,
                boardId,
                status: changes.status,
                actor,
                now,
              }),
            ]
          : []),
      ]
    : []
  // The assignment's email and `board.assigned` webhook, while the old assignee is still there.
  if (changes.assignee_member_id !== undefined)
    before.push(
      ...(await assignmentNoticeStatements({
        deps,
        workspace,
        boardId,
        assignee: changes.assignee_member_id,
        actor,
        now,
      })),
    )
  before.push(...alsoWrite)
  const board = before.length
    ? ((await deps.batch([...before, update])).at(-1)?.rows[0] as BoardRow | undefined)
    : await update.executeTakeFirst()
  if (!board) throw boardNotFound()
  if (changes.assignee_member_id) startSending(deps)
  return board
}

/** The status after closing by hand, or after reopening: back to whoever has the next move. */
export function statusWhenClosed(board: BoardRow, closed: boolean): BoardStatus {
  if (closed) return 'closed'
  if (board.status !== 'closed') return board.status
  return board.decision_no ? 'done' : board.last_public_author === 'guest' ? 'replied' : 'waiting'
}

/** Close by hand; reopening goes back to whoever has the next move. */
export async function setBoardClosed({
  deps,
  workspace,
  boardId,
  closed,
  actor,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  closed: boolean
  actor?: StatusActor
}) {
  const board = await getBoard({ deps, workspace, boardId })
  const status = statusWhenClosed(board, closed)
  return updateBoard({ deps, workspace, boardId, input: { status }, actor })
}

/**
 * Deletes a board for good (owners only; the product recommends letting boards expire): its
 * messages, decisions, files and uploads, read marks, automatic answers, the emails and webhook
 * deliveries still queued for it, the inbound mail kept for it and the API's stored answers about
 * it, in one batch with the audit entry. Child rows with a foreign key go by ON DELETE CASCADE
 * (D1 enforces foreign keys too); the rest are deleted here. The files' contents are removed from
 * the blob store afterwards (a failure there leaves an unreachable blob, never a row without one).
 * Errors: 404 for a board of another workspace or one already gone.
 */
export async function deleteBoard({
  deps,
  workspace,
  boardId,
  audit,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  audit: Pick<AuditEntry, 'actor' | 'ip'>
}) {
  const board = await getBoard({ deps, workspace, boardId })
  const [attachments, uploads, inbound] = await Promise.all([
    deps.db
      .selectFrom('attachments')
      .select('blob_key')
      .where('board_id', '=', board.id)
      .where('deleted_at', 'is', null)
      .execute(),
    deps.db
      .selectFrom('uploads')
      .select(['blob_key', 'multipart_id', 'status'])
      .where('board_id', '=', board.id)
      .execute(),
    deps.db
      .selectFrom('inbound_emails')
      .select('raw_key')
      .where('board_id', '=', board.id)
      .where('raw_key', 'is not', null)
      .execute(),
  ])
  const results = await deps.batch([
    deps.db
      .deleteFrom('outbox')
      .where('workspace_id', '=', workspace.id)
      .where('board_id', '=', board.id),
    deps.db
      .deleteFrom('inbound_emails')
      .where('workspace_id', '=', workspace.id)
      .where('board_id', '=', board.id),
    deps.db.deleteFrom('api_idempotency_commits').where('board_id', '=', board.id),
    deps.db.deleteFrom('api_idempotency').where('board_id', '=', board.id),
    auditStatementWhileBoardExists(
      deps,
      {
        workspaceId: workspace.id,
        ...audit,
        action: 'board.deleted',
        target: board.name,
        // the customer's name and address go with the board; the shop's order key stays
        detail: {
          messages: board.message_seq,
          dedupe_key: board.dedupe_key,
        },
      },
      board.id,
    ),
    deps.db
      .deleteFrom('boards')
      .where('workspace_id', '=', workspace.id)
      .where('id', '=', board.id)
      .returning('id'),
  ])
  // a second click that lost the race finds nothing left to delete, and recorded nothing
  if ((results.at(-1)?.rows.length ?? 0) === 0) throw boardNotFound()
  const blobs = [
    ...attachments.map((file) => () => deps.blobs.delete(file.blob_key)),
    ...uploads.map((upload) => async () => {
      if (upload.status !== 'complete')
        await deps.blobs.abortMultipart(upload.blob_key, upload.multipart_id)
      await deps.blobs.delete(upload.blob_key)
    }),
    ...inbound.map((mail) => () => deps.blobs.delete(mail.raw_key!)),
  ]
  deps.defer(async () => {
    for (const remove of blobs) await remove().catch(() => {})
  })
  return board
}

/**
 * The board list's filters (status, search, due, warning) as a list query without paging, for
 * what acts on "every board matching this list" (bulk actions). `{ ok: false }` with the
 * search's problems when it can't run.
 */
export async function boardListFilter({
  deps,
  workspace,
  member,
  filters,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  filters: { status?: BoardStatus; q?: string; due: boolean; warning?: BoardWarning }
}): Promise<{ ok: true; query: BoardListQuery } | { ok: false; problems: SearchProblem[] }> {
  const now = deps.clock.now().getTime()
  const found = filters.q
    ? await searchFor(deps, filters.q, {
        workspaceId: workspace.id,
        timeZone: workspace.time_zone,
        now,
        memberId: member.id,
        includeInternal: true,
      })
    : undefined
  if (found && !found.ok) return found
  const unreadDays = workspace.unread_warning_days
  return {
    ok: true,
    query: {
      workspaceId: workspace.id,
      memberId: member.id,
      status: filters.status,
      search: found?.search,
      sort: 'activity',
      dueOn: filters.due ? localDate(deps.clock.now(), workspace.time_zone) : undefined,
      warning: filters.warning,
      now,
      unreadBefore: unreadDays > 0 ? now - unreadDays * DAY_MS : null,
      limit: 0,
    },
  }
}
