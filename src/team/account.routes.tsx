import { Hono } from 'hono'
import { z } from 'zod'
import { readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { translator } from '../shared/i18n'
import { email, line, parseInput } from '../shared/validation'
import { passwordSchema } from '../workspaces/workspaces.schemas'
import {
  EmailChangedPage,
  ForgotPasswordPage,
  LinkInvalidPage,
  ResetPasswordPage,
} from '../../views/team/account'
import { ProfilePage, type ProfileForm } from '../../views/team/profile'
import { auditFrom, clientAddress } from './audit'
import { TwoFactorPage } from '../../views/team/two-factor'
import { disableTwoFactor, enableTwoFactor, enrolment, remainingRecoveryCodes } from './two-factor'
import {
  changePassword,
  confirmEmailChange,
  isTokenOpen,
  requestEmailChange,
  requestPasswordReset,
  resetPassword,
  updateProfile,
} from './account.usecases'

const profileSchema = z.object({
  name: line(100),
  /** フリガナ (issue #17): optional, for finding the member when mentioning */
  name_kana: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    line(100).nullable().optional(),
  ),
  locale: z.preprocess((v) => (v === '' ? null : v), z.enum(['ja', 'en']).nullable()),
})
const passwordChangeSchema = z.object({
  current_password: z.string({ error: 'field.required' }).min(1, { error: 'field.required' }),
  new_password: passwordSchema,
})
const emailChangeSchema = z.object({
  email,
  current_password: z.string({ error: 'field.required' }).min(1, { error: 'field.required' }),
})
const forgotSchema = z.object({ email })
const resetSchema = z.object({ password: passwordSchema })

const NOTICES = {
  ja: {
    saved: '保存しました。',
    password: 'パスワードを変更しました。ほかの端末はログアウトしました。',
    email: '新しいアドレスに確認リンクを送りました。リンクを開くと変更されます。',
  },
  en: {
    saved: 'Saved.',
    password: 'Password changed. Every other device was signed out.',
    email: 'A confirmation link went to the new address. Open it to make the change.',
  },
} as const
type Notice = keyof (typeof NOTICES)['ja']

/** One's own profile, mounted at /w/:slug/me (any member, behind the /w/:slug guard). */
export function profileRoutes() {
  const routes = new Hono<AppEnv>()

  const page = (
    c: AppContext,
    extra: { form?: ProfileForm; problems?: AppError['details']; values?: Record<string, string> },
    status: 200 | 422 = 200,
  ) => {
    const done = c.req.query('done') as Notice | undefined
    const notices = NOTICES[c.get('locale')]
    return c.html(
      <ProfilePage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={requireAuth(c).view}
        notice={done && done in notices ? notices[done] : undefined}
        {...extra}
      />,
      status,
    )
  }
  const back = (c: AppContext, done: Notice) =>
    c.redirect(`/w/${requireAuth(c).workspace.slug}/me?done=${done}`, 303)

  /** Runs a form: 422 shows the page with the form's problems, anything else is thrown. */
  const form =
    (name: ProfileForm, run: (c: AppContext, values: Record<string, string>) => Promise<Notice>) =>
    async (c: AppContext) => {
      const values = await readForm(c)
      try {
        return back(c, await run(c, values))
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        const { current_password: _, new_password: __, ...kept } = values
        return page(c, { form: name, problems: error.details, values: kept }, 422)
      }
    }

  routes.get('/', (c) => page(c, {}))

  routes.post(
    '/',
    form('profile', async (c, values) => {
      const input = parseInput(profileSchema, values)
      await updateProfile({
        deps: c.get('deps'),
        member: requireAuth(c).member,
        name: input.name,
        nameKana: input.name_kana ?? null,
        locale: input.locale,
      })
      return 'saved'
    }),
  )

  routes.post(
    '/password',
    form('password', async (c, values) => {
      const input = parseInput(passwordChangeSchema, values)
      const auth = requireAuth(c)
      await changePassword({
        deps: c.get('deps'),
        member: auth.member,
        currentPassword: input.current_password,
        newPassword: input.new_password,
        sessionHash: auth.sessionHash,
        ip: clientAddress(c),
      })
      return 'password'
    }),
  )

  routes.post(
    '/email',
    form('email', async (c, values) => {
      const input = parseInput(emailChangeSchema, values)
      await requestEmailChange({
        deps: c.get('deps'),
        member: requireAuth(c).member,
        currentPassword: input.current_password,
        newEmail: input.email,
      })
      return 'email'
    }),
  )

  const twoFactorPage = async (
    c: AppContext,
    extra: {
      recoveryCodes?: string[]
      problems?: AppError['details']
      disableProblems?: AppError['details']
    } = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireAuth(c)
    const deps = c.get('deps')
    c.header('Cache-Control', 'no-store')
    const enrolling = extra.recoveryCodes
      ? undefined
      : await enrolment(deps, auth.member, auth.workspace.name)
    return c.html(
      <TwoFactorPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        enrolment={enrolling}
        remaining={enrolling ? undefined : await remainingRecoveryCodes(deps, auth.member.id)}
        required={Boolean(auth.workspace.require_2fa) && !auth.member.totp_enabled_at}
        {...extra}
      />,
      status,
    )
  }

  routes.get('/2fa', (c) => twoFactorPage(c))

  routes.post('/2fa/enable', async (c) => {
    const auth = requireAuth(c)
    const form = await readForm(c)
    try {
      const codes = await enableTwoFactor({
        deps: c.get('deps'),
        member: auth.member,
        code: (form.code ?? '').slice(0, 20),
        audit: auditFrom(c, 'member.2fa_enabled', auth.member.email),
      })
      return twoFactorPage(c, { recoveryCodes: codes })
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return twoFactorPage(c, { problems: error.details }, 422)
    }
  })

  routes.post('/2fa/disable', async (c) => {
    const auth = requireAuth(c)
    const form = await readForm(c)
    try {
      await disableTwoFactor({
        deps: c.get('deps'),
        member: auth.member,
        requireTwoFactor: Boolean(auth.workspace.require_2fa),
        currentPassword: form.current_password ?? '',
        audit: auditFrom(c, 'member.2fa_disabled', auth.member.email),
      })
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return twoFactorPage(c, { disableProblems: error.details }, 422)
    }
    return c.redirect(`/w/${auth.workspace.slug}/me/2fa`, 303)
  })

  return routes
}

const invalidLink = (c: AppContext) =>
  c.html(<LinkInvalidPage t={c.get('t')} locale={c.get('locale')} />, 410)

/** Signed out: forgotten password (/password/forgot), reset links (/reset/:token), email links. */
export function accountRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/password/forgot', (c) =>
    c.html(<ForgotPasswordPage t={c.get('t')} locale={c.get('locale')} />),
  )

  routes.post('/password/forgot', async (c) => {
    const values = await readForm(c)
    const t = c.get('t')
    const locale = c.get('locale')
    let input: z.infer<typeof forgotSchema>
    try {
      input = parseInput(forgotSchema, values)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return c.html(
        <ForgotPasswordPage t={t} locale={locale} email={values.email} problems={error.details} />,
        422,
      )
    }
    try {
      await requestPasswordReset({
        deps: c.get('deps'),
        email: input.email,
        clientKey: clientAddress(c),
      })
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 429) throw error
      c.header('Retry-After', String(error.params.seconds ?? 60))
      return c.html(
        <ForgotPasswordPage
          t={t}
          locale={locale}
          email={input.email}
          error={t(error.key, error.params)}
        />,
        429,
      )
    }
    // The same answer whether or not the address belongs to anyone.
    return c.html(<ForgotPasswordPage t={t} locale={locale} sent email={input.email} />)
  })

  routes.get('/reset/:token', async (c) => {
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
    const token = c.req.param('token')
    if (!(await isTokenOpen(c.get('deps'), token, 'password_reset'))) return invalidLink(c)
    return c.html(<ResetPasswordPage t={c.get('t')} locale={c.get('locale')} token={token} />)
  })

  routes.post('/reset/:token', async (c) => {
    c.header('Referrer-Policy', 'no-referrer')
    const token = c.req.param('token')
    const deps = c.get('deps')
    if (!(await isTokenOpen(deps, token, 'password_reset'))) return invalidLink(c)
    let input: z.infer<typeof resetSchema>
    try {
      input = parseInput(resetSchema, await readForm(c))
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return c.html(
        <ResetPasswordPage
          t={c.get('t')}
          locale={c.get('locale')}
          token={token}
          problems={error.details}
        />,
        422,
      )
    }
    try {
      await resetPassword({ deps, token, password: input.password, ip: clientAddress(c) })
    } catch (error) {
      if (error instanceof AppError && error.status === 410) return invalidLink(c)
      throw error
    }
    return c.redirect('/login?reset=1', 303)
  })

  // A GET that changes something is what a link in an email can be; the token is single use
  // and mail scanners that prefetch it only confirm what its owner asked for.
  routes.get('/email-change/:token', async (c) => {
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
    try {
      const { email, workspace } = await confirmEmailChange({
        deps: c.get('deps'),
        token: c.req.param('token'),
        ip: clientAddress(c),
      })
      const locale = c.get('locale') === 'en' ? 'en' : workspace.locale
      return c.html(<EmailChangedPage t={translator(locale)} locale={locale} email={email} />)
    } catch (error) {
      if (error instanceof AppError && (error.status === 410 || error.status === 422))
        return invalidLink(c)
      throw error
    }
  })

  return routes
}
