import { AppError } from '../shared/errors'

/** Another member of the workspace already signs in with this email. */
export const emailTaken = () =>
  new AppError('email_taken', 422, 'error.validation', [
    { field: 'email', problem: 'team.email_taken' },
  ])

/** An invitation, reset or email-change link that is unknown, used or past its time. */
export const linkInvalid = () => new AppError('link_invalid', 410, 'team.link_invalid')

/** The change would leave the workspace without an owner. */
export const lastOwner = () => new AppError('last_owner', 409, 'team.last_owner')

/** A member can't do this to themselves (remove themselves, change their own role). */
export const notSelf = () => new AppError('not_self', 409, 'team.not_self')

/** The current password given to confirm a change is wrong. */
export const wrongPassword = () =>
  new AppError('wrong_password', 422, 'error.validation', [
    { field: 'current_password', problem: 'team.wrong_password' },
  ])

/** A two-factor code (TOTP or recovery code) that doesn't match. */
export const badCode = () =>
  new AppError('bad_code', 422, 'error.validation', [{ field: 'code', problem: 'team.bad_code' }])

/** Two-factor sign-in can't be turned off: the workspace requires it. */
export const twoFactorRequired = () => new AppError('2fa_required', 409, 'team.2fa_required')

/** The sign-in's two-factor step expired, was used up or never existed: sign in again. */
export const challengeGone = () => new AppError('challenge_gone', 410, 'team.link_invalid')
