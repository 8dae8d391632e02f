import { Hono } from 'hono'
import { z } from 'zod'
import { readForm, requireAuth, type AppEnv } from '../http'
import { parseInput } from '../shared/validation'
import { NextContactBox, nextContactPreviewUrl } from '../../views/next-contact/preview'
import { previewNextContact, setDigestEnabled } from './next-contact.usecases'

/** Mounted at /w/:slug/boards: the composer's live preview of the next contact date. */
export function nextContactBoardRoutes() {
  const routes = new Hono<AppEnv>()

  // A POST (the whole composer form, CSRF header from htmx) that changes nothing: message text
  // can be 20,000 characters, too long for a query string.
  routes.post('/:id/next-contact/preview', async (c) => {
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    const preview = await previewNextContact({
      deps: c.get('deps'),
      workspace: auth.workspace,
      boardId,
      form: await readForm(c),
    })
    c.header('Cache-Control', 'no-store')
    return c.html(
      <NextContactBox
        t={c.get('t')}
        locale={c.get('locale')}
        url={nextContactPreviewUrl(auth.workspace.slug, boardId)}
        preview={preview}
        timeZone={auth.workspace.time_zone}
        now={c.get('deps').clock.now().getTime()}
      />,
    )
  })

  return routes
}

const digestSettingsSchema = z.object({
  digest_enabled: z.preprocess(
    (value) => value === '1' || value === 'on' || value === 'true',
    z.boolean(),
  ),
})

/** Mounted at /w/:slug/settings/digest: each member's own daily digest switch. */
export function digestSettingsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.post('/', async (c) => {
    const auth = requireAuth(c)
    const input = parseInput(digestSettingsSchema, await readForm(c))
    await setDigestEnabled({
      deps: c.get('deps'),
      workspace: auth.workspace,
      memberId: auth.member.id,
      enabled: input.digest_enabled,
    })
    return c.redirect(`/w/${auth.workspace.slug}/settings?saved=digest#daily-digest`, 303)
  })

  return routes
}
