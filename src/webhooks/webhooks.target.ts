import type { Deps } from '../deps'
import { literalAddress, resolvedTargetProblem } from './webhooks.address'
import { isLocalDevHost } from './webhooks.schemas'

/**
 * Why a webhook URL (already past `isAllowedWebhookUrl`) may not be called right now, or
 * undefined: with a resolver, the name must resolve to public addresses only. Asked at
 * registration and again before every delivery, since a name can be pointed elsewhere at any
 * time. Local http in development (allowed by the URL rule) is not resolved.
 */
export async function webhookTargetProblem(
  deps: Pick<Deps, 'resolveHost' | 'config'>,
  url: string,
): Promise<'private_address' | 'unresolvable' | undefined> {
  const { hostname, protocol } = new URL(url)
  if (!deps.resolveHost || literalAddress(hostname)) return undefined
  if (protocol === 'http:' && isLocalDevHost(hostname)) return undefined
  return resolvedTargetProblem(hostname, deps.resolveHost)
}
