// Webhook signing secrets must be readable to sign, so they are stored — encrypted (AES-GCM)
// under a key derived from APP_SECRET, so a copy of the database alone does not let anyone
// forge deliveries. WebCrypto only: the same code runs on Node and Workers.
import { fromBase64Url, hmacSha256, toBase64Url, toHex } from '../shared/crypto'

const encoder = new TextEncoder()
const keys = new Map<string, Promise<CryptoKey>>()

function secretKey(appSecret: string): Promise<CryptoKey> {
  let key = keys.get(appSecret)
  if (!key) {
    key = crypto.subtle
      .digest('SHA-256', encoder.encode(`orderboard:webhook-secrets:${appSecret}`))
      .then((raw) => crypto.subtle.importKey('raw', raw, 'AES-GCM', false, ['encrypt', 'decrypt']))
    keys.set(appSecret, key)
  }
  return key
}

export async function encryptSecret(appSecret: string, secret: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv },
    await secretKey(appSecret),
    encoder.encode(secret),
  )
  return `v1:${toBase64Url(iv)}:${toBase64Url(new Uint8Array(sealed))}`
}

export async function decryptSecret(appSecret: string, stored: string): Promise<string> {
  const [version, iv, sealed] = stored.split(':')
  if (version !== 'v1' || !iv || !sealed) throw new Error('unknown webhook secret format')
  const plain = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64Url(iv) },
    await secretKey(appSecret),
    fromBase64Url(sealed),
  )
  return new TextDecoder().decode(plain)
}

/**
 * `Orderboard-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">` — the timestamp
 * is signed too, so a receiver can refuse replays older than a few minutes.
 */
export async function signatureHeader(
  secret: string,
  timestamp: number,
  body: string,
): Promise<string> {
  return `t=${timestamp},v1=${toHex(await hmacSha256(secret, `${timestamp}.${body}`))}`
}
