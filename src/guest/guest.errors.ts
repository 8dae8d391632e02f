import { AppError } from '../shared/errors'

/** Wrong link, revoked link, foreign cookie and unknown board all look the same. */
export const guestNotFound = () => new AppError('not_found', 404, 'error.not_found')

/** A closed board stays readable for the customer, but takes no new posts. */
export const guestBoardClosed = () => new AppError('board_closed', 403, 'field.board_closed')

/** Past its expiry the board is gone for the customer; the route renders the shop's contact. */
export const guestBoardExpired = () => new AppError('board_expired', 410, 'guest.expired_title')
