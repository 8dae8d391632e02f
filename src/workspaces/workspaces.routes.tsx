import { Hono } from 'hono'
import { auditFrom, recordAudit } from '../team/audit'
import { requireMember } from '../auth/auth.middleware'
import { readForm, requireAuth, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { SettingsPage } from '../../views/settings/page'
import { workspaceSettingsSchema } from './workspaces.schemas'
import { toWorkspaceSettingsView } from './workspaces.view-model'
import { updateWorkspaceSettings } from './workspaces.usecases'
import { memberNotificationSettingsSchema } from '../notifications/notifications.schemas'
import { setMemberNotifications } from '../notifications/notifications.usecases'
import { roundRobinMembers } from '../assignee/round-robin'

export function settingsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/', async (c) => {
    const auth = requireAuth(c)
    return c.html(
      <SettingsPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth}
        settings={toWorkspaceSettingsView(auth.workspace)}
        saved={c.req.query('saved') === '1'}
        notifySaved={c.req.query('saved') === 'me'}
        digestSaved={c.req.query('saved') === 'digest'}
        roundRobin={{
          members: await roundRobinMembers(c.get('deps'), auth.workspace.id),
          saved: c.req.query('saved') === 'round-robin',
        }}
      />,
    )
  })

  // Each member's own notification switch; any role may change their own.
  routes.post('/me', async (c) => {
    const auth = requireAuth(c)
    const input = parseInput(memberNotificationSettingsSchema, await readForm(c))
    await setMemberNotifications({
      deps: c.get('deps'),
      workspace: auth.workspace,
      memberId: auth.member.id,
      notifyEmail: input.notify_email,
      notifyAssigned: input.notify_assigned,
      notifyMention: input.notify_mention,
    })
    return c.redirect(`/w/${auth.workspace.slug}/settings?saved=me`, 303)
  })

  routes.post('/', requireMember({ role: 'admin' }), async (c) => {
    const auth = requireAuth(c)
    const form = await readForm(c)
    try {
      const input = parseInput(workspaceSettingsSchema, form)
      await updateWorkspaceSettings({ deps: c.get('deps'), workspace: auth.workspace, input })
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return c.html(
        <SettingsPage
          t={c.get('t')}
          locale={c.get('locale')}
          auth={auth}
          settings={toWorkspaceSettingsView(auth.workspace)}
          problems={error.details}
          values={form}
        />,
        422,
      )
    }
    await recordAudit(
      c.get('deps'),
      auditFrom(c, 'workspace.settings_changed', auth.workspace.name),
    )
    return c.redirect(`/w/${auth.workspace.slug}/settings?saved=1`, 303)
  })

  return routes
}
