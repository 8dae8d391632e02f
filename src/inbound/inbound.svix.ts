import { timingSafeEqual } from '../shared/crypto'

/** How far a webhook's timestamp may be from our clock (svix's own tolerance). */
export const SVIX_TOLERANCE_MS = 5 * 60_000

export type SvixCheck =
  { ok: true; id: string } | { ok: false; reason: 'missing' | 'stale' | 'signature' | 'secret' }

const keys = new Map<string, Promise<CryptoKey>>()

function keyFor(secret: string): Promise<CryptoKey> | undefined {
  let key = keys.get(secret)
  if (key) return key
  let raw: Uint8Array<ArrayBuffer>
  try {
    const binary = atob(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret)
    raw = Uint8Array.from(binary, (char) => char.charCodeAt(0))
  } catch {
    return undefined
  }
  if (raw.length === 0) return undefined
  key = crypto.subtle.importKey('raw', raw, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
  keys.set(secret, key)
  return key
}

function toBase64(bytes: ArrayBuffer): string {
  let binary = ''
  for (const byte of new Uint8Array(bytes)) binary += String.fromCharCode(byte)
  return btoa(binary)
}

/** `v1,<base64 HMAC-SHA256(key, id.timestamp.body)>`, as svix signs (exported for tests). */
export async function svixSignature(
  secret: string,
  id: string,
  timestamp: string,
  body: string,
): Promise<string> {
  const key = keyFor(secret)
  if (!key) throw new Error('unusable webhook secret')
  const mac = await crypto.subtle.sign(
    'HMAC',
    await key,
    new TextEncoder().encode(`${id}.${timestamp}.${body}`),
  )
  return `v1,${toBase64(mac)}`
}

/**
 * Verifies a svix-signed webhook (Resend): the signature over id, timestamp and the exact body,
 * and a timestamp within five minutes of now so a captured request cannot be replayed later
 * (a replay within the window is caught by the caller's svix-id receipt).
 */
export async function verifySvix(args: {
  secret: string | undefined
  headers: { id?: string | null; timestamp?: string | null; signature?: string | null }
  body: string
  now: number
}): Promise<SvixCheck> {
  const { id, timestamp, signature } = args.headers
  if (!args.secret || !keyFor(args.secret)) return { ok: false, reason: 'secret' }
  if (!id || !timestamp || !signature || id.length > 200) return { ok: false, reason: 'missing' }
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'stale' }
  if (Math.abs(args.now - Number(timestamp) * 1000) > SVIX_TOLERANCE_MS)
    return { ok: false, reason: 'stale' }
  const expected = await svixSignature(args.secret, id, timestamp, args.body)
  const given = signature.split(' ').filter((part) => part.startsWith('v1,'))
  // compare against every candidate (secret rotation sends several) without stopping early
  let match = false
  for (const candidate of given) match = timingSafeEqual(candidate, expected) || match
  return match ? { ok: true, id } : { ok: false, reason: 'signature' }
}
