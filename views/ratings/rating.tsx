import type { BoardStatus } from '../../src/db/schema'
import type { ShopView } from '../../src/workspaces/workspaces.view-model'
import type {
  GuestBoardView,
  StaffRatingView,
  StatusChangeView,
} from '../../src/boards/boards.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { statusLabel } from '../../src/boards/boards.labels'
import { formatDateTime } from '../../src/shared/time'
import type { RatingPrompt } from '../../src/ratings/ratings.prompt'
import {
  isLowRating,
  RATING_COMMENT_MAX,
  RATING_SCORES,
  ratingLabel,
  type RatingState,
} from '../../src/ratings/ratings.rules'
import { bracketed, FieldError } from '../components'
import type { PageProps } from '../layout'

// The customer's rating (満足度) and 「解決しました」 on the customer's page, the confirmation page
// the email's one-click links open, and what members see of both on the board and the list.

interface RatingFormProps extends PageProps {
  board: Pick<GuestBoardView, 'id'>
  question: string
  csrfToken: string
  /** the score to show chosen (the link's, the one sent back with an error, or the current) */
  score?: number
  comment?: string
  problems?: FieldProblem[]
  submitLabel: string
}

/**
 * The form: the question as the legend of a fieldset of five radio buttons, each with its
 * number and words (never an emoji alone), and an optional comment. Posts to /g/:id/rating.
 */
export function RatingForm(props: RatingFormProps) {
  const { t, locale, board } = props
  const scoreInvalid = props.problems?.some((p) => p.field === 'score')
  const commentInvalid = props.problems?.some((p) => p.field === 'comment')
  return (
    <form class="guest-rating-form" method="post" action={`/g/${board.id}/rating`}>
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      <fieldset
        class="rating-scale"
        aria-describedby={scoreInvalid ? 'score-error' : undefined}
        aria-invalid={scoreInvalid ? 'true' : undefined}
      >
        <legend class="rating-question">{props.question}</legend>
        <p class="sr-only">{t('rating.scale')}</p>
        <div class="rating-options">
          {RATING_SCORES.map((score) => (
            <label class={`rating-option rating-option-${score}`}>
              <input
                type="radio"
                name="score"
                value={String(score)}
                checked={props.score === score}
                required
              />
              <span class="rating-num" aria-hidden="true">
                {score}
              </span>
              <span class="rating-word">
                <span class="sr-only">{score} </span>
                {ratingLabel(score, locale)}
              </span>
            </label>
          ))}
        </div>
        <FieldError t={t} field="score" problems={props.problems} />
      </fieldset>
      <label for={`rating-comment-${board.id}`} class="guest-label rating-comment-label">
        {t('rating.comment_label')}
      </label>
      <p class="guest-hint rating-comment-hint" id={`rating-comment-hint-${board.id}`}>
        {t('rating.comment_hint')}
      </p>
      <textarea
        id={`rating-comment-${board.id}`}
        name="comment"
        rows={3}
        maxlength={RATING_COMMENT_MAX}
        aria-describedby={commentInvalid ? 'comment-error' : `rating-comment-hint-${board.id}`}
        aria-invalid={commentInvalid ? 'true' : undefined}
      >
        {props.comment ?? ''}
      </textarea>
      <FieldError t={t} field="comment" problems={props.problems} />
      <button type="submit" class="guest-send rating-submit">
        {props.submitLabel}
      </button>
    </form>
  )
}

/** "4 満足" and the comment, as the customer gave them. */
export function RatingSummary(
  props: PageProps & { rating: Pick<GuestBoardView['rating'], 'score' | 'comment'> },
) {
  const { t, locale, rating } = props
  if (rating.score === null) return null
  return (
    <dl class="rating-summary">
      <dt>{t('rating.yours')}</dt>
      <dd>
        <span class={`rating-chip ${isLowRating(rating.score) ? 'is-low' : ''}`}>
          {rating.score} {ratingLabel(rating.score, locale)}
        </span>
      </dd>
      {rating.comment ? (
        <>
          <dt class="sr-only">{t('rating.comment_label')}</dt>
          <dd class="rating-comment" dir="auto">
            {rating.comment}
          </dd>
        </>
      ) : null}
    </dl>
  )
}

/**
 * The customer's page, once the board is 完了 and the workspace asks: the prompt, or — once
 * rated — the thanks with the rating (changeable for 7 days behind 「評価を変更する」). Nothing
 * (an empty anchor) while the board is not done or the workspace does not ask.
 */
export function GuestRatingPanel(
  props: PageProps & {
    workspace: Pick<ShopView, 'timeZone'>
    board: Pick<GuestBoardView, 'id' | 'rating'>
    prompt: RatingPrompt | null
    /** ratingState of the board, read by the route at the page's moment */
    state: RatingState
    csrfToken: string
  },
) {
  const { t, locale, board, prompt, state } = props
  const rating = board.rating
  if (!prompt || state === 'off' || state === 'expired' || state === 'not_done') return null
  if (state === 'open') {
    return (
      <section id="rating" class="guest-rating" aria-label={prompt.question}>
        <RatingForm
          t={t}
          locale={locale}
          board={board}
          question={prompt.question}
          csrfToken={props.csrfToken}
          submitLabel={t('rating.submit')}
        />
      </section>
    )
  }
  return (
    <section id="rating" class="guest-rating is-rated" aria-labelledby="rating-thanks">
      <h2 id="rating-thanks" class="rating-thanks">
        {t('rating.thanks')}
      </h2>
      <RatingSummary t={t} locale={locale} rating={rating} />
      {state === 'changeable' && rating.changeableUntil !== null ? (
        <details class="rating-change">
          <summary>{t('rating.change')}</summary>
          <p class="guest-hint">
            {t('rating.changeable_until', {
              date: formatDateTime(rating.changeableUntil, props.workspace.timeZone, locale),
            })}
          </p>
          <RatingForm
            t={t}
            locale={locale}
            board={board}
            question={prompt.question}
            csrfToken={props.csrfToken}
            score={rating.score ?? undefined}
            comment={rating.comment ?? ''}
            submitLabel={t('rating.update')}
          />
        </details>
      ) : (
        <p class="guest-hint">{t('rating.locked_note')}</p>
      )}
    </section>
  )
}

/** 「解決しました」: shown while the board is open and not done yet. */
export function GuestSettle(
  props: PageProps & { board: Pick<GuestBoardView, 'id'>; csrfToken: string },
) {
  const { t, board } = props
  return (
    <section class="guest-settle" aria-labelledby="settle-title">
      <h2 id="settle-title" class="guest-settle-title">
        {t('settle.title')}
      </h2>
      <p class="guest-hint guest-settle-hint">{t('settle.hint')}</p>
      <form method="post" action={`/g/${board.id}/settle`}>
        <input type="hidden" name="_csrf" value={props.csrfToken} />
        <button type="submit" class="guest-settle-button">
          ✓ {t('settle.button')}
        </button>
      </form>
    </section>
  )
}

/** Who set the board's current status by hand, for members: 「お客様が完了にしました」. */
export function StatusSetBy(
  props: PageProps & {
    timeZone: string
    change: StatusChangeView | null
    status: BoardStatus
    labels: Record<string, string>
  },
) {
  const { t, locale, change } = props
  if (!change) return null
  const status = statusLabel(t, props.status, props.labels)
  const text =
    change.actorKind === 'guest'
      ? t('status_change.guest', { status })
      : t(change.actorKind === 'api' ? 'status_change.api' : 'status_change.member', {
          name: change.actorName,
          status,
        })
  return (
    <p class={`status-set-by system-line ${change.actorKind === 'guest' ? 'by-guest' : ''}`}>
      <span>{text}</span>{' '}
      <time class="muted" datetime={new Date(change.at).toISOString()}>
        {formatDateTime(change.at, props.timeZone, locale)}
      </time>
    </p>
  )
}

/** The side panel's record of the customer's rating (nothing while there is none). */
export function StaffRating(
  props: PageProps & { timeZone: string; rating: StaffRatingView | null },
) {
  const { t, locale, rating } = props
  if (!rating) return null
  return (
    <section class="rating-record" aria-labelledby="rating-record-title">
      <h3 id="rating-record-title">{t('rating.staff_title')}</h3>
      <p class="rating-record-score">
        <span class={`rating-chip ${isLowRating(rating.score) ? 'is-low' : ''}`}>
          {rating.score}/5 {ratingLabel(rating.score, locale)}
        </span>
      </p>
      {rating.comment ? (
        <blockquote class="rating-comment" dir="auto">
          {rating.comment}
        </blockquote>
      ) : null}
      <p class="muted small">
        {t('rating.staff_rated_at', {
          date: formatDateTime(rating.ratedAt, props.timeZone, locale),
        })}
        {rating.changed ? bracketed(locale, t('rating.staff_changed')).trim() : ''}
      </p>
    </section>
  )
}

/** The list's small badge next to the status: "満足度 4/5" (red for 1–2). */
export function RatingBadge(props: PageProps & { score: number | null }) {
  if (props.score === null) return null
  return (
    <span
      class={`badge badge-rating ${isLowRating(props.score) ? 'is-low' : ''}`}
      title={ratingLabel(props.score, props.locale)}
    >
      {props.t('rating.badge', { score: props.score })}
    </span>
  )
}
