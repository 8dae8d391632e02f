import type { BoardRow } from '../db/schema'
import type { AppContext } from '../http'
import { requireAuth } from '../http'
import { loadThread } from '../messages/messages.usecases'
import { listBoardAttachments } from '../attachments/attachments.usecases'
import { createTemplatesRepository } from '../templates/templates.repository'
import { DEFAULT_DECISION_BODY, listTemplateSets } from '../templates/templates.usecases'
import { statusLabels } from '../../views/boards/list'
import type { BoardPageProps } from '../../views/boards/board'

/** Everything the staff board page (and its fragments) renders from. */
export async function boardPageProps(c: AppContext, board: BoardRow): Promise<BoardPageProps> {
  const deps = c.get('deps')
  const auth = requireAuth(c)
  const [{ thread, decision }, templateSets, decisionTemplate, attachments] = await Promise.all([
    loadThread({ deps, board }),
    listTemplateSets({ deps, workspace: auth.workspace }),
    createTemplatesRepository(deps).findDecisionTemplate(auth.workspace.id),
    listBoardAttachments({ deps, boardId: board.id, audience: 'member' }),
  ])
  return {
    attachments,
    t: c.get('t'),
    locale: c.get('locale'),
    auth,
    board,
    thread,
    decision,
    templateSets,
    decisionTemplate: decisionTemplate
      ? { id: decisionTemplate.id, body: decisionTemplate.body }
      : { id: null, body: DEFAULT_DECISION_BODY[auth.workspace.locale] },
    labels: statusLabels(auth.workspace.status_labels),
    now: deps.clock.now().getTime(),
  }
}
