import type { ShopView } from '../../src/workspaces/workspaces.view-model'
import type { GuestBoardView } from '../../src/boards/boards.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import type { MessageKey } from '../../src/shared/i18n'
import type { RatingPrompt } from '../../src/ratings/ratings.prompt'
import type { RatingState } from '../../src/ratings/ratings.rules'
import { GuestLayout } from '../guest/board'
import type { PageProps } from '../layout'
import { RatingForm, RatingSummary } from './rating'

/**
 * The page an email's one-click link opens (GET /g/:id/rating?score=N): the form with that
 * score chosen, nothing recorded yet. Also where a refused or invalid rating comes back, with
 * the reason (`error`) or the fields' problems.
 */
export function GuestRatingPage(
  props: PageProps & {
    workspace: Pick<ShopView, 'name'>
    board: Pick<GuestBoardView, 'id' | 'name' | 'rating'>
    prompt: RatingPrompt
    /** ratingState of the board, read by the route at the page's moment */
    state: RatingState
    csrfToken: string
    score?: number
    comment?: string
    problems?: FieldProblem[]
    error?: MessageKey
  },
) {
  const { t, locale, workspace, board, prompt, state } = props
  const canRate = state === 'open' || state === 'changeable'
  const notice: MessageKey | undefined =
    props.error ??
    (state === 'off'
      ? 'rating.off'
      : state === 'not_done'
        ? 'rating.not_done'
        : state === 'locked'
          ? 'rating.locked'
          : undefined)
  return (
    <GuestLayout t={t} locale={locale} title={`${t('rating.confirm_title')} · ${workspace.name}`}>
      <header class="guest-top">
        <p class="guest-shop">
          <bdi>{workspace.name}</bdi>
        </p>
        <p class="guest-board">
          <bdi>{board.name}</bdi>
        </p>
      </header>
      <main class="guest-main">
        <section class="guest-rating guest-rating-confirm">
          <h1 class="rating-confirm-title">{t('rating.confirm_title')}</h1>
          {notice ? (
            <p class="guest-notice" role="alert">
              {t(notice)}
            </p>
          ) : null}
          {board.rating.score !== null && !canRate ? (
            <RatingSummary t={t} locale={locale} rating={board.rating} />
          ) : null}
          {canRate ? (
            <>
              <p class="guest-hint rating-confirm-lead">{t('rating.confirm_lead')}</p>
              <RatingForm
                t={t}
                locale={locale}
                board={board}
                question={prompt.question}
                csrfToken={props.csrfToken}
                score={props.score ?? board.rating.score ?? undefined}
                comment={props.comment ?? board.rating.comment ?? ''}
                problems={props.problems}
                submitLabel={t(state === 'open' ? 'rating.submit' : 'rating.update')}
              />
            </>
          ) : null}
          <p class="rating-back">
            <a href={`/g/${board.id}`}>← {t('rating.back')}</a>
          </p>
        </section>
      </main>
    </GuestLayout>
  )
}
