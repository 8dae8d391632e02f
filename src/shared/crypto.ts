// WebCrypto only, so the same code runs on Node 20 and on Workers.

const encoder = new TextEncoder()

export function toBase64Url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function fromBase64Url(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text.replace(/-/g, '+').replace(/_/g, '/'))
  return Uint8Array.from(binary, (char) => char.charCodeAt(0))
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  return Array.from(bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes), (byte) =>
    byte.toString(16).padStart(2, '0'),
  ).join('')
}

export function randomToken(bytes = 32): string {
  return toBase64Url(crypto.getRandomValues(new Uint8Array(bytes)))
}

export async function sha256Hex(text: string | Uint8Array<ArrayBuffer>): Promise<string> {
  const data = typeof text === 'string' ? encoder.encode(text) : text
  return toHex(await crypto.subtle.digest('SHA-256', data))
}

const hmacKeys = new Map<string, Promise<CryptoKey>>()

function hmacKey(secret: string): Promise<CryptoKey> {
  let key = hmacKeys.get(secret)
  if (!key) {
    key = crypto.subtle.importKey(
      'raw',
      encoder.encode(secret),
      { name: 'HMAC', hash: 'SHA-256' },
      false,
      ['sign'],
    )
    hmacKeys.set(secret, key)
  }
  return key
}

export async function hmacSha256(secret: string, message: string): Promise<Uint8Array> {
  const signature = await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(message))
  return new Uint8Array(signature)
}

/** Constant-time comparison of two strings of any length. */
export function timingSafeEqual(a: string, b: string): boolean {
  const left = encoder.encode(a)
  const right = encoder.encode(b)
  let diff = left.length ^ right.length
  for (let i = 0; i < Math.max(left.length, right.length); i++) {
    diff |= (left[i] ?? 0) ^ (right[i] ?? 0)
  }
  return diff === 0
}

// Workers cap PBKDF2 at 100,000 iterations; that is also OWASP's floor for SHA-256 at the
// time of writing, so it is the one setting that is both safe and portable.
const PBKDF2_ITERATIONS = 100_000

async function pbkdf2(
  password: string,
  salt: Uint8Array<ArrayBuffer>,
  iterations: number,
): Promise<Uint8Array> {
  const key = await crypto.subtle.importKey('raw', encoder.encode(password), 'PBKDF2', false, [
    'deriveBits',
  ])
  const bits = await crypto.subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    key,
    256,
  )
  return new Uint8Array(bits)
}

export async function hashPassword(password: string): Promise<string> {
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const hash = await pbkdf2(password, salt, PBKDF2_ITERATIONS)
  return `pbkdf2-sha256$${PBKDF2_ITERATIONS}$${toBase64Url(salt)}$${toBase64Url(hash)}`
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, iterations, salt, hash] = stored.split('$')
  if (scheme !== 'pbkdf2-sha256' || !iterations || !salt || !hash) return false
  const candidate = await pbkdf2(password, fromBase64Url(salt), Number(iterations))
  return timingSafeEqual(toBase64Url(candidate), hash)
}

/** A password hash of a random password, so unknown emails cost as much as known ones. */
export const DUMMY_PASSWORD_HASH =
  'pbkdf2-sha256$100000$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

// Secrets the app must read back (a member's TOTP secret) are sealed at rest with AES-256-GCM.
// The key is derived from APP_SECRET with HKDF-SHA-256 (RFC 5869), one key per purpose, so a
// database copy alone does not reveal them. WebCrypto only: the same on Node and Workers.

const SEALED_PREFIX = 'aes1:'
const sealingKeys = new Map<string, Promise<CryptoKey>>()

function sealingKey(secret: string, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${secret}`
  let key = sealingKeys.get(id)
  if (!key) {
    key = crypto.subtle
      .importKey('raw', encoder.encode(secret), 'HKDF', false, ['deriveKey'])
      .then((material) =>
        crypto.subtle.deriveKey(
          {
            name: 'HKDF',
            hash: 'SHA-256',
            salt: encoder.encode('orderboard sealed v1'),
            info: encoder.encode(purpose),
          },
          material,
          { name: 'AES-GCM', length: 256 },
          false,
          ['encrypt', 'decrypt'],
        ),
      )
    sealingKeys.set(id, key)
  }
  return key
}

/** Whether a stored value was written by `seal` (anything else is a value from before sealing). */
export const isSealed = (stored: string) => stored.startsWith(SEALED_PREFIX)

/**
 * Seals `plaintext` under a key derived from `secret` (APP_SECRET) for `purpose`, bound to
 * `context` (e.g. the member id: a sealed value copied to another row does not open there).
 * Returns `aes1:<iv>.<ciphertext+tag>` in base64url, a 12-byte random IV per value.
 */
export async function seal(
  secret: string,
  purpose: string,
  plaintext: string,
  context: string,
): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const sealed = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: encoder.encode(context) },
    await sealingKey(secret, purpose),
    encoder.encode(plaintext),
  )
  return `${SEALED_PREFIX}${toBase64Url(iv)}.${toBase64Url(new Uint8Array(sealed))}`
}

/**
 * Opens a value written by `seal` with the same secret, purpose and context; undefined when it
 * does not open (another APP_SECRET, another row, altered bytes, not a sealed value).
 */
export async function unseal(
  secret: string,
  purpose: string,
  stored: string,
  context: string,
): Promise<string | undefined> {
  if (!isSealed(stored)) return undefined
  const [iv, body] = stored.slice(SEALED_PREFIX.length).split('.')
  if (!iv || !body) return undefined
  try {
    const opened = await crypto.subtle.decrypt(
      { name: 'AES-GCM', iv: fromBase64Url(iv), additionalData: encoder.encode(context) },
      await sealingKey(secret, purpose),
      fromBase64Url(body),
    )
    return new TextDecoder().decode(opened)
  } catch {
    return undefined
  }
}
