import { getCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { AppError, notFound } from '../shared/errors'
import { translator } from '../shared/i18n'
import { timingSafeEqual } from '../shared/crypto'
import type { AppEnv } from '../http'
import { resolveSession } from './auth.usecases'

export const SESSION_COOKIE = 'ob_session'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Member-only routes under /w/:slug: a valid session for this very workspace (any other slug
 * is a plain 404, so workspaces cannot be probed), and a CSRF token on every state change.
 */
export const requireMember = createMiddleware<AppEnv>(async (c, next) => {
  // Several feature routers share a prefix and each guards itself; check once per request.
  if (c.get('auth')) return next()
  const deps = c.get('deps')
  const sessionId = getCookie(c, SESSION_COOKIE)
  const session = sessionId ? await resolveSession({ deps, sessionId }) : undefined
  if (!session) {
    const target = `/login?next=${encodeURIComponent(new URL(c.req.url).pathname)}`
    if (c.req.header('HX-Request') === 'true') {
      c.header('HX-Redirect', target)
      return c.body(null, 401)
    }
    return c.redirect(target, 303)
  }
  if (c.req.param('slug') !== session.workspace.slug) throw notFound()

  const locale = session.member.locale ?? session.workspace.locale
  c.set('locale', locale)
  c.set('t', translator(locale))
  c.set('auth', {
    member: session.member,
    workspace: session.workspace,
    csrfToken: session.csrfToken,
    sessionHash: session.sessionHash,
  })

  if (!SAFE_METHODS.has(c.req.method)) {
    let token = c.req.header('X-CSRF-Token')
    if (!token) {
      const type = c.req.header('Content-Type') ?? ''
      if (
        type.startsWith('application/x-www-form-urlencoded') ||
        type.startsWith('multipart/form-data')
      ) {
        const body = await c.req.parseBody()
        token = typeof body._csrf === 'string' ? body._csrf : undefined
      }
    }
    if (!token || !timingSafeEqual(token, session.csrfToken)) {
      throw new AppError('csrf_failed', 403, 'error.csrf')
    }
  }
  await next()
})
