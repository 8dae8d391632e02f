import { Hono } from 'hono'
import { clientAddress } from '../team/audit'
import { readForm, requireAuth, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { isLocale, translator } from '../shared/i18n'
import { parseInput } from '../shared/validation'
import { loadDecision } from '../messages/decision'
import { BoardPage } from '../../views/boards/board'
import { DecisionPrintPage } from '../../views/decision/record'
import { boardNotFound } from './boards.errors'
import { boardPageProps } from './boards.page'
import { getBoard } from './boards.usecases'
import { boardDetailsSchema, resendNotificationSchema } from './board-details.schemas'
import { correctBoardDetails, resendLastNotification } from './board-details.usecases'
import { toBoardView } from './boards.view-model'
import { toShopView } from '../workspaces/workspaces.view-model'

/**
 * Members, under /w/:slug/boards: correct a board's details (POST …/:id/details), re-send the
 * last notification to a corrected address (POST …/:id/resend-notification) and print the
 * decision record (GET …/:id/decision, ?lang=ja|en).
 */
export function boardDetailsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.post('/:id/details', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    const form = await readForm(c)
    try {
      const input = parseInput(boardDetailsSchema, form)
      const { board } = await correctBoardDetails({
        deps,
        workspace: auth.workspace,
        boardId,
        input,
        actor: { kind: 'member', memberId: auth.member.id, name: auth.member.name },
        audit: { ip: clientAddress(c) },
      })
      return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      // The board page again, the form open with what was typed and what is wrong.
      const board = await getBoard({ deps, workspace: auth.workspace, boardId })
      return c.html(
        <BoardPage
          {...await boardPageProps(c, board)}
          details={{ values: form, problems: error.details }}
        />,
        422,
      )
    }
  })

  routes.post('/:id/resend-notification', async (c) => {
    const auth = requireAuth(c)
    const { event_id } = parseInput(resendNotificationSchema, await readForm(c))
    const { board } = await resendLastNotification({
      deps: c.get('deps'),
      workspace: auth.workspace,
      boardId: c.req.param('id'),
      eventId: event_id,
      actor: { kind: 'member', memberId: auth.member.id, name: auth.member.name },
    })
    // Queued or already queued (a second click): the board shows the system line either way.
    return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
  })

  routes.get('/:id/decision', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const board = await getBoard({ deps, workspace: auth.workspace, boardId: c.req.param('id') })
    const decision = await loadDecision({ deps, board })
    if (!decision) throw boardNotFound()
    const lang = c.req.query('lang')
    const locale = isLocale(lang) ? lang : c.get('locale')
    const base = `/w/${auth.workspace.slug}/boards/${board.id}`
    return c.html(
      <DecisionPrintPage
        t={translator(locale)}
        locale={locale}
        workspace={toShopView(auth.workspace)}
        board={toBoardView(board, { now: deps.clock.now().getTime(), workspace: auth.workspace })}
        decision={decision}
        backUrl={`${base}#decision-record`}
        otherLanguageUrl={`${base}/decision?lang=${locale === 'ja' ? 'en' : 'ja'}`}
        printedAt={deps.clock.now().getTime()}
      />,
    )
  })

  return routes
}
