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
  return timingSafeEqual(cookie, await guestCookieValue(config, board))
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
