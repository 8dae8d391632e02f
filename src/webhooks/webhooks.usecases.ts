import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { notFound, validationError } from '../shared/errors'
import { webhookTargetProblem } from './webhooks.target'
import { encryptSecret } from './webhooks.crypto'
import type { WebhookPayload } from './webhooks.effects'
import { createWebhooksRepository } from './webhooks.repository'
import type { WebhookEvent } from './webhooks.schemas'

/** Registers an endpoint; the signing secret is returned this once and never shown again. */
export async function createWebhookEndpoint({
  deps,
  workspace,
  createdBy,
  input,
}: {
  deps: Deps
  workspace: Workspace
  createdBy: string | null
  input: { url: string; events: WebhookEvent[] }
}) {
  const problem = await webhookTargetProblem(deps, input.url)
  if (problem) {
    throw validationError([
      {
        field: 'url',
        problem:
          problem === 'unresolvable' ? 'field.webhook_unresolvable' : 'field.webhook_private',
      },
    ])
  }
  const secret = `whsec_${deps.ids.token(32)}`
  const id = deps.ids.id()
  await createWebhooksRepository(deps).insertEndpoint({
    id,
    workspaceId: workspace.id,
    url: input.url,
    events: [...new Set(input.events)],
    sealedSecret: await encryptSecret(deps.config.appSecret, secret),
    createdBy,
    now: deps.clock.now().getTime(),
  })
  return { id, secret }
}

export async function setWebhookEndpointActive({
  deps,
  workspace,
  endpointId,
  active,
}: {
  deps: Deps
  workspace: Workspace
  endpointId: string
  active: boolean
}) {
  const result = await createWebhooksRepository(deps).setActive(workspace.id, endpointId, active)
  if (!result.numUpdatedRows) throw notFound()
}

export async function deleteWebhookEndpoint({
  deps,
  workspace,
  endpointId,
}: {
  deps: Deps
  workspace: Workspace
  endpointId: string
}) {
  const result = await createWebhooksRepository(deps).deleteEndpoint(workspace.id, endpointId)
  if (!result.numDeletedRows) throw notFound()
}

export interface WebhookDeliveryView {
  id: string
  endpointId: string
  eventType: string
  eventId: string
  boardId: string | null
  status: 'pending' | 'sending' | 'sent' | 'failed'
  attempts: number
  result: string | null
  nextAttemptAt: number
  createdAt: number
  sentAt: number | null
}

/** The settings page: endpoints and the latest deliveries with their results. */
export async function loadWebhooks({ deps, workspace }: { deps: Deps; workspace: Workspace }) {
  const repository = createWebhooksRepository(deps)
  const [endpoints, rows] = await Promise.all([
    repository.listEndpoints(workspace.id),
    repository.recentDeliveries(workspace.id, 50),
  ])
  const deliveries: WebhookDeliveryView[] = rows.map((row) => {
    const payload = JSON.parse(row.payload) as WebhookPayload
    return {
      id: row.id,
      endpointId: payload.endpoint_id,
      eventType: payload.event.type,
      eventId: payload.event.id,
      boardId: row.board_id,
      status: row.status,
      attempts: row.attempts,
      result: row.status === 'sent' ? row.provider_id : row.last_error,
      nextAttemptAt: row.next_attempt_at,
      createdAt: row.created_at,
      sentAt: row.sent_at,
    }
  })
  return {
    endpoints: endpoints.map((endpoint) => ({
      id: endpoint.id,
      url: endpoint.url,
      events: JSON.parse(endpoint.events) as WebhookEvent[],
      active: endpoint.active === 1,
      createdAt: endpoint.created_at,
    })),
    deliveries,
  }
}
