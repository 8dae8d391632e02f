import type { Compilable } from 'kysely'
import type { Deps } from '../deps'

/** Resend's delivery event types and the status each leaves on the outbox row. */
const DELIVERY_EVENTS = {
  'email.delivered': 'delivered',
  'email.delivery_delayed': 'delivery_delayed',
  'email.bounced': 'bounced',
  'email.complained': 'complained',
} as const

export type DeliveryStatus = (typeof DELIVERY_EVENTS)[keyof typeof DELIVERY_EVENTS]

export function deliveryStatusOf(type: unknown): DeliveryStatus | undefined {
  return typeof type === 'string' && type in DELIVERY_EVENTS
    ? DELIVERY_EVENTS[type as keyof typeof DELIVERY_EVENTS]
    : undefined
}

/**
 * One delivery event for the mail the provider knows as `providerId`. A bounce or complaint is
 * final: a late "delivered" or "delayed" never overwrites it. When it is the customer's own
 * notification, the board is flagged in the same batch so the shop reaches them another way.
 */
export async function recordDelivery({
  deps,
  providerId,
  status,
}: {
  deps: Deps
  providerId: string
  status: DeliveryStatus
}): Promise<{ updated: number }> {
  const now = deps.clock.now().getTime()
  const final = status === 'bounced' || status === 'complained'
  const queries: Compilable[] = [
    deps.db
      .updateTable('outbox')
      .set({ delivery_status: status, delivery_updated_at: now })
      .where('provider_id', '=', providerId)
      .where((eb) =>
        final
          ? eb.lit(true)
          : eb.or([
              eb('delivery_status', 'is', null),
              eb('delivery_status', 'not in', ['bounced', 'complained']),
            ]),
      ),
  ]
  if (final) {
    queries.push(
      deps.db
        .updateTable('boards')
        .set({ guest_email_problem: status, guest_email_problem_at: now })
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('outbox')
            .select('board_id')
            .where('provider_id', '=', providerId)
            .where('idempotency_key', 'like', 'notify/%/guest')
            .where('board_id', 'is not', null)
            .$narrowType<{ board_id: string }>(),
        ),
    )
  }
  const [result] = await deps.batch(queries)
  return { updated: Number(result?.numAffectedRows ?? 0) }
}

/**
 * A bounce that came back as mail (RFC 3464 report, or a Japanese carrier's notice with the
 * original attached) names our notification by its Message-ID, `notify.<message id>.<recipient>`
 * (notifications/mail-headers.ts). Its outbox row is marked bounced and, when it was the
 * customer's notification, the board warns to reach them another way: the same result as the
 * provider's bounce webhook. A member's bounced notification flags no board. Returns the boards
 * flagged (empty when the ids name nothing of ours).
 */
export async function recordBouncedNotifications({
  deps,
  notifications,
}: {
  deps: Deps
  notifications: { messageId: string; recipient: string }[]
}): Promise<{ boardIds: string[] }> {
  if (notifications.length === 0) return { boardIds: [] }
  const keys = notifications.map((n) => `notify/${n.messageId}/${n.recipient}`)
  const rows = await deps.db
    .selectFrom('outbox')
    .select(['board_id', 'idempotency_key'])
    .where('idempotency_key', 'in', keys)
    .execute()
  if (rows.length === 0) return { boardIds: [] }
  const now = deps.clock.now().getTime()
  const boardIds = [
    ...new Set(
      rows
        .filter((row) => row.idempotency_key.endsWith('/guest') && row.board_id)
        .map((row) => row.board_id ?? ''),
    ),
  ]
  const queries: Compilable[] = [
    deps.db
      .updateTable('outbox')
      .set({ delivery_status: 'bounced', delivery_updated_at: now })
      .where('idempotency_key', 'in', keys),
  ]
  if (boardIds.length > 0) queries.push(flagBounced(deps, boardIds, now))
  await deps.batch(queries)
  return { boardIds }
}

/** The board's customer address bounced: the warning to reach them another way. */
export function flagBounced(deps: Deps, boardIds: string[], now: number) {
  return deps.db
    .updateTable('boards')
    .set({ guest_email_problem: 'bounced', guest_email_problem_at: now })
    .where('id', 'in', boardIds)
}
