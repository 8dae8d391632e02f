import { Hono } from 'hono'
import { requireMember } from '../auth/auth.middleware'
import { readForm, requireAuth, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { CareSettingsPage } from '../../views/business-hours/settings'
import { careSettingsSchema } from './business-hours.schemas'
import { getCareSettings, saveCareSettings } from './business-hours.usecases'

/**
 * Mounted at /w/:slug/settings/hours: business hours, automatic answer, welcome, rating. Every
 * member may read them; admins and owners change them.
 */
export function careSettingsRoutes() {
  const routes = new Hono<AppEnv>()
  routes.get('/', async (c) => {
    const auth = requireAuth(c)
    const settings = await getCareSettings({ deps: c.get('deps'), workspaceId: auth.workspace.id })
    return c.html(
      <CareSettingsPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        settings={settings}
        saved={c.req.query('saved') === '1'}
      />,
    )
  })

  routes.post('/', requireMember({ role: 'admin' }), async (c) => {
    const auth = requireAuth(c)
    const deps = c.get('deps')
    const form = await readForm(c)
    try {
      const input = parseInput(careSettingsSchema, form)
      await saveCareSettings({ deps, workspace: auth.workspace, input })
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      const settings = await getCareSettings({ deps, workspaceId: auth.workspace.id })
      return c.html(
        <CareSettingsPage
          t={c.get('t')}
          locale={c.get('locale')}
          auth={auth.view}
          settings={settings}
          problems={error.details}
          values={form}
        />,
        422,
      )
    }
    return c.redirect(`/w/${auth.workspace.slug}/settings/hours?saved=1`, 303)
  })

  return routes
}
