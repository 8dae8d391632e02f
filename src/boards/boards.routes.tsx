import { postWelcome } from '../welcome/welcome.usecases'
import { Hono } from 'hono'
import { isHtmx, readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { listViewTabs } from '../saved-views/saved-views.usecases'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { BoardListPage, BoardTable, type ViewFormState } from '../../views/boards/list'
import { statusLabels } from './boards.labels'
import {
  BoardPage,
  ComposerTemplates,
  HeaderStatus,
  Poller,
  SidePanel,
  BoardAlerts,
  Thread,
  ThreadItems,
} from '../../views/boards/board'
import { NewBoardPage } from '../../views/boards/new'
import { BoardTagsHead } from '../../views/tags/panel'
import { createMessagesRepository } from '../messages/messages.repository'
import { toThreadBoard, toThreadMessages } from '../messages/messages.view-model'
import { DuplicateBoardError } from './boards.errors'
import { boardPageProps } from './boards.page'
import {
  createBoardSchema,
  deleteBoardSchema,
  listBoardsSchema,
  updateBoardSchema,
  bulkFormSchema,
} from './boards.schemas'
import {
  BULK_ACTIONS,
  BULK_MAX,
  bulkSummaryKey,
  bulkUpdateBoards,
  countMatching,
  matchingBoardIds,
  type BulkAction,
} from './boards.bulk'
import { listCategories, listTags } from '../tags/tags.usecases'
import { BulkAllMatching, type BulkOptions } from '../../views/tags/bulk'
import { validationError } from '../shared/errors'
import {
  createBoardOrFail,
  getBoard,
  listBoards,
  markBoardRead,
  openBoard,
  deleteBoard,
  setBoardClosed,
  updateBoard,
  boardListFilter,
} from './boards.usecases'
import { requireMember } from '../auth/auth.middleware'
import { clientAddress } from '../team/audit'

/**
 * The board list (or, for htmx, just its table) for these filters. The full page also carries
 * the view tabs with their counts; `viewForm` reopens the "save this search" form with what was
 * wrong (a 422 from /w/:slug/views).
 */
export async function renderBoardList(
  c: AppContext,
  filters: ReturnType<typeof listBoardsSchema.parse>,
  options: { status?: 200 | 422; viewForm?: ViewFormState } = {},
) {
  const auth = requireAuth(c)
  const deps = c.get('deps')
  const tableOnly = isHtmx(c) && c.req.header('HX-Target') === 'board-table'
  const [result, tabs, bulk] = await Promise.all([
    listBoards({ deps, workspace: auth.workspace, member: auth.member, filters }),
    // the tabs without their counts: the page asks /views/counts for them once it has loaded
    tableOnly
      ? []
      : listViewTabs({ deps, workspace: auth.workspace, member: auth.member, counts: false }),
    bulkOptions(c, filters),
  ])
  const props = {
    t: c.get('t'),
    locale: c.get('locale'),
    auth,
    ...result,
    now: deps.clock.now().getTime(),
    filters,
    labels: statusLabels(auth.workspace.status_labels),
    paged: Boolean(filters.cursor),
    deleted: c.req.query('deleted') === '1',
    tabs,
    viewForm: options.viewForm,
    bulk,
  }
  return c.html(
    tableOnly ? <BoardTable {...props} /> : <BoardListPage {...props} />,
    options.status ?? 200,
  )
}

/**
 * What the list's bulk form offers: members, categories and tags to pick from, where to ask how
 * many boards the filters match (only when some filter is on: "all N matching"), and the summary
 * of the action just done (?done=…, from the bulk route's redirect).
 */
async function bulkOptions(
  c: AppContext,
  filters: ReturnType<typeof listBoardsSchema.parse>,
): Promise<BulkOptions> {
  const auth = requireAuth(c)
  const deps = c.get('deps')
  const t = c.get('t')
  const filtered = Boolean(filters.q || filters.status || filters.due || filters.warning)
  const [members, categories, tags] = await Promise.all([
    deps.db
      .selectFrom('members')
      .select(['id', 'name'])
      .where('workspace_id', '=', auth.workspace.id)
      .orderBy('name')
      .execute(),
    listCategories(deps, auth.workspace),
    listTags(deps, auth.workspace),
  ])
  const done = c.req.query('done')
  const changed = Number(c.req.query('changed'))
  const unchanged = Number(c.req.query('unchanged'))
  let summary: string | undefined
  if ((BULK_ACTIONS as readonly string[]).includes(done ?? '') && Number.isInteger(changed)) {
    summary = t(bulkSummaryKey(done as BulkAction), {
      n: changed,
      value: c.req.query('value') ?? '',
    })
    if (Number.isInteger(unchanged) && unchanged > 0)
      summary += t('bulk.unchanged', { n: unchanged })
  }
  return {
    members,
    categories,
    tagNames: tags.map((tag) => tag.name),
    // counted after the list has loaded (GET /boards/matching): up to BULK_MAX + 1 boards of
    // a common word is more than the list itself reads
    countable: filtered,
    max: BULK_MAX,
    summary,
  }
}

const memberActor = (member: { id: string; name: string }) =>
  ({ kind: 'member', memberId: member.id, name: member.name }) as const

export function boardsRoutes() {
  const routes = new Hono<AppEnv>()

  // One route serves the page and, for htmx, just the table.
  routes.get('/', (c) => renderBoardList(c, parseInput(listBoardsSchema, c.req.query())))

  // "all N matching" for the bulk bar, asked for by the list once it has loaded
  routes.get('/matching', async (c) => {
    const auth = requireAuth(c)
    const deps = c.get('deps')
    const filters = parseInput(listBoardsSchema, c.req.query())
    const filter = await boardListFilter({
      deps,
      workspace: auth.workspace,
      member: auth.member,
      filters,
    })
    const count = filter.ok ? await countMatching(deps, filter.query) : 0
    return c.html(<BulkAllMatching t={c.get('t')} count={count} max={BULK_MAX} />)
  })

  routes.get('/new', (c) =>
    c.html(<NewBoardPage t={c.get('t')} locale={c.get('locale')} auth={requireAuth(c)} />),
  )

  routes.post('/', async (c) => {
    const auth = requireAuth(c)
    const form = await readForm(c)
    try {
      const input = parseInput(createBoardSchema, form)
      const board = await createBoardOrFail({
        deps: c.get('deps'),
        workspace: auth.workspace,
        createdBy: auth.member.id,
        input,
      })
      await postWelcome({ deps: c.get('deps'), workspace: auth.workspace, board })
      return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
    } catch (error) {
      if (!(error instanceof AppError) || (error.status !== 422 && error.status !== 409))
        throw error
      return c.html(
        <NewBoardPage
          t={c.get('t')}
          locale={c.get('locale')}
          auth={auth}
          values={form}
          problems={error.details}
          duplicate={
            error instanceof DuplicateBoardError
              ? { id: error.existingBoardId, name: error.existingBoardName }
              : undefined
          }
        />,
        error.status,
      )
    }
  })

  // Bulk actions (issue #17.6); before /:id, which would take "bulk" for a board id.
  routes.post('/bulk', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const body = await c.req.parseBody({ all: true })
    const field = (name: string) => {
      const value = body[name]
      return typeof value === 'string' ? value : undefined
    }
    const form = parseInput(bulkFormSchema, {
      action: field('action'),
      ids: ([] as unknown[]).concat(body.ids ?? []).filter((id) => typeof id === 'string'),
      all: field('all'),
      filters: field('filters'),
      assignee: field('assignee'),
      status_to: field('status_to'),
      tag: field('tag'),
      category: field('category'),
    })
    const listFilters = parseInput(
      listBoardsSchema,
      Object.fromEntries(new URLSearchParams(form.filters)),
    )
    let boardIds = form.ids
    if (form.all) {
      const filter = await boardListFilter({
        deps,
        workspace: auth.workspace,
        member: auth.member,
        filters: listFilters,
      })
      if (!filter.ok) throw validationError([{ field: 'filters', problem: 'search.problems' }])
      boardIds = await matchingBoardIds(deps, filter.query)
    }
    const value = {
      assign: form.assignee,
      status: form.status_to,
      add_tag: form.tag,
      remove_tag: form.tag,
      category: form.category,
      close: undefined,
    }[form.action]
    const result = await bulkUpdateBoards({
      deps,
      workspace: auth.workspace,
      member: auth.member,
      boardIds,
      action: form.action,
      value,
    })
    const back = new URLSearchParams(form.filters)
    back.delete('cursor')
    back.set('done', form.action)
    back.set('changed', String(result.changed))
    back.set('unchanged', String(result.unchanged))
    if (result.value) back.set('value', result.value)
    return c.redirect(`/w/${auth.workspace.slug}/boards?${back}`, 303)
  })

  routes.get('/:id', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const after = Number(c.req.query('after'))
    if (isHtmx(c) && Number.isInteger(after) && after >= 0) {
      const board = await getBoard({ deps, workspace: auth.workspace, boardId: c.req.param('id') })
      const url = `/w/${auth.workspace.slug}/boards/${board.id}`
      // The poller: new messages are appended out of band; when the customer has read further
      // (read receipts) or a decision re-marks an older message, the whole thread is swapped.
      const readNo = Number(c.req.query('read') ?? board.guest_read_no)
      const messages = await createMessagesRepository(deps).listForBoard(board.id, {
        afterSeq: after,
      })
      const receiptsMoved = board.guest_read_no !== readNo
      if (messages.length === 0 && !receiptsMoved) {
        return c.html(<Poller url={url} afterSeq={after} readNo={board.guest_read_no} />)
      }
      if (messages.length > 0) await markBoardRead({ deps, member: auth.member, boardId: board.id })
      const props = await boardPageProps(c, board)
      const wholeThread = receiptsMoved || messages.some((message) => message.decides_no !== null)
      return c.html(
        <>
          {wholeThread ? (
            <Thread {...props} oob />
          ) : (
            <div hx-swap-oob="beforeend:#thread">
              <ThreadItems
                {...props}
                messages={toThreadMessages(messages, {
                  board: toThreadBoard(board),
                  decisionChanged: props.decision?.changedSince,
                  attachments: props.attachments,
                })}
              />
            </div>
          )}
          <SidePanel {...props} oob />
          <BoardAlerts {...props} oob />
          <HeaderStatus {...props} oob />
          <ComposerTemplates {...props} oob />
          <Poller url={url} afterSeq={messages.at(-1)?.seq ?? after} readNo={board.guest_read_no} />
        </>,
      )
    }
    const { board, readSeq } = await openBoard({
      deps,
      workspace: auth.workspace,
      member: auth.member,
      boardId: c.req.param('id'),
    })
    return c.html(<BoardPage {...await boardPageProps(c, board)} readSeq={readSeq} />)
  })

  routes.post('/:id', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    try {
      const input = parseInput(updateBoardSchema, await readForm(c))
      const board = await updateBoard({
        deps,
        workspace: auth.workspace,
        boardId,
        input,
        actor: memberActor(auth.member),
      })
      if (!isHtmx(c)) return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
      const props = await boardPageProps(c, board)
      return c.html(
        <>
          <SidePanel {...props} saved />
          <BoardTagsHead {...props} oob />
          <BoardAlerts {...props} oob />
          <HeaderStatus {...props} oob />
          {/* the next contact date may have changed what the templates can fill */}
          <ComposerTemplates {...props} oob />
        </>,
      )
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      const board = await getBoard({ deps, workspace: auth.workspace, boardId })
      return c.html(<SidePanel {...await boardPageProps(c, board)} problems={error.details} />, 422)
    }
  })

  // Owners only: a deleted board can't be brought back (the audit log keeps that it was).
  routes.post('/:id/delete', requireMember({ role: 'owner' }), async (c) => {
    const auth = requireAuth(c)
    parseInput(deleteBoardSchema, await readForm(c))
    await deleteBoard({
      deps: c.get('deps'),
      workspace: auth.workspace,
      boardId: c.req.param('id'),
      audit: { actor: { id: auth.member.id, name: auth.member.name }, ip: clientAddress(c) },
    })
    return c.redirect(`/w/${auth.workspace.slug}/boards?deleted=1`, 303)
  })

  for (const action of ['close', 'reopen'] as const) {
    routes.post(`/:id/${action}`, async (c) => {
      const auth = requireAuth(c)
      const board = await setBoardClosed({
        deps: c.get('deps'),
        workspace: auth.workspace,
        boardId: c.req.param('id'),
        closed: action === 'close',
        actor: memberActor(auth.member),
      })
      return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
    })
  }

  return routes
}
