import type { Locale, Member, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { drainOutbox } from '../notifications/outbox'
import { outboxHandlers } from '../notifications/outbox.handlers'
import { tooManyRequests } from '../shared/errors'
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../shared/crypto'
import { hitRateLimit } from '../shared/rate-limit'
import { auditStatement } from './audit'
import { accountMailRow } from './team.mail'
import { isTokenShape, linkToken, tokenHash } from './team.tokens'
import { emailTaken, linkInvalid, wrongPassword } from './team.errors'

export const RESET_TTL_MS = 60 * 60 * 1000
export const EMAIL_CHANGE_TTL_MS = 24 * 60 * 60 * 1000
const RESET_WINDOW_MS = 60 * 60 * 1000
const RESETS_PER_ADDRESS = 3
const RESETS_PER_CLIENT = 20

async function issueToken(
  deps: Deps,
  member: { id: string; workspace_id: string },
  purpose: 'password_reset' | 'email_change',
  ttlMs: number,
  newEmail: string | null = null,
) {
  const id = deps.ids.id()
  const now = deps.clock.now().getTime()
  await deps.batch([
    deps.db.insertInto('account_tokens').values({
      id,
      member_id: member.id,
      workspace_id: member.workspace_id,
      purpose,
      token_hash: await tokenHash(await linkToken(deps.config.appSecret, purpose, id, 1)),
      new_email: newEmail,
      created_at: now,
      expires_at: now + ttlMs,
    }),
    deps.db.insertInto('outbox').values(
      accountMailRow(deps, member.workspace_id, {
        template: purpose === 'password_reset' ? 'password-reset' : 'email-change',
        id,
        version: 1,
      }),
    ),
  ])
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
}

/**
 * "Forgot my password": mails a single-use link valid 1 hour when the address belongs to a
 * member, and answers the same either way (no enumeration). Throttled per address and per
 * client whether or not the address exists (429 with Retry-After).
 */
export async function requestPasswordReset({
  deps,
  email,
  clientKey,
}: {
  deps: Deps
  email: string
  clientKey: string
}) {
  const address = email.trim().toLowerCase()
  for (const [key, limit] of [
    [`reset:email:${address}`, RESETS_PER_ADDRESS],
    [`reset:client:${clientKey}`, RESETS_PER_CLIENT],
  ] as const) {
    const hit = await hitRateLimit(deps, { key, limit, windowMs: RESET_WINDOW_MS })
    if (!hit.allowed) throw tooManyRequests(hit.retryAfterSeconds)
  }
  const member = await deps.db
    .selectFrom('members')
    .select(['id', 'workspace_id'])
    .where('email', '=', address)
    .executeTakeFirst()
  if (!member) {
    // about the time a real request takes, so timing does not tell either
    await verifyPassword('x', DUMMY_PASSWORD_HASH)
    return
  }
  await issueToken(deps, member, 'password_reset', RESET_TTL_MS)
}

/** Claims a link token once: marks it used and returns its row, or throws 410. */
async function claimToken(deps: Deps, token: string, purpose: 'password_reset' | 'email_change') {
  if (!isTokenShape(token)) throw linkInvalid()
  const now = deps.clock.now().getTime()
  const row = await deps.db
    .updateTable('account_tokens')
    .set({ used_at: now })
    .where('token_hash', '=', await tokenHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['member_id', 'workspace_id', 'new_email'])
    .executeTakeFirst()
  if (!row) throw linkInvalid()
  return row
}

/** Whether a link is still usable (for showing its form); claiming decides for real. */
export async function isTokenOpen(
  deps: Deps,
  token: string,
  purpose: 'password_reset' | 'email_change',
) {
  if (!isTokenShape(token)) return false
  const row = await deps.db
    .selectFrom('account_tokens')
    .select('id')
    .where('token_hash', '=', await tokenHash(token))
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', deps.clock.now().getTime())
    .executeTakeFirst()
  return Boolean(row)
}

/** Sets a new password from a reset link; every session of the member ends. */
export async function resetPassword({
  deps,
  token,
  password,
  ip,
}: {
  deps: Deps
  token: string
  password: string
  ip: string
}) {
  const passwordHash = await hashPassword(password)
  const row = await claimToken(deps, token, 'password_reset')
  const member = await deps.db
    .selectFrom('members')
    .select(['id', 'name', 'email'])
    .where('id', '=', row.member_id)
    .executeTakeFirstOrThrow()
  await deps.batch([
    deps.db.updateTable('members').set({ password_hash: passwordHash }).where('id', '=', member.id),
    deps.db.deleteFrom('sessions').where('member_id', '=', member.id),
    deps.db.deleteFrom('login_challenges').where('member_id', '=', member.id),
    deps.db
      .updateTable('account_tokens')
      .set({ used_at: deps.clock.now().getTime() })
      .where('member_id', '=', member.id)
      .where('purpose', '=', 'password_reset')
      .where('used_at', 'is', null),
    auditStatement(deps, {
      workspaceId: row.workspace_id,
      actor: { id: member.id, name: member.name },
      action: 'member.password_reset',
      target: member.email,
      ip,
    }),
  ])
}

/**
 * Own profile: display name, フリガナ (optional, for mentions; issue #17) and language (null
 * follows the workspace).
 */
export async function updateProfile({
  deps,
  member,
  name,
  nameKana = null,
  locale,
}: {
  deps: Deps
  member: Member
  name: string
  nameKana?: string | null
  locale: Locale | null
}) {
  await deps.db
    .updateTable('members')
    .set({ name, name_kana: nameKana, locale })
    .where('id', '=', member.id)
    .execute()
}

async function checkCurrentPassword(deps: Deps, memberId: string, password: string) {
  const row = await deps.db
    .selectFrom('members')
    .select('password_hash')
    .where('id', '=', memberId)
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(password, row.password_hash))) throw wrongPassword()
}

/**
 * Changes one's password after checking the current one; every other session ends (this one
 * stays signed in). Errors: 422 for a wrong current password.
 */
export async function changePassword({
  deps,
  member,
  currentPassword,
  newPassword,
  sessionHash,
  ip,
}: {
  deps: Deps
  member: Member
  currentPassword: string
  newPassword: string
  sessionHash: string
  ip: string
}) {
  await checkCurrentPassword(deps, member.id, currentPassword)
  const passwordHash = await hashPassword(newPassword)
  await deps.batch([
    deps.db.updateTable('members').set({ password_hash: passwordHash }).where('id', '=', member.id),
    deps.db
      .deleteFrom('sessions')
      .where('member_id', '=', member.id)
      .where('id_hash', '<>', sessionHash),
    auditStatement(deps, {
      workspaceId: member.workspace_id,
      actor: { id: member.id, name: member.name },
      action: 'member.password_changed',
      target: member.email,
      ip,
    }),
  ])
}

/**
 * Starts an email change: after the current password, a link (24 hours, single use) goes to
 * the new address; the address changes only when that link is opened.
 */
export async function requestEmailChange({
  deps,
  member,
  currentPassword,
  newEmail,
}: {
  deps: Deps
  member: Member
  currentPassword: string
  newEmail: string
}) {
  await checkCurrentPassword(deps, member.id, currentPassword)
  const address = newEmail.trim().toLowerCase()
  const taken = await deps.db
    .selectFrom('members')
    .select('id')
    .where('email', '=', address)
    .executeTakeFirst()
  if (taken) throw emailTaken()
  await issueToken(deps, member, 'email_change', EMAIL_CHANGE_TTL_MS, address)
}

/** Opens an email-change link: the member signs in with the new address from now on. */
export async function confirmEmailChange({
  deps,
  token,
  ip,
}: {
  deps: Deps
  token: string
  ip: string
}): Promise<{ email: string; workspace: Pick<Workspace, 'locale'> }> {
  const row = await claimToken(deps, token, 'email_change')
  const member = await deps.db
    .selectFrom('members as m')
    .innerJoin('workspaces as w', 'w.id', 'm.workspace_id')
    .select(['m.id', 'm.name', 'm.email', 'w.locale'])
    .where('m.id', '=', row.member_id)
    .executeTakeFirstOrThrow()
  const email = row.new_email ?? ''
  const updated = await deps.db
    .updateTable('members')
    .set({ email })
    .where('id', '=', member.id)
    .where((eb) =>
      eb.not(eb.exists(eb.selectFrom('members as o').select('o.id').where('o.email', '=', email))),
    )
    .returning('id')
    .executeTakeFirst()
  if (!updated) throw emailTaken()
  await deps.batch([
    auditStatement(deps, {
      workspaceId: row.workspace_id,
      actor: { id: member.id, name: member.name },
      action: 'member.email_changed',
      target: email,
      detail: { from: member.email },
      ip,
    }),
  ])
  return { email, workspace: { locale: member.locale } }
}
