import type { BoardStatus, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { BOARD_STATUSES, DAY_MS } from '../boards/boards.rules'
import { localDate } from '../shared/time'
import type { BusinessHours } from '../business-hours/business-hours'
import { businessMsBetween, statisticsHours } from './statistics.effects'
import {
  dayBoundaries,
  periodDays,
  resolvePeriod,
  summarizeDurations,
  type DurationSummary,
  type Period,
  type PeriodKind,
} from './statistics.figures'
import { createStatisticsRepository } from './statistics.repository'

/** Everything the statistics page shows, for one workspace and period. */
export interface Statistics {
  period: Period
  /** the local days of the period, and per day how many boards were created, decided, closed */
  days: string[]
  created: number[]
  decided: number[]
  closed: number[]
  /** 'business': durations inside the workspace's business hours; 'calendar': none are set */
  basis: 'business' | 'calendar'
  /** customer's first post → first staff answer, answered within the period; ms */
  firstResponse: DurationSummary
  /** board created → first decision, decided within the period; ms */
  timeToDecision: DurationSummary
  /** boards per status now, every status present (0 when none) */
  statusNow: Record<BoardStatus, number>
  /** open boards whose next contact date has passed */
  overdueContacts: number
  /** boards whose last staff post is unread by the customer for the warning's days (null: off) */
  unreadWarnings: number | null
}

type Measured = {
  since: number | null
  at: number | null
  ms: number | null
  businessMs: number | null
}

/**
 * The durations to summarise: business-hour durations when the workspace has hours (the stored
 * one, or — for a board measured before the hours were set, or backfilled — worked out now from
 * its two stored moments), else the calendar ones.
 */
function durations(rows: Measured[], hours: BusinessHours | null): number[] {
  const values: number[] = []
  for (const row of rows) {
    if (!hours) {
      if (row.ms !== null) values.push(row.ms)
    } else if (row.businessMs !== null) {
      values.push(row.businessMs)
    } else if (row.since !== null && row.at !== null) {
      values.push(businessMsBetween(hours, row.since, row.at))
    }
  }
  return values
}

/**
 * The workspace's statistics for a period (this week, this month, or custom days in its time
 * zone). Reads only the boards' rollup columns (migrations/0015_statistics.sql) and counts of
 * boards as they are now; `now` comes from the clock.
 */
export async function getStatistics({
  deps,
  workspace,
  kind,
  from,
  to,
}: {
  deps: Deps
  workspace: Workspace
  kind: PeriodKind
  from?: string
  to?: string
}): Promise<Statistics> {
  const now = deps.clock.now().getTime()
  const today = localDate(now, workspace.time_zone)
  const period = resolvePeriod({ kind, today, from, to })
  const days = periodDays(period)
  const boundaries = dayBoundaries(days, workspace.time_zone)
  const start = boundaries[0]!
  const end = boundaries[boundaries.length - 1]!
  const repository = createStatisticsRepository(deps)
  const unreadDays = workspace.unread_warning_days
  const [hours, created, decided, closed, responses, decisions, statuses, overdue, unread] =
    await Promise.all([
      statisticsHours({ deps, workspace }),
      repository.perDay(workspace.id, 'created_at', boundaries),
      repository.perDay(workspace.id, 'decided_at', boundaries),
      repository.perDay(workspace.id, 'closed_at', boundaries),
      repository.firstResponses(workspace.id, start, end),
      repository.decisions(workspace.id, start, end),
      repository.statusCounts(workspace.id),
      repository.overdueCount(workspace.id, today),
      unreadDays > 0
        ? repository.unreadWarningCount(workspace.id, now - unreadDays * DAY_MS)
        : Promise.resolve(null),
    ])
  return {
    period,
    days,
    created,
    decided,
    closed,
    basis: hours ? 'business' : 'calendar',
    firstResponse: summarizeDurations(durations(responses, hours)),
    timeToDecision: summarizeDurations(durations(decisions, hours)),
    statusNow: Object.fromEntries(
      BOARD_STATUSES.map((status) => [status, statuses[status] ?? 0]),
    ) as Record<BoardStatus, number>,
    overdueContacts: overdue,
    unreadWarnings: unread,
  }
}
