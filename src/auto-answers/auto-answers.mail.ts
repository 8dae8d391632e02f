import { createNotificationsRepository } from '../notifications/notifications.repository'
import type { OutboxRow } from '../db/schema'
import type { Deps } from '../deps'
import { guestUrl } from '../guest/guest.link'
import { replyAddress } from '../inbound/inbound.address'
import {
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
import { renderEmailOnce } from '../../emails/render-once'
import { createAutoAnswersRepository } from './auto-answers.repository'

/**
 * The outbox handler for `auto-answer` rows: the customer's email for one automatic answer, in
 * the board's thread, marked `Auto-Submitted: auto-replied` (RFC 3834 §5: an automatic
 * response to a message) so the customer's own auto-responder does not answer it.
 */
export async function sendAutoAnswer(deps: Deps, row: OutboxRow): Promise<{ providerId: string }> {
  let autoAnswerId: unknown
  try {
    autoAnswerId = (JSON.parse(row.payload) as { autoAnswerId?: unknown }).autoAnswerId
  } catch {
    throw new PermanentError('unreadable outbox row')
  }
  if (typeof autoAnswerId !== 'string' || !row.board_id) {
    throw new PermanentError('unreadable outbox row')
  }
  const [answer, { workspace, board }] = await Promise.all([
    createAutoAnswersRepository(deps).findById(row.workspace_id, autoAnswerId),
    createNotificationsRepository(deps).workspaceAndBoard(row.workspace_id, row.board_id),
  ])
  if (!answer?.body || answer.sent_at === null || !workspace || !board) {
    throw new PermanentError('the board or the automatic answer no longer exists')
  }
  const host = messageIdHost(deps.config.baseUrl)
  const sender = parseMailbox(deps.config.mailFrom)
  const replyTo = await replyAddress(deps.config, board)
  const rendered = await renderEmailOnce({
    template: 'auto-answer',
    props: {
      locale: workspace.locale,
      workspaceName: workspace.name,
      body: answer.body,
      sentAt: writtenDateTime(answer.sent_at, {
        locale: workspace.locale,
        timeZone: workspace.time_zone,
        now: deps.clock.now().getTime(),
      }),
      boardUrl: await guestUrl(deps.config, board),
      replyByEmail: replyTo !== undefined,
    },
  })
  return deps.mailer.send({
    from: formatMailbox(workspace.name, sender.address),
    to: assertAddress(board.customer_email),
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: {
      ...threadingHeaders({
        messageId: notificationMessageId(answer.id, 'auto', host),
        root: boardRootMessageId(board, host),
      }),
      'Auto-Submitted': 'auto-replied',
      ...(replyTo ? { 'Reply-To': replyTo } : {}),
    },
    idempotencyKey: row.idempotency_key,
  })
}
