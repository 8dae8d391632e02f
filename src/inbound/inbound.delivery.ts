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
 * (notifications/mail-headers.ts). Its outbox row is marked bounced and, for the customer's
 * notification, the board warns to reach them another way: the same result as the provider's
 * bounce webhook. Returns the boards flagged (empty when the ids name nothing of ours).
 */
export async function recordBouncedNotifications({
  deps,
  messageIds,
}: {
  deps: Deps
  /** our message ids (messages.id) the bounce quotes */
  messageIds: string[]
}): Promise<{ boardIds: string[] }> {
  if (messageIds.length === 0) return { boardIds: [] }
  const keys = messageIds.map((id) => `notify/${id}/guest`)
  const rows = await deps.db
    .selectFrom('outbox')
    .select(['board_id', 'workspace_id'])
    .where('idempotency_key', 'in', keys)
    .where('board_id', 'is not', null)
    .execute()
  if (rows.length === 0) return { boardIds: [] }
  const now = deps.clock.now().getTime()
  await deps.batch([
    deps.db
      .updateTable('outbox')
      .set({ delivery_status: 'bounced', delivery_updated_at: now })
      .where('idempotency_key', 'in', keys),
    deps.db
      .updateTable('boards')
      .set({ guest_email_problem: 'bounced', guest_email_problem_at: now })
      .where(
        'id',
        'in',
        rows.map((row) => row.board_id ?? ''),
      ),
  ])
  return { boardIds: [...new Set(rows.map((row) => row.board_id ?? ''))] }
}
