import { AppError } from '../shared/errors'

/** Unknown email or wrong password: the same answer for both, so neither is revealed. */
export const invalidLogin = () => new AppError('invalid_login', 401, 'login.failed')

/** The language switch got a locale Orderboard doesn't speak. */
export const unknownLocale = () => new AppError('validation_failed', 422, 'field.invalid_choice')
