import type { BoardStatus, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { BOARD_STATUSES, DAY_MS } from '../boards/boards.rules'
import { localDate } from '../shared/time'
import type { BusinessHours } from '../business-hours/business-hours'
import { businessMsBetween, statisticsHours } from './statistics.effects'
import { notFound } from '../shared/errors'
import {
  dayBoundaries,
  periodDays,
  resolvePeriod,
  summarizeDurations,
  summarizeRatings,
  summaryFromRanks,
  type DurationSummary,
  type Period,
  type PeriodKind,
  type RatingSummary,
} from './statistics.figures'
import {
  createStatisticsRepository,
  type BoardScope,
  type Measure,
  type RankedValue,
} from './statistics.repository'

/** One member's line of the per-member breakdown. */
export interface MemberFigures {
  id: string
  name: string
  /** open boards (not 完了 / 終了) assigned to them now */
  assignedNow: number
  /** their public posts in the period, on any board */
  answers: number
  /** first responses in the period on boards assigned to them now; ms */
  firstResponse: DurationSummary
}

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
  /** the member the whole page is narrowed to (boards assigned to them now), or null: all */
  member: { id: string; name: string } | null
  /** the category / tag the whole page is narrowed to (boards in it / with it now), or null */
  category: { id: string; name: string } | null
  tag: { id: string; name: string } | null
  /** the workspace's categories and tags (the filters' choices) */
  categories: { id: string; name: string }[]
  tags: { id: string; name: string }[]
  /** every member of the workspace (the filter's choices), by name */
  members: { id: string; name: string }[]
  /** per member (only the chosen one when narrowed), by name */
  perMember: MemberFigures[]
  /** ratings given in the period (満足度) */
  ratings: RatingSummary
}

type Measured = {
  member: string | null
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

/** A duration figure over the scope, and per assignee when asked. */
interface DurationFigures {
  all: DurationSummary
  perMember: Map<string, DurationSummary>
}

function groupRanks(ranked: RankedValue[]): Map<string, DurationSummary> {
  const groups = new Map<string, RankedValue[]>()
  for (const one of ranked) {
    if (one.member === null) continue
    const group = groups.get(one.member) ?? []
    group.push(one)
    groups.set(one.member, group)
  }
  return new Map([...groups].map(([member, group]) => [member, summaryFromRanks(group)]))
}

/**
 * Median and 90th percentile of a duration over the boards measured in [from, to). In SQL
 * (only the ranks the quantiles need come back) when every duration is stored; when business
 * hours are set but some boards lack their stored business duration, every moment is read and
 * the missing durations are worked out here (the same numbers, slower).
 */
async function durationFigures(
  repository: ReturnType<typeof createStatisticsRepository>,
  scope: BoardScope,
  measure: Measure,
  from: number,
  to: number,
  hours: BusinessHours | null,
  perMember: boolean,
): Promise<DurationFigures> {
  const missing = hours ? await repository.missingBusiness(scope, measure, from, to) : 0
  if (missing === 0) {
    const business = hours !== null
    const [all, members] = await Promise.all([
      repository.quantileRanks(scope, measure, from, to, { business }),
      perMember
        ? repository.memberMedianRanks(scope, measure, from, to, { business })
        : Promise.resolve([]),
    ])
    return { all: summaryFromRanks(all), perMember: groupRanks(members) }
  }
  const rows = await repository.measured(scope, measure, from, to)
  const byMember = new Map<string, Measured[]>()
  if (perMember) {
    for (const row of rows) {
      if (row.member === null) continue
      const group = byMember.get(row.member) ?? []
      group.push(row)
      byMember.set(row.member, group)
    }
  }
  return {
    all: summarizeDurations(durations(rows, hours)),
    perMember: new Map(
      [...byMember].map(([member, group]) => [member, summarizeDurations(durations(group, hours))]),
    ),
  }
}

const NO_DURATIONS: DurationSummary = { count: 0, median: null, p90: null }

/**
 * The workspace's statistics for a period (this week, this month, or custom days in its time
 * zone), optionally narrowed to the boards assigned now to one member (`memberId`), in one
 * category (`categoryId`) and/or with one tag (`tagId`): another workspace's or an unknown id →
 * 404. Reads only the boards' rollup columns (migrations
 * 0015 and 0024), counts of boards as they are now, and per-member answer counts from an index;
 * `now` comes from the clock.
 */
export async function getStatistics({
  deps,
  workspace,
  kind,
  from,
  to,
  memberId,
  categoryId,
  tagId,
}: {
  deps: Deps
  workspace: Workspace
  kind: PeriodKind
  from?: string
  to?: string
  memberId?: string
  categoryId?: string
  tagId?: string
}): Promise<Statistics> {
  const now = deps.clock.now().getTime()
  const today = localDate(now, workspace.time_zone)
  const period = resolvePeriod({ kind, today, from, to })
  const days = periodDays(period)
  const boundaries = dayBoundaries(days, workspace.time_zone)
  const start = boundaries[0]!
  const end = boundaries[boundaries.length - 1]!
  const repository = createStatisticsRepository(deps)
  const [members, labels] = await Promise.all([
    repository.members(workspace.id),
    repository.labels(workspace.id),
  ])
  const chosen = <T extends { id: string }>(all: T[], id: string | undefined) =>
    id === undefined ? null : all.find((one) => one.id === id)
  const member = chosen(members, memberId)
  const category = chosen(labels.categories, categoryId)
  const tag = chosen(labels.tags, tagId)
  // Another workspace's id, or none at all: not found (nothing about it is shown).
  if (member === undefined || category === undefined || tag === undefined) throw notFound()
  const scope: BoardScope = {
    workspaceId: workspace.id,
    assignee: member?.id,
    categoryId: category?.id,
    tagId: tag?.id,
  }
  const unreadDays = workspace.unread_warning_days
  const hours = await statisticsHours({ deps, workspace })
  const [created, decided, closed, responses, decisions, statuses, overdue, unread] =
    await Promise.all([
      repository.perDay(scope, 'created_at', boundaries),
      repository.perDay(scope, 'decided_at', boundaries),
      repository.perDay(scope, 'closed_at', boundaries),
      durationFigures(repository, scope, 'first_response', start, end, hours, true),
      durationFigures(repository, scope, 'decision', start, end, hours, false),
      repository.statusCounts(scope),
      repository.overdueCount(scope, today),
      unreadDays > 0
        ? repository.unreadWarningCount(scope, now - unreadDays * DAY_MS)
        : Promise.resolve(null),
    ])
  const [assigned, answers, ratings] = await Promise.all([
    repository.assignedNow(scope),
    repository.answersPerMember(workspace.id, start, end),
    repository.ratingCounts(scope, start, end),
  ])
  return {
    period,
    days,
    created,
    decided,
    closed,
    basis: hours ? 'business' : 'calendar',
    firstResponse: responses.all,
    timeToDecision: decisions.all,
    statusNow: Object.fromEntries(
      BOARD_STATUSES.map((status) => [status, statuses[status] ?? 0]),
    ) as Record<BoardStatus, number>,
    overdueContacts: overdue,
    unreadWarnings: unread,
    member,
    members,
    category,
    tag,
    categories: labels.categories,
    tags: labels.tags,
    perMember: (member ? [member] : members).map((one) => ({
      id: one.id,
      name: one.name,
      assignedNow: assigned.get(one.id) ?? 0,
      answers: answers.get(one.id) ?? 0,
      firstResponse: responses.perMember.get(one.id) ?? NO_DURATIONS,
    })),
    ratings: summarizeRatings(ratings),
  }
}
