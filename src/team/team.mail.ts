import { z } from 'zod'
import type { Locale, OutboxRow } from '../db/schema'
import type { Deps } from '../deps'
import { renderEmail } from '../../emails/render'
import { assertAddress, formatMailbox, parseMailbox } from '../notifications/mail-headers'
import { PermanentError } from '../notifications/outbox'
import { translator } from '../shared/i18n'
import { writtenDateTime } from '../shared/time'
import { linkToken } from './team.tokens'

/** The outbox kind of invitation, password-reset and email-change mail. */
export const ACCOUNT_MAIL_KIND = 'account-mail'

const payloadSchema = z.object({
  template: z.enum(['invitation', 'password-reset', 'email-change']),
  id: z.string(),
  version: z.number().int().positive(),
})
export type AccountMailPayload = z.infer<typeof payloadSchema>

/** The outbox row of one account email; the link's token is derived again when it is sent. */
export function accountMailRow(
  deps: Pick<Deps, 'ids' | 'clock'>,
  workspaceId: string,
  payload: AccountMailPayload,
) {
  const now = deps.clock.now().getTime()
  return {
    id: deps.ids.id(),
    workspace_id: workspaceId,
    kind: ACCOUNT_MAIL_KIND,
    idempotency_key: `${payload.template}/${payload.id}/${payload.version}`,
    board_id: null,
    message_id: null,
    payload: JSON.stringify(payload),
    next_attempt_at: now,
    created_at: now,
  }
}

const skipped = (why: string) => ({ providerId: `skipped:${why}` })

/**
 * The outbox handler for `account-mail` rows: renders the email (emails/account-link.tsx) in
 * the recipient's language and sends it. A link that was used, revoked, resent or expired
 * before the row was sent is not mailed.
 */
export async function sendAccountMail(deps: Deps, row: OutboxRow): Promise<{ providerId: string }> {
  const parsed = payloadSchema.safeParse(JSON.parse(row.payload))
  if (!parsed.success) throw new PermanentError('unreadable outbox row')
  const payload = parsed.data
  const now = deps.clock.now().getTime()
  const workspace = await deps.db
    .selectFrom('workspaces')
    .selectAll()
    .where('id', '=', row.workspace_id)
    .executeTakeFirst()
  if (!workspace) throw new PermanentError('the workspace no longer exists')
  const base = deps.config.baseUrl
  let to: string
  let locale: Locale
  let personName: string
  let roleLabel: string | undefined
  let url: string
  let expiresAt: number
  if (payload.template === 'invitation') {
    const invitation = await deps.db
      .selectFrom('invitations as i')
      .leftJoin('members as m', 'm.id', 'i.invited_by')
      .select(['i.email', 'i.role', 'i.version', 'i.expires_at', 'i.accepted_at', 'i.revoked_at'])
      .select('m.name as inviter')
      .where('i.id', '=', payload.id)
      .executeTakeFirst()
    if (!invitation || invitation.accepted_at || invitation.revoked_at) return skipped('gone')
    if (invitation.version !== payload.version || invitation.expires_at <= now)
      return skipped('stale')
    to = invitation.email
    locale = workspace.locale
    personName = invitation.inviter ?? workspace.name
    roleLabel = translator(locale)(`role.${invitation.role}`)
    url = `${base}/invite/${await linkToken(deps.config.appSecret, 'invitation', payload.id, payload.version)}`
    expiresAt = invitation.expires_at
  } else {
    const token = await deps.db
      .selectFrom('account_tokens as a')
      .innerJoin('members as m', 'm.id', 'a.member_id')
      .select(['a.purpose', 'a.new_email', 'a.expires_at', 'a.used_at'])
      .select(['m.email', 'm.name', 'm.locale'])
      .where('a.id', '=', payload.id)
      .executeTakeFirst()
    if (!token || token.used_at || token.expires_at <= now) return skipped('gone')
    const purpose = payload.template === 'password-reset' ? 'password_reset' : 'email_change'
    if (token.purpose !== purpose) throw new PermanentError('purpose mismatch')
    to = purpose === 'email_change' ? (token.new_email ?? '') : token.email
    locale = token.locale ?? workspace.locale
    personName = token.name
    const secret = await linkToken(deps.config.appSecret, purpose, payload.id, payload.version)
    url = `${base}/${purpose === 'email_change' ? 'email-change' : 'reset'}/${secret}`
    expiresAt = token.expires_at
  }
  const rendered = await renderEmail({
    template: 'account-link',
    props: {
      locale,
      kind: payload.template,
      workspaceName: workspace.name,
      personName,
      roleLabel,
      url,
      validUntil: writtenDateTime(expiresAt, { locale, timeZone: workspace.time_zone, now }),
    },
  })
  const sender = parseMailbox(deps.config.mailFrom)
  return deps.mailer.send({
    from: formatMailbox(sender.name || 'Orderboard', sender.address),
    to: assertAddress(to),
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text,
    headers: { 'Auto-Submitted': 'auto-generated' },
    idempotencyKey: row.idempotency_key,
  })
}
