import type { Compilable } from 'kysely'
import type { BoardRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import type { PostEffect } from '../messages/messages.post'
import { isOpenAt, nextOpeningAfter, openingPeriodAt } from '../business-hours/business-hours'
import {
  businessHoursOf,
  getCareSettings,
  type CareSettings,
} from '../business-hours/business-hours.usecases'
import { startSending } from '../notifications/notifications.effects'
import { writtenDateTime } from '../shared/time'
import { fillTemplate } from '../templates/templates.fill'
import { createAutoAnswersRepository } from './auto-answers.repository'
import { defaultCareTexts } from '../business-hours/care-texts'

// The automatic answer (自動応答, DESIGN.md §1): when a customer posts, the shop's text tells
// them when to expect a person — at once outside business hours, or within them after N minutes
// without a staff answer (設定 → 営業時間と自動応答). Never numbered, never changing status or
// expiry, at most one per board and opening period, and a staff answer cancels a waiting one.
// It is never sent in answer to an automatic answer, a bounce or an internal note: those are
// not customer posts, and only customer posts reach the effect below.

const MINUTE = 60_000

/** An automatic answer as the board shows it: its text and when it was sent (epoch ms). */
export interface AutoAnswerView {
  body: string
  sentAt: number
}
/**
 * The workspace's text (or the built-in one) with `{{shop_name}}`, `{{next_opening}}`
 * (「12月7日(月) 9:00」 / "Mon, Dec 7, 9:00 AM", the year only when it is not this one; while
 * the shop is open 「ただいま（営業時間内）」, and the built-in text is the one for open hours),
 * `{{customer_name}}` and `{{board_name}}` filled by the one fill function (templates.fill.ts:
 * one pass, a value holding `{{…}}` stays that text). An unknown placeholder is left as written.
 */
export function autoAnswerText(args: {
  workspace: Pick<Workspace, 'name' | 'locale' | 'time_zone'>
  board: Pick<BoardRow, 'customer_name' | 'name'>
  settings: Pick<CareSettings, 'autoAnswerText'>
  nextOpening: Date | null
  /** the instant of sending: while the shop is open, there is no "next opening" to promise */
  now: number
}): string {
  const { workspace, board } = args
  const ja = workspace.locale === 'ja'
  const open = args.nextOpening !== null && args.nextOpening.getTime() <= args.now
  const defaults = defaultCareTexts(workspace.locale)
  const template =
    args.settings.autoAnswerText ?? (open ? defaults.autoAnswerOpen : defaults.autoAnswer)
  const values = {
    shop_name: workspace.name,
    workspace_name: workspace.name,
    next_opening: open
      ? ja
        ? 'ただいま（営業時間内）'
        : 'now (we are open)'
      : args.nextOpening
        ? writtenDateTime(args.nextOpening.getTime(), {
            locale: workspace.locale,
            timeZone: workspace.time_zone,
            now: args.now,
          })
        : ja
          ? '営業再開後'
          : 'when we reopen',
    customer_name: board.customer_name,
    board_name: board.name,
  }
  return fillTemplate(template, values)
}

/**
 * Post effect. A customer post, when the workspace answers automatically: outside business
 * hours the answer and its email join the post's own batch (sent at once, crash-safe); within
 * them, with a delay set, a waiting answer is scheduled for the `auto-answers` job. A public
 * staff post cancels the board's waiting answer.
 */
export const autoAnswerEffect: PostEffect = {
  name: 'auto-answer',
  startsSending: true,
  async statements({ deps, workspace, board, message }): Promise<Compilable[]> {
    if (message.internal) return []
    const repository = createAutoAnswersRepository(deps)
    if (message.authorKind !== 'guest') return [repository.cancelPending(workspace.id, board.id)]
    const settings = await getCareSettings({ deps, workspaceId: workspace.id })
    if (!settings.autoAnswer) return []
    const hours = businessHoursOf(workspace, settings)
    const open = isOpenAt(hours, message.now)
    if (open && settings.autoAnswerDelayMinutes === null) return []
    // A calendar with no opening at all makes no promise to keep.
    const period = openingPeriodAt(hours, message.now)
    if (!period) return []
    const common = {
      id: deps.ids.id(),
      workspaceId: workspace.id,
      boardId: board.id,
      periodStart: period.start.getTime(),
      customerMessageId: message.id,
      now: message.now,
    }
    if (open) {
      return [
        repository.schedule({
          ...common,
          dueAt: message.now + settings.autoAnswerDelayMinutes! * MINUTE,
        }),
      ]
    }
    const body = autoAnswerText({
      workspace,
      board,
      settings,
      nextOpening: nextOpeningAfter(hours, message.now),
      now: message.now,
    })
    return repository.insertSent({ ...common, outboxId: deps.ids.id(), body })
  },
}

/**
 * The `auto-answers` job: sends every waiting answer whose time has come, in one batch each
 * (the claim, and the email gated on it), unless the board was answered, closed or expired
 * meanwhile or the workspace switched answers off — then the answer is cancelled. Idempotent:
 * a second run, or one racing a staff post, sends nothing twice. Returns how many were sent.
 */
export async function sendDueAutoAnswers({ deps }: { deps: Deps }): Promise<{ sent: number }> {
  const repository = createAutoAnswersRepository(deps)
  const now = deps.clock.now().getTime()
  let sent = 0
  for (const answer of await repository.due(now, 50)) {
    const [workspace, board] = await Promise.all([
      deps.db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', answer.workspace_id)
        .executeTakeFirst(),
      deps.db
        .selectFrom('boards')
        .selectAll()
        .where('workspace_id', '=', answer.workspace_id)
        .where('id', '=', answer.board_id)
        .executeTakeFirst(),
    ])
    const settings = workspace
      ? await getCareSettings({ deps, workspaceId: workspace.id })
      : undefined
    if (
      !workspace ||
      !board ||
      !settings?.autoAnswer ||
      board.status === 'closed' ||
      board.expires_at <= now ||
      // a member has answered since (the latest public message is theirs)
      board.last_public_author !== 'guest'
    ) {
      await deps.batch([repository.cancel(answer.id)])
      continue
    }
    const body = autoAnswerText({
      workspace,
      board,
      settings,
      nextOpening: nextOpeningAfter(businessHoursOf(workspace, settings), now),
      now,
    })
    const results = await deps.batch([
      repository.claimSent({ id: answer.id, body, now }),
      repository.emailIfSent({
        id: answer.id,
        outboxId: deps.ids.id(),
        workspaceId: workspace.id,
        boardId: board.id,
        now,
      }),
    ])
    if (Number(results[0]?.numAffectedRows ?? 0) > 0) sent++
  }
  if (sent > 0) startSending(deps)
  return { sent }
}

/**
 * What the customer's page shows under the thread: the automatic answer they are still waiting
 * on, or null. Costs nothing while the latest public message is a member's (no query).
 */
export async function pendingAnswerForGuest({
  deps,
  board,
}: {
  deps: Pick<Deps, 'db'>
  board: Pick<BoardRow, 'id' | 'workspace_id' | 'last_public_author'>
}): Promise<AutoAnswerView | null> {
  if (board.last_public_author !== 'guest') return null
  const row = await createAutoAnswersRepository(deps).latestUnanswered(board.workspace_id, board.id)
  return row?.body && row.sent_at !== null ? { body: row.body, sentAt: row.sent_at } : null
}

/** The staff board's system lines: every automatic answer sent on the board, newest first. */
export async function listSentAutoAnswers({
  deps,
  workspaceId,
  boardId,
}: {
  deps: Pick<Deps, 'db'>
  workspaceId: string
  boardId: string
}): Promise<AutoAnswerView[]> {
  const rows = await createAutoAnswersRepository(deps).sentForBoard(workspaceId, boardId)
  return rows.flatMap((row) =>
    row.body && row.sent_at !== null ? [{ body: row.body, sentAt: row.sent_at }] : [],
  )
}
