// The columns of the CSV exports, one entry each: a stable key (the API's header), a label per
// language (the header members get), and the cell. Features that add board data append their
// columns here and select what they need in exports.repository.ts.
import type { BoardStatus, Locale } from '../db/schema'
import { translator } from '../shared/i18n'
import { statusLabel } from '../boards/boards.labels'

/** What a cell may need besides its row. */
export interface CsvContext {
  locale: Locale
  timeZone: string
  /** the workspace's own status labels (empty: the built-in ones) */
  statusLabels: Record<string, string>
  /** origin + /w/<slug>: a board's staff page is `${boardsBase}/<id>` */
  boardsBase: string
}

export interface CsvColumn<Row> {
  key: string
  label: Record<Locale, string>
  cell(row: Row, context: CsvContext): string | number | null
}

export interface BoardExportRow {
  id: string
  name: string
  customer_name: string
  customer_email: string
  status: BoardStatus
  dedupe_key: string | null
  decision_no: number | null
  last_no: number
  next_contact_on: string | null
  next_contact_time: string | null
  created_at: number
  last_activity_at: number
  expires_at: number
  first_guest_at: number | null
  first_response_at: number | null
  first_response_ms: number | null
  decided_at: number | null
  decision_ms: number | null
  closed_at: number | null
  /** the member assigned now (their name as it is now), or none */
  assignee_member_id: string | null
  assignee_name: string | null
  /** the customer's rating (満足度, 1–5), its comment and when it was last given */
  rating_score: number | null
  rating_comment: string | null
  rated_at: number | null
  /** tag names by name, separated by a space; null without tags */
  tags: string | null
  category: string | null
}

export interface MessageExportRow {
  id: string
  board_id: string
  board_name: string
  customer_name: string
  no: number | null
  seq: number
  internal: number
  author_kind: 'member' | 'guest' | 'api'
  author_name: string
  body: string
  decides_no: number | null
  next_contact_on: string | null
  created_at: number
  edited_at: number | null
}

const offsetCache = new Map<string, number>()
const offsetFormatters = new Map<string, Intl.DateTimeFormat>()

function computeOffset(instant: number, timeZone: string): number {
  let formatter = offsetFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    })
    offsetFormatters.set(timeZone, formatter)
  }
  const parts: Record<string, number> = {}
  for (const part of formatter.formatToParts(instant)) parts[part.type] = Number(part.value)
  const local = Date.UTC(
    parts.year!,
    parts.month! - 1,
    parts.day!,
    parts.hour!,
    parts.minute!,
    parts.second!,
  )
  return local - Math.floor(instant / 1000) * 1000
}

const DAY_MS = 86_400_000

/** Per zone: the offset of each UTC day met so far (NaN: the offset changes during that day). */
const dayOffsets = new Map<string, Map<number, number>>()

/**
 * The zone's UTC offset (ms) at `instant`. Zones change offset at most once a day: when the
 * offsets at both ends of the instant's UTC day agree, the whole day has it (two Intl calls per
 * day of data instead of one per cell, kept by day number); on a day of change, per quarter hour.
 */
function offsetAt(instant: number, timeZone: string): number {
  let days = dayOffsets.get(timeZone)
  if (!days) {
    days = new Map()
    dayOffsets.set(timeZone, days)
  }
  const day = Math.floor(instant / DAY_MS)
  let offset = days.get(day)
  if (offset === undefined) {
    const start = computeOffset(day * DAY_MS, timeZone)
    const end = computeOffset(day * DAY_MS + DAY_MS - 1, timeZone)
    offset = start === end ? start : Number.NaN
    if (days.size > 50_000) days.clear()
    days.set(day, offset)
  }
  if (!Number.isNaN(offset)) return offset
  const quarterKey = `${timeZone}|q${Math.floor(instant / 900_000)}`
  let exact = offsetCache.get(quarterKey)
  if (exact === undefined) {
    if (offsetCache.size > 50_000) offsetCache.clear()
    exact = computeOffset(instant, timeZone)
    offsetCache.set(quarterKey, exact)
  }
  return exact
}

/** '00' … '59' */
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'))
/** 'YYYY-MM-DD' of each local day number met so far */
const dayTexts = new Map<number, string>()

/**
 * An instant as 'YYYY-MM-DD HH:mm' in the workspace's time zone: the form Excel reads as a date
 * and time in every language. Empty for null. The day's text is built once per day, the time
 * from two-digit strings (this runs for every date cell of an export).
 */
export function csvDateTime(instant: number | null, timeZone: string): string | null {
  if (instant === null) return null
  const local = instant + offsetAt(instant, timeZone)
  const day = Math.floor(local / DAY_MS)
  let date = dayTexts.get(day)
  if (date === undefined) {
    date = new Date(day * DAY_MS).toISOString().slice(0, 10)
    if (dayTexts.size > 100_000) dayTexts.clear()
    dayTexts.set(day, date)
  }
  const minutes = Math.floor((local - day * DAY_MS) / 60_000)
  return `${date} ${TWO_DIGITS[Math.floor(minutes / 60)]}:${TWO_DIGITS[minutes % 60]}`
}

/** Milliseconds as hours with two decimals (a number Excel can sum); empty for null. */
const hours = (ms: number | null) => (ms === null ? null : Math.round(ms / 36_000) / 100)

const statusText = (status: BoardStatus, context: CsvContext) =>
  statusLabel(translator(context.locale), status, context.statusLabels)

/** One row per board. */
export const BOARD_COLUMNS: readonly CsvColumn<BoardExportRow>[] = [
  { key: 'id', label: { ja: 'ボードID', en: 'Board ID' }, cell: (row) => row.id },
  { key: 'name', label: { ja: 'ボード名', en: 'Board name' }, cell: (row) => row.name },
  {
    key: 'customer_name',
    label: { ja: 'お客様名', en: 'Customer' },
    cell: (row) => row.customer_name,
  },
  {
    key: 'customer_email',
    label: { ja: 'メールアドレス', en: 'Email' },
    cell: (row) => row.customer_email,
  },
  {
    key: 'status',
    label: { ja: 'ステータスコード', en: 'Status code' },
    cell: (row) => row.status,
  },
  {
    key: 'status_label',
    label: { ja: 'ステータス', en: 'Status' },
    cell: (row, context) => statusText(row.status, context),
  },
  {
    key: 'assignee',
    label: { ja: '担当者', en: 'Assignee' },
    cell: (row) => row.assignee_name,
  },
  {
    key: 'assignee_id',
    label: { ja: '担当者ID', en: 'Assignee ID' },
    cell: (row) => row.assignee_member_id,
  },
  {
    key: 'dedupe_key',
    label: { ja: '重複防止キー', en: 'Dedupe key' },
    cell: (row) => row.dedupe_key,
  },
  {
    key: 'decision_no',
    label: { ja: '決定No.', en: 'Decision No.' },
    cell: (row) => row.decision_no,
  },
  { key: 'comments', label: { ja: 'コメント数', en: 'Comments' }, cell: (row) => row.last_no },
  {
    key: 'created_at',
    label: { ja: '作成日時', en: 'Created' },
    cell: (row, context) => csvDateTime(row.created_at, context.timeZone),
  },
  {
    key: 'first_customer_post_at',
    label: { ja: 'お客様の初回投稿', en: 'First customer post' },
    cell: (row, context) => csvDateTime(row.first_guest_at, context.timeZone),
  },
  {
    key: 'first_response_at',
    label: { ja: '初回応答', en: 'First response' },
    cell: (row, context) => csvDateTime(row.first_response_at, context.timeZone),
  },
  {
    key: 'first_response_hours',
    label: { ja: '初回応答時間（時間）', en: 'First response time (hours)' },
    cell: (row) => hours(row.first_response_ms),
  },
  {
    key: 'decided_at',
    label: { ja: '決定日時', en: 'Decided' },
    cell: (row, context) => csvDateTime(row.decided_at, context.timeZone),
  },
  {
    key: 'decision_hours',
    label: { ja: '決定までの時間（時間）', en: 'Time to decision (hours)' },
    cell: (row) => hours(row.decision_ms),
  },
  {
    key: 'rating',
    label: { ja: '満足度', en: 'Rating' },
    cell: (row) => row.rating_score,
  },
  {
    key: 'rating_comment',
    label: { ja: '満足度のコメント', en: 'Rating comment' },
    cell: (row) => row.rating_comment,
  },
  {
    key: 'rated_at',
    label: { ja: '評価日時', en: 'Rated' },
    cell: (row, context) => csvDateTime(row.rated_at, context.timeZone),
  },
  {
    key: 'closed_at',
    label: { ja: '終了日時', en: 'Closed' },
    cell: (row, context) => csvDateTime(row.closed_at, context.timeZone),
  },
  {
    key: 'next_contact_on',
    label: { ja: '次回連絡予定日', en: 'Next contact' },
    cell: (row) => row.next_contact_on,
  },
  {
    key: 'next_contact_time',
    label: { ja: '次回連絡時刻', en: 'Next contact time' },
    cell: (row) => row.next_contact_time,
  },
  {
    key: 'last_activity_at',
    label: { ja: '最終更新', en: 'Last activity' },
    cell: (row, context) => csvDateTime(row.last_activity_at, context.timeZone),
  },
  {
    key: 'expires_at',
    label: { ja: '表示期限', en: 'Expires' },
    cell: (row, context) => csvDateTime(row.expires_at, context.timeZone),
  },
  {
    key: 'staff_url',
    label: { ja: 'URL', en: 'URL' },
    cell: (row, context) => `${context.boardsBase}/${row.id}`,
  },
  // タグ・カテゴリ (issue #17): tag names hold no spaces, so one space separates them
  { key: 'tags', label: { ja: 'タグ', en: 'Tags' }, cell: (row) => row.tags },
  { key: 'category', label: { ja: 'カテゴリ', en: 'Category' }, cell: (row) => row.category },
]

const AUTHOR_KIND: Record<MessageExportRow['author_kind'], Record<Locale, string>> = {
  member: { ja: 'スタッフ', en: 'Staff' },
  api: { ja: 'API', en: 'API' },
  guest: { ja: 'お客様', en: 'Customer' },
}

/** One row per message. */
export const MESSAGE_COLUMNS: readonly CsvColumn<MessageExportRow>[] = [
  { key: 'board_id', label: { ja: 'ボードID', en: 'Board ID' }, cell: (row) => row.board_id },
  { key: 'board_name', label: { ja: 'ボード名', en: 'Board name' }, cell: (row) => row.board_name },
  {
    key: 'customer_name',
    label: { ja: 'お客様名', en: 'Customer' },
    cell: (row) => row.customer_name,
  },
  { key: 'message_id', label: { ja: 'メッセージID', en: 'Message ID' }, cell: (row) => row.id },
  { key: 'no', label: { ja: 'No.', en: 'No.' }, cell: (row) => row.no },
  {
    key: 'internal',
    label: { ja: '社内メモ', en: 'Internal note' },
    cell: (row) => row.internal,
  },
  {
    key: 'author_kind',
    label: { ja: '投稿者の種類', en: 'Author kind' },
    cell: (row, context) => AUTHOR_KIND[row.author_kind][context.locale],
  },
  { key: 'author_name', label: { ja: '投稿者', en: 'Author' }, cell: (row) => row.author_name },
  {
    key: 'created_at',
    label: { ja: '投稿日時', en: 'Posted' },
    cell: (row, context) => csvDateTime(row.created_at, context.timeZone),
  },
  {
    key: 'edited_at',
    label: { ja: '編集日時', en: 'Edited' },
    cell: (row, context) => csvDateTime(row.edited_at, context.timeZone),
  },
  {
    key: 'decides_no',
    label: { ja: '決定したNo.', en: 'Decides No.' },
    cell: (row) => row.decides_no,
  },
  {
    key: 'next_contact_on',
    label: { ja: '次回連絡予定日', en: 'Next contact' },
    cell: (row) => row.next_contact_on,
  },
  { key: 'body', label: { ja: '本文', en: 'Message' }, cell: (row) => row.body },
]
