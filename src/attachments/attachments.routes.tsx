import { Hono, type Handler } from 'hono'
import { getCookie } from 'hono/cookie'
import { getBoard } from '../boards/boards.usecases'
import { guestBoardClosed, guestBoardExpired, guestNotFound } from '../guest/guest.errors'
import { GUEST_COOKIE } from '../guest/guest.routes'
import { guestBoardState, resolveGuest } from '../guest/guest.usecases'
import { requireAuth, type AppContext, type AppEnv } from '../http'
import { timingSafeEqual } from '../shared/crypto'
import { AppError, csrfFailed, notFound } from '../shared/errors'
import { overloadError } from '../shared/overload'
import { translator } from '../shared/i18n'
import type { AttachmentRow } from '../db/schema'
import { attachmentRemoved, rangeNotSatisfiable } from './attachments.errors'
import {
  contentDisposition,
  downloadContentType,
  isThumbnailType,
  parseRange,
} from './attachments.rules'
import {
  cancelUpload,
  completeUpload,
  describeUpload,
  findDownload,
  startUpload,
  storePart,
  type UploadScope,
} from './attachments.usecases'

/**
 * Part uploads stream up to one part (8 MiB) and are size-checked by `storePart` as they arrive,
 * so the app-wide form body limit must not buffer or refuse them.
 */
export function isUploadPartRequest(method: string, path: string) {
  return method === 'PUT' && /\/uploads\/[^/]+\/parts\/\d+$/.test(path)
}

/** The upload protocol speaks JSON, errors included: `{ error: { code, message, details } }`. */
function jsonError(c: AppContext, thrown: unknown): Response {
  const error = overloadError(thrown) ?? thrown
  if (!(error instanceof AppError)) throw error
  const t = c.get('t')
  if (error.status === 429 || error.status === 503)
    c.header('Retry-After', String(error.params.seconds ?? 60))
  return c.json(
    {
      error: {
        code: error.code,
        message: t(error.key, error.params),
        details: error.details.map((detail) => ({
          field: detail.field,
          message: t(detail.problem, detail.params),
        })),
      },
    },
    error.status,
  )
}

type ScopeResolver = (c: AppContext, purpose: 'upload' | 'download') => Promise<UploadScope>

const json =
  (handler: (c: AppContext) => Promise<Response>): Handler<AppEnv> =>
  async (c) => {
    try {
      return await handler(c)
    } catch (error) {
      return jsonError(c, error)
    }
  }

function contentLengthOf(c: AppContext) {
  const header = c.req.header('Content-Length')
  if (header === undefined || !/^\d+$/.test(header)) return undefined
  return Number(header)
}

/** The upload protocol, the same for members and the customer; only the scope differs. */
function mountUploads(routes: Hono<AppEnv>, prefix: string, scopeOf: ScopeResolver) {
  routes.post(
    `${prefix}/uploads`,
    json(async (c) => {
      const scope = await scopeOf(c, 'upload')
      const input = await c.req.json().catch(() => ({}))
      return c.json(await startUpload({ deps: c.get('deps'), scope, input }), 201)
    }),
  )
  routes.get(
    `${prefix}/uploads/:uploadId`,
    json(async (c) => {
      const scope = await scopeOf(c, 'upload')
      c.header('Cache-Control', 'no-store')
      return c.json(
        await describeUpload({
          deps: c.get('deps'),
          scope,
          uploadId: c.req.param('uploadId') ?? '',
        }),
      )
    }),
  )
  routes.put(
    `${prefix}/uploads/:uploadId/parts/:partNumber`,
    json(async (c) => {
      let scope: UploadScope
      try {
        scope = await scopeOf(c, 'upload')
      } catch (error) {
        await c.req.raw.body?.cancel().catch(() => {})
        throw error
      }
      const part = await storePart({
        deps: c.get('deps'),
        scope,
        uploadId: c.req.param('uploadId') ?? '',
        partNumber: Number(c.req.param('partNumber')),
        body: c.req.raw.body,
        contentLength: contentLengthOf(c),
      })
      return c.json(part)
    }),
  )
  routes.post(
    `${prefix}/uploads/:uploadId/complete`,
    json(async (c) => {
      const scope = await scopeOf(c, 'upload')
      return c.json(
        await completeUpload({
          deps: c.get('deps'),
          scope,
          uploadId: c.req.param('uploadId') ?? '',
        }),
      )
    }),
  )
  routes.delete(
    `${prefix}/uploads/:uploadId`,
    json(async (c) => {
      const scope = await scopeOf(c, 'upload')
      await cancelUpload({ deps: c.get('deps'), scope, uploadId: c.req.param('uploadId') ?? '' })
      return c.body(null, 204)
    }),
  )

  for (const mode of ['download', 'thumb'] as const) {
    const path =
      mode === 'download'
        ? `${prefix}/attachments/:attachmentId`
        : `${prefix}/attachments/:attachmentId/thumb`
    routes.get(path, async (c) => {
      const scope = await scopeOf(c, 'download')
      const attachment = await findDownload({
        deps: c.get('deps'),
        workspaceId: scope.workspaceId,
        boardId: scope.boardId,
        attachmentId: c.req.param('attachmentId') ?? '',
        audience: scope.uploader === 'guest' ? 'guest' : 'member',
      })
      return serveFile(c, attachment, mode, scope.uploader === 'guest')
    })
  }
}

/**
 * Sends a stored file. Downloads are always `attachment` with nosniff, and anything a browser
 * could interpret (HTML, SVG, XML, scripts) goes out as opaque bytes. Thumbnails are inline only
 * for raster images, under a CSP that allows nothing. Single byte ranges are honoured.
 */
async function serveFile(
  c: AppContext,
  attachment: AttachmentRow,
  mode: 'download' | 'thumb',
  forGuest: boolean,
) {
  const deps = c.get('deps')
  if (mode === 'thumb' && !isThumbnailType(attachment.type)) throw notFound()
  const etag = `"${attachment.sha256}"`
  const headers = new Headers({
    'Content-Type': mode === 'thumb' ? attachment.type : downloadContentType(attachment.type),
    'Content-Disposition': contentDisposition(
      mode === 'thumb' ? 'inline' : 'attachment',
      attachment.name,
    ),
    'X-Content-Type-Options': 'nosniff',
    'Content-Security-Policy': "default-src 'none'; sandbox",
    'Accept-Ranges': 'bytes',
    ETag: etag,
    'Cache-Control': forGuest ? 'no-store' : 'private, no-cache',
    'Cross-Origin-Resource-Policy': 'same-origin',
  })
  if (!forGuest && c.req.header('If-None-Match') === etag)
    return new Response(null, { status: 304, headers })

  const size = attachment.size
  const range = parseRange(c.req.header('Range'), size)
  if (range.kind === 'unsatisfiable') {
    headers.set('Content-Range', `bytes */${size}`)
    const error = rangeNotSatisfiable()
    return new Response(c.get('t')(error.key), {
      status: 416,
      headers: { ...Object.fromEntries(headers), 'Content-Type': 'text/plain; charset=utf-8' },
    })
  }
  const start = range.kind === 'range' ? range.start : 0
  const end = range.kind === 'range' ? range.end : size - 1
  headers.set('Content-Length', String(end - start + 1))
  if (range.kind === 'range') headers.set('Content-Range', `bytes ${start}-${end}/${size}`)
  const status = range.kind === 'range' ? 206 : 200
  if (c.req.method === 'HEAD') return new Response(null, { status, headers })

  const blob = await deps.blobs.get(
    attachment.blob_key,
    range.kind === 'range' ? { offset: start, length: end - start + 1 } : undefined,
  )
  if (!blob) throw attachmentRemoved()
  return new Response(blob.body, { status, headers })
}

/** Members: uploads and downloads under /w/:slug/boards/:id (mounted at /w/:slug/boards). */
export function attachmentsRoutes() {
  const routes = new Hono<AppEnv>()
  mountUploads(routes, '/:id', async (c) => {
    const auth = requireAuth(c)
    const board = await getBoard({
      deps: c.get('deps'),
      workspace: auth.workspace,
      boardId: c.req.param('id') ?? '',
    })
    return { workspaceId: auth.workspace.id, boardId: board.id, uploader: auth.member.id }
  })
  return routes
}

const BOARD_ID = /^[A-Za-z0-9_-]{1,64}$/
const SAFE_METHODS = new Set(['GET', 'HEAD'])

/**
 * The customer: the board cookie the guest pages set (resolveGuest), the page's CSRF token in
 * `X-CSRF-Token` on every change. Uploads only while the board takes replies; downloads while
 * it has not expired (mounted at /g, before the guest pages).
 */
export function guestAttachmentsRoutes() {
  const routes = new Hono<AppEnv>()
  routes.use('*', async (c, next) => {
    await next()
    c.header('Referrer-Policy', 'no-referrer')
  })
  mountUploads(routes, '/:boardId', async (c, purpose) => {
    const deps = c.get('deps')
    const boardId = c.req.param('boardId') ?? ''
    if (!BOARD_ID.test(boardId)) throw guestNotFound()
    const access = await resolveGuest({
      deps,
      boardId,
      cookie: getCookie(c, GUEST_COOKIE),
      clientKey: c.get('clientKey'),
    })
    c.set('locale', access.workspace.locale)
    c.set('t', translator(access.workspace.locale))
    if (!SAFE_METHODS.has(c.req.method)) {
      const token = c.req.header('X-CSRF-Token')
      if (!token || !timingSafeEqual(token, access.csrfToken)) throw csrfFailed()
    }
    const state = guestBoardState(access.board, deps.clock.now().getTime())
    if (state === 'expired') throw guestBoardExpired()
    if (state === 'closed' && purpose === 'upload') throw guestBoardClosed()
    return { workspaceId: access.workspace.id, boardId: access.board.id, uploader: 'guest' }
  })
  return routes
}
