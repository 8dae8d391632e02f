// A parsed search (search.query.ts) as list clauses (src/shared/list-filter.ts) for both board
// lists: the members' list (boards as `b`) and the API's (boards unaliased). The search's days
// become instants in the workspace's time zone here.
import { TZDate } from '@date-fns/tz'
import { sql, type Expression, type SqlBool } from 'kysely'
import type { BoardStatus } from '../db/schema'
import type { ListClause } from '../shared/list-filter'
import { localDate } from '../shared/time'
import type { IsValue, SearchProblem, SearchQuery } from './search.query'
import { matchExpression } from './search.text'

/** A search ready for SQL: every day turned into an instant, every word into FTS5 syntax. */
export interface BoardSearch {
  workspaceId: string
  /**
   * each word's FTS5 expression, the word as typed (a dedupe key matches it exactly) and, when
   * it holds symbols, the LIKE pattern (escaped with \\) it must also match literally
   */
  words: { match: string; exact: string; literal?: string }[]
  /** internal notes count for members, never for anyone else */
  includeInternal: boolean
  /**
   * look each word up per board (for a list that already has few boards, see listByMatch)
   * instead of listing every board that holds it
   */
  probeWords?: boolean
  from?: 'customer' | 'staff'
  statuses: BoardStatus[]
  notStatuses: BoardStatus[]
  activityFrom?: number
  activityBefore?: number
  createdFrom?: number
  createdBefore?: number
  /** next-contact dates (YYYY-MM-DD), inclusive; `openOnly` leaves done and closed boards out */
  next?: { from?: string; to?: string; openOnly: boolean }
  is: IsValue[]
  isNot: IsValue[]
  hasAttachment: boolean
  /** epoch ms, for is:expired */
  now: number
  /** the member whose read positions is:unread uses (none: the API) */
  memberId?: string
  /** 担当者: unassigned, or one of these members (assignee:@name may match several) */
  assignee?: { kind: 'none' } | { kind: 'members'; ids: string[] }
  /** #tag / -#tag as the workspace's tag ids (each must / must not be on the board) */
  tagIds: string[]
  notTagIds: string[]
  /** category:… as a category id, or none (no category) */
  category?: { kind: 'none' } | { kind: 'id'; id: string }
}

const startOfDay = (day: string, timeZone: string) => {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number]
  return new TZDate(y, m - 1, d, 0, 0, 0, 0, timeZone).getTime()
}
const nextDay = (day: string) => {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + 1)
  return date.toISOString().slice(0, 10)
}
const previousDay = (day: string) => {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() - 1)
  return date.toISOString().slice(0, 10)
}

/**
 * Resolves a parsed search for one workspace. Problems come back for what this list can't do
 * (is:unread without a member; #tags and category: that searchFor has not looked up).
 */
export function resolveSearch(
  query: SearchQuery,
  context: {
    workspaceId: string
    timeZone: string
    now: number
    memberId?: string
    includeInternal: boolean
    /** assignee:… as searchFor looked it up */
    assignee?: BoardSearch['assignee']
    /** #tags and category:… as searchFor looked them up (ids of this workspace) */
    tags?: { tagIds: string[]; notTagIds: string[] }
    category?: BoardSearch['category']
  },
): { ok: true; search: BoardSearch } | { ok: false; problems: SearchProblem[] } {
  const problems: SearchProblem[] = []
  if ((query.tags.length || query.notTags.length) && !context.tags)
    problems.push({ code: 'search.not_here', term: '#' })
  if (query.category && !context.category)
    problems.push({ code: 'search.not_here', term: 'category:' })
  if (!context.memberId && [...query.is, ...query.isNot].includes('unread'))
    problems.push({ code: 'search.not_here', term: 'is:unread' })
  const words: BoardSearch['words'] = []
  for (const word of query.words) {
    const match = matchExpression(word)
    if (!match) continue
    const symbols = /[^\p{L}\p{N}\s]/u.test(word)
    words.push({
      match,
      exact: word,
      literal: symbols ? `%${word.replace(/[\\%_]/g, (char) => `\\${char}`)}%` : undefined,
    })
  }
  if (query.from && words.length === 0)
    problems.push({ code: 'search.from_needs_words', term: `from:${query.from}` })
  if (problems.length > 0) return { ok: false, problems }

  const tz = context.timeZone
  const today = localDate(context.now, tz)
  let next: BoardSearch['next']
  if (query.next?.kind === 'today') next = { from: today, to: today, openOnly: false }
  else if (query.next?.kind === 'overdue') next = { to: previousDay(today), openOnly: true }
  else if (query.next?.kind === 'due') next = { to: today, openOnly: true }
  else if (query.next?.kind === 'days') next = { ...query.next.range, openOnly: false }
  return {
    ok: true,
    search: {
      workspaceId: context.workspaceId,
      words,
      includeInternal: context.includeInternal,
      from: query.from,
      statuses: query.statuses,
      notStatuses: query.notStatuses,
      activityFrom: query.activity.onOrAfter ? startOfDay(query.activity.onOrAfter, tz) : undefined,
      activityBefore: query.activity.before ? startOfDay(query.activity.before, tz) : undefined,
      createdFrom: query.created?.from ? startOfDay(query.created.from, tz) : undefined,
      createdBefore: query.created?.to ? startOfDay(nextDay(query.created.to), tz) : undefined,
      next,
      // each value once (its instant or member is bound once); "is:x -is:x" reads as is:x
      is: [...new Set(query.is)],
      isNot: [...new Set(query.isNot)].filter((value) => !query.is.includes(value)),
      hasAttachment: query.hasAttachment === true,
      now: context.now,
      memberId: context.memberId,
      assignee: context.assignee,
      tagIds: context.tags?.tagIds ?? [],
      notTagIds: context.tags?.notTagIds ?? [],
      category: context.category,
    },
  }
}

/** The board fields a word with symbols may be found in literally (besides messages). */
const LITERAL_FIELDS = ['name', 'customer_name', 'customer_email', 'dedupe_key'] as const

/**
 * The SQL of a word's conditions besides its index match, for a list whose boards table is
 * referred to with prefix `p` (the list's clause below, and boards.repository's listByMatch):
 * - `row(alias)`: a `search_rows` row aliased `alias` counts (no internal note for the customer
 *   side, the author `from:` asks for);
 * - `literal(next)`: a word with symbols is also in the text as written — in the board's fields
 *   (only when any author will do) or in one of its messages. It binds one LIKE pattern per
 *   `next()` call, as many as `literalValues(pattern)` gives.
 */
export function wordSql(p: string, search: Pick<BoardSearch, 'includeInternal' | 'from'>) {
  const c = (column: string) => sql.raw(`${p}${column}`)
  const author = search.from && (search.from === 'customer' ? "= 'guest'" : "!= 'guest'")
  return {
    row: (alias: string) =>
      sql.raw(
        (search.includeInternal ? '' : ` AND ${alias}.internal = 0`) +
          (author
            ? ` AND ${alias}.message_id IN (SELECT m.id FROM messages m WHERE m.id = ${alias}.message_id AND m.author_kind ${author})`
            : ''),
      ),
    literalValues: (pattern: string): string[] =>
      Array<string>(author ? 1 : LITERAL_FIELDS.length + 1).fill(pattern),
    literal: (next: () => unknown) => {
      const fields = author
        ? sql``
        : sql`${sql.join(
            LITERAL_FIELDS.map((field) => sql`${c(field)} LIKE ${next()} ESCAPE '\\'`),
            sql` OR `,
          )} OR `
      const internal = search.includeInternal ? sql`` : sql` AND m.internal = 0`
      const by = author ? sql.raw(` AND m.author_kind ${author}`) : sql``
      return sql<SqlBool>`(${fields}EXISTS (SELECT 1 FROM messages m WHERE m.board_id = ${c('id')} AND m.body LIKE ${next()} ESCAPE '\\'${internal}${by}))`
    },
  }
}

type Where<B> = { where(expression: Expression<SqlBool>): B }

/** One `is:` condition on a board (`p` is the boards table's prefix, e.g. "b."). */
function isCondition(value: IsValue, p: string, at: unknown, memberId: unknown) {
  const c = (column: string) => sql.raw(`${p}${column}`)
  switch (value) {
    case 'expired':
      return sql<SqlBool>`${c('expires_at')} <= ${at}`
    case 'bounced':
      return sql<SqlBool>`${c('guest_email_problem')} IS NOT NULL`
    case 'closed':
      return sql<SqlBool>`${c('status')} = 'closed'`
    case 'unanswered':
      return sql<SqlBool>`(${c('last_public_author')} = 'guest' AND ${c('status')} NOT IN ('done', 'closed'))`
    case 'unread':
      return sql<SqlBool>`NOT EXISTS (SELECT 1 FROM board_reads br WHERE br.board_id = ${c('id')} AND br.member_id = ${memberId} AND br.seq >= ${c('message_seq')})`
  }
}

/**
 * The clauses of a search, for a list whose boards table is referred to with prefix `p`
 * ("b." for the members' list, "" for the API's). Put them after the workspace clause.
 */
export function searchClauses<Filter, B extends Where<B>>(
  p: string,
  pick: (filter: Filter) => BoardSearch | undefined,
): ListClause<Filter, B>[] {
  const c = (column: string) => sql.raw(`${p}${column}`)
  return [
    {
      name: 'search-words',
      // Each word: its match, the workspace, and the word for an exact dedupe key. A word with
      // symbols in it (100%, A-4, @example) also needs them literally (the grams hold only
      // letters and digits): its LIKE pattern follows, for the board's fields and messages.
      values: (filter) => {
        const search = pick(filter)
        const all = !search?.from
        return search?.words.flatMap((word) => [
          word.match,
          search.workspaceId,
          ...(all ? [word.exact] : []),
          ...(word.literal ? wordSql(p, search).literalValues(word.literal) : []),
        ])
      },
      shape: (filter) => {
        const search = pick(filter)!
        const words = search.words.map((word) => (word.literal ? 'L' : 'W')).join('')
        return `${search.includeInternal ? 'internal' : 'public'}/${search.from ?? 'all'}/${words}/${search.probeWords ? 'probe' : 'set'}`
      },
      apply: (builder, values: unknown[], shape) => {
        const [visibility, from, words = '', lookup] = shape.split('/')
        const word = wordSql(p, {
          includeInternal: visibility === 'internal',
          from: from === 'all' ? undefined : (from as 'customer' | 'staff'),
        })
        const rows = word.row('sr')
        let at = 0
        const next = () => values[at++]
        for (const kind of words) {
          const match = next()
          const workspaceId = next()
          const fts =
            lookup === 'probe'
              ? sql<SqlBool>`EXISTS (SELECT 1 FROM search_rows sr JOIN search_index ON search_index.rowid = sr.id WHERE sr.board_id = ${c('id')} AND sr.workspace_id = ${workspaceId} AND search_index MATCH ${match}${rows})`
              : sql<SqlBool>`${c('id')} IN (SELECT sr.board_id FROM search_index JOIN search_rows sr ON sr.id = search_index.rowid WHERE search_index MATCH ${match} AND sr.workspace_id = ${workspaceId}${rows})`
          // a dedupe key is the board's, so it counts only when any author will do
          const key = from === 'all' ? sql<SqlBool>`${c('dedupe_key')} = ${next()}` : undefined
          const condition = kind === 'L' ? sql<SqlBool>`(${fts} AND ${word.literal(next)})` : fts
          builder = builder.where(key ? sql<SqlBool>`(${condition} OR ${key})` : condition)
        }
        return builder
      },
    },
    {
      name: 'search-status',
      values: (filter) => {
        const search = pick(filter)
        return search && search.statuses.length > 0 ? search.statuses : undefined
      },
      apply: (builder, statuses: unknown[]) =>
        builder.where(sql<SqlBool>`${c('status')} IN (${sql.join(statuses)})`),
    },
    {
      name: 'search-not-status',
      values: (filter) => {
        const search = pick(filter)
        return search && search.notStatuses.length > 0 ? search.notStatuses : undefined
      },
      apply: (builder, statuses: unknown[]) =>
        builder.where(sql<SqlBool>`${c('status')} NOT IN (${sql.join(statuses)})`),
    },
    ...(
      [
        ['activity-from', 'last_activity_at', '>=', (s: BoardSearch) => s.activityFrom],
        ['activity-before', 'last_activity_at', '<', (s: BoardSearch) => s.activityBefore],
        ['created-from', 'created_at', '>=', (s: BoardSearch) => s.createdFrom],
        ['created-before', 'created_at', '<', (s: BoardSearch) => s.createdBefore],
        ['next-from', 'next_contact_on', '>=', (s: BoardSearch) => s.next?.from],
        // contact_sort is the date then the time (9999-12-31 without a date): "<day>~" sorts
        // after every time of that day, and the comparison can use boards_contact
        [
          'next-to',
          'contact_sort',
          '<=',
          (s: BoardSearch) => (s.next?.to ? `${s.next.to}~` : undefined),
        ],
      ] as const
    ).map(([name, column, op, value]): ListClause<Filter, B> => ({
      name: `search-${name}`,
      values: (filter) => {
        const search = pick(filter)
        const v = search ? value(search) : undefined
        return v === undefined ? undefined : [v]
      },
      // A next-contact range holds few of a workspace's boards, but with its bound (not literal)
      // value the planner can't tell and walks the status index in list order instead (issue
      // #17's bench: status:waiting assignee:me next:overdue read 17k boards, 24 ms → 4 ms).
      apply: (builder, [v]: [unknown]) =>
        builder.where(
          name.startsWith('next-')
            ? sql<SqlBool>`likelihood(${c(column)} ${sql.raw(op)} ${v}, 0.05)`
            : sql<SqlBool>`${c(column)} ${sql.raw(op)} ${v}`,
        ),
    })),
    {
      name: 'search-next-open',
      values: (filter) => (pick(filter)?.next?.openOnly ? [] : undefined),
      apply: (builder) => builder.where(sql<SqlBool>`${c('status')} NOT IN ('done', 'closed')`),
    },
    {
      name: 'search-is',
      // the instant when is:expired is asked, the member when is:unread is (each bound once);
      // one shape per set of values
      values: (filter) => {
        const search = pick(filter)
        if (!search || search.is.length + search.isNot.length === 0) return undefined
        const all = [...search.is, ...search.isNot]
        return [
          ...(all.includes('expired') ? [search.now] : []),
          ...(all.includes('unread') ? [search.memberId ?? ''] : []),
        ]
      },
      shape: (filter) => {
        const search = pick(filter)!
        return [...search.is.map((v) => `+${v}`), ...search.isNot.map((v) => `-${v}`)].join(',')
      },
      apply: (builder, values: unknown[], shape) => {
        const parts = shape.split(',')
        const names = parts.map((part) => part.slice(1))
        const at = names.includes('expired') ? values[0] : undefined
        const memberId = names.includes('unread') ? values[at === undefined ? 0 : 1] : undefined
        for (const part of parts) {
          const condition = isCondition(part.slice(1) as IsValue, p, at, memberId)
          builder = builder.where(
            part.startsWith('-') ? sql<SqlBool>`NOT (${condition})` : condition,
          )
        }
        return builder
      },
    },
    {
      name: 'search-assignee',
      values: (filter) => {
        const assignee = pick(filter)?.assignee
        return assignee ? (assignee.kind === 'none' ? [] : assignee.ids) : undefined
      },
      shape: (filter) => pick(filter)!.assignee!.kind,
      apply: (builder, ids: unknown[], kind) =>
        builder.where(
          kind === 'none'
            ? sql<SqlBool>`${c('assignee_member_id')} IS NULL`
            : sql<SqlBool>`${c('assignee_member_id')} IN (${sql.join(ids)})`,
        ),
    },
    {
      name: 'search-tags',
      // one value per tag, the ones to have first; the shape says how many of each
      values: (filter) => {
        const search = pick(filter)
        return search && search.tagIds.length + search.notTagIds.length > 0
          ? [...search.tagIds, ...search.notTagIds]
          : undefined
      },
      shape: (filter) => String(pick(filter)!.tagIds.length),
      apply: (builder, ids: unknown[], shape) => {
        const having = Number(shape)
        ids.forEach((id, at) => {
          const has = sql<SqlBool>`${c('id')} IN (SELECT bt.board_id FROM board_tags bt WHERE bt.tag_id = ${id})`
          builder = builder.where(at < having ? has : sql<SqlBool>`NOT (${has})`)
        })
        return builder
      },
    },
    {
      name: 'search-category',
      values: (filter) => {
        const category = pick(filter)?.category
        return category ? (category.kind === 'none' ? [] : [category.id]) : undefined
      },
      shape: (filter) => pick(filter)!.category!.kind,
      apply: (builder, [id]: [unknown], kind) =>
        builder.where(
          kind === 'none'
            ? sql<SqlBool>`${c('category_id')} IS NULL`
            : sql<SqlBool>`${c('category_id')} = ${id}`,
        ),
    },
    {
      name: 'search-has-attachment',
      values: (filter) => (pick(filter)?.hasAttachment ? [] : undefined),
      apply: (builder) =>
        builder.where(
          sql<SqlBool>`EXISTS (SELECT 1 FROM attachments a WHERE a.board_id = ${c('id')} AND a.message_id IS NOT NULL)`,
        ),
    },
  ]
}
