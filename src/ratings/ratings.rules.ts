// Pure rules of the customer's rating (満足度, DESIGN.md §1; issue #18). No I/O here.
import type { BoardRow, Locale } from '../db/schema'
import { DAY_MS, isExpired } from '../boards/boards.rules'

/** The five points of the scale, worst first. */
export const RATING_SCORES = [1, 2, 3, 4, 5] as const
export type RatingScore = (typeof RATING_SCORES)[number]

/** A rating may be changed for this long after the customer first gave one. */
export const RATING_CHANGE_DAYS = 7
export const RATING_CHANGE_MS = RATING_CHANGE_DAYS * DAY_MS

/** At or below this score the assignee (or, with none, every member) is told at once. */
export const LOW_RATING_MAX = 2

/** The longest comment the customer may leave with a rating. */
export const RATING_COMMENT_MAX = 2000

const LABELS: Record<Locale, Record<RatingScore, string>> = {
  ja: { 1: 'とても不満', 2: '不満', 3: 'ふつう', 4: '満足', 5: 'とても満足' },
  en: {
    1: 'Very dissatisfied',
    2: 'Dissatisfied',
    3: 'Neutral',
    4: 'Satisfied',
    5: 'Very satisfied',
  },
}

/** The words of one point of the scale ("4 満足" is `${score} ${ratingLabel(...)}`). */
export function ratingLabel(score: number, locale: Locale): string {
  return LABELS[locale][score as RatingScore] ?? String(score)
}

export function isRatingScore(value: unknown): value is RatingScore {
  return typeof value === 'number' && (RATING_SCORES as readonly number[]).includes(value)
}

export const isLowRating = (score: number) => score <= LOW_RATING_MAX

/**
 * Where a board stands for the customer's rating at instant `now` (epoch ms):
 * - `off`: the workspace does not ask (設定 → 営業時間と自動応答);
 * - `expired`: past the board's expiry, nothing is taken;
 * - `not_done`: only a board that is 完了 (done) is rated;
 * - `open`: done and not rated yet;
 * - `changeable`: rated, and the first rating is less than 7 days old;
 * - `locked`: rated 7 days ago or more; the rating stays as it is.
 */
export type RatingState = 'off' | 'expired' | 'not_done' | 'open' | 'changeable' | 'locked'

export function ratingState(
  board: Pick<BoardRow, 'status' | 'expires_at' | 'first_rated_at'>,
  ratingOn: boolean,
  now: number,
): RatingState {
  if (!ratingOn) return 'off'
  if (isExpired(board.expires_at, now)) return 'expired'
  if (board.status !== 'done') return 'not_done'
  if (board.first_rated_at === null) return 'open'
  return now < board.first_rated_at + RATING_CHANGE_MS ? 'changeable' : 'locked'
}

/** The last instant a rating first given at `firstRatedAt` may still be changed (exclusive). */
export const ratingChangeableUntil = (firstRatedAt: number) => firstRatedAt + RATING_CHANGE_MS

/** The board's rating as the API and the webhooks show it, or null. Times are ISO 8601 UTC. */
export function presentRating(
  board: Pick<BoardRow, 'rating_score' | 'rating_comment' | 'rated_at'>,
): { score: number; comment: string | null; rated_at: string } | null {
  if (board.rating_score === null || board.rated_at === null) return null
  return {
    score: board.rating_score,
    comment: board.rating_comment,
    rated_at: new Date(board.rated_at).toISOString(),
  }
}
