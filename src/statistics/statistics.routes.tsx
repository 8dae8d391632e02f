import { Hono } from 'hono'
import { requireAuth, type AppEnv } from '../http'
import { parseInput } from '../shared/validation'
import { statusLabel } from '../shared/i18n'
import { statusLabels } from '../boards/boards.labels'
import { BOARD_STATUSES } from '../boards/boards.rules'
import { ACTIVITY_SERIES, numberFormat, StatisticsPage } from '../../views/statistics/page'
import { statisticsQuerySchema } from './statistics.schemas'
import { getStatistics } from './statistics.usecases'

/** 統計 (Statistics), mounted at /w/:slug/stats: every member may read it. */
export function statisticsRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/', async (c) => {
    const auth = requireAuth(c)
    const t = c.get('t')
    const locale = c.get('locale')
    const query = parseInput(statisticsQuerySchema, c.req.query())
    const [stats, charts] = await Promise.all([
      getStatistics({
        deps: c.get('deps'),
        workspace: auth.workspace,
        kind: query.period,
        from: query.from,
        to: query.to,
      }),
      // Plot and its DOM are read on first use only (see statistics.charts.ts).
      import('./statistics.charts'),
    ])
    const labels = statusLabels(auth.workspace.status_labels)
    const format = numberFormat(locale).format
    const series = ACTIVITY_SERIES.map((one) => ({
      key: one.key,
      colour: one.colour,
      label: t(`stats.${one.key}`),
      values: stats[one.key],
    }))
    const dayLabels = stats.days.map((day) =>
      locale === 'ja' ? `${Number(day.slice(5, 7))}/${Number(day.slice(8))}` : day.slice(5),
    )
    const activity = (width: number, height: number, labels: number) =>
      charts.stackedDailyBars({
        days: stats.days,
        dayLabels,
        series,
        width,
        height,
        labelEvery: Math.max(1, Math.ceil(stats.days.length / labels)),
        format,
        label: t('stats.chart_activity'),
      })
    return c.html(
      <StatisticsPage
        t={t}
        locale={locale}
        auth={auth}
        stats={stats}
        labels={labels}
        charts={{
          activityWide: activity(760, 260, 10),
          activityNarrow: activity(360, 220, 5),
          status: charts.categoryBars({
            categories: BOARD_STATUSES.map((status) => ({
              label: statusLabel(t, status, labels),
              value: stats.statusNow[status],
            })),
            width: 420,
            format,
            colour: '#2563eb',
            label: t('stats.chart_status'),
          }),
        }}
      />,
    )
  })

  return routes
}
