import { sql, type Kysely } from 'kysely'
import type { BoardStatus, Database } from '../db/schema'

/**
 * The period's days as a literal table (i, start, end): boundaries are integers this module
 * computed (D1 binds at most 100 values, and a period may have 366 days).
 */
function daysTable(boundaries: readonly number[]) {
  for (const at of boundaries) {
    if (!Number.isSafeInteger(at)) throw new Error('day boundaries must be integers')
  }
  return boundaries
    .slice(1)
    .map((end, index) => `(${index}, ${boundaries[index]}, ${end})`)
    .join(', ')
}

/**
 * Kysely queries of the statistics page. Each reads one covering index of
 * migrations/0015_statistics.sql over the period, or counts boards as they are now; none reads
 * messages.
 */
export function createStatisticsRepository({ db }: { db: Kysely<Database> }) {
  /** Boards per local day whose `column` falls inside the period [first, last boundary). */
  const perDay = async (
    workspaceId: string,
    column: 'created_at' | 'decided_at' | 'closed_at',
    boundaries: readonly number[],
  ): Promise<number[]> => {
    const counts = new Array<number>(Math.max(boundaries.length - 1, 0)).fill(0)
    if (counts.length === 0) return counts
    // One index range count per day (a covering index counts without reading rows).
    const result = await sql<{ day: number; boards: number }>`
      WITH days (i, start, finish) AS (VALUES ${sql.raw(daysTable(boundaries))})
      SELECT i AS day, (
        SELECT count(*) FROM boards
        WHERE workspace_id = ${workspaceId}
          AND ${sql.ref(column)} >= days.start AND ${sql.ref(column)} < days.finish
      ) AS boards
      FROM days`.execute(db)
    for (const row of result.rows) counts[Number(row.day)] = Number(row.boards)
    return counts
  }

  return {
    perDay,

    /** First responses given in [from, to): both moments and both durations. */
    firstResponses(workspaceId: string, from: number, to: number) {
      return db
        .selectFrom('boards')
        .select([
          'first_guest_at as since',
          'first_response_at as at',
          'first_response_ms as ms',
          'first_response_business_ms as businessMs',
        ])
        .where('workspace_id', '=', workspaceId)
        .where('first_response_at', '>=', from)
        .where('first_response_at', '<', to)
        .execute()
    },

    /** First decisions made in [from, to), measured from each board's creation. */
    decisions(workspaceId: string, from: number, to: number) {
      return db
        .selectFrom('boards')
        .select([
          'created_at as since',
          'decided_at as at',
          'decision_ms as ms',
          'decision_business_ms as businessMs',
        ])
        .where('workspace_id', '=', workspaceId)
        .where('decided_at', '>=', from)
        .where('decided_at', '<', to)
        .execute()
    },

    /** How many boards are in each status now (statuses without boards are absent). */
    async statusCounts(workspaceId: string): Promise<Partial<Record<BoardStatus, number>>> {
      const rows = await db
        .selectFrom('boards')
        .select(['status', sql<number>`count(*)`.as('boards')])
        .where('workspace_id', '=', workspaceId)
        .groupBy('status')
        .execute()
      return Object.fromEntries(rows.map((row) => [row.status, Number(row.boards)]))
    },

    /** Open boards whose next contact date is before `today` (as the list shows them in red). */
    async overdueCount(workspaceId: string, today: string): Promise<number> {
      const row = await db
        .selectFrom('boards')
        .select(sql<number>`count(*)`.as('boards'))
        .where('workspace_id', '=', workspaceId)
        .where('contact_sort', '<', today)
        .where('status', 'not in', ['done', 'closed'])
        .executeTakeFirst()
      return Number(row?.boards ?? 0)
    },

    /**
     * Boards past the unread warning: the shop's last public post still unread by the customer
     * and older than `before` (the same rule as the board list's 未読 warning filter).
     */
    async unreadWarningCount(workspaceId: string, before: number): Promise<number> {
      const row = await db
        .selectFrom('boards')
        .select(sql<number>`count(*)`.as('boards'))
        .where('workspace_id', '=', workspaceId)
        .where('last_activity_at', '<=', before)
        .where('status', '!=', 'closed')
        .where('last_public_author', '=', 'member')
        .where(sql<boolean>`guest_read_no < last_no`)
        .executeTakeFirst()
      return Number(row?.boards ?? 0)
    },
  }
}
