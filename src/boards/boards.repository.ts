import { sql, type Kysely, type SqlBool } from 'kysely'
import type { BoardRow, BoardStatus, Database } from '../db/schema'
import { preparedQuery } from '../db/prepared'
import { planList, type ListClause, type ListPlan } from '../shared/list-filter'
import { searchClauses, wordSql, type BoardSearch } from '../search/search.filter'

export type BoardSort = 'activity' | 'next_contact'

/** The list's warnings, each with a badge on its rows and a filter (views/boards/list.tsx). */
export const BOARD_WARNINGS = ['expired', 'unread', 'bounced', 'closed'] as const
export type BoardWarning = (typeof BOARD_WARNINGS)[number]

export interface BoardListQuery {
  workspaceId: string
  memberId: string
  status?: BoardStatus
  /** a parsed and resolved search (src/search/search.filter.ts) */
  search?: BoardSearch
  sort: BoardSort
  /** today and overdue only (board not done/closed) */
  dueOn?: string
  /**
   * only boards with this warning: `expired` (expires_at ≤ now), `unread` (the shop's last
   * public post unread by the customer since `unreadBefore`, as inbound.health counts it),
   * `bounced` (bounce or spam report), `closed`
   */
  warning?: BoardWarning
  now?: number
  /** epoch ms: last activity at or before this counts as unread for days (null: warning off) */
  unreadBefore?: number | null
  cursor?: { sortValue: string | number; id: string }
  limit: number
}

/** The columns one row of the board list shows (fetching whole rows costs twice as much). */
export const BOARD_LIST_COLUMNS = [
  'id',
  'name',
  'customer_name',
  'customer_email',
  'dedupe_key',
  'status',
  'next_contact_on',
  'next_contact_time',
  'contact_sort',
  'expires_at',
  'last_activity_at',
  'message_seq',
  'last_public_author',
  'last_no',
  'guest_read_no',
  'guest_read_at',
  'guest_email_problem',
  'rating_score',
] as const

export type BoardListRow = Pick<BoardRow, (typeof BOARD_LIST_COLUMNS)[number]> & {
  read_seq: number | null
  /** 担当者's display name, or null */
  assignee_name: string | null
  /** タグ: a JSON array of [name, colour] pairs (any order), '[]' without tags */
  tag_list: string
  /** カテゴリ's name, or null */
  category_name: string | null
}

export type BoardChanges = Partial<
  Pick<
    BoardRow,
    | 'status'
    | 'next_contact_on'
    | 'next_contact_time'
    | 'expires_at'
    | 'assignee_member_id'
    | 'category_id'
  >
>

/** The list's start: a board's row and the member's read position. */
const listBase = (db: Kysely<Database>, memberId: string) =>
  db
    .selectFrom('boards as b')
    .leftJoin('board_reads as r', (join) =>
      join.onRef('r.board_id', '=', 'b.id').on('r.member_id', '=', memberId),
    )
    .select(BOARD_LIST_COLUMNS.map((column) => `b.${column}` as const))
    .select('r.seq as read_seq')
    .select(
      sql<string | null>`(SELECT am.name FROM members am WHERE am.id = b.assignee_member_id)`.as(
        'assignee_name',
      ),
    )
    .select(
      sql<string>`(SELECT json_group_array(json_array(t.name, t.colour)) FROM board_tags bt JOIN tags t ON t.id = bt.tag_id WHERE bt.board_id = b.id)`.as(
        'tag_list',
      ),
    )
    .select(
      sql<string | null>`(SELECT c.name FROM categories c WHERE c.id = b.category_id)`.as(
        'category_name',
      ),
    )

export type BoardListBuilder = ReturnType<typeof listBase>
type ListBuilder = BoardListBuilder

/**
 * The board list's filters, each with its SQL and its values (see src/shared/list-filter.ts).
 * A new filter is one more entry here and one more field in BoardListQuery. They name the board
 * `b` only, so the CSV export (src/exports/) applies the very same filters to its own queries.
 */
export const BOARD_FILTER_CLAUSES: readonly ListClause<BoardListQuery, ListBuilder>[] = [
  {
    name: 'workspace',
    values: (query) => [query.workspaceId],
    apply: (builder, [workspaceId]: [string]) => builder.where('b.workspace_id', '=', workspaceId),
  },
  {
    name: 'status',
    values: (query) => (query.status ? [query.status] : undefined),
    apply: (builder, [status]: [BoardStatus]) => builder.where('b.status', '=', status),
  },
  {
    name: 'due',
    // contact_sort is the date then the time, if any: "<today>~" sorts after every time of today.
    values: (query) => (query.dueOn ? [`${query.dueOn}~`] : undefined),
    apply: (builder, [endOfDay]: [string]) =>
      builder
        .where('b.contact_sort', '<=', endOfDay)
        .where('b.status', 'not in', ['done', 'closed']),
  },
  {
    name: 'warning',
    values: (query) => {
      if (query.warning === 'expired') return [query.now ?? 0]
      // With the warning turned off no board is unread "for days".
      if (query.warning === 'unread') return [query.unreadBefore ?? -1]
      return query.warning ? [] : undefined
    },
    shape: (query) => query.warning ?? '',
    apply: (builder, [at]: [number], warning) => {
      if (warning === 'expired') return builder.where('b.expires_at', '<=', at)
      if (warning === 'closed') return builder.where('b.status', '=', 'closed')
      if (warning === 'bounced') return builder.where('b.guest_email_problem', 'is not', null)
      return builder
        .where('b.status', '!=', 'closed')
        .where('b.last_public_author', '=', 'member')
        .where(sql<boolean>`b.guest_read_no < b.last_no`)
        .where('b.last_activity_at', '<=', at)
    },
  },
  ...searchClauses<BoardListQuery, ListBuilder>('b.', (query) => query.search),
]

/** The list: its filters, then its keyset order and page size. */
const BOARD_LIST_CLAUSES: readonly ListClause<BoardListQuery, ListBuilder>[] = [
  ...BOARD_FILTER_CLAUSES,
  {
    name: 'order',
    values: (query) =>
      query.cursor
        ? [
            query.sort === 'next_contact'
              ? String(query.cursor.sortValue)
              : Number(query.cursor.sortValue),
            query.cursor.id,
          ]
        : [],
    shape: (query) => query.sort,
    apply: (builder, after: (string | number)[], sort) => {
      if (sort === 'next_contact') {
        if (after.length > 0)
          builder = builder.where(sql<boolean>`(b.contact_sort, b.id) > (${after[0]}, ${after[1]})`)
        return builder.orderBy('b.contact_sort', 'asc').orderBy('b.id', 'asc')
      }
      if (after.length > 0)
        builder = builder.where(
          sql<boolean>`(b.last_activity_at, b.id) < (${after[0]}, ${after[1]})`,
        )
      return builder.orderBy('b.last_activity_at', 'desc').orderBy('b.id', 'desc')
    },
  },
  {
    name: 'limit',
    values: (query) => [query.limit],
    apply: (builder, [limit]: [number]) => builder.limit(limit),
  },
]

// The list is the page members open most: each shape of filters is compiled once.
const listQueries = new Map<string, ReturnType<typeof preparedList>>()
const preparedList = (plan: ListPlan<ListBuilder>) =>
  preparedQuery((db: Kysely<Database>, memberId: string, ...values: unknown[]) =>
    plan.apply(listBase(db, memberId), values),
  )
function listQueryFor(plan: ListPlan<ListBuilder>) {
  let query = listQueries.get(plan.key)
  if (!query) {
    query = preparedList(plan)
    listQueries.set(plan.key, query)
  }
  return query
}

/**
 * A search with words, in the order of its newest matching message (the newest first), which the
 * search index gives without reading every match (issue #17's bench: a 2-character word in 125k
 * of 1M messages). FTS5 streams a word's rows newest first (`ORDER BY rowid DESC LIMIT n` stops
 * early); the rows are read in growing steps from the top (512, 2048, … rows), and each step's
 * new rows are checked against the list's filters, until a page is full or the word has no more
 * rows. A common word fills a page from the first step; a rare one reads about twice its rows.
 *
 * The longest word drives the steps; its extras (internal notes, from:, symbols) are checked with
 * it, and every other filter is the list's own clause (the other words looked up per board). A
 * later page starts below the cursor's row and leaves out boards that matched above it (already
 * listed).
 */
const FIRST_STEP = 512
/**
 * Rows checked against the filters per query (their ids go in as one JSON array): 64 first (a
 * page of a common word needs about that many), twice as many each time after, 4096 at most.
 */
const FIRST_CHECK = 64
const CHECK_CHUNK = 4096

const matchRowsQuery = preparedQuery(
  (db: Kysely<Database>, match: string, below: number, limit: number) =>
    db
      .selectFrom('search_index')
      .select(sql<number>`rowid`.as('rid'))
      .where(sql<SqlBool>`search_index MATCH ${match}`)
      .where(sql<SqlBool>`rowid < ${below}`)
      .orderBy(sql`rowid`, 'desc')
      .limit(limit),
)

type MatchCheck = (
  db: Kysely<Database>,
  ...args: unknown[]
) => Promise<{ rid: number; id: string }[]>
const matchChecks = new Map<string, MatchCheck>()

/** The query that keeps, of some matching rows (a JSON array of ids), those the list shows. */
function matchCheckQuery(
  first: BoardSearch['words'][number],
  search: BoardSearch,
  paged: boolean,
  plan: ListPlan<ListBuilder>,
): MatchCheck {
  const literal = first.literal ? (search.from ? 'message' : 'all') : 'none'
  const key = `${search.includeInternal}|${search.from}|${literal}|${paged}|${plan.key}`
  const known = matchChecks.get(key)
  if (known) return known
  const word = wordSql('b.', search)
  const query = preparedQuery((db: Kysely<Database>, ...args: unknown[]) => {
    let at = 0
    const next = () => args[at++]
    const rids = next()
    const workspaceId = next()
    let builder = db
      .selectFrom(sql<{ value: number }>`json_each(${rids})`.as('j'))
      .innerJoin('search_rows as sr', (join) => join.on(sql<SqlBool>`sr.id = j.value`))
      .innerJoin('boards as b', 'b.id', 'sr.board_id')
      .select([sql<number>`sr.id`.as('rid'), 'b.id'])
      .where(sql<SqlBool>`sr.workspace_id = ${workspaceId}${word.row('sr')}`)
    if (literal !== 'none') builder = builder.where(word.literal(next))
    if (paged) {
      const above = next()
      const again = next()
      builder = builder.where(
        sql<SqlBool>`NOT EXISTS (SELECT 1 FROM search_rows sr2 JOIN search_index si ON si.rowid = sr2.id WHERE sr2.board_id = b.id AND sr2.id >= ${above} AND si.search_index MATCH ${again}${word.row('sr2')})`,
      )
    }
    const rest = args.slice(at)
    return (
      plan.apply(builder as unknown as ListBuilder, rest) as unknown as typeof builder
    ).orderBy(sql`sr.id`, 'desc')
  }) as unknown as MatchCheck
  matchChecks.set(key, query)
  return query
}

/** The board whose dedupe key is the word, if it passes the list's other filters. */
async function exactKeyBoard(
  db: Kysely<Database>,
  word: string,
  plan: ListPlan<ListBuilder>,
): Promise<string | undefined> {
  const builder = db
    .selectFrom('boards as b')
    .select('b.id')
    .where('b.dedupe_key', '=', word) as unknown as ListBuilder
  const row = await (plan.apply(builder, plan.values) as unknown as typeof builder)
    .limit(1)
    .executeTakeFirst()
  return row?.id
}

/** Whether a list query is listed by match (listByMatch), not by its own order. */
const byMatch = (query: BoardListQuery): query is BoardListQuery & { search: BoardSearch } =>
  Boolean(query.search?.words.length) && query.sort === 'activity'

/** The boards of a list by match: ids and matching rows, in list order, `query.limit` at most. */
async function streamMatches(
  db: Kysely<Database>,
  query: BoardListQuery & { search: BoardSearch },
): Promise<{ id: string; rid: number }[]> {
  const { search } = query
  // the longest word drives (most grams: the rarest, as a rule, so the fewest rows to read)
  const driving = search.words.reduce(
    (best, word, at) => (word.match.length > search.words[best]!.match.length ? at : best),
    0,
  )
  const first = search.words[driving]!
  const others = search.words.filter((_, at) => at !== driving)
  const plan = planList(BOARD_FILTER_CLAUSES, {
    ...query,
    search: { ...search, words: others, probeWords: true },
  })
  const cursorRid = query.cursor ? Number(query.cursor.sortValue) : undefined
  const below = cursorRid ?? Number.MAX_SAFE_INTEGER
  const found: { id: string; rid: number }[] = []
  const seen = new Set<string>()
  // a dedupe key typed exactly (ORDER-1042) is the best match of all: first, on the first page
  const keyId = search.from ? undefined : await exactKeyBoard(db, first.exact, plan)
  if (keyId) {
    seen.add(keyId)
    if (cursorRid === undefined) found.push({ id: keyId, rid: below })
  }
  const check = matchCheckQuery(first, search, cursorRid !== undefined, plan)
  const literals = first.literal ? wordSql('b.', search).literalValues(first.literal) : []
  const paging = cursorRid !== undefined ? [cursorRid, first.match] : []
  let checked = 0
  let chunk = FIRST_CHECK
  for (let limit = FIRST_STEP; found.length < query.limit; limit *= 4) {
    const rows = await matchRowsQuery(db, first.match, below, limit)
    for (let at = checked; at < rows.length && found.length < query.limit;) {
      const ids = rows.slice(at, at + chunk).map((row) => row.rid)
      at += chunk
      chunk = Math.min(chunk * 2, CHECK_CHUNK)
      const kept = await check(
        db,
        JSON.stringify(ids),
        query.workspaceId,
        ...literals,
        ...paging,
        ...plan.values,
      )
      for (const row of kept) {
        if (seen.has(row.id)) continue
        seen.add(row.id)
        found.push(row)
        if (found.length >= query.limit) break
      }
    }
    checked = rows.length
    if (rows.length < limit) break
  }
  return found
}

async function listByMatch(
  db: Kysely<Database>,
  query: BoardListQuery & { search: BoardSearch },
): Promise<(BoardListRow & { match_rid: number })[]> {
  const found = await streamMatches(db, query)
  if (found.length === 0) return []
  const rows = await listBase(db, query.memberId)
    .where('b.workspace_id', '=', query.workspaceId)
    .where(
      'b.id',
      'in',
      found.map((row) => row.id),
    )
    .execute()
  const byId = new Map(rows.map((row) => [row.id, row]))
  return found.flatMap(({ id, rid }) => {
    const row = byId.get(id)
    return row ? [{ ...row, match_rid: rid }] : []
  })
}

/**
 * A board page's board and the member's read position, compiled once (every page view runs it).
 * A subquery, not a LEFT JOIN: once ANALYZE has run, SQLite re-plans that join on every call.
 */
const findWithReadSeqQuery = preparedQuery(
  (db: Kysely<Database>, workspaceId: string, boardId: string, memberId: string) =>
    db
      .selectFrom('boards as b')
      .selectAll('b')
      .select((eb) =>
        eb
          .selectFrom('board_reads as r')
          .select('r.seq')
          .whereRef('r.board_id', '=', 'b.id')
          .where('r.member_id', '=', memberId)
          .as('read_seq'),
      )
      .where('b.workspace_id', '=', workspaceId)
      .where('b.id', '=', boardId),
)

export interface NewBoard {
  id: string
  workspaceId: string
  name: string
  customerName: string
  customerEmail: string
  dedupeKey: string | null
  threadMessageId: string | null
  expiresAt: number
  createdBy: string | null
  now: number
}

/** Who set a status by hand (migrations/0017_ratings.sql). */
export type StatusActor =
  | { kind: 'member'; memberId: string; name: string }
  | { kind: 'api'; name: string }
  | { kind: 'guest'; name: string }

export function createBoardsRepository({ db }: { db: Kysely<Database> }) {
  /** The update as a query, to run in a batch with what belongs to it (webhook outbox rows). */
  const updateQuery = (workspaceId: string, boardId: string, changes: BoardChanges, now: number) =>
    db
      .updateTable('boards')
      .set({
        ...changes,
        updated_at: now,
        // Statistics count boards closed per day: the moment it was closed, gone once reopened.
        ...(changes.status
          ? {
              closed_at:
                changes.status === 'closed'
                  ? sql<number>`CASE WHEN status = 'closed' THEN closed_at ELSE ${now} END`
                  : null,
            }
          : {}),
      })
      .where('workspace_id', '=', workspaceId)
      .where('id', '=', boardId)
      .returningAll()

  const insertQuery = (board: NewBoard) => {
    return (
      db
        .insertInto('boards')
        .values({
          id: board.id,
          workspace_id: board.workspaceId,
          name: board.name,
          customer_name: board.customerName,
          customer_email: board.customerEmail,
          dedupe_key: board.dedupeKey,
          thread_message_id: board.threadMessageId,
          expires_at: board.expiresAt,
          last_activity_at: board.now,
          created_by: board.createdBy,
          created_at: board.now,
          updated_at: board.now,
        })
        // The dedupe key is a unique index: a concurrent twin loses here instead of racing
        // a SELECT. No row back means "a board with this key already exists".
        .onConflict((oc) => oc.doNothing())
        .returningAll()
    )
  }
  return {
    findById(workspaceId: string, boardId: string) {
      return db
        .selectFrom('boards')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', boardId)
        .executeTakeFirst()
    },

    /** The board with how far this member has read it (null: never opened). */
    async findWithReadSeq(workspaceId: string, boardId: string, memberId: string) {
      const [board] = await findWithReadSeqQuery(db, workspaceId, boardId, memberId)
      return board
    },

    findByDedupeKey(workspaceId: string, dedupeKey: string) {
      return db
        .selectFrom('boards')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('dedupe_key', '=', dedupeKey)
        .executeTakeFirst()
    },

    /**
     * One page of the board list, keyset-paged on an index that starts with workspace_id, so a
     * page costs the same at board 100,000 as at board 1. A search with words in the default
     * order lists boards by their newest match instead (`match_rid`, the cursor's sort value;
     * see listByMatch).
     */
    list(query: BoardListQuery): Promise<(BoardListRow & { match_rid?: number })[]> {
      if (byMatch(query)) return listByMatch(db, query)
      const plan = planList(BOARD_LIST_CLAUSES, query)
      return listQueryFor(plan)(db, query.memberId, ...plan.values)
    },

    /**
     * The ids of the boards a list's filters match, in the list's order, `limit` at most (the
     * bulk actions' "all N matching" and its count); no cursor, no page.
     */
    async matchingIds(query: Omit<BoardListQuery, 'cursor' | 'limit'>, limit: number) {
      const all = { ...query, cursor: undefined, limit }
      if (byMatch(all)) return (await streamMatches(db, all)).map((row) => row.id)
      const plan = planList(BOARD_FILTER_CLAUSES, all)
      const builder = db.selectFrom('boards as b').select('b.id') as unknown as ListBuilder
      const rows = (await plan
        .apply(builder, plan.values)
        .orderBy('b.last_activity_at', 'desc')
        .limit(limit)
        .execute()) as unknown as { id: string }[]
      return rows.map((row) => row.id)
    },

    insert(board: NewBoard) {
      return insertQuery(board).executeTakeFirst()
    },

    /** The insert as a statement, for a batch that must commit with it (see createBoard). */
    insertQuery,

    /** Marks everything on the board as seen by this member (the blue marker turns grey). */
    markRead(memberId: string, boardId: string, now: number) {
      return db
        .insertInto('board_reads')
        .columns(['member_id', 'board_id', 'seq', 'read_at'])
        .expression((eb) =>
          eb
            .selectFrom('boards')
            .select([
              sql<string>`${memberId}`.as('member_id'),
              'id',
              'message_seq',
              sql<number>`${now}`.as('read_at'),
            ])
            .where('id', '=', boardId),
        )
        .onConflict((oc) =>
          oc
            .columns(['member_id', 'board_id'])
            .doUpdateSet({
              seq: (eb) => eb.ref('excluded.seq'),
              read_at: (eb) => eb.ref('excluded.read_at'),
            })
            // Re-opening a board already read changes no row, so the page view writes nothing.
            .where('board_reads.seq', '<', (eb) => eb.ref('excluded.seq')),
        )
    },

    /**
     * The history row of a status set by hand, selected from the board only while its status
     * still differs from the new one: run it before the update, in the same batch, and setting
     * the status a board already has records nothing.
     */
    statusChangeQuery(args: {
      id: string
      workspaceId: string
      boardId: string
      status: BoardStatus
      actor: StatusActor
      now: number
    }) {
      const { actor } = args
      return db
        .insertInto('status_changes')
        .columns([
          'id',
          'workspace_id',
          'board_id',
          'status',
          'previous_status',
          'actor_kind',
          'actor_member_id',
          'actor_name',
          'at',
        ])
        .expression((eb) =>
          eb
            .selectFrom('boards')
            .select([
              sql<string>`${args.id}`.as('id'),
              'workspace_id',
              'id as board_id',
              sql<BoardStatus>`${args.status}`.as('status'),
              'status as previous_status',
              sql<string>`${actor.kind}`.as('actor_kind'),
              sql<string | null>`${actor.kind === 'member' ? actor.memberId : null}`.as(
                'actor_member_id',
              ),
              sql<string>`${actor.name}`.as('actor_name'),
              sql<number>`${args.now}`.as('at'),
            ])
            .where('workspace_id', '=', args.workspaceId)
            .where('id', '=', args.boardId)
            .where('status', '!=', args.status),
        )
    },

    /** The latest status set by hand to `status` on the board (who ended it), if any. */
    latestStatusChange(workspaceId: string, boardId: string, status: BoardStatus) {
      return db
        .selectFrom('status_changes')
        .select(['actor_kind', 'actor_name', 'at'])
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .where('status', '=', status)
        .orderBy('at', 'desc')
        .limit(1)
        .executeTakeFirst()
    },

    update(workspaceId: string, boardId: string, changes: BoardChanges, now: number) {
      return updateQuery(workspaceId, boardId, changes, now).executeTakeFirst()
    },

    updateQuery,
  }
}
