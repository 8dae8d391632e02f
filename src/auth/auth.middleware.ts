import { getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import type { MiddlewareHandler } from 'hono'
import type { Role } from '../db/schema'
import { csrfFailed, forbidden, notFound } from '../shared/errors'
import { translator } from '../shared/i18n'
import { timingSafeEqual } from '../shared/crypto'
import type { AppContext, AppEnv } from '../http'
import { resolveSession, SESSION_TTL_MS } from './auth.usecases'
import { toSignedInView } from './auth.view-model'

export const SESSION_COOKIE = 'ob_session'

/** Sets the session cookie (HttpOnly, Lax, Secure behind https). */
export function setSessionCookie(c: AppContext, sessionId: string) {
  setCookie(c, SESSION_COOKIE, sessionId, {
    path: '/',
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('deps').config.secureCookies,
    maxAge: SESSION_TTL_MS / 1000,
  })
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** Roles from least to most trusted: each may do everything the ones before it may. */
export const ROLES: readonly Role[] = ['member', 'admin', 'owner']

/** Whether `role` reaches `required` (owner ⊇ admin ⊇ member). */
export const roleAtLeast = (role: Role, required: Role) =>
  ROLES.indexOf(role) >= ROLES.indexOf(required)

/** What a route declares it needs, beyond a session in its own workspace. */
export interface Permission {
  /** the least role that may use the route; every member when absent */
  role?: Role
}

/**
 * Signs the request in once: a valid session for this very workspace (any other slug is a plain
 * 404, so workspaces cannot be probed), and a CSRF token on every state change. Returns a
 * response when the request stops here (no session: to the login page).
 */
async function signIn(c: AppContext): Promise<Response | undefined> {
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
  const signedIn = {
    member: session.member,
    workspace: session.workspace,
    csrfToken: session.csrfToken,
    mailNotSent: c.get('deps').config.mailNotSent,
    unreadMentions: session.unreadMentions,
  }
  c.set('auth', { ...signedIn, sessionHash: session.sessionHash, view: toSignedInView(signedIn) })

  // A workspace that requires two-step sign-in lets a member without it only set it up (or
  // sign out) until they have.
  if (session.workspace.require_2fa && !session.member.totp_enabled_at) {
    const base = `/w/${session.workspace.slug}`
    const path = c.req.path
    if (!path.startsWith(`${base}/me/2fa`) && path !== `${base}/logout`) {
      if (c.req.header('HX-Request') === 'true') {
        c.header('HX-Redirect', `${base}/me/2fa`)
        return c.body(null, 401)
      }
      return c.redirect(`${base}/me/2fa`, 303)
    }
  }

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
      throw csrfFailed()
    }
  }
  return undefined
}

/**
 * The guard of every member route under /w/:slug, with the permission it declares:
 * `requireMember()` for any member, `requireMember({ role: 'admin' })` for admins and owners.
 * `createApp` puts `requireMember()` in front of the whole /w/:slug tree; a route adds its own
 * only to ask for more. The session is resolved once per request, whichever guard runs first.
 * Errors: 404 for another workspace's slug, 403 (`error.csrf`) for a missing or wrong CSRF
 * token on an unsafe method, 403 (`error.forbidden`) for a role below the declared one.
 * test/routes/route-table.test.ts holds the declared permission of every route and checks it.
 */
export function requireMember(permission: Permission = {}): MiddlewareHandler<AppEnv> {
  const guard = createMiddleware<AppEnv>(async (c, next) => {
    if (!c.get('auth')) {
      const stop = await signIn(c)
      if (stop) return stop
    }
    const { role } = permission
    if (role && !roleAtLeast(c.get('auth')!.member.role, role)) throw forbidden()
    await next()
  })
  // The route table (hono/dev inspectRoutes) shows each guard by this name.
  Object.defineProperty(guard, 'name', {
    value: `requireMember(${permission.role ?? 'member'})`,
  })
  return guard
}
