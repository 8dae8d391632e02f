import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { Deps } from '../deps'
import type { AppEnv } from '../http'
import { timingSafeEqual } from '../shared/crypto'
import { receiveInboundEmail } from './inbound.usecases'
import { verifySvix } from './inbound.svix'
import { deliveryStatusOf, recordDelivery } from './inbound.delivery'

/** Raw MIME above this answers 413: far above a real reply with a few photos. */
export const INBOUND_MAX_BYTES = 25 * 1024 * 1024
/** A Resend webhook is metadata only (the mail is fetched by id). */
const WEBHOOK_MAX_BYTES = 1024 * 1024

function tooLarge(limit: number) {
  return bodyLimit({
    maxSize: limit,
    onError: (c) => c.json({ error: 'too_large' }, 413),
  })
}

/** Resend gives the received mail by id; its raw MIME sits behind a signed download URL. */
async function fetchResendRaw(deps: Deps, emailId: string): Promise<Uint8Array> {
  const { resendApiKey, resendBaseUrl } = deps.config
  if (!resendApiKey) throw new Error('RESEND_API_KEY is needed to fetch received mail')
  const base = (resendBaseUrl ?? 'https://api.resend.com').replace(/\/$/, '')
  const meta = await fetch(`${base}/emails/receiving/${encodeURIComponent(emailId)}`, {
    headers: { Authorization: `Bearer ${resendApiKey}` },
    signal: AbortSignal.timeout(20_000),
  })
  if (!meta.ok) throw new Error(`resend answered ${meta.status} for received email`)
  const body = (await meta.json()) as { raw?: { download_url?: string } | null }
  const url = body.raw?.download_url
  if (!url) throw new Error('received email has no raw download url')
  const raw = await fetch(url, { signal: AbortSignal.timeout(60_000) })
  if (!raw.ok) throw new Error(`raw email download answered ${raw.status}`)
  const bytes = new Uint8Array(await raw.arrayBuffer())
  if (bytes.byteLength > INBOUND_MAX_BYTES) throw new Error('received email too large')
  return bytes
}

/**
 * Inbound mail: JSON in, JSON out, authenticated by signature or bearer secret (no cookies),
 * mounted before the HTML side's CSRF check and form body limit.
 */
export function inboundRoutes() {
  const app = new Hono<AppEnv>()

  // (a) Resend's webhook, svix-signed. Also the entry for delivery events later.
  app.post('/resend', tooLarge(WEBHOOK_MAX_BYTES), async (c) => {
    const deps = c.get('deps')
    if (!deps.config.resendWebhookSecret) return c.json({ error: 'not_configured' }, 404)
    const body = await c.req.text()
    const check = await verifySvix({
      secret: deps.config.resendWebhookSecret,
      headers: {
        id: c.req.header('svix-id'),
        timestamp: c.req.header('svix-timestamp'),
        signature: c.req.header('svix-signature'),
      },
      body,
      now: deps.clock.now().getTime(),
    })
    if (!check.ok)
      return c.json({ error: check.reason === 'stale' ? 'stale_timestamp' : 'bad_signature' }, 401)
    const seen = await deps.db
      .selectFrom('webhook_receipts')
      .select('id')
      .where('id', '=', check.id)
      .executeTakeFirst()
    if (seen) return c.json({ outcome: 'duplicate_delivery' })

    let event: { type?: unknown; data?: { email_id?: unknown } }
    try {
      event = JSON.parse(body) as typeof event
    } catch {
      return c.json({ error: 'invalid_json' }, 400)
    }
    let outcome = 'ignored'
    const delivery = deliveryStatusOf(event.type)
    if (event.type === 'email.received' && typeof event.data?.email_id === 'string') {
      const raw = await fetchResendRaw(deps, event.data.email_id)
      outcome = (await receiveInboundEmail({ deps, raw })).outcome
    } else if (delivery && typeof event.data?.email_id === 'string') {
      const { updated } = await recordDelivery({
        deps,
        providerId: event.data.email_id,
        status: delivery,
      })
      outcome = updated > 0 ? delivery : 'unknown_email'
    }
    // Recorded only once handled: a failed delivery is retried by Resend and tried again here.
    await deps.db
      .insertInto('webhook_receipts')
      .values({ id: check.id, received_at: deps.clock.now().getTime() })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
    return c.json({ outcome })
  })

  // (b) Raw MIME from any MTA or relay, with the shared secret.
  app.post(
    '/raw',
    async (c, next) => {
      const deps = c.get('deps')
      const secret = deps.config.inboundSecret
      if (!secret) return c.json({ error: 'not_configured' }, 404)
      const given = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1]?.trim() ?? ''
      if (!timingSafeEqual(given, secret)) return c.json({ error: 'unauthorized' }, 401)
      return next()
    },
    tooLarge(INBOUND_MAX_BYTES),
    async (c) => {
      const deps = c.get('deps')
      const raw = new Uint8Array(await c.req.arrayBuffer())
      if (raw.byteLength === 0) return c.json({ error: 'empty' }, 400)
      const result = await receiveInboundEmail({ deps, raw })
      return c.json({ outcome: result.outcome, messageId: result.messageId })
    },
  )

  return app
}
