import { Hono } from 'hono'
import { auditFrom, recordAudit } from '../team/audit'
import { requireMember } from '../auth/auth.middleware'
import { readForm, requireAuth, type AppEnv, type AppContext } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { ApiKeysPage } from '../../views/api/keys'
import { toApiKeyListItems } from './api-keys.view-model'
import { apiKeyFormSchema } from './api.schemas'
import { createApiKey, listApiKeys, revokeApiKey } from './api.usecases'

export function apiKeysRoutes() {
  const routes = new Hono<AppEnv>()
  // Keys open a workspace to programs: only owners and admins see and manage them.
  routes.use('*', requireMember({ role: 'admin' }))

  const page = async (
    c: AppContext,
    extra: Partial<Parameters<typeof ApiKeysPage>[0]> = {},
    status: 200 | 201 | 422 = 200,
  ) => {
    const auth = requireAuth(c)
    const keys = await listApiKeys({ deps: c.get('deps'), workspace: auth.workspace })
    // The page may carry a freshly created key: never cache it anywhere.
    c.header('Cache-Control', 'no-store')
    return c.html(
      <ApiKeysPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        keys={toApiKeyListItems(keys)}
        {...extra}
      />,
      status,
    )
  }

  routes.get('/', (c) => page(c, { revoked: c.req.query('revoked') === '1' }))

  routes.post('/', async (c) => {
    const auth = requireAuth(c)
    const form = await readForm(c)
    try {
      const input = parseInput(apiKeyFormSchema, form)
      const { key } = await createApiKey({
        deps: c.get('deps'),
        workspace: auth.workspace,
        name: input.name,
        scope: input.scope,
        createdBy: auth.member.id,
      })
      await recordAudit(
        c.get('deps'),
        auditFrom(c, 'api_key.created', input.name, { scope: input.scope }),
      )
      // Shown in this answer only (no redirect): the key is stored hashed and cannot come back.
      return page(c, { created: { name: input.name, key } }, 201)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return page(c, { problems: error.details, values: form }, 422)
    }
  })

  routes.post('/:keyId/revoke', async (c) => {
    const auth = requireAuth(c)
    const deps = c.get('deps')
    const keyId = c.req.param('keyId')
    await revokeApiKey({ deps, workspace: auth.workspace, keyId })
    // the log names the key as people know it
    const key = await deps.db
      .selectFrom('api_keys')
      .select(['name', 'prefix'])
      .where('workspace_id', '=', auth.workspace.id)
      .where('id', '=', keyId)
      .executeTakeFirst()
    await recordAudit(
      deps,
      auditFrom(c, 'api_key.revoked', key?.name ?? keyId, { key: key?.prefix ?? keyId }),
    )
    return c.redirect(`/w/${auth.workspace.slug}/settings/api?revoked=1`, 303)
  })

  return routes
}
