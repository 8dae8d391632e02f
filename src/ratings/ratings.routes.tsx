import { Hono } from 'hono'
import { getCookie } from 'hono/cookie'
import { readForm, type AppContext, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import {
  boardIdParam,
  checkGuestCsrf,
  expiredPage,
  GUEST_COOKIE,
  guestHeaders,
  setGuestCookie,
  useWorkspaceLocale,
} from '../guest/guest.routes'
import { guestBoardState, openGuestLink, resolveGuest } from '../guest/guest.usecases'
import { GuestRatingPage } from '../../views/ratings/confirm'
import { toGuestBoardView } from '../boards/boards.view-model'
import { toShopView } from '../workspaces/workspaces.view-model'
import { ratingPrompt } from './ratings.prompt'
import { ratingState } from './ratings.rules'
import { ratingFormSchema } from './ratings.schemas'
import { rateBoard, settleBoard } from './ratings.usecases'

const SCORE = /^[1-5]$/

/** The customer's board from its cookie, in the workspace's language (404 without a good one). */
async function guestFrom(c: AppContext) {
  const deps = c.get('deps')
  const access = await resolveGuest({
    deps,
    boardId: boardIdParam(c),
    cookie: getCookie(c, GUEST_COOKIE),
    clientKey: c.get('clientKey'),
  })
  useWorkspaceLocale(c, access)
  return access
}

/**
 * The customer's rating and 「解決しました」 (mounted at /g, before the customer's board routes:
 * `/g/:boardId/rating` must not be read as a link secret). No GET here writes anything but the
 * link-guessing budget; every POST carries the board's form token.
 */
export function guestRatingRoutes() {
  const routes = new Hono<AppEnv>()
  routes.use('/:boardId/rating', guestHeaders)
  routes.use('/:boardId/settle', guestHeaders)
  routes.use('/:boardId/:secret/rate/:score', guestHeaders)

  // A one-click link from the email: the link's secret becomes the board cookie (as when the
  // board link is opened), then the confirmation form. Mail scanners that open every link
  // record nothing.
  routes.get('/:boardId/:secret/rate/:score', async (c) => {
    const deps = c.get('deps')
    const boardId = boardIdParam(c)
    const access = await openGuestLink({
      deps,
      boardId,
      secret: c.req.param('secret'),
      clientKey: c.get('clientKey'),
    })
    useWorkspaceLocale(c, access)
    if (guestBoardState(access.board, deps.clock.now().getTime()) === 'expired')
      return expiredPage(c, access)
    setGuestCookie(c, boardId, access.cookie)
    const score = c.req.param('score')
    return c.redirect(`/g/${boardId}/rating${SCORE.test(score) ? `?score=${score}` : ''}`, 303)
  })

  // The confirmation form, the chosen score preselected. Reads only.
  routes.get('/:boardId/rating', async (c) => {
    const deps = c.get('deps')
    const access = await guestFrom(c)
    const now = deps.clock.now().getTime()
    if (guestBoardState(access.board, now) === 'expired') return expiredPage(c, access)
    const score = c.req.query('score') ?? ''
    const prompt = await ratingPrompt({ deps, workspace: access.workspace })
    return c.html(
      <GuestRatingPage
        t={c.get('t')}
        locale={c.get('locale')}
        workspace={toShopView(access.workspace)}
        board={toGuestBoardView(access.board)}
        prompt={prompt}
        state={ratingState(access.board, prompt.on, now)}
        csrfToken={access.csrfToken}
        score={SCORE.test(score) ? Number(score) : undefined}
      />,
    )
  })

  // Records the rating (or its change); refused ones come back on the confirmation page with
  // the reason, and nothing changes.
  routes.post('/:boardId/rating', async (c) => {
    const deps = c.get('deps')
    const access = await guestFrom(c)
    const form = await readForm(c)
    checkGuestCsrf(c, form, access)
    if (guestBoardState(access.board, deps.clock.now().getTime()) === 'expired')
      return expiredPage(c, access)
    try {
      await rateBoard({ deps, access, input: parseInput(ratingFormSchema, form) })
    } catch (error) {
      if (!(error instanceof AppError)) throw error
      if (error.status === 410) return expiredPage(c, access)
      if (error.status !== 422 && error.status !== 403 && error.status !== 409) throw error
      const score = form.score ?? ''
      const prompt = await ratingPrompt({ deps, workspace: access.workspace })
      return c.html(
        <GuestRatingPage
          t={c.get('t')}
          locale={c.get('locale')}
          workspace={toShopView(access.workspace)}
          board={toGuestBoardView(access.board)}
          prompt={prompt}
          state={ratingState(access.board, prompt.on, deps.clock.now().getTime())}
          csrfToken={access.csrfToken}
          score={SCORE.test(score) ? Number(score) : undefined}
          comment={form.comment ?? ''}
          problems={error.status === 422 ? error.details : undefined}
          error={error.status === 422 ? undefined : error.key}
        />,
        error.status,
      )
    }
    return c.redirect(`/g/${access.board.id}#rating`, 303)
  })

  // 「解決しました」: the board becomes 完了, then the page asks for the rating.
  routes.post('/:boardId/settle', async (c) => {
    const deps = c.get('deps')
    const access = await guestFrom(c)
    const form = await readForm(c)
    checkGuestCsrf(c, form, access)
    try {
      await settleBoard({ deps, access })
    } catch (error) {
      if (error instanceof AppError && error.status === 410) return expiredPage(c, access)
      throw error
    }
    return c.redirect(`/g/${access.board.id}?settled=1#rating`, 303)
  })

  return routes
}
