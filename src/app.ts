import { savedViewsRoutes } from './saved-views/saved-views.routes'
import { boardDetailsRoutes } from './boards/board-details.routes'
import { autoAnswersBoardRoutes } from './auto-answers/auto-answers.routes'
import { careSettingsRoutes } from './business-hours/business-hours.routes'
import { Hono, type Context } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { bodyLimit } from 'hono/body-limit'
import { getCookie } from 'hono/cookie'
import { csrf } from 'hono/csrf'
import { secureHeaders } from 'hono/secure-headers'
import { createElement } from 'hono/jsx'
import type { Deps } from './deps'
import type { AppEnv, AppContext } from './http'
import { AppError } from './shared/errors'
import { clientAddress, clientKeyOf } from './shared/client-address'
import { overloadError } from './shared/overload'
import { isLocale, translator } from './shared/i18n'
import { authRoutes, LANG_COOKIE } from './auth/auth.routes'
import { requireMember } from './auth/auth.middleware'
import { boardsRoutes } from './boards/boards.routes'
import { messagesRoutes } from './messages/messages.routes'
import { templatesRoutes } from './templates/templates.routes'
import { settingsRoutes } from './workspaces/workspaces.routes'
import { roundRobinRoutes } from './assignee/assignee.routes'
import { mentionsRoutes } from './mentions/mentions.routes'
import { digestSettingsRoutes, nextContactBoardRoutes } from './next-contact/next-contact.routes'
import { apiRoutes } from './api/api.routes'
import { apiKeysRoutes } from './api/api-keys.routes'
import { webhooksRoutes } from './webhooks/webhooks.routes'
import { guestLinkRoutes, guestRoutes } from './guest/guest.routes'
import { guestRatingRoutes } from './ratings/ratings.routes'
import { devMailboxRoutes, notificationsRoutes } from './notifications/notifications.routes'
import {
  attachmentsRoutes,
  guestAttachmentsRoutes,
  isUploadPartRequest,
} from './attachments/attachments.routes'
import { inboundBoardRoutes } from './inbound/inbound.board.routes'
import { inboundRoutes } from './inbound/inbound.routes'
import { invitationRoutes, membersRoutes } from './team/team.routes'
import { auditRoutes } from './team/audit.routes'
import { accountRoutes, profileRoutes } from './team/account.routes'
import { devInboundRoutes } from './inbound/inbound.dev.routes'
import { statisticsRoutes } from './statistics/statistics.routes'
import { exportsRoutes } from './exports/exports.routes'
import { boardTagsRoutes, tagSettingsRoutes } from './tags/tags.routes'
import { ErrorPage } from '../views/layout'

/** Form posts and pages: 1 MB is far above any real form (a message is at most 20,000 chars). */
const FORM_BODY_LIMIT = 1024 * 1024

function renderError(c: AppContext, status: number, message: string, detail?: string) {
  const page = createElement(ErrorPage, {
    t: c.get('t'),
    locale: c.get('locale'),
    status,
    message,
    detail,
  })
  return c.html(page as unknown as string, status as 400)
}

/**
 * The whole application, runtime-agnostic: every platform difference arrives through `deps`.
 * `requestDeps` gives each request its own ports (Workers: bindings and waitUntil come with the
 * request) while the app itself is built once per isolate.
 */
export function createApp(
  deps: Deps,
  options: {
    requestDeps?: (c: Context<AppEnv>) => Deps
    /**
     * The address of the request's peer as the runtime knows it (Node: the socket; Workers:
     * CF-Connecting-IP), undefined when it cannot tell. Proxy headers are weighed against
     * `config.trustProxy` on top of it.
     */
    peerAddress?: (c: Context<AppEnv>) => string | undefined
  } = {},
) {
  const app = new Hono<AppEnv>()

  app.use(async (c, next) => {
    const requestDeps = options.requestDeps?.(c) ?? deps
    c.set('deps', requestDeps)
    c.set(
      'clientKey',
      clientKeyOf(
        clientAddress({
          peer: options.peerAddress?.(c),
          header: (name) => c.req.header(name),
          trust: requestDeps.config.trustProxy ?? { kind: 'none' },
        }),
      ),
    )
    const lang = getCookie(c, LANG_COOKIE)
    const locale = isLocale(lang) ? lang : 'ja'
    c.set('locale', locale)
    c.set('t', translator(locale))
    await next()
  })
  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
      referrerPolicy: 'same-origin',
      crossOriginEmbedderPolicy: false,
      // a route that sets its own (the customer's pages: no-referrer) keeps it
      overwrite: false,
    }),
  )
  // The Shop API answers JSON only, with its own body limit and bearer keys (no cookies, so no
  // CSRF): mounted before the HTML side's CSRF check and form body limit, which it never reaches.
  app.route('/api', apiRoutes())
  // Inbound mail (signed webhooks, raw MIME with a bearer secret): no cookies, own size limits.
  app.route('/inbound', inboundRoutes())
  // Browsers send Origin on form posts: a cross-site form is refused before any handler runs.
  const baseOrigin = new URL(deps.config.baseUrl).origin
  app.use(
    csrf({ origin: (origin, c) => origin === baseOrigin || origin === new URL(c.req.url).origin }),
  )
  const formBodyLimit = bodyLimit({
    maxSize: FORM_BODY_LIMIT,
    onError: (c) => renderError(c as AppContext, 413, c.get('t')('error.too_large')),
  })
  // File parts (8 MiB) stream to the blob store and are size-checked there as they arrive.
  // GET and HEAD carry no body; asking the Node request for one would build a full Request.
  app.use((c, next) =>
    c.req.method === 'GET' ||
    c.req.method === 'HEAD' ||
    isUploadPartRequest(c.req.method, c.req.path)
      ? next()
      : formBodyLimit(c, next),
  )

  app.get('/', (c) => c.redirect('/login', 302))
  app.get('/healthz', (c) => c.json({ ok: true }))
  // Every member page and action: a session in this workspace and, for unsafe methods, the CSRF
  // token. Routes that need more declare it with their own requireMember({ role }).
  app.use('/w/:slug/*', requireMember())
  app.route('/', authRoutes())
  app.route('/w/:slug/boards', boardsRoutes())
  app.route('/w/:slug/boards', messagesRoutes())
  app.route('/w/:slug/templates', templatesRoutes())
  app.route('/w/:slug/settings/api', apiKeysRoutes())
  app.route('/w/:slug/settings/webhooks', webhooksRoutes())
  app.route('/w/:slug/settings/digest', digestSettingsRoutes())
  app.route('/w/:slug/settings/members', membersRoutes())
  app.route('/w/:slug/settings/audit', auditRoutes())
  app.route('/w/:slug/settings/hours', careSettingsRoutes())
  app.route('/w/:slug/settings/tags', tagSettingsRoutes())
  app.route('/w/:slug/settings/round-robin', roundRobinRoutes())
  app.route('/w/:slug/mentions', mentionsRoutes())
  app.route('/w/:slug/settings', settingsRoutes())
  app.route('/invite', invitationRoutes())
  app.route('/w/:slug/me', profileRoutes())
  app.route('/', accountRoutes())
  app.route('/w/:slug/boards', nextContactBoardRoutes())
  app.route('/w/:slug/boards', guestLinkRoutes())
  app.route('/w/:slug/boards', attachmentsRoutes())
  // before the customer's board routes: /g/:boardId/rating is not a link secret
  app.route('/g', guestRatingRoutes())
  app.route('/g', guestAttachmentsRoutes())
  app.route('/g', guestRoutes())
  app.route('/w/:slug/boards', notificationsRoutes())
  app.route('/w/:slug/boards', autoAnswersBoardRoutes())
  app.route('/w/:slug/boards', inboundBoardRoutes())
  app.route('/w/:slug/boards', boardDetailsRoutes())
  app.route('/w/:slug/boards', boardTagsRoutes())
  app.route('/w/:slug/stats', statisticsRoutes())
  app.route('/w/:slug/exports', exportsRoutes())
  app.route('/w/:slug/views', savedViewsRoutes())
  // Mail kept in the database, readable without login: only when no real transport is set up.
  if (deps.config.devMailbox) app.route('/_dev', devMailboxRoutes())
  if (deps.config.devMailbox) app.route('/_dev', devInboundRoutes())

  app.notFound((c) => renderError(c, 404, c.get('t')('error.not_found')))
  app.onError((thrown, c) => {
    const t = c.get('t') ?? translator('ja')
    // A held lock or a full disk rolled the write back: "try again", not "something broke".
    const error = overloadError(thrown) ?? thrown
    if (error instanceof AppError) {
      if (error.status === 429 || error.status === 503)
        c.header('Retry-After', String(error.params.seconds ?? 60))
      const detail = error.details.map((d) => t(d.problem, d.params)).join(' ')
      return renderError(c, error.status, t(error.key, error.params), detail || undefined)
    }
    if (error instanceof HTTPException) {
      if (error.status === 403) return renderError(c, 403, t('error.csrf'))
      return renderError(c, error.status, error.message || t('error.internal'))
    }
    // Never show a stack, SQL or a path; the log keeps the detail.
    console.error(error)
    return renderError(c, 500, t('error.internal'))
  })

  return app
}
