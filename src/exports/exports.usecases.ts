import type { Workspace } from '../db/schema'
import { searchFor } from '../search/search.usecases'
import { validationError } from '../shared/errors'
import type { Deps } from '../deps'
import { DAY_MS } from '../boards/boards.rules'
import { statusLabels } from '../boards/boards.labels'
import type { BoardListQuery, BoardWarning } from '../boards/boards.repository'
import type { BoardStatus, Locale } from '../db/schema'
import { csvField, csvLine, encodeCsvText, UTF8_BOM, type CsvEncoding } from '../shared/csv'
import { endOfLocalDay, localDate } from '../shared/time'
import { startOfLocalDay } from '../statistics/statistics.figures'
import { BOARD_COLUMNS, MESSAGE_COLUMNS, type CsvColumn, type CsvContext } from './exports.columns'
import { createExportsRepository, type ExportCursor, type ExportFilter } from './exports.repository'

/** Rows read per query: large enough that a query's cost is spread, small enough to hold. */
export const EXPORT_CHUNK_ROWS = 1000

/** What to export, as the board list and the statistics page describe it. */
export interface ExportRequest {
  status?: BoardStatus
  q?: string
  due?: boolean
  warning?: BoardWarning
  /** local days, both included: boards created / messages posted in them */
  from?: string
  to?: string
  /** messages only */
  internal?: boolean
  encoding: CsvEncoding
  /** header row: the member's language, or the stable column keys (API) */
  header: Locale | 'keys'
}

/** The list's search for an export (one syntax everywhere); 422 naming each problem. */
async function exportSearch(deps: Deps, workspace: Workspace, q: string, now: number) {
  const found = await searchFor(deps, q, {
    workspaceId: workspace.id,
    timeZone: workspace.time_zone,
    now,
    includeInternal: true,
  })
  if (found.ok) return found.search
  throw validationError(
    found.problems.map((problem) => ({
      field: 'q',
      problem: problem.code,
      params: { term: problem.term, hint: problem.hint ?? '' },
    })),
  )
}

async function exportFilter(
  deps: Deps,
  workspace: Workspace,
  request: ExportRequest,
  now: number,
): Promise<ExportFilter> {
  const unreadDays = workspace.unread_warning_days
  const list: BoardListQuery = {
    workspaceId: workspace.id,
    memberId: '',
    status: request.status,
    search: request.q ? await exportSearch(deps, workspace, request.q, now) : undefined,
    sort: 'activity',
    dueOn: request.due ? localDate(now, workspace.time_zone) : undefined,
    warning: request.warning,
    now,
    unreadBefore: unreadDays > 0 ? now - unreadDays * DAY_MS : null,
    limit: 0,
  }
  return {
    list,
    from: request.from ? startOfLocalDay(request.from, workspace.time_zone) : undefined,
    to: request.to ? endOfLocalDay(request.to, workspace.time_zone) + 1 : undefined,
    internal: request.internal,
  }
}

/**
 * A CSV as a byte stream that reads its rows chunk by chunk (keyset pagination) only as the
 * reader takes them: memory holds one chunk whatever the export's size, on Node and on Workers.
 * UTF-8 starts with a BOM; Shift_JIS has none. Every chunk ends at a line end, so a multi-byte
 * character is never split between two encodings.
 */
function csvStream<Row extends { id: string; created_at: number }>({
  columns,
  context,
  request,
  readChunk,
}: {
  columns: readonly CsvColumn<Row>[]
  context: CsvContext
  request: ExportRequest
  readChunk: (after: ExportCursor | null, limit: number) => Promise<Row[]>
}): ReadableStream<Uint8Array> {
  let after: ExportCursor | null = null
  let started = false
  let done = false
  const header = columns.map((column) =>
    request.header === 'keys' ? column.key : column.label[request.header],
  )
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (done) return
        let text = ''
        if (!started) {
          started = true
          if (request.encoding === 'utf-8') controller.enqueue(UTF8_BOM)
          text = csvLine(header)
        }
        const rows = await readChunk(after, EXPORT_CHUNK_ROWS)
        for (const row of rows) {
          let line = ''
          for (let i = 0; i < columns.length; i++) {
            const cell = csvField(columns[i]!.cell(row, context))
            line += i === 0 ? cell : `,${cell}`
          }
          text += `${line}\r\n`
        }
        const last = rows.at(-1)
        if (last) after = { at: last.created_at, id: last.id }
        if (text) controller.enqueue(encodeCsvText(text, request.encoding))
        if (rows.length < EXPORT_CHUNK_ROWS) {
          done = true
          controller.close()
        }
      },
    },
    // One chunk read ahead at most.
    { highWaterMark: 0 },
  )
}

/** The file name of an export: boards-<slug>-<today>.csv. */
export function exportFileName(kind: 'boards' | 'messages', workspace: Workspace, now: number) {
  return `${kind}-${workspace.slug}-${localDate(now, workspace.time_zone)}.csv`
}

function contextOf(deps: Deps, workspace: Workspace, locale: Locale): CsvContext {
  return {
    locale,
    timeZone: workspace.time_zone,
    statusLabels: statusLabels(workspace.status_labels),
    boardsBase: `${new URL(deps.config.baseUrl).origin}/w/${workspace.slug}/boards`,
  }
}

/**
 * The boards CSV, one row per board (columns: exports.columns.ts BOARD_COLUMNS), oldest first,
 * for the board list's filters and/or the boards created in a period. Labels and status names
 * follow `locale`; dates are the workspace's time zone.
 */
export async function exportBoards({
  deps,
  workspace,
  locale,
  request,
}: {
  deps: Deps
  workspace: Workspace
  locale: Locale
  request: ExportRequest
}): Promise<ReadableStream<Uint8Array>> {
  const filter = await exportFilter(deps, workspace, request, deps.clock.now().getTime())
  const repository = createExportsRepository(deps)
  return csvStream({
    columns: BOARD_COLUMNS,
    context: contextOf(deps, workspace, locale),
    request,
    readChunk: (after, limit) => repository.boardsChunk(filter, after, limit),
  })
}

/**
 * The messages CSV, one row per message (columns: MESSAGE_COLUMNS), in the order they were
 * posted, for the boards the list's filters select and/or the messages posted in a period.
 * Internal notes only with `request.internal`.
 */
export async function exportMessages({
  deps,
  workspace,
  locale,
  request,
}: {
  deps: Deps
  workspace: Workspace
  locale: Locale
  request: ExportRequest
}): Promise<ReadableStream<Uint8Array>> {
  const filter = await exportFilter(deps, workspace, request, deps.clock.now().getTime())
  const repository = createExportsRepository(deps)
  return csvStream({
    columns: MESSAGE_COLUMNS,
    context: contextOf(deps, workspace, locale),
    request,
    readChunk: (after, limit) => repository.messagesChunk(filter, after, limit),
  })
}
