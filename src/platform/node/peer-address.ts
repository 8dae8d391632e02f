import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

/**
 * The socket's remote address under @hono/node-server, or undefined when the request did not
 * come through a Node socket (`app.request` in tests without bindings).
 */
export function nodePeerAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: unknown; server?: { incoming?: unknown } } | undefined
  if (!env || !(env.incoming ?? env.server?.incoming)) return undefined
  return getConnInfo(c).remote.address
}
