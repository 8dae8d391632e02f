import { sql, type Kysely } from 'kysely'
import type { BoardStatus, Database } from '../db/schema'
import { BOARD_STATUSES } from '../boards/boards.rules'

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

/** The statuses the list counts as open (not 完了 and not 終了). */
const OPEN_STATUSES = BOARD_STATUSES.filter((status) => status !== 'done' && status !== 'closed')

/** What a duration figure measures: the board moment it is counted at, and its two durations. */
const MEASURES = {
  first_response: {
    at: 'first_response_at',
    since: 'first_guest_at',
    ms: 'first_response_ms',
    business: 'first_response_business_ms',
    index: 'boards_first_response_by',
  },
  decision: {
    at: 'decided_at',
    since: 'created_at',
    ms: 'decision_ms',
    business: 'decision_business_ms',
    index: 'boards_decided_by',
  },
} as const
export type Measure = keyof typeof MEASURES

/**
 * Which boards a figure counts: the workspace's, or only those assigned now to one member, in
 * one category, and/or carrying one tag (ids already checked to be the workspace's).
 */
export interface BoardScope {
  workspaceId: string
  /** a member's id: only boards assigned to them now; absent: every board */
  assignee?: string
  /** a category's id: only boards in it now */
  categoryId?: string
  /** a tag's id: only boards that carry it now */
  tagId?: string
}

/** A quantile's two neighbouring ranks (0-based) in n sorted values, as type 7 interpolates. */
export interface RankedValue {
  /** the member the value belongs to (per-member figures), else null */
  member: string | null
  /** 0-based rank in ascending order within its group */
  rank: number
  value: number
  /** how many values the group has */
  count: number
}

/** SQL that keeps the scope's boards (unqualified columns of the table `boards`). */
const scoped = (scope: BoardScope) => {
  const terms = [sql<boolean>`workspace_id = ${scope.workspaceId}`]
  if (scope.assignee !== undefined) terms.push(sql<boolean>`assignee_member_id = ${scope.assignee}`)
  if (scope.categoryId !== undefined) terms.push(sql<boolean>`category_id = ${scope.categoryId}`)
  if (scope.tagId !== undefined)
    terms.push(
      sql<boolean>`id IN (SELECT board_id FROM board_tags WHERE tag_id = ${scope.tagId} AND workspace_id = ${scope.workspaceId})`,
    )
  return sql<boolean>`(${sql.join(terms, sql` AND `)})`
}

/**
 * Kysely queries of the statistics page. Each reads one index over the period (migrations 0015
 * and 0021), or counts boards as they are now; none loads a row per board into memory, and none
 * reads messages except the per-member answer counts (from their own partial index).
 */
export function createStatisticsRepository({ db }: { db: Kysely<Database> }) {
  /** Boards per local day whose `column` falls inside the period [first, last boundary). */
  const perDay = async (
    scope: BoardScope,
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
        WHERE ${scoped(scope)}
          AND ${sql.ref(column)} >= days.start AND ${sql.ref(column)} < days.finish
      ) AS boards
      FROM days`.execute(db)
    for (const row of result.rows) counts[Number(row.day)] = Number(row.boards)
    return counts
  }

  return {
    perDay,

    /**
     * How many of the measured boards in [from, to) have no stored business-hour duration
     * (measured before the workspace set its hours, or backfilled by migration 0015): those are
     * worked out in code, so the page then reads every moment (`measured`).
     */
    async missingBusiness(scope: BoardScope, measure: Measure, from: number, to: number) {
      const m = MEASURES[measure]
      const result = await sql<{ missing: number }>`
        SELECT count(*) AS missing FROM boards
        WHERE ${scoped(scope)} AND ${sql.ref(m.at)} >= ${from} AND ${sql.ref(m.at)} < ${to}
          AND ${sql.ref(m.business)} IS NULL`.execute(db)
      return Number(result.rows[0]?.missing ?? 0)
    },

    /**
     * The values at the ranks a median and a 90th percentile need (type 7: ranks ⌊(n−1)p⌋ and
     * the one above, 0-based ascending), picked in SQL so the page never loads every duration:
     * the median's two from an ascending sort cut off past them, the 90th percentile's two from
     * a descending one (a tenth of the values sorted), n from the covering index; one statement.
     * `business`: the stored business-hour durations (use it only when none is missing), else
     * the calendar ones.
     */
    async quantileRanks(
      scope: BoardScope,
      measure: Measure,
      from: number,
      to: number,
      options: { business: boolean },
    ): Promise<RankedValue[]> {
      const m = MEASURES[measure]
      const value = sql.ref(options.business ? m.business : m.ms)
      const result = await sql<{ part: 'median' | 'p90'; n: number; value: number }>`
        WITH measured AS (
          SELECT ${value} AS value FROM boards
          WHERE ${scoped(scope)} AND ${sql.ref(m.at)} >= ${from} AND ${sql.ref(m.at)} < ${to}
            AND ${value} IS NOT NULL
        ),
        counted AS (SELECT count(*) AS n FROM measured)
        SELECT 'median' AS part, (SELECT n FROM counted) AS n, value FROM (
          SELECT value FROM measured ORDER BY value
          LIMIT 2 OFFSET (SELECT CAST((n - 1) * 0.5 AS INTEGER) FROM counted)
        )
        UNION ALL
        SELECT 'p90' AS part, (SELECT n FROM counted) AS n, value FROM (
          SELECT value FROM measured ORDER BY value DESC
          LIMIT 2 OFFSET (SELECT max(n - 2 - CAST((n - 1) * 0.9 AS INTEGER), 0) FROM counted)
        )`.execute(db)
      const ranked: RankedValue[] = []
      let medianAt = 0
      let p90At = 0
      for (const row of result.rows) {
        const n = Number(row.n)
        const value = Number(row.value)
        if (row.part === 'median') {
          // Ascending from rank ⌊(n−1)·0.5⌋.
          ranked.push({
            member: null,
            rank: Math.floor((n - 1) * 0.5) + medianAt++,
            value,
            count: n,
          })
        } else {
          // Descending from rank n − 1 − offset (the same offset as in SQL).
          const offset = Math.max(n - 2 - Math.floor((n - 1) * 0.9), 0)
          ranked.push({ member: null, rank: n - 1 - offset - p90At++, value, count: n })
        }
      }
      return ranked
    },

    /**
     * Per assignee: the values at the ranks each one's median needs (as quantileRanks), ranked
     * within each member's boards with a window function (unassigned boards left out).
     */
    async memberMedianRanks(
      scope: BoardScope,
      measure: Measure,
      from: number,
      to: number,
      options: { business: boolean },
    ): Promise<RankedValue[]> {
      const m = MEASURES[measure]
      const value = sql.ref(options.business ? m.business : m.ms)
      const result = await sql<{ member: string; rank: number; value: number; n: number }>`
        SELECT member, rank, value, n FROM (
          SELECT assignee_member_id AS member, ${value} AS value,
            row_number() OVER (PARTITION BY assignee_member_id ORDER BY ${value}) - 1 AS rank,
            count(*) OVER (PARTITION BY assignee_member_id) AS n
          -- The period's range of the duration index (migration 0024, which holds the assignee):
          -- left to itself, SQLite walks boards_assignee over the whole workspace to save the
          -- partition sort, reading every board's row.
          FROM boards INDEXED BY ${sql.raw(m.index)}
          WHERE ${scoped(scope)} AND ${sql.ref(m.at)} >= ${from} AND ${sql.ref(m.at)} < ${to}
            AND ${value} IS NOT NULL AND assignee_member_id IS NOT NULL
        )
        WHERE rank IN (
          CAST((n - 1) * 0.5 AS INTEGER), CAST((n - 1) * 0.5 AS INTEGER) + 1,
          CAST((n - 1) * 0.9 AS INTEGER), CAST((n - 1) * 0.9 AS INTEGER) + 1
        )`.execute(db)
      return result.rows.map((row) => ({
        member: row.member,
        rank: Number(row.rank),
        value: Number(row.value),
        count: Number(row.n),
      }))
    },

    /**
     * Every board measured in [from, to): both moments, both durations and the assignee. Only
     * for the rare period where some business-hour durations must be worked out in code.
     */
    measured(scope: BoardScope, measure: Measure, from: number, to: number) {
      const m = MEASURES[measure]
      return db
        .selectFrom('boards')
        .select([
          sql<number | null>`${sql.ref(m.since)}`.as('since'),
          sql<number | null>`${sql.ref(m.at)}`.as('at'),
          sql<number | null>`${sql.ref(m.ms)}`.as('ms'),
          sql<number | null>`${sql.ref(m.business)}`.as('businessMs'),
          'assignee_member_id as member',
        ])
        .where(scoped(scope))
        .where(sql.ref(m.at), '>=', from)
        .where(sql.ref(m.at), '<', to)
        .execute()
    },

    /** How many boards are in each status now (statuses without boards are absent). */
    async statusCounts(scope: BoardScope): Promise<Partial<Record<BoardStatus, number>>> {
      // One index range count per status (boards_status_activity, or with an assignee
      // boards_assignee_status), not a grouped scan of the workspace's boards.
      const result = await sql<{ status: BoardStatus; boards: number }>`
        WITH statuses (status) AS (VALUES ${sql.raw(BOARD_STATUSES.map((status) => `('${status}')`).join(', '))})
        SELECT status, (
          SELECT count(*) FROM boards WHERE ${scoped(scope)} AND boards.status = statuses.status
        ) AS boards
        FROM statuses`.execute(db)
      return Object.fromEntries(result.rows.map((row) => [row.status, Number(row.boards)]))
    },

    /** Open boards whose next contact date is before `today` (as the list shows them in red). */
    async overdueCount(scope: BoardScope, today: string): Promise<number> {
      // Open statuses listed (not "not in done, closed") so each is a range of
      // boards_status_contact, read from the index alone.
      const row = await db
        .selectFrom('boards')
        .select(sql<number>`count(*)`.as('boards'))
        .where(scoped(scope))
        .where('status', 'in', OPEN_STATUSES)
        .where('contact_sort', '<', today)
        .executeTakeFirst()
      return Number(row?.boards ?? 0)
    },

    /**
     * Boards past the unread warning: the shop's last public post still unread by the customer
     * and older than `before` (the same rule as the board list's 未読 warning filter). The terms
     * are written as the partial index boards_unread_warning spells them, so SQLite reads it.
     */
    async unreadWarningCount(scope: BoardScope, before: number): Promise<number> {
      const result = await sql<{ boards: number }>`
        SELECT count(*) AS boards FROM boards
        WHERE ${scoped(scope)} AND last_activity_at <= ${before}
          AND last_public_author = 'member' AND status != 'closed' AND guest_read_no < last_no`.execute(
        db,
      )
      return Number(result.rows[0]?.boards ?? 0)
    },

    /** Open boards assigned now, per member (members without any are absent). */
    async assignedNow(scope: BoardScope): Promise<Map<string, number>> {
      const rows = await db
        .selectFrom('boards')
        .select(['assignee_member_id as member', sql<number>`count(*)`.as('boards')])
        .where(scoped(scope))
        .where('assignee_member_id', 'is not', null)
        .where('status', 'in', OPEN_STATUSES)
        .groupBy('assignee_member_id')
        .execute()
      return new Map(rows.map((row) => [row.member!, Number(row.boards)]))
    },

    /**
     * Each member's answers in [from, to): their public posts on any board (internal notes are
     * not answers), one range count of messages_member_answers per member of the workspace.
     */
    async answersPerMember(workspaceId: string, from: number, to: number) {
      const result = await sql<{ member: string; answers: number }>`
        SELECT mb.id AS member, (
          SELECT count(*) FROM messages m
          WHERE m.workspace_id = ${workspaceId} AND m.author_member_id = mb.id
            AND m.author_kind = 'member' AND m.internal = 0
            AND m.created_at >= ${from} AND m.created_at < ${to}
        ) AS answers
        FROM members mb WHERE mb.workspace_id = ${workspaceId}`.execute(db)
      return new Map(result.rows.map((row) => [row.member, Number(row.answers)]))
    },

    /** Ratings given in [from, to): how many boards got each score 1–5 (absent: none). */
    async ratingCounts(scope: BoardScope, from: number, to: number) {
      const rows = await db
        .selectFrom('boards')
        .select(['rating_score as score', sql<number>`count(*)`.as('boards')])
        .where(scoped(scope))
        .where('rating_score', 'is not', null)
        .where('rated_at', '>=', from)
        .where('rated_at', '<', to)
        .groupBy('rating_score')
        .execute()
      return new Map(rows.map((row) => [Number(row.score), Number(row.boards)]))
    },

    /** The workspace's tags and categories, by name (the page's filter choices). */
    async labels(workspaceId: string) {
      const [tags, categories] = await Promise.all([
        db
          .selectFrom('tags')
          .select(['id', 'name'])
          .where('workspace_id', '=', workspaceId)
          .orderBy('name_key')
          .execute(),
        db
          .selectFrom('categories')
          .select(['id', 'name'])
          .where('workspace_id', '=', workspaceId)
          .orderBy('position')
          .orderBy('name_key')
          .execute(),
      ])
      return { tags, categories }
    },

    /** The workspace's members, by name (the per-member table and the member filter). */
    members(workspaceId: string) {
      return db
        .selectFrom('members')
        .select(['id', 'name'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('name')
        .orderBy('id')
        .execute()
    },
  }
}
