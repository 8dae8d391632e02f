// The statistics rollups, written in the post's own batch (see src/messages/messages.post.ts):
// a board's first customer post, the first staff answer after it, and its first decision, with
// their durations on the calendar and in business hours. The statistics page reads only these
// columns (migrations/0015_statistics.sql), never the messages.
import { sql, type Compilable } from 'kysely'
import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import type { PostEffect } from '../messages/messages.post'
import { businessMinutesBetween, type BusinessHours } from '../business-hours/business-hours'
import { businessHoursOf, getCareSettings } from '../business-hours/business-hours.usecases'
import { createCareSettingsRepository } from '../business-hours/business-hours.repository'

const MINUTE = 60_000

/**
 * The workspace's business hours when it has set them (設定 → 営業時間), else null: durations
 * are then measured on the calendar only, and the statistics page says so.
 */
export async function statisticsHours({
  deps,
  workspace,
}: {
  deps: Pick<Deps, 'db'>
  workspace: Workspace
}): Promise<BusinessHours | null> {
  const row = await createCareSettingsRepository({ db: deps.db }).find(workspace.id)
  if (!row) return null
  return businessHoursOf(workspace, await getCareSettings({ deps, workspaceId: workspace.id }))
}

/** Milliseconds of business time from `from` to `to` (instants, ms); whole milliseconds. */
export function businessMsBetween(hours: BusinessHours, from: number, to: number): number {
  return Math.round(businessMinutesBetween(hours, from, to) * MINUTE)
}

/**
 * Post effect: stamps the board's statistics moments.
 * - a customer post: `first_guest_at`, once;
 * - the first public staff post (page or API) after the customer's first post: `first_response_*`;
 * - a decision: `decided_at` and `decision_*` (the first decision only; a re-decision keeps them).
 * The business-hour duration is computed here from the board as read before the post; the
 * statement only applies while the board still has that same first customer post (a customer post
 * racing in between leaves the stamp to the next staff answer), so the batch stays atomic.
 */
export const statisticsEffect: PostEffect = {
  name: 'statistics',
  async statements({ deps, workspace, board, message, decided }): Promise<Compilable[]> {
    if (message.internal) return []
    const where = deps.db
      .updateTable('boards')
      .where('id', '=', board.id)
      .where('workspace_id', '=', workspace.id)
    if (message.authorKind === 'guest') {
      return board.first_guest_at === null
        ? [where.set({ first_guest_at: message.now }).where('first_guest_at', 'is', null)]
        : []
    }
    const answers = board.first_guest_at !== null && board.first_response_at === null
    const decides = Boolean(decided?.no) && board.decided_at === null
    if (!answers && !decides) return []
    const hours = await statisticsHours({ deps, workspace })
    const statements: Compilable[] = []
    if (answers) {
      const since = board.first_guest_at!
      statements.push(
        where
          .set({
            first_response_at: message.now,
            first_response_ms: sql<number>`${message.now} - first_guest_at`,
            first_response_business_ms: hours ? businessMsBetween(hours, since, message.now) : null,
          })
          .where('first_guest_at', '=', since)
          .where('first_response_at', 'is', null),
      )
    }
    if (decides) {
      statements.push(
        where
          .set({
            decided_at: message.now,
            decision_ms: sql<number>`${message.now} - created_at`,
            decision_business_ms: hours
              ? businessMsBetween(hours, board.created_at, message.now)
              : null,
          })
          .where('decided_at', 'is', null),
      )
    }
    return statements
  },
}

/**
 * Post effect: a template that carries 終了 closes the board (closed_at, counted per day), one that
 * carries another status reopens it. Status changes outside posts set the same column in
 * boards.repository's update.
 */
export const closedAtEffect: PostEffect = {
  name: 'closed-at',
  statements({ deps, workspace, board, message, statusAfter }) {
    if (statusAfter === board.status) return []
    if (statusAfter !== 'closed' && board.status !== 'closed') return []
    return [
      deps.db
        .updateTable('boards')
        .set({ closed_at: statusAfter === 'closed' ? message.now : null })
        .where('id', '=', board.id)
        .where('workspace_id', '=', workspace.id),
    ]
  },
}
