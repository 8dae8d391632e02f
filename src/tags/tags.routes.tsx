import { Hono } from 'hono'
import { requireMember } from '../auth/auth.middleware'
import { isHtmx, readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { AppError, type FieldProblem } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { getBoard } from '../boards/boards.usecases'
import { boardPageProps } from '../boards/boards.page'
import { SidePanel } from '../../views/boards/board'
import { BoardTagsHead } from '../../views/tags/panel'
import { TagSettingsPage } from '../../views/tags/settings'
import {
  boardTagFormSchema,
  categoryFormSchema,
  mergeFormSchema,
  tagFormSchema,
} from './tags.schemas'
import {
  changeBoardTags,
  createCategory,
  deleteCategory,
  deleteTag,
  listCategories,
  listTags,
  mergeTag,
  renameCategory,
  updateTag,
} from './tags.usecases'

/** A board's tags from its side panel: add (one or several names) and remove. */
export function boardTagsRoutes() {
  const routes = new Hono<AppEnv>()
  for (const action of ['add', 'remove'] as const) {
    routes.post(action === 'add' ? '/:id/tags' : '/:id/tags/remove', async (c) => {
      const deps = c.get('deps')
      const auth = requireAuth(c)
      const boardId = c.req.param('id')
      const board = await getBoard({ deps, workspace: auth.workspace, boardId })
      let problems: FieldProblem[] | undefined
      try {
        const { tag } = parseInput(boardTagFormSchema, await readForm(c))
        await changeBoardTags({
          deps,
          workspace: auth.workspace,
          boardId: board.id,
          add: action === 'add' ? tag : [],
          remove: action === 'remove' ? tag : [],
        })
      } catch (error) {
        if (!(error instanceof AppError) || error.status !== 422) throw error
        problems = error.details.map((detail) => ({ ...detail, field: 'tag' }))
      }
      if (!isHtmx(c) && !problems)
        return c.redirect(`/w/${auth.workspace.slug}/boards/${board.id}`, 303)
      const props = await boardPageProps(c, board)
      return c.html(
        <>
          <SidePanel {...props} problems={problems} />
          <BoardTagsHead {...props} oob />
        </>,
        problems ? 422 : 200,
      )
    })
  }
  return routes
}

/** 設定 → タグ: the workspace's tags and categories (admins). */
export function tagSettingsRoutes() {
  const routes = new Hono<AppEnv>()
  const admin = requireMember({ role: 'admin' })

  const page = async (
    c: AppContext,
    extra: { problems?: FieldProblem[]; notice?: string; failedId?: string } = {},
    status: 200 | 422 = 200,
  ) => {
    const auth = requireAuth(c)
    const deps = c.get('deps')
    const [tags, categories] = await Promise.all([
      listTags(deps, auth.workspace),
      listCategories(deps, auth.workspace),
    ])
    c.header('Cache-Control', 'no-store')
    return c.html(
      <TagSettingsPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        tags={tags}
        categories={categories}
        notice={extra.notice ?? noticeOf(c)}
        problems={extra.problems}
        failedId={extra.failedId}
      />,
      status,
    )
  }
  const noticeOf = (c: AppContext) => {
    const t = c.get('t')
    const done = c.req.query('done')
    return done === 'saved' ? t('tags.saved') : done === 'deleted' ? t('tags.deleted') : undefined
  }
  const back = (c: AppContext, done: string) =>
    c.redirect(`/w/${requireAuth(c).workspace.slug}/settings/tags?done=${done}`, 303)
  /** A form's 422 comes back as the page with the problem next to the form it came from. */
  const attempt = async (c: AppContext, failedId: string, run: () => Promise<Response>) => {
    try {
      return await run()
    } catch (error) {
      if (!(error instanceof AppError) || error.status !== 422) throw error
      return page(c, { problems: error.details, failedId }, 422)
    }
  }

  routes.get('/', admin, (c) => page(c))

  routes.post('/categories', admin, (c) =>
    attempt(c, 'new-category', async () => {
      const auth = requireAuth(c)
      const { name } = parseInput(categoryFormSchema, await readForm(c))
      await createCategory({ deps: c.get('deps'), workspace: auth.workspace, name })
      return back(c, 'saved')
    }),
  )

  routes.post('/categories/:categoryId', admin, (c) =>
    attempt(c, `category-${c.req.param('categoryId')}`, async () => {
      const auth = requireAuth(c)
      const { name } = parseInput(categoryFormSchema, await readForm(c))
      await renameCategory({
        deps: c.get('deps'),
        workspace: auth.workspace,
        categoryId: c.req.param('categoryId'),
        name,
      })
      return back(c, 'saved')
    }),
  )

  routes.post('/categories/:categoryId/delete', admin, async (c) => {
    const auth = requireAuth(c)
    await deleteCategory({
      deps: c.get('deps'),
      workspace: auth.workspace,
      categoryId: c.req.param('categoryId'),
    })
    return back(c, 'deleted')
  })

  routes.post('/:tagId', admin, (c) =>
    attempt(c, `tag-${c.req.param('tagId')}`, async () => {
      const auth = requireAuth(c)
      const input = parseInput(tagFormSchema, await readForm(c))
      await updateTag({
        deps: c.get('deps'),
        workspace: auth.workspace,
        tagId: c.req.param('tagId'),
        ...input,
      })
      return back(c, 'saved')
    }),
  )

  routes.post('/:tagId/merge', admin, (c) =>
    attempt(c, `tag-${c.req.param('tagId')}`, async () => {
      const auth = requireAuth(c)
      const { into } = parseInput(mergeFormSchema, await readForm(c))
      const merged = await mergeTag({
        deps: c.get('deps'),
        workspace: auth.workspace,
        tagId: c.req.param('tagId'),
        intoId: into,
      })
      return page(c, {
        notice: c.get('t')('tags.merged', {
          from: merged.from.name,
          into: merged.into.name,
          n: merged.boards,
        }),
      })
    }),
  )

  routes.post('/:tagId/delete', admin, async (c) => {
    const auth = requireAuth(c)
    await deleteTag({ deps: c.get('deps'), workspace: auth.workspace, tagId: c.req.param('tagId') })
    return back(c, 'deleted')
  })

  return routes
}
