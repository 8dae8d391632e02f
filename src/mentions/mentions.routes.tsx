import { Hono } from 'hono'
import { requireMember } from '../auth/auth.middleware'
import { requireAuth, type AppEnv } from '../http'
import { MentionsPage } from '../../views/mentions/page'
import { createMentionsRepository } from './mentions.repository'
import { toMentionItem } from './mentions.view-model'

/** メンション, mounted at /w/:slug/mentions (issue #17): any member, their own mentions only. */
export function mentionsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/', requireMember({ role: 'member' }), async (c) => {
    const auth = requireAuth(c)
    const repository = createMentionsRepository(c.get('deps'))
    const [mentions, members] = await Promise.all([
      repository.listForMember(auth.workspace.id, auth.member.id, 100),
      repository.mentionable(auth.workspace.id),
    ])
    return c.html(
      <MentionsPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        mentions={mentions.map(toMentionItem)}
        members={members}
      />,
    )
  })

  return routes
}
