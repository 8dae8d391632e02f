import { Hono } from 'hono'
import { readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { renderBoardList } from '../boards/boards.routes'
import { listBoardsSchema } from '../boards/boards.schemas'
import { createViewSchema, renameViewSchema } from './saved-views.schemas'
import { createView, deleteView, listViewTabs, renameView } from './saved-views.usecases'
import { ViewTabs } from '../../views/boards/list'

const listUrl = (c: AppContext, q?: string) =>
  `/w/${requireAuth(c).workspace.slug}/boards${q ? `?q=${encodeURIComponent(q)}` : ''}`

/**
 * 保存した検索, mounted at /w/:slug/views. Every member may save their own; whether they may touch
 * a shared view is the use case's check (admins and owners). Each answers 303 to the list.
 */
export function savedViewsRoutes() {
  const routes = new Hono<AppEnv>()

  // The view tabs with their counts, swapped in by the list page after it has loaded (the
  // counts cost a query each: the list itself never waits for them). Takes the list's filters,
  // to mark the open tab.
  routes.get('/counts', async (c) => {
    const auth = requireAuth(c)
    const filters = parseInput(listBoardsSchema, c.req.query())
    const tabs = await listViewTabs({
      deps: c.get('deps'),
      workspace: auth.workspace,
      member: auth.member,
    })
    return c.html(<ViewTabs t={c.get('t')} auth={auth.view} filters={filters} tabs={tabs} />)
  })

  routes.post('/', async (c) => {
    const auth = requireAuth(c)
    const form = await readForm(c)
    try {
      const input = parseInput(createViewSchema, form)
      const view = await createView({
        deps: c.get('deps'),
        workspace: auth.workspace,
        member: auth.member,
        input,
      })
      return c.redirect(listUrl(c, view.query), 303)
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      // the list as it was, with the form open and what was wrong
      const filters = parseInput(listBoardsSchema, { q: form.q ?? '' })
      return renderBoardList(c, filters, {
        status: 422,
        viewForm: { name: form.name ?? '', shared: form.shared === '1', problems: error.details },
      })
    }
  })

  routes.post('/:viewId', async (c) => {
    const auth = requireAuth(c)
    const input = parseInput(renameViewSchema, await readForm(c))
    const view = await renameView({
      deps: c.get('deps'),
      workspace: auth.workspace,
      member: auth.member,
      viewId: c.req.param('viewId'),
      name: input.name,
    })
    return c.redirect(listUrl(c, view.query), 303)
  })

  routes.post('/:viewId/delete', async (c) => {
    const auth = requireAuth(c)
    await deleteView({
      deps: c.get('deps'),
      workspace: auth.workspace,
      member: auth.member,
      viewId: c.req.param('viewId'),
    })
    return c.redirect(listUrl(c), 303)
  })

  return routes
}
