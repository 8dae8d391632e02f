import { Hono } from 'hono'
import { getBoard } from '../boards/boards.usecases'
import { requireAuth, type AppEnv } from '../http'
import { StaffAutoAnswers } from '../../views/auto-answers/notice'
import { listSentAutoAnswers } from './auto-answers.usecases'

/** Mounted at /w/:slug/boards: the board's automatic answers, loaded into its side panel. */
export function autoAnswersBoardRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/:id/auto-answers', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    // 404 for a board of another workspace, like every board route
    const board = await getBoard({ deps, workspace: auth.workspace, boardId: c.req.param('id') })
    const answers = await listSentAutoAnswers({
      deps,
      workspaceId: auth.workspace.id,
      boardId: board.id,
    })
    return c.html(
      <StaffAutoAnswers
        locale={c.get('locale')}
        timeZone={auth.workspace.time_zone}
        answers={answers}
      />,
    )
  })

  return routes
}
