// 保存した検索 (issue #17.5): the tabs above the board list, their counts, and saving, renaming
// and deleting a member's own or the workspace's shared views.
import type { Member, SavedViewRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { roleAtLeast } from '../auth/auth.middleware'
import { BOARD_FILTER_CLAUSES, type BoardListBuilder } from '../boards/boards.repository'
import { forbidden, notFound, validationError } from '../shared/errors'
import { planList } from '../shared/list-filter'
import { searchFor } from '../search/search.usecases'
import type { SearchProblem } from '../search/search.query'
import type { MessageKey } from '../shared/i18n'
import { BUILT_IN_VIEWS, type BuiltInView } from './saved-views.rules'
import { createSavedViewsRepository } from './saved-views.repository'
import { tooManyViews } from './saved-views.errors'
import type { CreateViewInput } from './saved-views.schemas'

/** One tab above the board list. */
export type ViewTab =
  | {
      kind: 'built-in'
      key: BuiltInView['key']
      label: MessageKey
      query: string
      count?: number | null
    }
  | {
      kind: 'shared' | 'personal'
      id: string
      name: string
      query: string
      /** null: its search can't run any more (a member it names was removed) */
      count?: number | null
      /** whether this member may rename and delete it */
      canManage: boolean
    }

/** Shared views are the workspace's: admins and owners manage them; members their own only. */
const canManage = (member: Member, view: SavedViewRow) =>
  view.owner_member_id === null
    ? roleAtLeast(member.role, 'admin')
    : view.owner_member_id === member.id

/**
 * How many boards of the workspace a search finds, with the list's very filters: one
 * `count(*)` query (the filters lead with workspace_id, so each uses a boards index).
 * Null when the search can't run (its problems are the list's to show).
 */
export async function countBoards({
  deps,
  workspace,
  member,
  query,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  query: string
}): Promise<number | null> {
  const found = await searchFor(deps, query, {
    workspaceId: workspace.id,
    timeZone: workspace.time_zone,
    now: deps.clock.now().getTime(),
    memberId: member.id,
    includeInternal: true,
  })
  if (!found.ok) return null
  const plan = planList(BOARD_FILTER_CLAUSES, {
    workspaceId: workspace.id,
    memberId: member.id,
    search: found.search,
    sort: 'activity',
    limit: 0,
  })
  const builder = deps.db.selectFrom('boards as b').select((eb) => eb.fn.countAll<number>().as('n'))
  const row = await (
    plan.apply(builder as unknown as BoardListBuilder, plan.values) as unknown as typeof builder
  ).executeTakeFirst()
  return Number(row?.n ?? 0)
}

/**
 * The member's tabs: the four built-in views, the workspace's shared views, then their own,
 * each with its count (one count query per tab, run side by side) unless `counts` is false.
 */
export async function listViewTabs({
  deps,
  workspace,
  member,
  counts = true,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  /** false: no count queries (the list page renders the tabs first, their counts come after) */
  counts?: boolean
}): Promise<ViewTab[]> {
  const views = await createSavedViewsRepository(deps).listFor(workspace.id, member.id)
  const count = (query: string) =>
    counts ? countBoards({ deps, workspace, member, query }) : Promise.resolve(undefined)
  const [builtIn, saved] = await Promise.all([
    Promise.all(BUILT_IN_VIEWS.map((view) => count(view.query))),
    Promise.all(views.map((view) => count(view.query))),
  ])
  return [
    ...BUILT_IN_VIEWS.map((view, i): ViewTab => ({
      kind: 'built-in',
      ...view,
      count: counts ? (builtIn[i] ?? null) : undefined,
    })),
    ...views.map((view, i): ViewTab => ({
      kind: view.owner_member_id === null ? 'shared' : 'personal',
      id: view.id,
      name: view.name,
      query: view.query,
      count: counts ? (saved[i] ?? null) : undefined,
      canManage: canManage(member, view),
    })),
  ]
}

/** A search that can't run is not saved: its first problem, on the field `q`. */
function searchProblemError(problems: SearchProblem[]) {
  const problem = problems[0]!
  return validationError([
    { field: 'q', problem: problem.code, params: { term: problem.term, hint: problem.hint ?? '' } },
  ])
}

/**
 * Saves a search as a view: personal, or shared (admins and owners only: 403 otherwise). The
 * search must run (422 naming its problem); at most MAX_VIEWS each (422 `views.too_many`).
 */
export async function createView({
  deps,
  workspace,
  member,
  input,
}: {
  deps: Deps
  workspace: Workspace
  member: Member
  input: CreateViewInput
}): Promise<SavedViewRow> {
  if (input.shared && !roleAtLeast(member.role, 'admin')) throw forbidden()
  const found = await searchFor(deps, input.q, {
    workspaceId: workspace.id,
    timeZone: workspace.time_zone,
    now: deps.clock.now().getTime(),
    memberId: member.id,
    includeInternal: true,
  })
  if (!found.ok) throw searchProblemError(found.problems)
  const now = deps.clock.now().getTime()
  const view: SavedViewRow = {
    id: deps.ids.id(),
    workspace_id: workspace.id,
    owner_member_id: input.shared ? null : member.id,
    name: input.name,
    query: input.q,
    created_by: member.id,
    created_at: now,
    updated_at: now,
  }
  if (!(await createSavedViewsRepository(deps).insert(view))) throw tooManyViews()
  return view
}

/**
 * The view to rename or delete: 404 when this member can't see it (another workspace's, another
 * member's personal one), 403 when they see it but may not manage it (a shared view, a member).
 */
async function viewToManage(deps: Deps, workspace: Workspace, member: Member, viewId: string) {
  const view = await createSavedViewsRepository(deps).findVisible(workspace.id, member.id, viewId)
  if (!view) throw notFound()
  if (!canManage(member, view)) throw forbidden()
  return view
}

/** Renames a view (see viewToManage for who may). */
export async function renameView(args: {
  deps: Deps
  workspace: Workspace
  member: Member
  viewId: string
  name: string
}): Promise<SavedViewRow> {
  const view = await viewToManage(args.deps, args.workspace, args.member, args.viewId)
  await createSavedViewsRepository(args.deps).rename(
    args.workspace.id,
    view.id,
    args.name,
    args.deps.clock.now().getTime(),
  )
  return { ...view, name: args.name }
}

/** Deletes a view (see viewToManage for who may). */
export async function deleteView(args: {
  deps: Deps
  workspace: Workspace
  member: Member
  viewId: string
}): Promise<void> {
  const view = await viewToManage(args.deps, args.workspace, args.member, args.viewId)
  await createSavedViewsRepository(args.deps).remove(args.workspace.id, view.id)
}
