import { Hono } from 'hono'
import { auditFrom, recordAudit } from '../team/audit'
import { requireMember } from '../auth/auth.middleware'
import { requireAuth, type AppEnv, type AppContext } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { WebhooksPage } from '../../views/api/webhooks'
import { webhookFormSchema } from './webhooks.schemas'
import {
  createWebhookEndpoint,
  deleteWebhookEndpoint,
  loadWebhooks,
  setWebhookEndpointActive,
} from './webhooks.usecases'

export function webhooksRoutes() {
  const routes = new Hono<AppEnv>()
  // Every member sees endpoints and deliveries; only owners and admins change them.
  const admin = requireMember({ role: 'admin' })

  const page = async (
    c: AppContext,
    extra: Partial<Parameters<typeof WebhooksPage>[0]> = {},
    status: 200 | 201 | 422 = 200,
  ) => {
    const auth = requireAuth(c)
    const data = await loadWebhooks({ deps: c.get('deps'), workspace: auth.workspace })
    c.header('Cache-Control', 'no-store')
    return c.html(
      <WebhooksPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        {...data}
        {...extra}
      />,
      status,
    )
  }

  routes.get('/', (c) => page(c))

  routes.post('/', admin, async (c) => {
    const auth = requireAuth(c)
    const deps = c.get('deps')
    const body = await c.req.parseBody({ all: true })
    const url = typeof body.url === 'string' ? body.url : ''
    const events = ([] as unknown[])
      .concat(body.events ?? [])
      .filter((value): value is string => typeof value === 'string')
    try {
      const input = parseInput(webhookFormSchema(deps.config.baseUrl.startsWith('http://')), {
        url,
        events,
      })
      const { secret } = await createWebhookEndpoint({
        deps,
        workspace: auth.workspace,
        createdBy: auth.member.id,
        input,
      })
      await recordAudit(deps, auditFrom(c, 'webhook.created', input.url))
      return page(c, { created: { url: input.url, secret } }, 201)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return page(c, { problems: error.details, values: { url, events } }, 422)
    }
  })

  for (const action of ['enable', 'disable', 'delete'] as const) {
    routes.post(`/:endpointId/${action}`, admin, async (c) => {
      const auth = requireAuth(c)
      const args = {
        deps: c.get('deps'),
        workspace: auth.workspace,
        endpointId: c.req.param('endpointId'),
      }
      // the log names the endpoint by its URL (read before a delete takes it away)
      const endpoint = await args.deps.db
        .selectFrom('webhook_endpoints')
        .select('url')
        .where('workspace_id', '=', auth.workspace.id)
        .where('id', '=', args.endpointId)
        .executeTakeFirst()
      if (action === 'delete') await deleteWebhookEndpoint(args)
      else await setWebhookEndpointActive({ ...args, active: action === 'enable' })
      await recordAudit(
        args.deps,
        auditFrom(
          c,
          action === 'delete' ? 'webhook.deleted' : 'webhook.changed',
          endpoint?.url ?? args.endpointId,
          { action },
        ),
      )
      return c.redirect(`/w/${auth.workspace.slug}/settings/webhooks`, 303)
    })
  }

  return routes
}
