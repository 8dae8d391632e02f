import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { staffBoardUrl } from '../guest/guest.link'
import { getBoard } from '../boards/boards.usecases'
import { AppError } from '../shared/errors'
import { overloadError } from '../shared/overload'
import { isLocale } from '../shared/i18n'
import { ApiDocsPage } from '../../views/api/docs'
import {
  apiError,
  apiErrorBody,
  apiNotFound,
  DedupeConflictError,
  internalErrorBody,
} from './api.errors'
import { API_BODY_LIMIT } from './api.body'
import { apiAuth, apiJsonBody, API_RATE_LIMIT_PER_MINUTE, type ApiEnv } from './api.middleware'
import { openApiDocument } from './api.openapi'
import { apiExportQuery } from '../exports/exports.schemas'
import { exportBoards, exportFileName, exportMessages } from '../exports/exports.usecases'
import { csvHeaders } from '../exports/exports.routes'
import { presentBoard, presentBoardWithLinks, presentMessage } from './api.present'
import { labelsOfBoards } from '../tags/tags.usecases'
import type { BoardRow } from '../db/schema'
import type { Deps } from '../deps'

/** One board's tag names and category, for its JSON. */
const labelsOf = async (deps: Deps, workspaceId: string, board: BoardRow) =>
  (await labelsOfBoards(deps, workspaceId, [board])).get(board.id)!
import {
  apiCreateBoardSchema,
  apiListBoardsQuery,
  apiListMessagesQuery,
  apiPostMessageSchema,
  apiUpdateBoardSchema,
  parseApiInput,
} from './api.schemas'
import {
  createBoardFromApi,
  listBoardsForApi,
  listMessagesForApi,
  postMessageFromApi,
  updateBoardFromApi,
} from './api.usecases'

/**
 * The Shop API, mounted at /api before the HTML side's CSRF check and form body limit: every
 * answer under /api/v1 is JSON, errors included (404 for unknown paths, 413 from our own limit).
 */
export function apiRoutes() {
  const api = new Hono<ApiEnv>()

  api.onError((thrown, c) => {
    // SQLITE_BUSY / SQLITE_FULL and D1's equivalents: 503 + Retry-After, nothing was written.
    const error = overloadError(thrown) ?? thrown
    if (error instanceof AppError) {
      if (error.status === 429 || error.status === 503)
        c.header('Retry-After', String(error.params.seconds ?? 60))
      if (error.status === 401) c.header('WWW-Authenticate', 'Bearer realm="orderboard"')
      const extra =
        error instanceof DedupeConflictError
          ? {
              existing_board: {
                id: error.existingBoard.id,
                name: error.existingBoard.name,
                staff_url: staffBoardUrl(
                  c.get('deps').config,
                  c.get('caller')?.workspace.slug ?? '',
                  error.existingBoard.id,
                ),
              },
            }
          : {}
      return c.json(apiErrorBody(error, extra), error.status)
    }
    if (error instanceof HTTPException && error.status < 500) {
      return c.json(
        apiErrorBody(
          apiError('bad_request', error.status as ContentfulStatusCode, 'error.validation'),
        ),
        error.status,
      )
    }
    // Never a stack, SQL or a path in the answer; the log keeps the detail.
    console.error(error)
    return c.json(internalErrorBody(), 500)
  })

  api.get('/docs', (c) => {
    const lang = c.req.query('lang')
    const locale = isLocale(lang) ? lang : c.get('locale')
    const deps = c.get('deps')
    return c.html(
      <ApiDocsPage
        locale={locale}
        baseUrl={deps.config.baseUrl}
        bodyLimit={API_BODY_LIMIT}
        rateLimit={deps.config.apiRateLimitPerMinute ?? API_RATE_LIMIT_PER_MINUTE}
      />,
    )
  })

  // Public, like the docs: the document describes the API, not any workspace. Built once (the
  // schemas do not change while the process runs).
  let openApi: { baseUrl: string; body: string } | undefined
  api.get('/v1/openapi.json', (c) => {
    const { baseUrl } = c.get('deps').config
    if (openApi?.baseUrl !== baseUrl)
      openApi = { baseUrl, body: JSON.stringify(openApiDocument(baseUrl)) }
    c.header('Cache-Control', 'public, max-age=300')
    return c.body(openApi.body, 200, { 'Content-Type': 'application/json; charset=UTF-8' })
  })

  api.use('/v1/*', async (c, next) => {
    c.header('Cache-Control', 'no-store')
    await next()
  })
  api.use('/v1/*', apiAuth, apiJsonBody)

  api.post('/v1/boards', async (c) => {
    const deps = c.get('deps')
    const caller = c.get('caller')
    const input = parseApiInput(apiCreateBoardSchema, c.get('json'))
    const created = await createBoardFromApi({
      deps,
      caller,
      input,
      idempotency: c.get('idempotency'),
    })
    const board = await presentBoardWithLinks(
      deps.config,
      caller.workspace,
      created.board,
      await labelsOf(deps, caller.workspace.id, created.board),
    )
    return c.json(
      {
        board,
        staff_url: board.staff_url,
        guest_url: board.guest_url,
        ...(created.duplicate ? { duplicate: true } : {}),
        ...(created.firstMessage ? { first_message: presentMessage(created.firstMessage) } : {}),
      },
      created.duplicate ? 200 : 201,
    )
  })

  api.get('/v1/boards', async (c) => {
    const query = parseApiInput(apiListBoardsQuery, c.req.query())
    const deps = c.get('deps')
    const caller = c.get('caller')
    const result = await listBoardsForApi({ deps, caller, query })
    const labels = await labelsOfBoards(deps, caller.workspace.id, result.boards)
    return c.json({
      boards: result.boards.map((board) => presentBoard(board, labels.get(board.id)!)),
      next_cursor: result.nextCursor,
    })
  })

  // CSV exports (the same columns as the member side's, headed by their stable keys), streamed.
  for (const kind of ['boards', 'messages'] as const) {
    api.get(`/v1/${kind}.csv`, async (c) => {
      const deps = c.get('deps')
      const { workspace } = c.get('caller')
      const query = parseApiInput(apiExportQuery, c.req.query())
      const args = {
        deps,
        workspace,
        locale: workspace.locale,
        request: { ...query, header: 'keys' as const },
      }
      const stream = await (kind === 'boards' ? exportBoards(args) : exportMessages(args))
      const name = exportFileName(kind, workspace, deps.clock.now().getTime())
      return c.body(stream, 200, csvHeaders(name, query.encoding))
    })
  }

  api.get('/v1/boards/:id', async (c) => {
    const deps = c.get('deps')
    const { workspace } = c.get('caller')
    const board = await getBoard({ deps, workspace, boardId: c.req.param('id') })
    const labels = await labelsOf(deps, workspace.id, board)
    return c.json({ board: await presentBoardWithLinks(deps.config, workspace, board, labels) })
  })

  api.patch('/v1/boards/:id', async (c) => {
    const deps = c.get('deps')
    const caller = c.get('caller')
    const input = parseApiInput(apiUpdateBoardSchema, c.get('json'))
    const board = await updateBoardFromApi({ deps, caller, boardId: c.req.param('id'), input })
    const labels = await labelsOf(deps, caller.workspace.id, board)
    return c.json({
      board: await presentBoardWithLinks(deps.config, caller.workspace, board, labels),
    })
  })

  api.get('/v1/boards/:id/messages', async (c) => {
    const query = parseApiInput(apiListMessagesQuery, c.req.query())
    const result = await listMessagesForApi({
      deps: c.get('deps'),
      caller: c.get('caller'),
      boardId: c.req.param('id'),
      afterSeq: query.after_seq,
      limit: query.limit,
    })
    return c.json({
      messages: result.messages.map(presentMessage),
      next_after_seq: result.nextAfterSeq,
    })
  })

  api.post('/v1/boards/:id/messages', async (c) => {
    const input = parseApiInput(apiPostMessageSchema, c.get('json'))
    const deps = c.get('deps')
    const { message, board } = await postMessageFromApi({
      deps,
      caller: c.get('caller'),
      boardId: c.req.param('id'),
      input,
      idempotency: c.get('idempotency'),
    })
    // an internal note's #tags are on the board now
    const labels = await labelsOf(deps, board.workspace_id, board)
    return c.json({ message: presentMessage(message), board: presentBoard(board, labels) }, 201)
  })

  // Anything else under /api is a JSON 404, never the HTML error page.
  api.all('*', () => {
    throw apiNotFound()
  })

  return api
}
