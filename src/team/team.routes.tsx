import { Hono } from 'hono'
import { z } from 'zod'
import { requireMember, setSessionCookie } from '../auth/auth.middleware'
import { openSession } from '../auth/auth.usecases'
import { readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { translator } from '../shared/i18n'
import { email, line, parseInput } from '../shared/validation'
import { passwordSchema } from '../workspaces/workspaces.schemas'
import { MembersPage } from '../../views/team/members'
import { AcceptInvitationPage, LinkInvalidPage } from '../../views/team/account'
import { auditFrom, auditStatement, clientAddress } from './audit'
import {
  acceptInvitation,
  changeRole,
  findInvitation,
  inviteMember,
  listTeam,
  removeMember,
  resendInvitation,
  revokeInvitation,
  type Actor,
} from './team.usecases'
import { toTeamView } from './team.view-model'

const roleSchema = z.enum(['owner', 'admin', 'member'], { error: 'field.invalid_choice' })
const inviteSchema = z.object({ email, role: roleSchema })
const roleFormSchema = z.object({ role: roleSchema })
const acceptSchema = z.object({ name: line(100), password: passwordSchema })

const NOTICES = {
  ja: {
    invited: '招待メールを送りました。',
    resent: '招待メールを送り直しました（前のリンクは使えなくなりました）。',
    revoked: '招待を取り消しました。',
    role: '役割を変更しました。',
    removed: 'メンバーを削除しました。',
    security: '2段階認証の設定を保存しました。',
  },
  en: {
    invited: 'Invitation sent.',
    resent: 'Invitation sent again (the previous link no longer works).',
    revoked: 'Invitation revoked.',
    role: 'Role changed.',
    removed: 'Member removed.',
    security: 'Two-step sign-in setting saved.',
  },
} as const
type Notice = keyof (typeof NOTICES)['ja']

const actorOf = (c: AppContext): Actor => {
  const { member } = requireAuth(c)
  return { id: member.id, name: member.name, role: member.role }
}

/** Settings → Members, mounted at /w/:slug/settings/members: owners and admins. */
export function membersRoutes() {
  const routes = new Hono<AppEnv>()
  routes.use('*', requireMember({ role: 'admin' }))

  const page = async (
    c: AppContext,
    extra: { problems?: AppError['details']; values?: Record<string, string> } = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireAuth(c)
    const team = await listTeam(c.get('deps'), auth.workspace)
    const done = c.req.query('done') as Notice | undefined
    const notices = NOTICES[c.get('locale')]
    return c.html(
      <MembersPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        team={toTeamView(team)}
        notice={done && done in notices ? notices[done] : undefined}
        {...extra}
      />,
      status,
    )
  }
  const back = (c: AppContext, done: Notice) =>
    c.redirect(`/w/${requireAuth(c).workspace.slug}/settings/members?done=${done}`, 303)
  const ctx = (c: AppContext) => ({
    deps: c.get('deps'),
    workspace: requireAuth(c).workspace,
    actor: actorOf(c),
    ip: clientAddress(c),
  })

  routes.get('/', (c) => page(c))

  routes.post('/invite', async (c) => {
    const form = await readForm(c)
    try {
      const input = parseInput(inviteSchema, form)
      await inviteMember({ ...ctx(c), email: input.email, role: input.role })
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return page(c, { problems: error.details, values: form }, 422)
    }
    return back(c, 'invited')
  })

  routes.post('/invitations/:id/resend', async (c) => {
    await resendInvitation({ ...ctx(c), invitationId: c.req.param('id') })
    return back(c, 'resent')
  })

  routes.post('/invitations/:id/revoke', async (c) => {
    await revokeInvitation({ ...ctx(c), invitationId: c.req.param('id') })
    return back(c, 'revoked')
  })

  // Owners only: every member must then sign in with a second factor.
  routes.post('/require-2fa', requireMember({ role: 'owner' }), async (c) => {
    const form = await readForm(c)
    const on = form.require_2fa === '1'
    const { workspace } = requireAuth(c)
    const deps = c.get('deps')
    await deps.batch([
      deps.db
        .updateTable('workspaces')
        .set({ require_2fa: on ? 1 : 0 })
        .where('id', '=', workspace.id),
      auditStatement(deps, auditFrom(c, 'workspace.2fa_required', workspace.name, { on })),
    ])
    return back(c, 'security')
  })

  routes.post('/:memberId/role', async (c) => {
    const input = parseInput(roleFormSchema, await readForm(c))
    await changeRole({ ...ctx(c), memberId: c.req.param('memberId'), role: input.role })
    return back(c, 'role')
  })

  routes.post('/:memberId/remove', async (c) => {
    await removeMember({ ...ctx(c), memberId: c.req.param('memberId') })
    return back(c, 'removed')
  })

  return routes
}

/** The invitation link, signed out: /invite/:token shows the form, a POST joins. */
export function invitationRoutes() {
  const routes = new Hono<AppEnv>()

  const invalid = (c: AppContext) =>
    c.html(<LinkInvalidPage t={c.get('t')} locale={c.get('locale')} />, 410)

  routes.get('/:token', async (c) => {
    // The link's token must not leak to other sites through Referer.
    c.header('Referrer-Policy', 'no-referrer')
    c.header('Cache-Control', 'no-store')
    const invitation = await findInvitation(c.get('deps'), c.req.param('token'))
    if (!invitation) return invalid(c)
    return renderAccept(c, invitation)
  })

  routes.post('/:token', async (c) => {
    c.header('Referrer-Policy', 'no-referrer')
    const deps = c.get('deps')
    const token = c.req.param('token')
    const invitation = await findInvitation(deps, token)
    if (!invitation) return invalid(c)
    const form = await readForm(c)
    let input: z.infer<typeof acceptSchema>
    try {
      input = parseInput(acceptSchema, form)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return renderAccept(c, invitation, error.details, form, 422)
    }
    try {
      const { memberId, workspaceId } = await acceptInvitation({
        deps,
        token,
        name: input.name,
        password: input.password,
        ip: clientAddress(c),
      })
      setSessionCookie(c, await openSession(deps, { id: memberId, workspace_id: workspaceId }))
    } catch (error) {
      if (error instanceof AppError && error.status === 410) return invalid(c)
      throw error
    }
    return c.redirect(`/w/${invitation.slug}/boards`, 303)
  })

  return routes
}

function renderAccept(
  c: AppContext,
  invitation: NonNullable<Awaited<ReturnType<typeof findInvitation>>>,
  problems?: AppError['details'],
  values?: Record<string, string>,
  status: 200 | 422 = 200,
) {
  // The invited person has no language setting yet: the workspace's, unless they chose one.
  const locale = c.get('locale') === 'en' ? 'en' : invitation.locale
  const t = translator(locale)
  return c.html(
    <AcceptInvitationPage
      t={t}
      locale={locale}
      token={c.req.param('token') ?? ''}
      workspaceName={invitation.workspace_name}
      email={invitation.email}
      roleLabel={t(`role.${invitation.role}`)}
      problems={problems}
      values={values}
    />,
    status,
  )
}
