import { Hono } from 'hono'
import { auditFrom, recordAudit } from '../team/audit'
import { getCookie, setCookie } from 'hono/cookie'
import { createMiddleware } from 'hono/factory'
import { getBoard } from '../boards/boards.usecases'
import { isHtmx, readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { timingSafeEqual } from '../shared/crypto'
import { AppError, csrfFailed } from '../shared/errors'
import { translator } from '../shared/i18n'
import { parseInput } from '../shared/validation'
import { MemberLayout } from '../../views/layout'
import {
  GuestBoardPage,
  GuestComposer,
  GuestDecision,
  GuestMessageItem,
  GuestExpiredPage,
  GuestMessages,
  GuestPoller,
  type GuestPageProps,
} from '../../views/guest/board'
import {
  guestThreadKey,
  toGuestThreadBoard,
  toGuestThreadMessage,
  toGuestThreadMessages,
} from '../messages/messages.view-model'
import { fragmentCache } from '../../views/fragments'
import { toBoardView, toGuestBoardView } from '../boards/boards.view-model'
import { toShopView } from '../workspaces/workspaces.view-model'
import { ratingState } from '../ratings/ratings.rules'
import { GuestLinkPanel } from '../../views/guest/link-panel'
import { GuestLinkReplacedError, guestNotFound } from './guest.errors'
import { pendingAnswerForGuest } from '../auto-answers/auto-answers.usecases'
import { GuestAutoAnswer } from '../../views/auto-answers/notice'
import { listBoardAttachments } from '../attachments/attachments.usecases'
import { guestUrl } from './guest.link'
import { loadDecision } from '../messages/decision'
import { DecisionPrintPage } from '../../views/decision/record'
import { createGuestRepository } from './guest.repository'
import { isLocale } from '../shared/i18n'
import { ratingPrompt } from '../ratings/ratings.prompt'
import { guestMessageSchema } from './guest.schemas'
import {
  guestBoardState,
  openGuestLink,
  openGuestThread,
  postGuestMessage,
  readGuestThread,
  reissueGuestLink,
  resolveGuest,
  type GuestAccess,
} from './guest.usecases'

export const GUEST_COOKIE = 'ob_guest'
const GUEST_COOKIE_MAX_AGE = 90 * 24 * 60 * 60

// Board ids are UUIDs; anything else is not a board, and never ends up in a cookie path.
const BOARD_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * Every customer answer: no referrer (the link must not leak to sites the customer follows),
 * no caching (a shared device must not keep the thread). No request is ever logged here, and
 * no error message carries the URL, so the secret stays out of logs.
 */
export const guestHeaders = createMiddleware<AppEnv>(async (c, next) => {
  await next()
  c.header('Referrer-Policy', 'no-referrer')
  c.header('Cache-Control', 'no-store')
})

/** The `:boardId` of a customer's path; anything that is not a board id answers 404. */
export function boardIdParam(c: AppContext) {
  const boardId = c.req.param('boardId') ?? ''
  if (!BOARD_ID.test(boardId)) throw guestNotFound()
  return boardId
}

/** The customer's pages speak the workspace's language, error pages included. */
export function useWorkspaceLocale(c: AppContext, access: Pick<GuestAccess, 'workspace'>) {
  c.set('locale', access.workspace.locale)
  c.set('t', translator(access.workspace.locale))
}

/** The customer's whole page: the thread read afresh (it marks what the customer has seen). */
async function fullPage(
  c: AppContext,
  access: GuestAccess & { csrfToken: string },
  page: Pick<GuestPageProps, 'state' | 'composer' | 'settled'>,
  status: 200 | 422 = 200,
) {
  const deps = c.get('deps')
  const locale = c.get('locale')
  const now = deps.clock.now().getTime()
  // The decision record (only on a decided board): its marker is part of the kept thread.
  const decision = await loadDecision({ deps, board: access.board })
  // The thread as rendered before, when the board says nothing in it changed since.
  const threadBoard = toGuestThreadBoard(access.board)
  const threadKey = guestThreadKey(
    { board: threadBoard, decisionChanged: decision?.changedSince },
    { locale, timeZone: access.workspace.time_zone, now },
  )
  const threadHtml = fragmentCache.peek(threadKey)
  const [{ messages }, attachments, autoAnswer, prompt] = await Promise.all([
    openGuestThread({ deps, access, kept: threadHtml !== undefined }),
    threadHtml === undefined
      ? listBoardAttachments({ deps, boardId: access.board.id, audience: 'guest' })
      : undefined,
    pendingAnswerForGuest({ deps, board: access.board }),
    // the rating is asked only on a done board: other views cost no read
    access.board.status === 'done' ? ratingPrompt({ deps, workspace: access.workspace }) : null,
  ])
  return c.html(
    <GuestBoardPage
      t={c.get('t')}
      locale={locale}
      workspace={toShopView(access.workspace)}
      board={toGuestBoardView(access.board)}
      messages={
        messages &&
        toGuestThreadMessages(messages, {
          board: threadBoard,
          decisionChanged: decision?.changedSince,
          attachments,
        })
      }
      threadHtml={threadHtml}
      threadKey={threadKey}
      csrfToken={access.csrfToken}
      autoAnswer={autoAnswer}
      decision={decision}
      ratingPrompt={prompt}
      ratingState={ratingState(access.board, prompt?.on ?? false, now)}
      now={now}
      {...page}
    />,
    status,
  )
}

/** 410: the board has ended (an open page reloads into it). */
export function expiredPage(c: AppContext, access: GuestAccess) {
  // An open page (poller, reply box) reloads into the ended page instead of failing silently.
  if (isHtmx(c)) c.header('HX-Refresh', 'true')
  return c.html(
    <GuestExpiredPage
      t={c.get('t')}
      locale={c.get('locale')}
      workspace={toShopView(access.workspace)}
    />,
    410,
  )
}

/** 410 for a link a member has replaced: the shop's name and contact, in its language. */
function replacedPage(c: AppContext, workspace: GuestAccess['workspace']) {
  useWorkspaceLocale(c, { workspace })
  if (isHtmx(c)) c.header('HX-Refresh', 'true')
  return c.html(
    <GuestExpiredPage
      t={c.get('t')}
      locale={c.get('locale')}
      workspace={toShopView(workspace)}
      reason="revoked"
    />,
    410,
  )
}

/** The board cookie that stands in for the link from now on (scoped to the board's paths). */
export function setGuestCookie(c: AppContext, boardId: string, cookie: string) {
  setCookie(c, GUEST_COOKIE, cookie, {
    path: `/g/${boardId}`,
    httpOnly: true,
    sameSite: 'Lax',
    secure: c.get('deps').config.secureCookies,
    maxAge: GUEST_COOKIE_MAX_AGE,
  })
}

/** The customer's form token, from the htmx header or the form field; refused when wrong. */
export function checkGuestCsrf(
  c: AppContext,
  form: Record<string, string>,
  access: { csrfToken: string },
) {
  const token = c.req.header('X-CSRF-Token') ?? form._csrf
  if (!token || !timingSafeEqual(token, access.csrfToken)) throw csrfFailed()
}

export function guestRoutes() {
  const routes = new Hono<AppEnv>()
  routes.use('*', guestHeaders)
  routes.onError((error, c) => {
    if (error instanceof GuestLinkReplacedError) return replacedPage(c, error.workspace)
    throw error
  })

  // The decision record's print view (one A4 page); ?lang=en|ja prints it in either language.
  // Registered before the link route, which would take `decision` for a secret.
  routes.get('/:boardId/decision', async (c) => {
    const deps = c.get('deps')
    const boardId = boardIdParam(c)
    const access = await resolveGuest({
      deps,
      boardId,
      cookie: getCookie(c, GUEST_COOKIE),
      clientKey: c.get('clientKey'),
    })
    useWorkspaceLocale(c, access)
    const now = deps.clock.now().getTime()
    if (guestBoardState(access.board, now) === 'expired') return expiredPage(c, access)
    const decision = await loadDecision({ deps, board: access.board })
    if (!decision) throw guestNotFound()
    const lang = c.req.query('lang')
    const locale = isLocale(lang) ? lang : c.get('locale')
    return c.html(
      <DecisionPrintPage
        t={translator(locale)}
        locale={locale}
        workspace={toShopView(access.workspace)}
        board={toGuestBoardView(access.board)}
        decision={decision}
        backUrl={`/g/${boardId}#decision-record`}
        otherLanguageUrl={`/g/${boardId}/decision?lang=${locale === 'ja' ? 'en' : 'ja'}`}
        printedAt={now}
      />,
    )
  })

  // The link from the email: trade the secret for a board cookie, then drop it from the URL.
  routes.get('/:boardId/:secret', async (c) => {
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
    return c.redirect(`/g/${boardId}`, 303)
  })

  // One route serves the page and the poller's fragment.
  routes.get('/:boardId', async (c) => {
    const deps = c.get('deps')
    const boardId = boardIdParam(c)
    const access = await resolveGuest({
      deps,
      boardId,
      cookie: getCookie(c, GUEST_COOKIE),
      clientKey: c.get('clientKey'),
    })
    useWorkspaceLocale(c, access)
    const t = c.get('t')
    const locale = c.get('locale')
    const state = guestBoardState(access.board, deps.clock.now().getTime())
    if (state === 'expired') return expiredPage(c, access)

    const after = Number(c.req.query('after'))
    if (isHtmx(c) && c.req.query('after') && Number.isInteger(after) && after >= 0) {
      const board = toGuestBoardView(access.board)
      const shop = toShopView(access.workspace)
      const messages = await readGuestThread({ deps, access, afterNo: after, fresh: false })
      if (messages.length === 0) return c.html(<GuestPoller board={board} afterNo={after} />)
      // A decision while the page is open: the record appears and the decided message, shown
      // earlier, gets its mark (both out of band; the reply box and its draft stay as they are).
      const decided = messages.some((message) => message.decides_no !== null)
      const decision = decided ? await loadDecision({ deps, board: access.board }) : undefined
      const attachments = await listBoardAttachments({
        deps,
        boardId: access.board.id,
        audience: 'guest',
      })
      const context = {
        board: toGuestThreadBoard(access.board),
        decisionChanged: decision?.changedSince,
        attachments,
      }
      const decidedMessage =
        decision && decision.decisionNo <= after
          ? (
              await createGuestRepository(deps).listPublicMessages(
                access.board.id,
                decision.decisionNo - 1,
              )
            )[0]
          : undefined
      return c.html(
        <>
          {decided ? (
            <GuestDecision
              t={t}
              locale={locale}
              workspace={shop}
              board={board}
              decision={decision}
              now={deps.clock.now().getTime()}
              oob
            />
          ) : null}
          {decidedMessage ? (
            <div hx-swap-oob={`outerHTML:#no-${decidedMessage.no}`}>
              <GuestMessageItem
                t={t}
                locale={locale}
                workspace={shop}
                board={board}
                message={toGuestThreadMessage(decidedMessage, context)}
                now={deps.clock.now().getTime()}
              />
            </div>
          ) : null}
          <div hx-swap-oob="beforeend:#guest-thread">
            <GuestMessages
              t={t}
              locale={locale}
              workspace={shop}
              board={board}
              messages={toGuestThreadMessages(messages, context)}
              now={deps.clock.now().getTime()}
            />
          </div>
          <GuestPoller board={board} afterNo={messages.at(-1)?.no ?? after} />
          <GuestAutoAnswer
            locale={locale}
            workspace={shop}
            answer={await pendingAnswerForGuest({ deps, board: access.board })}
            now={deps.clock.now().getTime()}
            oob
          />
        </>,
      )
    }

    return fullPage(c, access, { state, settled: c.req.query('settled') === '1' })
  })

  routes.post('/:boardId/messages', async (c) => {
    const deps = c.get('deps')
    const boardId = boardIdParam(c)
    const access = await resolveGuest({
      deps,
      boardId,
      cookie: getCookie(c, GUEST_COOKIE),
      clientKey: c.get('clientKey'),
    })
    useWorkspaceLocale(c, access)
    const t = c.get('t')
    const locale = c.get('locale')
    const form = await readForm(c)
    checkGuestCsrf(c, form, access)
    const state = guestBoardState(access.board, deps.clock.now().getTime())
    if (state === 'expired') return expiredPage(c, access)
    // Closed while the page was open: reload it read-only, with the notice.
    if (state === 'closed' && isHtmx(c)) c.header('HX-Refresh', 'true')

    try {
      const input = parseInput(guestMessageSchema, form)
      await postGuestMessage({ deps, access, input })
      await deps.hooks?.afterCommit?.('guest-post')
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      const composer = { values: { body: form.body ?? '' }, problems: error.details }
      if (isHtmx(c)) {
        return c.html(
          <GuestComposer
            t={t}
            locale={locale}
            workspace={toShopView(access.workspace)}
            board={toGuestBoardView(access.board)}
            csrfToken={access.csrfToken}
            composer={composer}
          />,
          422,
        )
      }
      return fullPage(c, access, { state: 'open', composer }, 422)
    }
    if (!isHtmx(c)) return c.redirect(`/g/${boardId}`, 303)
    // A fresh reply box; the poller picks the new message up at once.
    c.header('HX-Trigger', 'thread-changed')
    return c.html(
      <GuestComposer
        t={t}
        locale={locale}
        workspace={toShopView(access.workspace)}
        board={toGuestBoardView(access.board)}
        csrfToken={access.csrfToken}
      />,
    )
  })

  return routes
}

/** Members: show, copy and reissue a board's customer link (mounted under /w/:slug/boards). */
export function guestLinkRoutes() {
  const routes = new Hono<AppEnv>()

  const panel = async (c: AppContext, boardId: string, reissued: boolean) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const board = await getBoard({ deps, workspace: auth.workspace, boardId })
    const props = {
      t: c.get('t'),
      locale: c.get('locale'),
      slug: auth.workspace.slug,
      timeZone: auth.workspace.time_zone,
      board: toBoardView(board, { now: deps.clock.now().getTime(), workspace: auth.workspace }),
      url: await guestUrl(deps.config, board),
      csrfToken: auth.csrfToken,
      reissued,
    }
    c.header('Cache-Control', 'no-store')
    c.header('Referrer-Policy', 'no-referrer')
    if (isHtmx(c)) return c.html(<GuestLinkPanel {...props} />)
    return c.html(
      <MemberLayout
        t={props.t}
        locale={props.locale}
        auth={auth}
        title={board.name}
        active="boards"
      >
        <p>
          <a class="back" href={`/w/${auth.workspace.slug}/boards/${board.id}`}>
            ← <bdi>{board.name}</bdi>
          </a>
        </p>
        <GuestLinkPanel {...props} />
      </MemberLayout>,
    )
  }

  routes.get('/:id/guest-link', (c) => panel(c, c.req.param('id'), false))

  routes.post('/:id/guest-link/reissue', async (c) => {
    const auth = requireAuth(c)
    const board = await reissueGuestLink({
      deps: c.get('deps'),
      workspace: auth.workspace,
      boardId: c.req.param('id'),
    })
    await recordAudit(c.get('deps'), auditFrom(c, 'guest_link.reissued', board.name))
    if (!isHtmx(c)) return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
    return panel(c, board.id, true)
  })

  return routes
}
