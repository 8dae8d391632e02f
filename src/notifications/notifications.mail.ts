import { createNotificationsRepository } from './notifications.repository'
import { attachmentsForMessage } from '../attachments/attachments.usecases'
import type { Locale, OutboxRow } from '../db/schema'
import type { Deps, OutgoingMail } from '../deps'
import { guestUrl, staffBoardUrl } from '../guest/guest.link'
import { writtenDate, writtenDateTime } from '../shared/time'
import type { EmailSpec } from '../../emails/render'
import { renderEmailOnce } from '../../emails/render-once'
import {
  AUTO_GENERATED_HEADERS,
  assertAddress,
  boardRootMessageId,
  formatMailbox,
  messageIdHost,
  notificationMessageId,
  parseMailbox,
  threadingHeaders,
} from './mail-headers'
import { claimRound, PermanentError, type ClaimRound } from './outbox'
import { parsePayload } from './notifications.payload'
import { parseDigestPayload, sendDailyDigest } from '../next-contact/digest'
import { replyAddress } from '../inbound/inbound.address'
import { withoutBidiControls } from '../shared/validation'
import { ratingLinks, ratingPrompt } from '../ratings/ratings.prompt'

/** The recipient part of keys and Message-IDs: `guest` for the customer, else the member id. */
export const GUEST_RECIPIENT = 'guest'

export const notificationKey = (messageId: string, recipient: string) =>
  `notify/${messageId}/${recipient}`

/**
 * Builds the mail for one email row from the database as it is now (board, message, member),
 * with the frozen parts from the payload. Board, message and files are read through `round`
 * (the rows claimed with this one share them: as they were at the claim); the member per row.
 * Returns undefined when there is nothing to send any more (the member was removed).
 */
export async function buildNotificationMail(
  deps: Deps,
  row: OutboxRow,
  round: ClaimRound = claimRound(),
): Promise<OutgoingMail | undefined> {
  const payload = parsePayload(row.payload)
  if (!payload || !row.board_id || !row.message_id)
    throw new PermanentError('unreadable outbox row')
  const { board_id: boardId, message_id: messageId, workspace_id: workspaceId } = row
  // The post's rows were claimed together: its board, message and files are read once for all.
  const [{ workspace, board }, message] = await Promise.all([
    round.shared(`board/${workspaceId}/${boardId}`, () =>
      createNotificationsRepository(deps).workspaceAndBoard(workspaceId, boardId),
    ),
    round.shared(`message/${workspaceId}/${messageId}`, () =>
      deps.db
        .selectFrom('messages')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', messageId)
        .executeTakeFirst(),
    ),
  ])
  const files = () =>
    round.shared(`files/${messageId}`, () => attachmentsForMessage(deps, messageId))
  if (!workspace || !board || !message)
    throw new PermanentError('the board or the message no longer exists')
  if (message.no === null) throw new PermanentError('internal notes are never emailed')

  const host = messageIdHost(deps.config.baseUrl)
  const sender = parseMailbox(deps.config.mailFrom)
  const tz = workspace.time_zone
  // Written the way a person writes dates to a customer (12月5日(金) 14:05; the year only when
  // it is not this one), in the reader's language.
  const now = deps.clock.now().getTime()

  let spec: EmailSpec
  let to: string
  let recipient: string
  let fromName: string
  // The customer's answer by email comes back to the board (src/inbound) when it is set up.
  let replyTo: string | undefined
  if (payload.template === 'guest-notification') {
    replyTo = await replyAddress(deps.config, board)
    const locale: Locale = workspace.locale
    recipient = GUEST_RECIPIENT
    to = payload.to
    // The customer sees the shop's name; the address stays ours.
    fromName = workspace.name
    // Asked when the post made the board 完了, and only while the workspace still asks.
    const prompt = payload.askRating ? await ratingPrompt({ deps, workspace }) : undefined
    spec = {
      template: 'guest-notification',
      props: {
        locale,
        workspaceName: workspace.name,
        customerName: board.customer_name,
        boardName: board.name,
        message: {
          no: message.no,
          authorName: message.author_name,
          body: message.body,
          postedAt: writtenDateTime(message.created_at, { locale, timeZone: tz, now }),
          attachments: await files(),
        },
        boardUrl: await guestUrl(deps.config, board),
        expiresOn: writtenDate(payload.expiresAt, { locale, timeZone: tz, now }),
        contactEmail: workspace.contact_email,
        contactPhone: workspace.contact_phone,
        replyByEmail: replyTo !== undefined,
        closed: board.status === 'closed',
        ...(prompt?.on
          ? {
              rating: {
                question: prompt.question,
                links: await ratingLinks(deps.config, board, locale),
              },
            }
          : {}),
      },
    }
  } else {
    const member = await deps.db
      .selectFrom('members')
      .selectAll()
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', payload.memberId)
      .executeTakeFirst()
    if (!member) return undefined
    const locale: Locale = member.locale ?? workspace.locale
    recipient = member.id
    to = member.email
    fromName = sender.name || 'Orderboard'
    spec = {
      template: 'member-notification',
      props: {
        locale,
        workspaceName: workspace.name,
        memberName: member.name,
        customerName: board.customer_name,
        boardName: board.name,
        message: {
          no: message.no,
          body: message.body,
          postedAt: writtenDateTime(message.created_at, { locale, timeZone: tz, now }),
          attachments: await files(),
        },
        boardUrl: staffBoardUrl(deps.config, workspace.slug, board.id),
        settingsUrl: `${deps.config.baseUrl}/w/${workspace.slug}/settings`,
      },
    }
  }

  // a post's member emails share one render (emails/render-once.ts)
  const rendered = await renderEmailOnce(spec)
  // Members never got the customer's order confirmation: their threads root at the board.
  const root = boardRootMessageId(
    recipient === GUEST_RECIPIENT ? board : { id: board.id, thread_message_id: null },
    host,
  )
  return {
    from: formatMailbox(fromName, sender.address),
    to: assertAddress(to),
    // bidi controls in a name would reorder the subject around it in the inbox
    subject: withoutBidiControls(rendered.subject),
    html: rendered.html,
    text: rendered.text,
    headers: {
      ...AUTO_GENERATED_HEADERS,
      ...threadingHeaders({ messageId: notificationMessageId(message.id, recipient, host), root }),
      ...(replyTo ? { 'Reply-To': replyTo } : {}),
    },
    idempotencyKey: row.idempotency_key,
  }
}

/** The outbox handler for `email` rows. */
export async function sendEmailNotification(
  deps: Deps,
  row: OutboxRow,
  round?: ClaimRound,
): Promise<{ providerId: string }> {
  // The daily digest (src/next-contact/digest.ts) rides on the same kind and sender.
  const digest = parseDigestPayload(row.payload)
  if (digest) return sendDailyDigest(deps, row, digest)
  const mail = await buildNotificationMail(deps, row, round)
  if (!mail) return { providerId: 'skipped:recipient-removed' }
  return deps.mailer.send(mail)
}
