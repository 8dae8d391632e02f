import type { BoardRow } from '../db/schema'
import type { AppContext } from '../http'
import { requireAuth } from '../http'
import { loadThread } from '../messages/messages.usecases'
import { listBoardAttachments } from '../attachments/attachments.usecases'
import { DEFAULT_DECISION_BODY, listTemplateSets } from '../templates/templates.usecases'
import { statusLabels } from '../../views/boards/list'
import type { BoardPageProps } from '../../views/boards/board'

/** Everything the staff board page (and its fragments) renders from. */
export async function boardPageProps(c: AppContext, board: BoardRow): Promise<BoardPageProps> {
  const deps = c.get('deps')
  const auth = requireAuth(c)
  const [{ thread, decision }, templateSets, attachments] = await Promise.all([
    loadThread({ deps, board }),
    listTemplateSets({ deps, workspace: auth.workspace }),
    listBoardAttachments({ deps, boardId: board.id, audience: 'member' }),
  ])
  // Sets and templates come in display order: the first decision template is the workspace's.
  const decisionTemplate = templateSets.flatMap((set) => set.templates).find((template) => template.kind === 'decision')
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
