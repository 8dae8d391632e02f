import { AppError } from '../shared/errors'

/** The workspace does not ask for ratings (設定 → 営業時間と自動応答): nothing is recorded. */
export const ratingOff = () => new AppError('rating_off', 403, 'rating.off')

/** Only a board that is 完了 (done) is rated. */
export const ratingNotDone = () => new AppError('rating_not_done', 409, 'rating.not_done')

/** The first rating is 7 days old or more: it stays as it is. */
export const ratingLocked = () => new AppError('rating_locked', 409, 'rating.locked')
