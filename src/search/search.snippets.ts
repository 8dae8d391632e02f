// Which message made a board match a free-word search, and where in it (issue #17.4): the list
// shows, under each found board, the best matching message with the words marked. One query
// for the page's rows only, so a search page costs one more read whatever its size.
import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { BoardSearch } from './search.filter'
import { normalizeForSearch } from './search.text'

/** A piece of a snippet's text; `mark` pieces are the matched words. Plain text, never markup. */
export interface SnippetPart {
  text: string
  mark: boolean
}

/** The matched message shown under a found board in the list. */
export interface MatchSnippet {
  messageId: string
  /** the message's place in the thread (the page's `#m-<seq>` anchor) */
  seq: number
  /** No. of a public message, null for an internal note or a system message */
  no: number | null
  internal: boolean
  authorName: string
  authorKind: 'member' | 'guest' | 'api'
  /** a window of the text around the first hit, white space collapsed, "…" where it was cut */
  parts: SnippetPart[]
}

/** Messages per board looked at for its snippet: its newest. */
const CANDIDATES_PER_BOARD = 30

/** Characters of context shown before the first hit, and the window's length in all. */
const BEFORE = 24
const WINDOW = 90

const CLUSTER = /\P{M}[\p{M}\uff9e\uff9f]*|[\p{M}\uff9e\uff9f]+/gu
const RUN = /[\p{L}\p{N}]+/gu

/**
 * The strings to mark for a search's words: each word's runs of letters and digits, normalised
 * as the index normalises them (search.text.ts), longest first.
 */
export function markTerms(words: readonly string[]): string[] {
  const terms = new Set<string>()
  for (const word of words)
    for (const match of normalizeForSearch(word).matchAll(RUN)) terms.add(match[0])
  return [...terms].sort((a, b) => b.length - a.length)
}

/**
 * Where the terms occur in a text, as [start, end) ranges of the ORIGINAL text (UTF-16 indexes),
 * sorted and merged, and how many different terms occur. The text is normalised piece by piece
 * (a base character with its combining or half-width sound marks: ｶﾞ is one piece), so a hit
 * found in the normalised form maps back to whole characters of what was written.
 */
export function findTerms(
  text: string,
  terms: readonly string[],
): { ranges: [number, number][]; found: number } {
  let normalized = ''
  // for each UTF-16 unit of `normalized`: the original [start, end) of the piece it came from
  const origin: [number, number][] = []
  for (const match of text.matchAll(CLUSTER)) {
    const start = match.index
    const end = start + match[0].length
    const piece = normalizeForSearch(match[0])
    normalized += piece
    for (let i = 0; i < piece.length; i++) origin.push([start, end])
  }
  const ranges: [number, number][] = []
  let found = 0
  for (const term of terms) {
    if (!term) continue
    let at = normalized.indexOf(term)
    if (at >= 0) found++
    while (at >= 0) {
      ranges.push([origin[at]![0], origin[at + term.length - 1]![1]])
      at = normalized.indexOf(term, at + term.length)
    }
  }
  ranges.sort((a, b) => a[0] - b[0])
  const merged: [number, number][] = []
  for (const range of ranges) {
    const last = merged.at(-1)
    if (last && range[0] <= last[1]) last[1] = Math.max(last[1], range[1])
    else merged.push([...range])
  }
  return { ranges: merged, found }
}

/**
 * A window of `text` around its first hit, cut into plain and marked parts. White space runs
 * become one space; "…" stands for what was cut at either end. With no hit, the text's start.
 */
export function snippetParts(text: string, ranges: readonly [number, number][]): SnippetPart[] {
  const first = ranges[0]?.[0] ?? 0
  let start = Math.max(0, first - BEFORE)
  let end = Math.min(text.length, start + WINDOW)
  start = Math.max(0, Math.min(start, end - WINDOW))
  // never cut a surrogate pair in two
  if (start > 0 && /[\udc00-\udfff]/.test(text[start]!)) start--
  if (end < text.length && /[\udc00-\udfff]/.test(text[end]!)) end++
  const parts: SnippetPart[] = []
  const push = (from: number, to: number, mark: boolean) => {
    if (to <= from) return
    const piece = text.slice(from, to).replace(/\s+/gu, ' ')
    const last = parts.at(-1)
    if (last && last.mark === mark) last.text += piece
    else parts.push({ text: piece, mark })
  }
  let at = start
  for (const [from, to] of ranges) {
    if (to <= start || from >= end) continue
    push(at, Math.max(at, from), false)
    push(Math.max(at, from), Math.min(to, end), true)
    at = Math.min(to, end)
  }
  push(at, end, false)
  const head = parts[0]
  if (head && !head.mark) head.text = head.text.trimStart()
  const tail = parts.at(-1)
  if (tail && !tail.mark) tail.text = tail.text.trimEnd()
  if (start > 0) parts.unshift({ text: '…', mark: false })
  if (end < text.length) parts.push({ text: '…', mark: false })
  return parts
}

/**
 * The best matching message of each listed board for a search with free words: among each
 * board's newest CANDIDATES_PER_BOARD messages, the one that holds the most of the words (the
 * newest among equals), as a snippet. Internal notes count only when `search.includeInternal`
 * (members); `from:` limits the authors as the search does. A board found only through its own
 * fields (name, customer, dedupe key), or only through an older message, has no snippet. For a
 * one-word search listed by match, `matched` names each board's matching row: its message (the
 * newest holding the word, however old) is the snippet, read by id.
 *
 * One query over the page's boards, by (board_id, seq) — not the full-text index: probing the
 * index row by row, or letting it list every match of a common word, costs 10 to 100 times more
 * over a million messages (test/bench/search.bench.ts). The words are found here, in the text,
 * normalised as the index normalises it (findTerms). None at all without words or boards.
 */
export async function matchSnippets(
  db: Kysely<Database>,
  search: BoardSearch,
  boardIds: readonly string[],
  /**
   * for a one-word search listed by match (boards.repository's listByMatch): each board's newest
   * matching index row, whose message is the snippet — the newest message holding the word,
   * read by id instead of among the board's newest messages
   */
  matched?: readonly number[],
): Promise<Map<string, MatchSnippet>> {
  const snippets = new Map<string, MatchSnippet>()
  if (search.words.length === 0 || boardIds.length === 0) return snippets
  const internal = search.includeInternal ? sql`` : sql` AND m.internal = 0`
  const author =
    search.from === 'customer'
      ? sql` AND m.author_kind = 'guest'`
      : search.from === 'staff'
        ? sql` AND m.author_kind != 'guest'`
        : sql``
  type Candidate = {
    board_id: string
    id: string
    seq: number
    no: number | null
    internal: number
    author_kind: 'member' | 'guest' | 'api'
    author_name: string
    body: string
  }
  const { rows } =
    matched && search.words.length === 1
      ? matched.length === 0
        ? { rows: [] as Candidate[] }
        : await sql<Candidate>`
    SELECT m.board_id, m.id, m.seq, m.no, m.internal, m.author_kind, m.author_name, m.body
    FROM search_rows sr JOIN messages m ON m.id = sr.message_id
    WHERE sr.id IN (${sql.join(matched)}) AND sr.workspace_id = ${search.workspaceId}${internal}${author}
  `.execute(db)
      : await sql<Candidate>`
    SELECT m.board_id, m.id, m.seq, m.no, m.internal, m.author_kind, m.author_name, m.body
    FROM boards b
    JOIN messages m ON m.board_id = b.id AND m.seq > b.message_seq - ${CANDIDATES_PER_BOARD}
    WHERE b.id IN (${sql.join(boardIds)}) AND b.workspace_id = ${search.workspaceId}${internal}${author}
  `.execute(db)

  const terms = markTerms(search.words.map((word) => word.exact))
  const best = new Map<
    string,
    { row: (typeof rows)[number]; found: number; ranges: [number, number][] }
  >()
  for (const row of rows) {
    // most of the candidates hold none of the words: one normalisation of the whole text says
    // so, before the piece-by-piece one that maps hits back to what was written
    const whole = normalizeForSearch(row.body)
    if (!terms.some((term) => whole.includes(term))) continue
    const { found, ranges } = findTerms(row.body, terms)
    if (found === 0) continue
    const current = best.get(row.board_id)
    if (!current || found > current.found || (found === current.found && row.seq > current.row.seq))
      best.set(row.board_id, { row, found, ranges })
  }
  for (const [boardId, { row, ranges }] of best) {
    snippets.set(boardId, {
      messageId: row.id,
      seq: row.seq,
      no: row.no,
      internal: row.internal === 1,
      authorName: row.author_name,
      authorKind: row.author_kind,
      parts: snippetParts(row.body, ranges),
    })
  }
  return snippets
}
