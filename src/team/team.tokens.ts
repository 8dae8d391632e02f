import { hmacSha256, sha256Hex, toBase64Url } from '../shared/crypto'

export type LinkPurpose = 'invitation' | 'password_reset' | 'email_change'

/**
 * The secret of a one-time link, derived from APP_SECRET, the row's id and its version
 * (HMAC-SHA-256, base64url): the database keeps only its SHA-256 and the outbox row only the
 * id, so neither a database copy nor the mail queue holds a usable link. A new version (resend)
 * gives a new token, and the row's new hash voids the old one.
 */
export async function linkToken(
  appSecret: string,
  purpose: LinkPurpose,
  id: string,
  version: number,
): Promise<string> {
  return toBase64Url(await hmacSha256(appSecret, `link:${purpose}:${id}:${version}`))
}

/** What is stored and looked up: the SHA-256 (hex) of a link token. */
export const tokenHash = (token: string) => sha256Hex(token)

/** A token as it arrives in a URL: base64url of 32 bytes, nothing else. */
export const isTokenShape = (token: string) => /^[A-Za-z0-9_-]{43}$/.test(token)
