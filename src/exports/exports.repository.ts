import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import {
  BOARD_FILTER_CLAUSES,
  type BoardListBuilder,
  type BoardListQuery,
} from '../boards/boards.repository'
import { planList } from '../shared/list-filter'
import type { BoardExportRow, MessageExportRow } from './exports.columns'

/** Which boards (and whose messages) an export holds: the board list's filters and a period. */
export interface ExportFilter {
  /** the board list's filters (workspace, status, search, due, warning), as the list reads them */
  list: BoardListQuery
  /** boards created / messages posted in [from, to) (epoch ms); absent: any time */
  from?: number
  to?: number
  /** messages only: include internal notes */
  internal?: boolean
}

/** Where the previous chunk ended: its last row's sort key. */
export interface ExportCursor {
  at: number
  id: string
}

/**
 * Applies the board list's own filter clauses to a query that names the board `b`. The clauses
 * are typed for the list's builder; they only add WHERE terms on `b`, which any builder with a
 * `boards as b` table takes the same way.
 */
function withBoardFilters<Builder>(builder: Builder, list: BoardListQuery): Builder {
  const plan = planList(BOARD_FILTER_CLAUSES, list)
  return plan.apply(builder as unknown as BoardListBuilder, plan.values) as unknown as Builder
}

/**
 * Kysely queries of the CSV exports: one chunk at a time in a stable order, keyset-paged on an
 * index (boards: workspace, created_at, id; messages: workspace, created_at, id), so chunk 1,000
 * costs what chunk 1 does and memory holds one chunk.
 */
export function createExportsRepository({ db }: { db: Kysely<Database> }) {
  return {
    boardsChunk(
      filter: ExportFilter,
      after: ExportCursor | null,
      limit: number,
    ): Promise<BoardExportRow[]> {
      let query = db
        .selectFrom('boards as b')
        .select([
          'b.id',
          'b.name',
          'b.customer_name',
          'b.customer_email',
          'b.status',
          'b.dedupe_key',
          'b.decision_no',
          'b.last_no',
          'b.next_contact_on',
          'b.next_contact_time',
          'b.created_at',
          'b.last_activity_at',
          'b.expires_at',
          'b.first_guest_at',
          'b.first_response_at',
          'b.first_response_ms',
          'b.decided_at',
          'b.decision_ms',
          'b.closed_at',
          'b.assignee_member_id',
          sql<
            string | null
          >`(SELECT am.name FROM members am WHERE am.id = b.assignee_member_id)`.as(
            'assignee_name',
          ),
          'b.rating_score',
          'b.rating_comment',
          'b.rated_at',
        ])
        .select(
          sql<
            string | null
          >`(SELECT group_concat(name, ' ') FROM (SELECT t.name FROM board_tags bt JOIN tags t ON t.id = bt.tag_id WHERE bt.board_id = b.id ORDER BY t.name_key))`.as(
            'tags',
          ),
        )
        .select(
          sql<string | null>`(SELECT c.name FROM categories c WHERE c.id = b.category_id)`.as(
            'category',
          ),
        )
      query = withBoardFilters(query, filter.list)
      if (filter.from !== undefined) query = query.where('b.created_at', '>=', filter.from)
      if (filter.to !== undefined) query = query.where('b.created_at', '<', filter.to)
      if (after) {
        query = query
          .where('b.created_at', '>=', after.at)
          // Spelled out rather than a row value: SQLite then walks the index in order instead
          // of sorting what is left of the table for every chunk.
          .where(
            sql<boolean>`(b.created_at > ${after.at} OR (b.created_at = ${after.at} AND b.id > ${after.id}))`,
          )
      }
      return query.orderBy('b.created_at').orderBy('b.id').limit(limit).execute()
    },

    messagesChunk(
      filter: ExportFilter,
      after: ExportCursor | null,
      limit: number,
    ): Promise<MessageExportRow[]> {
      let query = db
        .selectFrom('messages as m')
        .innerJoin('boards as b', 'b.id', 'm.board_id')
        .select([
          'm.id',
          'm.board_id',
          'b.name as board_name',
          'b.customer_name',
          'm.no',
          'm.seq',
          'm.internal',
          'm.author_kind',
          'm.author_name',
          'm.body',
          'm.decides_no',
          'm.next_contact_on',
          'm.created_at',
          'm.edited_at',
        ])
        .where('m.workspace_id', '=', filter.list.workspaceId)
      query = withBoardFilters(query, filter.list)
      if (!filter.internal) query = query.where('m.internal', '=', 0)
      if (filter.from !== undefined) query = query.where('m.created_at', '>=', filter.from)
      if (filter.to !== undefined) query = query.where('m.created_at', '<', filter.to)
      if (after) {
        query = query
          .where('m.created_at', '>=', after.at)
          .where(
            sql<boolean>`(m.created_at > ${after.at} OR (m.created_at = ${after.at} AND m.id > ${after.id}))`,
          )
      }
      return query.orderBy('m.created_at').orderBy('m.id').limit(limit).execute()
    },
  }
}
