import type { BoardRow } from '../db/schema'
import type { AppContext } from '../http'
import { requireAuth } from '../http'
import { loadDecision } from '../messages/decision'
import { createMessagesRepository } from '../messages/messages.repository'
import { threadKey, toThreadBoard, toThreadMessages } from '../messages/messages.view-model'
import { listBoardAttachments } from '../attachments/attachments.usecases'
import { DEFAULT_DECISION_BODY, listTemplateSets } from '../templates/templates.usecases'
import { statusLabels } from './boards.labels'
import { toBoardEventViews, toBoardView, toStatusChangeView } from './boards.view-model'
import { toTemplateSetViews } from '../templates/templates.view-model'
import { toBoardMembers } from '../mentions/mentions.view-model'
import { createBoardEventsRepository } from './board-events.repository'
import { resendOffer } from './board-details.usecases'
import type { BoardPageProps, ComposerProps } from '../../views/boards/board'
import { fragmentCache } from '../../views/fragments'
import { whoSetStatus } from '../ratings/ratings.usecases'
import { calendarFor, composeNextContact } from '../next-contact/next-contact.usecases'
import type { FieldProblem } from '../shared/errors'
import { listCategories, listTags, tagsOfBoard } from '../tags/tags.usecases'

type ComposerOptions = {
  /** a refused post's fields and problems, shown again in the composer */
  composer?: { values: Record<string, string>; problems: FieldProblem[] }
}

/**
 * What the staff composer (and its template buttons) renders from: templates, members for
 * mentions, the next-contact box. A post answers with a fresh composer only, so it reads none
 * of the thread (a board of 400 messages would otherwise be loaded and mapped on every post).
 */
export async function composerProps(
  c: AppContext,
  board: BoardRow,
  options: ComposerOptions = {},
): Promise<ComposerProps> {
  const deps = c.get('deps')
  const auth = requireAuth(c)
  const now = deps.clock.now().getTime()
  const [templateSets, calendar, members] = await Promise.all([
    listTemplateSets({ deps, workspace: auth.workspace }),
    // the composer's next-contact box reads its text with it (empty on a fresh page: no read)
    calendarFor({
      deps,
      workspace: auth.workspace,
      text: options.composer?.values.body ?? '',
      checkDates: true,
    }),
    deps.db
      .selectFrom('members')
      .select(['id', 'name', 'email', 'name_kana'])
      .where('workspace_id', '=', auth.workspace.id)
      .orderBy('name')
      .execute(),
  ])
  // Sets and templates come in display order: the first decision template is the workspace's.
  const decisionTemplate = templateSets
    .flatMap((set) => set.templates)
    .find((template) => template.kind === 'decision')
  return {
    t: c.get('t'),
    locale: c.get('locale'),
    auth: auth.view,
    board: toBoardView(board, { now, workspace: auth.workspace }),
    templateSets: toTemplateSetViews(templateSets),
    decisionTemplate: decisionTemplate
      ? { id: decisionTemplate.id, body: decisionTemplate.body }
      : { id: null, body: DEFAULT_DECISION_BODY[auth.workspace.locale] },
    labels: statusLabels(auth.workspace.status_labels),
    now,
    calendar,
    members: toBoardMembers(members),
    composer: options.composer,
    // the composer's next-contact box as it first renders (a refused post's errors are shown
    // by the composer itself)
    nextContact: {
      ...composeNextContact({
        form: options.composer?.values ?? {},
        workspace: auth.workspace,
        board,
        now: new Date(now),
        calendar,
      }),
      problems: [],
    },
  }
}

/**
 * Everything the staff board page (and its fragments) renders from: the composer's part
 * (composerProps) and the rest. The thread's messages and files are loaded only when its markup
 * is not kept already (or `rows` asks for them).
 */
export async function boardPageProps(
  c: AppContext,
  board: BoardRow,
  options: ComposerOptions & { rows?: boolean } = {},
): Promise<BoardPageProps> {
  const deps = c.get('deps')
  const auth = requireAuth(c)
  const locale = c.get('locale')
  const decision = await loadDecision({ deps, board })
  const decisionChanged = decision?.changedSince
  const threadBoard = toThreadBoard(board)
  const keptThreadKey = threadKey(
    { board: threadBoard, decisionChanged },
    { locale, timeZone: auth.workspace.time_zone, slug: auth.workspace.slug },
  )
  const threadHtml = options.rows ? undefined : fragmentCache.peek(keptThreadKey)
  const [composer, thread, attachments, statusSetBy, events, offer, tags, allTags, categories] =
    await Promise.all([
      composerProps(c, board, options),
      threadHtml === undefined ? createMessagesRepository(deps).listForBoard(board.id) : null,
      threadHtml === undefined
        ? listBoardAttachments({ deps, boardId: board.id, audience: 'member' })
        : undefined,
      whoSetStatus({ deps, board }),
      // system lines (corrected details, re-sends) live in the thread's markup
      threadHtml === undefined
        ? createBoardEventsRepository(deps).listForBoard(auth.workspace.id, board.id)
        : undefined,
      resendOffer(deps, board),
      tagsOfBoard(deps, auth.workspace.id, board.id),
      listTags(deps, auth.workspace),
      listCategories(deps, auth.workspace),
    ])
  return {
    ...composer,
    attachments,
    thread:
      thread && toThreadMessages(thread, { board: threadBoard, decisionChanged, attachments }),
    threadHtml,
    threadKey: keptThreadKey,
    events: events && toBoardEventViews(events),
    resendOffer: offer,
    decision,
    statusSetBy: toStatusChangeView(statusSetBy),
    tags,
    tagNames: allTags.map((tag) => tag.name),
    categories,
  }
}
