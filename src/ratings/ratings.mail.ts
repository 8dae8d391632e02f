import { createNotificationsRepository } from '../notifications/notifications.repository'
import { z } from 'zod'
import type { Locale, OutboxRow } from '../db/schema'
import type { Deps } from '../deps'
import { staffBoardUrl } from '../guest/guest.link'
import {
  AUTO_GENERATED_HEADERS,
  assertAddress,
  boardRootMessageId,
  formatMailbox,
  messageIdHost,
  notificationMessageId,
  parseMailbox,
  threadingHeaders,
} from '../notifications/mail-headers'
import { PermanentError } from '../notifications/outbox'
import { writtenDateTime } from '../shared/time'
import { withoutBidiControls } from '../shared/validation'
import { renderEmailOnce } from '../../emails/render-once'
import { ratingLabel } from './ratings.rules'

/** What a `rating-alert` row carries: the member, and the rating as the customer gave it. */
const alertPayloadSchema = z.object({
  memberId: z.string(),
  score: z.number().int().min(1).max(5),
  comment: z.string().nullable(),
  ratedAt: z.number(),
})

/**
 * The outbox handler for `rating-alert` rows: one member's email about a low rating, in the
 * board's thread of member emails. A member removed since is skipped (nothing to send).
 */
export async function sendRatingAlert(deps: Deps, row: OutboxRow): Promise<{ providerId: string }> {
  let payload: z.infer<typeof alertPayloadSchema>
  try {
    payload = alertPayloadSchema.parse(JSON.parse(row.payload))
  } catch {
    throw new PermanentError('unreadable outbox row')
  }
  if (!row.board_id) throw new PermanentError('unreadable outbox row')
  const notifications = createNotificationsRepository(deps)
  const [{ workspace, board }, member] = await Promise.all([
    notifications.workspaceAndBoard(row.workspace_id, row.board_id),
    notifications.member(row.workspace_id, payload.memberId),
  ])
  if (!workspace || !board) throw new PermanentError('the board no longer exists')
  if (!member) return { providerId: 'skipped:recipient-removed' }
  const locale: Locale = member.locale ?? workspace.locale
  const host = messageIdHost(deps.config.baseUrl)
  const sender = parseMailbox(deps.config.mailFrom)
  const rendered = await renderEmailOnce({
    template: 'rating-alert',
    props: {
      locale,
      workspaceName: workspace.name,
      memberName: member.name,
      customerName: board.customer_name,
      boardName: board.name,
      score: payload.score,
      scoreLabel: ratingLabel(payload.score, locale),
      comment: payload.comment,
      ratedAt: writtenDateTime(payload.ratedAt, {
        locale,
        timeZone: workspace.time_zone,
        now: deps.clock.now().getTime(),
      }),
      boardUrl: staffBoardUrl(deps.config, workspace.slug, board.id),
      settingsUrl: `${deps.config.baseUrl}/w/${workspace.slug}/settings`,
    },
  })
  return deps.mailer.send({
    from: formatMailbox(sender.name || 'Orderboard', sender.address),
    to: assertAddress(member.email),
    subject: withoutBidiControls(rendered.subject),
    html: rendered.html,
    text: rendered.text,
    headers: {
      ...AUTO_GENERATED_HEADERS,
      ...threadingHeaders({
        messageId: notificationMessageId(`rating-${board.id}`, member.id, host),
        // Members never got the customer's order confirmation: their threads root at the board.
        root: boardRootMessageId({ id: board.id, thread_message_id: null }, host),
      }),
    },
    idempotencyKey: row.idempotency_key,
  })
}
