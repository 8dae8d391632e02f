import { Hono } from 'hono'
import { requireAuth, type AppEnv } from '../http'
import { parseInput } from '../shared/validation'
import { statusLabels } from '../boards/boards.labels'
import { StatisticsPage } from '../../views/statistics/page'
import { statisticsQuerySchema } from './statistics.schemas'
import { getStatistics } from './statistics.usecases'

/** 統計 (Statistics), mounted at /w/:slug/stats: every member may read it. */
export function statisticsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/', async (c) => {
    const auth = requireAuth(c)
    const query = parseInput(statisticsQuerySchema, c.req.query())
    const stats = await getStatistics({
      deps: c.get('deps'),
      workspace: auth.workspace,
      kind: query.period,
      from: query.from,
      to: query.to,
      memberId: query.member,
      categoryId: query.category,
      tagId: query.tag,
    })
    return c.html(
      <StatisticsPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        stats={stats}
        labels={statusLabels(auth.workspace.status_labels)}
      />,
    )
  })

  return routes
}
