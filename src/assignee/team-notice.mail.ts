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

/** The outbox kind of a member's team email: assigned to a board, or mentioned in a note. */
export const TEAM_NOTICE_KIND = 'team-notice'

/** What a `team-notice` row carries; the board is the row's `board_id`, the note its `message_id`. */
const noticePayloadSchema = z.object({
  kind: z.enum(['assigned', 'mentioned']),
  memberId: z.string(),
  actorName: z.string().nullable(),
})

/**
 * The outbox handler for `team-notice` rows: one member's email, in their language (their own,
 * else the workspace's), in the board's thread of member emails. A member removed since, or a
 * mentioned note deleted since, is skipped (nothing to send). The switch (`notify_assigned`,
 * `notify_mention`) was applied when the row was written.
 */
export async function sendTeamNotice(deps: Deps, row: OutboxRow): Promise<{ providerId: string }> {
  let payload: z.infer<typeof noticePayloadSchema>
  try {
    payload = noticePayloadSchema.parse(JSON.parse(row.payload))
  } catch {
    throw new PermanentError('unreadable outbox row')
  }
  if (!row.board_id) throw new PermanentError('unreadable outbox row')
  const [workspace, board, member, note] = await Promise.all([
    deps.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', row.workspace_id)
      .executeTakeFirst(),
    deps.db
      .selectFrom('boards')
      .selectAll()
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', row.board_id)
      .executeTakeFirst(),
    deps.db
      .selectFrom('members')
      .selectAll()
      .where('workspace_id', '=', row.workspace_id)
      .where('id', '=', payload.memberId)
      .executeTakeFirst(),
    row.message_id
      ? deps.db
          .selectFrom('messages')
          .select(['body', 'created_at', 'internal'])
          .where('workspace_id', '=', row.workspace_id)
          .where('id', '=', row.message_id)
          .executeTakeFirst()
      : undefined,
  ])
  if (!workspace || !board) throw new PermanentError('the board no longer exists')
  if (!member) return { providerId: 'skipped:recipient-removed' }
  if (payload.kind === 'mentioned' && (!note || note.internal !== 1))
    return { providerId: 'skipped:note-removed' }
  const locale: Locale = member.locale ?? workspace.locale
  const host = messageIdHost(deps.config.baseUrl)
  const sender = parseMailbox(deps.config.mailFrom)
  const rendered = await renderEmailOnce({
    template: 'team-notice',
    props: {
      locale,
      kind: payload.kind,
      workspaceName: workspace.name,
      memberName: member.name,
      actorName: payload.actorName,
      customerName: board.customer_name,
      boardName: board.name,
      note: note
        ? {
            body: note.body,
            postedAt: writtenDateTime(note.created_at, {
              locale,
              timeZone: workspace.time_zone,
              now: deps.clock.now().getTime(),
            }),
          }
        : undefined,
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
        messageId: notificationMessageId(
          `${payload.kind}-${row.message_id ?? row.id}`,
          member.id,
          host,
        ),
        // Members never got the customer's order confirmation: their threads root at the board.
        root: boardRootMessageId({ id: board.id, thread_message_id: null }, host),
      }),
    },
    idempotencyKey: row.idempotency_key,
  })
}
