import type { Config } from '../deps'
import { hmacSha256, timingSafeEqual } from '../shared/crypto'

/**
 * The customer's reply address: board+<board key>.<secret>@<INBOUND_DOMAIN>.
 * - secret: HMAC(APP_SECRET, 'reply:' + board id + ':' + guest_link_version), first 128 bits, so
 *   it is unguessable and dies with the link when a member revokes it (the version goes up);
 * - board key: the board id, so the secret can be checked without storing anything.
 * Both are lowercase base32: mail systems treat local parts as case-insensitive in practice, and
 * a UUID board id plus the secret fit the 64-octet local-part limit (6 + 26 + 1 + 26 = 59).
 */

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567'
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

function base32(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

function fromBase32(text: string): Uint8Array | undefined {
  const out: number[] = []
  let buffer = 0
  let bits = 0
  for (const char of text) {
    const value = ALPHABET.indexOf(char)
    if (value < 0) return undefined
    buffer = ((buffer << 5) | value) & 0xffff
    bits += 5
    if (bits >= 8) {
      out.push((buffer >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return new Uint8Array(out)
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
}

/**
 * A UUID board id packs into 26 characters; any other id is spelled out after a `0`, which is
 * not a base32 letter, so no UUID key can be mistaken for one (an `x` could start either).
 */
export function boardKey(boardId: string): string {
  if (UUID.test(boardId)) {
    const hex = boardId.replace(/-/g, '')
    return base32(Uint8Array.from(hex.match(/../g) ?? [], (pair) => parseInt(pair, 16)))
  }
  return `0${base32(new TextEncoder().encode(boardId))}`
}

export function boardIdFromKey(key: string): string | undefined {
  if (key.startsWith('0')) {
    const bytes = fromBase32(key.slice(1))
    return bytes ? new TextDecoder().decode(bytes) : undefined
  }
  if (key.length !== 26) return undefined
  const bytes = fromBase32(key)
  if (!bytes || bytes.length !== 16) return undefined
  const hex = hexOf(bytes)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

export async function replySecret(
  config: Pick<Config, 'appSecret'>,
  boardId: string,
  version: number,
): Promise<string> {
  const mac = await hmacSha256(config.appSecret, `reply:${boardId}:${version}`)
  return base32(mac.slice(0, 16))
}

/** The Reply-To of the customer's notifications, or undefined when inbound mail is not set up. */
export async function replyAddress(
  config: Pick<Config, 'appSecret' | 'inboundDomain'>,
  board: { id: string; guest_link_version: number },
): Promise<string | undefined> {
  if (!config.inboundDomain) return undefined
  const secret = await replySecret(config, board.id, board.guest_link_version)
  return `board+${boardKey(board.id)}.${secret}@${config.inboundDomain}`
}

/** The board named by a reply address on our domain, before the secret is checked. */
export function parseReplyAddress(
  config: Pick<Config, 'inboundDomain'>,
  address: string,
): { boardId: string; secret: string } | undefined {
  if (!config.inboundDomain) return undefined
  const match = /^board\+([a-z2-7]+)\.([a-z2-7]{26})@(.+)$/.exec(address.trim().toLowerCase())
  if (!match || match[3] !== config.inboundDomain) return undefined
  const boardId = boardIdFromKey(match[1] ?? '')
  return boardId ? { boardId, secret: match[2] ?? '' } : undefined
}

export async function isValidReplySecret(
  config: Pick<Config, 'appSecret'>,
  board: { id: string; guest_link_version: number },
  secret: string,
): Promise<boolean> {
  return timingSafeEqual(secret, await replySecret(config, board.id, board.guest_link_version))
}

/** Board or message ids named by our own Message-IDs in In-Reply-To / References. */
export function ourThreadIds(
  ids: string[],
  host: string,
): { messageIds: string[]; boardIds: string[] } {
  const messageIds: string[] = []
  const boardIds: string[] = []
  for (const id of ids) {
    const at = id.lastIndexOf('@')
    if (at < 0 || id.slice(at + 1).toLowerCase() !== host) continue
    const local = id.slice(0, at)
    const notify = /^notify\.([A-Za-z0-9_-]{1,100})\.[A-Za-z0-9_-]{1,100}$/.exec(local)
    if (notify?.[1]) messageIds.push(notify[1])
    const board = /^board\.([A-Za-z0-9_-]{1,100})$/.exec(local)
    if (board?.[1]) boardIds.push(board[1])
  }
  return { messageIds, boardIds }
}
