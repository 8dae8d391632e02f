import { Hono } from 'hono'
import { z } from 'zod'
import { requireMember } from '../auth/auth.middleware'
import { readForm, requireAuth, type AppEnv } from '../http'
import { parseInput } from '../shared/validation'
import { auditFrom, recordAudit } from '../team/audit'
import { setRoundRobin, setRoundRobinMember } from './round-robin'

const switchSchema = (field: string) =>
  z.object({ [field]: z.enum(['0', '1'], { error: 'field.invalid_choice' }) })

/** Settings → round-robin, mounted at /w/:slug/settings/round-robin (issue #17). */
export function roundRobinRoutes() {
  const routes = new Hono<AppEnv>()

  // The workspace's switch: admins and owners.
  routes.post('/', requireMember({ role: 'admin' }), async (c) => {
    const auth = requireAuth(c)
    const input = parseInput(switchSchema('enabled'), await readForm(c))
    const enabled = input.enabled === '1'
    await setRoundRobin({ deps: c.get('deps'), workspace: auth.workspace, enabled })
    await recordAudit(
      c.get('deps'),
      auditFrom(c, 'workspace.settings_changed', `round-robin ${enabled ? 'on' : 'off'}`),
    )
    return c.redirect(`/w/${auth.workspace.slug}/settings?saved=round-robin#round-robin`, 303)
  })

  // Each member's own opt-in.
  routes.post('/me', requireMember({ role: 'member' }), async (c) => {
    const auth = requireAuth(c)
    const input = parseInput(switchSchema('join'), await readForm(c))
    await setRoundRobinMember({
      deps: c.get('deps'),
      workspace: auth.workspace,
      memberId: auth.member.id,
      join: input.join === '1',
    })
    return c.redirect(`/w/${auth.workspace.slug}/settings?saved=round-robin#round-robin`, 303)
  })

  return routes
}
