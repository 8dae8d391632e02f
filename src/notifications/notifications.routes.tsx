import { Hono } from 'hono'
import { isHtmx, requireAuth, type AppEnv } from '../http'
import { notFound } from '../shared/errors'
import { DevMailList, DevMailView } from '../../views/notifications/dev-mail'
import { NotificationProblems } from '../../views/notifications/problems'
import {
  listNotificationProblems,
  listRecentCustomerEmails,
  retryNotification,
} from './notifications.usecases'
import { toDevMailItem } from './dev-mail.view-model'

/** Members: a board's failed or stuck notifications, and retrying one (under /w/:slug/boards). */
export function notificationsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/:id/notifications', async (c) => {
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    const [problems, recent] = await Promise.all([
      listNotificationProblems({ deps: c.get('deps'), workspace: auth.workspace, boardId }),
      listRecentCustomerEmails({ deps: c.get('deps'), workspace: auth.workspace, boardId }),
    ])
    return c.html(
      <NotificationProblems
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth}
        boardId={boardId}
        problems={problems}
        recent={recent}
      />,
    )
  })

  routes.post('/:id/notifications/:outboxId/retry', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    await retryNotification({
      deps,
      workspace: auth.workspace,
      boardId,
      outboxId: c.req.param('outboxId'),
    })
    if (!isHtmx(c)) return c.redirect(`/w/${auth.workspace.slug}/boards/${boardId}`, 303)
    const problems = await listNotificationProblems({ deps, workspace: auth.workspace, boardId })
    return c.html(
      <NotificationProblems
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth}
        boardId={boardId}
        problems={problems}
        retried
      />,
    )
  })

  return routes
}

const parseId = (value: string) => (/^\d{1,12}$/.test(value) ? Number(value) : undefined)

function devMailQuery(c: { get(key: 'deps'): AppEnv['Variables']['deps'] }) {
  return c.get('deps').db.selectFrom('dev_mail').selectAll()
}

/**
 * The dev mailbox (mounted at /_dev only when no real transport is configured): a page listing
 * the mail, one page per mail, and the list as JSON for tests and scripts.
 */
export function devMailboxRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/mail.json', async (c) => {
    const mails = await devMailQuery(c).orderBy('id', 'desc').limit(500).execute()
    c.header('Cache-Control', 'no-store')
    return c.json(
      mails.map((mail) => ({
        id: mail.id,
        to: mail.to_address,
        from: mail.from_address,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: JSON.parse(mail.headers) as Record<string, string>,
        created_at: mail.created_at,
      })),
    )
  })

  routes.get('/mail', async (c) => {
    const mails = await devMailQuery(c).orderBy('id', 'desc').limit(500).execute()
    c.header('Cache-Control', 'no-store')
    return c.html(<DevMailList mails={mails.map(toDevMailItem)} />)
  })

  routes.get('/mail/:id', async (c) => {
    const id = parseId(c.req.param('id'))
    const mail =
      id === undefined ? undefined : await devMailQuery(c).where('id', '=', id).executeTakeFirst()
    if (!mail) throw notFound()
    c.header('Cache-Control', 'no-store')
    return c.html(<DevMailView mail={toDevMailItem(mail)} />)
  })

  // The HTML part in a sandboxed frame: mail HTML needs inline styles, so this response carries
  // its own policy (the app's security headers keep a route's own): inline styles, images, and
  // nothing else — no script, no other requests.
  routes.get('/mail/:id/html', async (c) => {
    const id = parseId(c.req.param('id'))
    const mail =
      id === undefined ? undefined : await devMailQuery(c).where('id', '=', id).executeTakeFirst()
    if (!mail) throw notFound()
    c.header(
      'Content-Security-Policy',
      "default-src 'none'; style-src 'unsafe-inline'; img-src data: https: http:; frame-ancestors 'self'; sandbox",
    )
    c.header('Cache-Control', 'no-store')
    return c.html(mail.html)
  })

  return routes
}
