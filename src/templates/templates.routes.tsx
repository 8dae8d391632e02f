import { Hono } from 'hono'
import { requireMember } from '../auth/auth.middleware'
import { readForm, requireAuth, type AppContext, type AppEnv } from '../http'
import { AppError } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { statusLabels } from '../boards/boards.labels'
import { loadBusinessHours } from '../business-hours/business-hours.usecases'
import { TemplatePreviewContent, TemplatesPage, type PreviewOf } from '../../views/templates/page'
import {
  moveSchema,
  templatePreviewSchema,
  templateSchema,
  templateSetSchema,
} from './templates.schemas'
import {
  createTemplate,
  createTemplateSet,
  deleteTemplate,
  deleteTemplateSet,
  listTemplateSets,
  moveTemplateItem,
  previewTemplate,
  renameTemplateSet,
  updateTemplate,
} from './templates.usecases'
import { toTemplateSetViews } from './templates.view-model'

/** Fills a body for the sample board of this member's preview, in their language. */
async function previewOf(c: AppContext): Promise<PreviewOf> {
  const auth = requireAuth(c)
  const t = c.get('t')
  const deps = c.get('deps')
  const now = deps.clock.now().getTime()
  const calendar = await loadBusinessHours({ deps, workspace: auth.workspace })
  return (body) =>
    previewTemplate({
      body,
      workspace: auth.workspace,
      calendar,
      memberName: auth.member.name,
      sample: {
        customerName: t('templates.sample_customer'),
        boardName: t('templates.sample_board'),
      },
      now,
    })
}

async function renderPage(c: AppContext, status: 200 | 422 = 200, problems?: AppError['details']) {
  const auth = requireAuth(c)
  const sets = await listTemplateSets({ deps: c.get('deps'), workspace: auth.workspace })
  return c.html(
    <TemplatesPage
      t={c.get('t')}
      locale={c.get('locale')}
      auth={auth}
      sets={toTemplateSetViews(sets)}
      labels={statusLabels(auth.workspace.status_labels)}
      problems={problems}
      previewOf={await previewOf(c)}
    />,
    status,
  )
}

export function templatesRoutes() {
  const routes = new Hono<AppEnv>()
  // Templates are the shop's voice: owners and admins keep them; members use them in the
  // composer (the board page), which does not come through here.
  routes.use('*', requireMember({ role: 'admin' }))

  /** Runs a change, then back to the page (303), or the page with errors (422). */
  const change =
    (run: (c: AppContext, form: Record<string, string>) => Promise<unknown>) =>
    async (c: AppContext) => {
      try {
        await run(c, await readForm(c))
      } catch (error) {
        if (error instanceof AppError && error.status === 422)
          return renderPage(c, 422, error.details)
        throw error
      }
      return c.redirect(`/w/${requireAuth(c).workspace.slug}/templates`, 303)
    }
  const ctx = (c: AppContext) => ({ deps: c.get('deps'), workspace: requireAuth(c).workspace })

  routes.get('/', (c) => renderPage(c))
  // The editor's live preview: the body being typed, filled for a sample board. Changes
  // nothing; a POST because a body can be 5,000 characters.
  routes.post('/preview', async (c) => {
    const { body } = parseInput(templatePreviewSchema, await readForm(c))
    c.header('Cache-Control', 'no-store')
    return c.html(
      <TemplatePreviewContent
        t={c.get('t')}
        locale={c.get('locale')}
        preview={(await previewOf(c))(body)}
      />,
    )
  })
  routes.post(
    '/sets',
    change((c, form) =>
      createTemplateSet({ ...ctx(c), name: parseInput(templateSetSchema, form).name }),
    ),
  )
  routes.post(
    '/sets/:setId',
    change((c, form) =>
      renameTemplateSet({
        ...ctx(c),
        setId: c.req.param('setId')!,
        name: parseInput(templateSetSchema, form).name,
      }),
    ),
  )
  routes.post(
    '/sets/:setId/delete',
    change((c) => deleteTemplateSet({ ...ctx(c), setId: c.req.param('setId')! })),
  )
  routes.post(
    '/sets/:setId/move',
    change((c, form) =>
      moveTemplateItem({
        ...ctx(c),
        kind: 'set',
        id: c.req.param('setId')!,
        direction: parseInput(moveSchema, form).direction,
      }),
    ),
  )
  routes.post(
    '/sets/:setId/templates',
    change((c, form) =>
      createTemplate({
        ...ctx(c),
        setId: c.req.param('setId')!,
        input: parseInput(templateSchema, form),
      }),
    ),
  )
  routes.post(
    '/templates/:templateId',
    change((c, form) =>
      updateTemplate({
        ...ctx(c),
        templateId: c.req.param('templateId')!,
        input: parseInput(templateSchema, form),
      }),
    ),
  )
  routes.post(
    '/templates/:templateId/delete',
    change((c) => deleteTemplate({ ...ctx(c), templateId: c.req.param('templateId')! })),
  )
  routes.post(
    '/templates/:templateId/move',
    change((c, form) =>
      moveTemplateItem({
        ...ctx(c),
        kind: 'template',
        id: c.req.param('templateId')!,
        direction: parseInput(moveSchema, form).direction,
      }),
    ),
  )

  return routes
}
