import type { Workspace } from '../db/schema'
import { AppError } from '../shared/errors'

/** Wrong link, revoked link, foreign cookie and unknown board all look the same. */
export const guestNotFound = () => new AppError('not_found', 404, 'error.not_found')

/** A closed board stays readable for the customer, but takes no new posts. */
export const guestBoardClosed = () => new AppError('board_closed', 403, 'field.board_closed')

/** Past its expiry the board is gone for the customer; the route renders the shop's contact. */
export const guestBoardExpired = () => new AppError('board_expired', 410, 'guest.expired_title')

/**
 * A link (or the cookie it gave) that a member has since replaced with a new one: 410, and the
 * customer's page names the shop and its contact, like the ended page (guest.routes.tsx).
 */
export class GuestLinkReplacedError extends AppError {
  constructor(readonly workspace: Workspace) {
    super('link_replaced', 410, 'guest.revoked_title')
  }
}
