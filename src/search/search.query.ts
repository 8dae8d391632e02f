// The one search syntax of the board list's search box and the API's `q=` (issue #17):
//
//   ロゴ "両面 カラー"            words and quoted phrases: board name, customer, email, dedupe
//                                 key and the text of every message (substring, NFKC, kana)
//   status:waiting / status:返答待ち   the board's status (code or label, either language)
//   after:2026-12-01 before:2026-12-31  last activity on or after / before a day
//   created:2026-12-01 / created:2026-12-01..2026-12-07   the day (or days) it was opened
//   next:today / next:overdue / next:due (today or overdue) / next:2026-12-05 / next:a..b
//   is:unread is:unanswered is:expired is:bounced is:closed
//   has:attachment   from:customer / from:staff (the words must be in their messages)
//   assignee:@sato / assignee:me / assignee:none   #タグ -#タグ   category:名刺
//
// Operators and #tags may be negated with a leading "-" where it makes sense (-#tag, -is:…,
// -status:…). Unknown operators are an error with a hint, never an empty result. Dates are
// calendar days in the workspace's time zone; the caller turns them into instants.
import { BOARD_STATUSES } from '../boards/boards.rules'
import type { BoardStatus } from '../db/schema'
import { withoutBidiControls } from '../shared/validation'

export const SEARCH_OPERATORS = [
  'status',
  'assignee',
  'category',
  'after',
  'before',
  'created',
  'next',
  'is',
  'has',
  'from',
] as const
export type SearchOperator = (typeof SEARCH_OPERATORS)[number]

export const IS_VALUES = ['unread', 'unanswered', 'expired', 'bounced', 'closed'] as const
export type IsValue = (typeof IS_VALUES)[number]

/** An inclusive range of calendar days (YYYY-MM-DD); either end may be open. */
export interface DayRange {
  from?: string
  to?: string
}

export type Assignee = { kind: 'me' } | { kind: 'none' } | { kind: 'member'; handle: string }

export interface SearchQuery {
  /** free words and phrases, as typed (normalised when matched) */
  words: string[]
  statuses: BoardStatus[]
  notStatuses: BoardStatus[]
  /** last activity on or after `onOrAfter`, and before (not on) `before` (Gmail's after:/before:) */
  activity: { onOrAfter?: string; before?: string }
  created?: DayRange
  next?:
    | { kind: 'today' }
    | { kind: 'overdue' }
    /** today or overdue, open boards only (the 今日の連絡 view) */
    | { kind: 'due' }
    | { kind: 'days'; range: DayRange }
  is: IsValue[]
  isNot: IsValue[]
  hasAttachment?: boolean
  /** whose messages the words must be found in (board fields then don't count) */
  from?: 'customer' | 'staff'
  assignee?: Assignee
  /** tag names as typed (NFKC); matched case-insensitively */
  tags: string[]
  notTags: string[]
  /** category:名刺, or category:none (boards without one) */
  category?: { kind: 'none' } | { kind: 'name'; name: string }
}

/** Why a query can't be run; `hint` is a suggestion to show with it. */
export interface SearchProblem {
  code:
    | 'search.unknown_operator'
    | 'search.bad_value'
    | 'search.bad_date'
    | 'search.empty_value'
    | 'search.unclosed_quote'
    | 'search.cannot_negate'
    | 'search.unknown_member'
    | 'search.not_here'
    | 'search.from_needs_words'
    | 'search.unknown_tag'
    | 'search.unknown_category'
    | 'search.no_tags'
    | 'search.no_categories'
    | 'search.negated_word'
  /** the part of the query it is about, as typed */
  term: string
  /** for unknown operators: the closest known one; for bad values: the accepted ones */
  hint?: string
}

export type SearchParse =
  { ok: true; query: SearchQuery } | { ok: false; problems: SearchProblem[] }

/** Status labels in both languages, so `status:返答待ち` works like `status:waiting`. */
const STATUS_WORDS: Record<string, BoardStatus> = {
  新規: 'new',
  返答待ち: 'waiting',
  要対応: 'replied',
  保留: 'on_hold',
  完了: 'done',
  終了: 'closed',
  open: 'new',
  hold: 'on_hold',
  onhold: 'on_hold',
  'on-hold': 'on_hold',
}

const DAY = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$/

function dayOf(text: string): string | undefined {
  const match = DAY.exec(text)
  if (!match) return undefined
  const [, y, m, d] = match
  const day = `${y}-${m!.padStart(2, '0')}-${d!.padStart(2, '0')}`
  const date = new Date(`${day}T00:00:00Z`)
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== day ? undefined : day
}

function rangeOf(text: string): DayRange | undefined {
  const [first, second, ...rest] = text.split('..')
  if (rest.length > 0) return undefined
  if (second === undefined) {
    const day = dayOf(first!)
    return day ? { from: day, to: day } : undefined
  }
  const from = first ? dayOf(first) : undefined
  const to = second ? dayOf(second) : undefined
  if ((first && !from) || (second && !to) || (!from && !to)) return undefined
  return { from, to }
}

/** The closest known operator to a mistyped one (edit distance ≤ 2), for the hint. */
function closest(name: string): string | undefined {
  let best: { op: string; distance: number } | undefined
  for (const op of SEARCH_OPERATORS) {
    const distance = editDistance(name, op)
    if (distance <= 2 && (!best || distance < best.distance)) best = { op, distance }
  }
  return best?.op
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]!
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]!
}

/** Splits on white space (ASCII and full-width), keeping "quoted phrases" and 「かぎ括弧」 whole. */
function terms(text: string): { terms: string[]; unclosed?: string } {
  const out: string[] = []
  let current = ''
  let quote: string | null = null
  for (const char of text) {
    if (quote) {
      current += char
      if (char === quote) quote = null
      continue
    }
    if (char === '"' || char === '“' || char === '「') {
      quote = char === '"' ? '"' : char === '“' ? '”' : '」'
      current += char
      continue
    }
    if (/\s/u.test(char)) {
      if (current) out.push(current)
      current = ''
      continue
    }
    current += char
  }
  if (quote) return { terms: out, unclosed: current }
  if (current) out.push(current)
  return { terms: out }
}

const unquote = (text: string) => text.replace(/^["“「]|["”」]$/g, '')

/**
 * Parses a search box's text. Never throws: a query that can't be run comes back with every
 * problem found, each naming the term (for the member's language, see `search.*` messages).
 */
export function parseSearch(text: string): SearchParse {
  const query: SearchQuery = {
    words: [],
    statuses: [],
    notStatuses: [],
    activity: {},
    is: [],
    isNot: [],
    tags: [],
    notTags: [],
  }
  const problems: SearchProblem[] = []
  // bidi controls (copied with a spoofed name) are no part of any word
  const split = terms(
    withoutBidiControls(text).normalize('NFKC').replace(/：/g, ':').replace(/＃/g, '#'),
  )
  if (split.unclosed) problems.push({ code: 'search.unclosed_quote', term: split.unclosed })

  for (const raw of split.terms) {
    const negated = raw.startsWith('-') && raw.length > 1
    const term = negated ? raw.slice(1) : raw
    if (term.startsWith('#') && term.length > 1) {
      ;(negated ? query.notTags : query.tags).push(term.slice(1))
      continue
    }
    const operator = /^([a-z]+):(.*)$/i.exec(term)
    if (!operator || /^https?$/i.test(operator[1]!)) {
      // "-word" would read as "without this word", which the search can't do: say so
      if (negated && /^[\p{L}"]/u.test(term)) {
        problems.push({ code: 'search.negated_word', term: raw })
        continue
      }
      const word = unquote(raw)
      if (word) query.words.push(word)
      continue
    }
    const name = operator[1]!.toLowerCase()
    const value = unquote(operator[2]!)
    if (!(SEARCH_OPERATORS as readonly string[]).includes(name)) {
      problems.push({ code: 'search.unknown_operator', term: raw, hint: closest(name) })
      continue
    }
    if (!value) {
      problems.push({ code: 'search.empty_value', term: raw })
      continue
    }
    const op = name as SearchOperator
    if (negated && op !== 'status' && op !== 'is') {
      problems.push({ code: 'search.cannot_negate', term: raw })
      continue
    }
    const lower = value.toLowerCase()
    switch (op) {
      case 'status': {
        const status = (BOARD_STATUSES as readonly string[]).includes(lower)
          ? (lower as BoardStatus)
          : STATUS_WORDS[lower]
        if (!status)
          problems.push({ code: 'search.bad_value', term: raw, hint: BOARD_STATUSES.join(', ') })
        else (negated ? query.notStatuses : query.statuses).push(status)
        break
      }
      case 'is': {
        if (!(IS_VALUES as readonly string[]).includes(lower))
          problems.push({ code: 'search.bad_value', term: raw, hint: IS_VALUES.join(', ') })
        else (negated ? query.isNot : query.is).push(lower as IsValue)
        break
      }
      case 'has':
        if (lower !== 'attachment' && lower !== 'file' && lower !== 'attachments')
          problems.push({ code: 'search.bad_value', term: raw, hint: 'attachment' })
        else query.hasAttachment = true
        break
      case 'from':
        if (lower === 'customer' || lower === 'guest' || value === 'お客様') query.from = 'customer'
        else if (lower === 'staff' || lower === 'shop' || value === 'スタッフ') query.from = 'staff'
        else problems.push({ code: 'search.bad_value', term: raw, hint: 'customer, staff' })
        break
      case 'after':
      case 'before': {
        const day = dayOf(value)
        if (!day) problems.push({ code: 'search.bad_date', term: raw })
        else if (op === 'after') query.activity.onOrAfter = day
        else query.activity.before = day
        break
      }
      case 'created': {
        const range = rangeOf(value)
        if (!range) problems.push({ code: 'search.bad_date', term: raw })
        else query.created = range
        break
      }
      case 'next': {
        if (lower === 'today') query.next = { kind: 'today' }
        else if (lower === 'overdue') query.next = { kind: 'overdue' }
        else if (lower === 'due') query.next = { kind: 'due' }
        else {
          const range = rangeOf(value)
          if (!range)
            problems.push({ code: 'search.bad_date', term: raw, hint: 'today, overdue, due' })
          else query.next = { kind: 'days', range }
        }
        break
      }
      case 'assignee':
        if (lower === 'me' || value === '自分') query.assignee = { kind: 'me' }
        else if (lower === 'none' || value === 'なし') query.assignee = { kind: 'none' }
        else query.assignee = { kind: 'member', handle: value.replace(/^@/, '') }
        break
      case 'category':
        query.category =
          lower === 'none' || value === 'なし' ? { kind: 'none' } : { kind: 'name', name: value }
        break
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, query }
}
