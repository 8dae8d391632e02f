import type { Config } from '../deps'
import { hmacSha256, timingSafeEqual, toBase64Url } from '../shared/crypto'

/**
 * The customer's secret: HMAC-SHA256(APP_SECRET, board id + link version), 256 bits. The
 * database holds only the version, so the link can be shown again, and bumping the version
 * revokes every earlier link.
 */
export async function guestLinkSecret(
  config: Pick<Config, 'appSecret'>,
  boardId: string,
  version: number,
) {
  return toBase64Url(await hmacSha256(config.appSecret, `guest-link:${boardId}:${version}`))
}

export async function guestUrl(
  config: Pick<Config, 'appSecret' | 'baseUrl'>,
  board: { id: string; guest_link_version: number },
) {
  return `${config.baseUrl}/g/${board.id}/${await guestLinkSecret(config, board.id, board.guest_link_version)}`
}

export async function isValidGuestSecret(
  config: Pick<Config, 'appSecret'>,
  board: { id: string; guest_link_version: number },
  secret: string,
) {
  return timingSafeEqual(secret, await guestLinkSecret(config, board.id, board.guest_link_version))
}

/** How many earlier link versions are recognised as "replaced" rather than unknown. */
export const RECOGNISED_OLD_VERSIONS = 20

/**
 * Whether `secret` (from a link) or `cookie` (from a board cookie) is one this board gave out
 * under an earlier link version, i.e. a link a member has since replaced (the last
 * RECOGNISED_OLD_VERSIONS versions). Such a visitor held the board's link once, so they may
 * learn which shop it belongs to and how to reach it; any other wrong value stays unknown.
 */
export async function isReplacedGuestCredential(
  config: Pick<Config, 'appSecret'>,
  board: { id: string; guest_link_version: number },
  given: { secret?: string; cookie?: string },
): Promise<boolean> {
  const oldest = Math.max(1, board.guest_link_version - RECOGNISED_OLD_VERSIONS)
  for (let version = board.guest_link_version - 1; version >= oldest; version--) {
    const earlier = { id: board.id, guest_link_version: version }
    if (
      given.secret !== undefined &&
      timingSafeEqual(given.secret, await guestLinkSecret(config, board.id, version))
    )
      return true
    if (
      given.cookie !== undefined &&
      timingSafeEqual(given.cookie, await guestCookieValue(config, earlier))
    )
      return true
  }
  return false
}

export function staffBoardUrl(
  config: Pick<Config, 'baseUrl'>,
  workspaceSlug: string,
  boardId: string,
) {
  return `${config.baseUrl}/w/${workspaceSlug}/boards/${boardId}`
}

/**
 * The value of the customer's board cookie: an HMAC of board id and link version under its own
 * label, so it cannot be forged, is worthless on any other board, and dies with the link when
 * the version is bumped. Nothing about it is stored.
 */
export async function guestCookieValue(
  config: Pick<Config, 'appSecret'>,
  board: { id: string; guest_link_version: number },
) {
  return toBase64Url(
    await hmacSha256(config.appSecret, `guest-cookie:${board.id}:${board.guest_link_version}`),
  )
}

export async function isValidGuestCookie(
  config: Pick<Config, 'appSecret'>,
  board: { id: string; guest_link_version: number },
  cookie: string,
) {
  return timingSafeEqual(cookie, (await guestBoardTokens(config, board)).cookie)
}

/**
 * The customer has no session, so the form token is derived from the board cookie: a cross-site
 * page cannot read the cookie, hence cannot compute the token.
 */
export async function guestCsrfToken(
  config: Pick<Config, 'appSecret'>,
  boardId: string,
  cookie: string,
) {
  return toBase64Url(await hmacSha256(config.appSecret, `guest-csrf:${boardId}:${cookie}`))
}

/** Boards whose cookie and form token are kept (a few hundred bytes each). */
const KEPT_TOKENS = 10_000
const keptTokens = new Map<string, Promise<{ cookie: string; csrfToken: string }>>()

/**
 * The board cookie's value and the form token that goes with it, computed once per board and
 * link version (two HMACs through WebCrypto cost more than the rest of answering a page view).
 * Both are functions of the board alone — every holder of the link gets the same cookie — so
 * keeping them shares nothing of one viewer with another. Keyed by the app secret too, and a
 * reissued link has a new version, hence a new key; old entries age out in insertion order.
 */
export function guestBoardTokens(
  config: Pick<Config, 'appSecret'>,
  board: { id: string; guest_link_version: number },
): Promise<{ cookie: string; csrfToken: string }> {
  const key = `${board.id}\u0000${board.guest_link_version}\u0000${config.appSecret}`
  let tokens = keptTokens.get(key)
  if (!tokens) {
    tokens = guestCookieValue(config, board).then(async (cookie) => ({
      cookie,
      csrfToken: await guestCsrfToken(config, board.id, cookie),
    }))
    // A failed derivation is not kept: the next request tries again.
    tokens.catch(() => keptTokens.delete(key))
    keptTokens.set(key, tokens)
    if (keptTokens.size > KEPT_TOKENS) keptTokens.delete(keptTokens.keys().next().value!)
  }
  return tokens
}
