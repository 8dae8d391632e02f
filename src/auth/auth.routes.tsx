import { Hono } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { LoginPage } from '../../views/auth/login'
import { AppError } from '../shared/errors'
import { isLocale, translator } from '../shared/i18n'
import { readForm, requireAuth, type AppEnv } from '../http'
import { SESSION_COOKIE, setSessionCookie } from './auth.middleware'
import { unknownLocale } from './auth.errors'
import { TwoFactorLoginPage } from '../../views/team/account'
import { clientAddress } from '../team/audit'
import { CHALLENGE_COOKIE, CHALLENGE_TTL_MS, completeChallenge } from '../team/two-factor'
import { createAuthRepository } from './auth.repository'
import { logIn, logOut, resolveSession, SESSION_TTL_MS } from './auth.usecases'

export const LANG_COOKIE = 'ob_lang'

/** Only same-site paths, so `?next=` cannot send a member to another site after login. */
function safeNext(next: string | undefined): string | undefined {
  return next && /^\/(?!\/)[\w\-./?=&%]*$/.test(next) ? next : undefined
}

export function authRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/login', async (c) => {
    const lang = c.req.query('lang')
    if (isLocale(lang)) {
      setCookie(c, LANG_COOKIE, lang, { path: '/', sameSite: 'Lax', maxAge: 365 * 86400 })
      c.set('locale', lang)
      c.set('t', translator(lang))
    }
    const sessionId = getCookie(c, SESSION_COOKIE)
    if (sessionId) {
      const session = await resolveSession({ deps: c.get('deps'), sessionId })
      if (session) return c.redirect(`/w/${session.workspace.slug}/boards`, 303)
    }
    return c.html(
      <LoginPage
        t={c.get('t')}
        locale={c.get('locale')}
        next={safeNext(c.req.query('next'))}
        notice={c.req.query('reset') === '1' ? c.get('t')('login.reset_done') : undefined}
      />,
    )
  })

  routes.post('/login', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    const email = (form.email ?? '').slice(0, 254)
    const next = safeNext(form.next)
    try {
      const { sessionId, challengeId, member } = await logIn({
        deps,
        email,
        password: (form.password ?? '').slice(0, 1024),
        clientKey: c.get('clientKey'),
      })
      if (challengeId) {
        setCookie(c, CHALLENGE_COOKIE, challengeId, {
          path: '/login',
          httpOnly: true,
          sameSite: 'Lax',
          secure: deps.config.secureCookies,
          maxAge: CHALLENGE_TTL_MS / 1000,
        })
        return c.redirect(`/login/2fa${next ? `?next=${encodeURIComponent(next)}` : ''}`, 303)
      }
      setCookie(c, SESSION_COOKIE, sessionId!, {
        path: '/',
        httpOnly: true,
        sameSite: 'Lax',
        secure: deps.config.secureCookies,
        maxAge: SESSION_TTL_MS / 1000,
      })
      const workspace = await deps.db
        .selectFrom('workspaces')
        .select('slug')
        .where('id', '=', member.workspace_id)
        .executeTakeFirstOrThrow()
      return c.redirect(next ?? `/w/${workspace.slug}/boards`, 303)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      const t = c.get('t')
      if (error.status === 429) c.header('Retry-After', String(error.params.seconds ?? 60))
      return c.html(
        <LoginPage
          t={t}
          locale={c.get('locale')}
          email={email}
          next={next}
          error={t(error.key, error.params)}
        />,
        error.status === 429 ? 429 : 401,
      )
    }
  })

  routes.get('/login/2fa', (c) => {
    if (!getCookie(c, CHALLENGE_COOKIE)) return c.redirect('/login', 303)
    return c.html(
      <TwoFactorLoginPage
        t={c.get('t')}
        locale={c.get('locale')}
        next={safeNext(c.req.query('next'))}
      />,
    )
  })

  routes.post('/login/2fa', async (c) => {
    const deps = c.get('deps')
    const form = await readForm(c)
    const next = safeNext(form.next)
    const challengeId = getCookie(c, CHALLENGE_COOKIE)
    if (!challengeId) return c.redirect('/login', 303)
    try {
      const { sessionId, member } = await completeChallenge({
        deps,
        challengeId,
        code: (form.code ?? '').slice(0, 40),
        ip: clientAddress(c),
      })
      deleteCookie(c, CHALLENGE_COOKIE, { path: '/login' })
      setSessionCookie(c, sessionId)
      const workspace = await deps.db
        .selectFrom('workspaces')
        .select('slug')
        .where('id', '=', member.workspace_id)
        .executeTakeFirstOrThrow()
      return c.redirect(next ?? `/w/${workspace.slug}/boards`, 303)
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      const t = c.get('t')
      if (error.status === 410) {
        // used up or expired: back to the password
        deleteCookie(c, CHALLENGE_COOKIE, { path: '/login' })
        return c.html(
          <LoginPage t={t} locale={c.get('locale')} next={next} error={t('team.link_invalid')} />,
          401,
        )
      }
      return c.html(
        <TwoFactorLoginPage
          t={t}
          locale={c.get('locale')}
          next={next}
          error={t('team.bad_code')}
        />,
        401,
      )
    }
  })

  routes.post('/w/:slug/logout', async (c) => {
    await logOut({ deps: c.get('deps'), sessionHash: requireAuth(c).sessionHash })
    deleteCookie(c, SESSION_COOKIE, { path: '/' })
    return c.redirect('/login', 303)
  })

  routes.post('/w/:slug/me/locale', async (c) => {
    const form = await readForm(c)
    const locale = form.locale
    if (!isLocale(locale)) throw unknownLocale()
    await createAuthRepository(c.get('deps')).setMemberLocale(requireAuth(c).member.id, locale)
    const back = safeNext(form.back) ?? `/w/${c.req.param('slug')}/boards`
    return c.redirect(back, 303)
  })

  return routes
}
