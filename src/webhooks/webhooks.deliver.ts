import type { OutboxRow } from '../db/schema'
import type { Deps } from '../deps'
import { PermanentError, RetryableError } from '../notifications/outbox'
import { decryptSecret, signatureHeader } from './webhooks.crypto'
import type { WebhookPayload } from './webhooks.effects'
import { createWebhooksRepository } from './webhooks.repository'
import { isAllowedWebhookUrl } from './webhooks.schemas'
import { webhookTargetProblem } from './webhooks.target'

/** A receiver that has not answered in 10 s is treated as down (retried later). */
export const WEBHOOK_TIMEOUT_MS = 10_000

function retryAfterMs(header: string | null): number | undefined {
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds) * 1000
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now())
}

/**
 * The outbox handler for kind 'webhook': signs the event and POSTs it. 2xx is delivered;
 * 429, 5xx, timeouts and network errors are retried (the outbox backs off, honouring
 * Retry-After); any other answer — 4xx, a redirect (never followed) — is permanent.
 * The event id doubles as the receiver's idempotency key (`Orderboard-Event-Id`): a retry
 * after a lost 2xx carries the same id.
 */
export async function deliverWebhook(deps: Deps, row: OutboxRow): Promise<{ providerId: string }> {
  const payload = JSON.parse(row.payload) as WebhookPayload
  const endpoint = await createWebhooksRepository(deps).findEndpoint(
    row.workspace_id,
    payload.endpoint_id,
  )
  if (!endpoint) throw new PermanentError('the endpoint was deleted')
  if (!endpoint.active) throw new PermanentError('the endpoint is disabled')
  if (!isAllowedWebhookUrl(endpoint.url, deps.config.baseUrl.startsWith('http://'))) {
    throw new PermanentError('the endpoint URL is not allowed')
  }
  const problem = await webhookTargetProblem(deps, endpoint.url)
  if (problem === 'private_address') {
    throw new PermanentError('the endpoint’s host resolves to a private address')
  }
  if (problem === 'unresolvable') throw new RetryableError('the endpoint’s host did not resolve')
  const secret = await decryptSecret(deps.config.appSecret, endpoint.secret)
  const body = JSON.stringify(payload.event)
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000)
  let response: Response
  try {
    response = await fetch(endpoint.url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'Orderboard-Webhooks/1',
        'Orderboard-Event': payload.event.type,
        'Orderboard-Event-Id': payload.event.id,
        'Orderboard-Signature': await signatureHeader(secret, timestamp, body),
      },
      body,
    })
  } catch (error) {
    const reason =
      error instanceof Error && error.name === 'TimeoutError' ? 'timed out' : 'network error'
    throw new RetryableError(
      `${reason}: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300),
    )
  }
  // The receiver's answer body is not needed; release the connection.
  await response.body?.cancel().catch(() => undefined)
  if (response.ok) return { providerId: `HTTP ${response.status}` }
  if (response.status === 429 || response.status >= 500) {
    throw new RetryableError(
      `HTTP ${response.status}`,
      retryAfterMs(response.headers.get('retry-after')),
    )
  }
  throw new PermanentError(`HTTP ${response.status}`)
}
