import { sql, type Compilable } from 'kysely'
import type { Role, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { drainOutbox } from '../notifications/outbox'
import { outboxHandlers } from '../notifications/outbox.handlers'
import { forbidden, notFound } from '../shared/errors'
import { emailTaken, lastOwner, linkInvalid, notSelf } from './team.errors'
import { hashPassword } from '../shared/crypto'
import { roleAtLeast } from '../auth/auth.middleware'
import { auditStatement, recordAudit, type AuditEntry } from './audit'
import { accountMailRow, type AccountMailPayload } from './team.mail'
import { linkToken, tokenHash, isTokenShape } from './team.tokens'

export const INVITATION_TTL_MS = 7 * 24 * 60 * 60 * 1000

/** Who is acting: the signed-in member, for permission checks and the audit log. */
export interface Actor {
  id: string
  name: string
  role: Role
}

/** Runs a batch that queues account mail, then starts sending it (Workers: the queue kick). */
async function batchWithMail(deps: Deps, statements: Compilable[]) {
  const results = await deps.batch(statements)
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
  return results
}

function mailStatement(deps: Deps, workspaceId: string, payload: AccountMailPayload) {
  return deps.db
    .insertInto('outbox')
    .values(accountMailRow(deps, workspaceId, payload))
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
}

/** The members page: everyone in the workspace, owners first, and the invitations still open. */
export async function listTeam(deps: Deps, workspace: Workspace) {
  const now = deps.clock.now().getTime()
  const [members, invitations] = await Promise.all([
    deps.db
      .selectFrom('members')
      .select(['id', 'name', 'email', 'role', 'last_login_at', 'totp_enabled_at', 'created_at'])
      .where('workspace_id', '=', workspace.id)
      .orderBy(sql`CASE role WHEN 'owner' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END`)
      .orderBy('created_at')
      .execute(),
    deps.db
      .selectFrom('invitations')
      .select(['id', 'email', 'role', 'created_at', 'expires_at'])
      .where('workspace_id', '=', workspace.id)
      .where('accepted_at', 'is', null)
      .where('revoked_at', 'is', null)
      .orderBy('created_at', 'desc')
      .execute(),
  ])
  return {
    members,
    invitations: invitations.map((i) => ({ ...i, expired: i.expires_at <= now })),
  }
}
export type Team = Awaited<ReturnType<typeof listTeam>>

/** Only an owner may hand out or take away the owner role. */
function assertMayGrant(actor: Actor, role: Role) {
  if (role === 'owner' && actor.role !== 'owner') throw forbidden()
}

/**
 * Invites an address: a single-use link valid 7 days, stored hashed, mailed through the outbox.
 * An address already invited gets the invitation again (new link, the old one void).
 * Errors: 422 when the address already belongs to a member; 403 when an admin offers 'owner'.
 */
export async function inviteMember({
  deps,
  workspace,
  actor,
  email,
  role,
  ip,
}: {
  deps: Deps
  workspace: Workspace
  actor: Actor
  email: string
  role: Role
  ip: string
}) {
  assertMayGrant(actor, role)
  const address = email.trim().toLowerCase()
  const existing = await deps.db
    .selectFrom('members')
    .select('id')
    .where('email', '=', address)
    .executeTakeFirst()
  if (existing) throw emailTaken()
  const open = await deps.db
    .selectFrom('invitations')
    .select('id')
    .where('workspace_id', '=', workspace.id)
    .where('email', '=', address)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  const audit: AuditEntry = {
    workspaceId: workspace.id,
    actor,
    action: 'member.invited',
    target: address,
    detail: { role },
    ip,
  }
  if (open) {
    await deps.db.updateTable('invitations').set({ role }).where('id', '=', open.id).execute()
    return resendInvitation({ deps, workspace, actor, invitationId: open.id, ip, audit })
  }
  const id = deps.ids.id()
  const now = deps.clock.now().getTime()
  await batchWithMail(deps, [
    deps.db.insertInto('invitations').values({
      id,
      workspace_id: workspace.id,
      email: address,
      role,
      token_hash: await tokenHash(await linkToken(deps.config.appSecret, 'invitation', id, 1)),
      version: 1,
      invited_by: actor.id,
      created_at: now,
      expires_at: now + INVITATION_TTL_MS,
    }),
    mailStatement(deps, workspace.id, { template: 'invitation', id, version: 1 }),
    auditStatement(deps, audit),
  ])
  return id
}

/** A new link for an open invitation (the previous one stops working) and 7 more days. */
export async function resendInvitation({
  deps,
  workspace,
  actor,
  invitationId,
  ip,
  audit,
}: {
  deps: Deps
  workspace: Workspace
  actor: Actor
  invitationId: string
  ip: string
  audit?: AuditEntry
}) {
  const invitation = await deps.db
    .selectFrom('invitations')
    .select(['id', 'email', 'role', 'version'])
    .where('id', '=', invitationId)
    .where('workspace_id', '=', workspace.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!invitation) throw notFound()
  assertMayGrant(actor, invitation.role)
  const version = invitation.version + 1
  const now = deps.clock.now().getTime()
  await batchWithMail(deps, [
    deps.db
      .updateTable('invitations')
      .set({
        version,
        token_hash: await tokenHash(
          await linkToken(deps.config.appSecret, 'invitation', invitation.id, version),
        ),
        expires_at: now + INVITATION_TTL_MS,
      })
      .where('id', '=', invitation.id)
      .where('version', '=', invitation.version),
    mailStatement(deps, workspace.id, { template: 'invitation', id: invitation.id, version }),
    auditStatement(
      deps,
      audit ?? {
        workspaceId: workspace.id,
        actor,
        action: 'invitation.resent',
        target: invitation.email,
        ip,
      },
    ),
  ])
  return invitation.id
}

export async function revokeInvitation({
  deps,
  workspace,
  actor,
  invitationId,
  ip,
}: {
  deps: Deps
  workspace: Workspace
  actor: Actor
  invitationId: string
  ip: string
}) {
  const invitation = await deps.db
    .selectFrom('invitations')
    .select(['email', 'role'])
    .where('id', '=', invitationId)
    .where('workspace_id', '=', workspace.id)
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .executeTakeFirst()
  if (!invitation) throw notFound()
  assertMayGrant(actor, invitation.role)
  await deps.batch([
    deps.db
      .updateTable('invitations')
      .set({ revoked_at: deps.clock.now().getTime() })
      .where('id', '=', invitationId),
    auditStatement(deps, {
      workspaceId: workspace.id,
      actor,
      action: 'invitation.revoked',
      target: invitation.email,
      ip,
    }),
  ])
}

/** The open invitation a link points at, with its workspace; undefined for any bad link. */
export async function findInvitation(deps: Deps, token: string) {
  if (!isTokenShape(token)) return undefined
  return deps.db
    .selectFrom('invitations as i')
    .innerJoin('workspaces as w', 'w.id', 'i.workspace_id')
    .select(['i.id', 'i.email', 'i.role', 'i.workspace_id', 'w.name as workspace_name'])
    .select(['w.slug', 'w.locale'])
    .where('i.token_hash', '=', await tokenHash(token))
    .where('i.accepted_at', 'is', null)
    .where('i.revoked_at', 'is', null)
    .where('i.expires_at', '>', deps.clock.now().getTime())
    .executeTakeFirst()
}

/**
 * Accepts an invitation: the link is claimed first (one UPDATE … RETURNING, so two tabs can't
 * both use it), then the member is created with the name and password given. Errors: 410 for a
 * used, revoked, expired or forged link; 422 when the address became a member meanwhile.
 */
export async function acceptInvitation({
  deps,
  token,
  name,
  password,
  ip,
}: {
  deps: Deps
  token: string
  name: string
  password: string
  ip: string
}) {
  if (!isTokenShape(token)) throw linkInvalid()
  const now = deps.clock.now().getTime()
  const passwordHash = await hashPassword(password)
  const claimed = await deps.db
    .updateTable('invitations')
    .set({ accepted_at: now })
    .where('token_hash', '=', await tokenHash(token))
    .where('accepted_at', 'is', null)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .returning(['id', 'workspace_id', 'email', 'role'])
    .executeTakeFirst()
  if (!claimed) throw linkInvalid()
  const memberId = deps.ids.id()
  const inserted = await deps.db
    .insertInto('members')
    .values({
      id: memberId,
      workspace_id: claimed.workspace_id,
      email: claimed.email,
      name,
      password_hash: passwordHash,
      role: claimed.role,
      created_at: now,
    })
    .onConflict((oc) => oc.doNothing())
    .returning('id')
    .executeTakeFirst()
  if (!inserted) throw emailTaken()
  await deps.batch([
    auditStatement(deps, {
      workspaceId: claimed.workspace_id,
      actor: { id: memberId, name },
      action: 'invitation.accepted',
      target: claimed.email,
      detail: { role: claimed.role },
      ip,
    }),
  ])
  return { memberId, workspaceId: claimed.workspace_id }
}

/** A member of this workspace other than the actor, or 404. */
async function targetMember(deps: Deps, workspace: Workspace, actor: Actor, memberId: string) {
  const member = await deps.db
    .selectFrom('members')
    .select(['id', 'name', 'email', 'role'])
    .where('id', '=', memberId)
    .where('workspace_id', '=', workspace.id)
    .executeTakeFirst()
  if (!member) throw notFound()
  if (member.id === actor.id) throw notSelf()
  // Admins manage members and admins; only owners touch owners.
  if (!roleAtLeast(actor.role, member.role)) throw forbidden()
  return member
}

/** Other owners than this member: the guard that keeps at least one owner. */
const otherOwnerExists = (workspaceId: string, memberId: string) =>
  sql<boolean>`EXISTS (SELECT 1 FROM members WHERE workspace_id = ${workspaceId} AND role = 'owner' AND id <> ${memberId})`

/**
 * Changes a member's role. Errors: 403 when an admin touches an owner or grants 'owner', 409
 * for the last owner (checked in the UPDATE itself, so two owners demoting each other at once
 * still leave one), 409 for oneself.
 */
export async function changeRole({
  deps,
  workspace,
  actor,
  memberId,
  role,
  ip,
}: {
  deps: Deps
  workspace: Workspace
  actor: Actor
  memberId: string
  role: Role
  ip: string
}) {
  const member = await targetMember(deps, workspace, actor, memberId)
  assertMayGrant(actor, role)
  if (member.role === role) return
  const updated = await deps.db
    .updateTable('members')
    .set({ role })
    .where('id', '=', member.id)
    .where((eb) => eb.or([eb('role', '<>', 'owner'), otherOwnerExists(workspace.id, member.id)]))
    .returning('id')
    .executeTakeFirst()
  if (!updated) throw lastOwner()
  await recordAudit(deps, {
    workspaceId: workspace.id,
    actor,
    action: 'member.role_changed',
    target: member.email,
    detail: { from: member.role, to: role },
    ip,
  })
}

/**
 * Removes a member: their sessions and the API keys they created end in the same batch; their
 * posts keep the author name written on them. The last owner cannot be removed.
 */
export async function removeMember({
  deps,
  workspace,
  actor,
  memberId,
  ip,
}: {
  deps: Deps
  workspace: Workspace
  actor: Actor
  memberId: string
  ip: string
}) {
  const member = await targetMember(deps, workspace, actor, memberId)
  if (member.role === 'owner') {
    const owners = await deps.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspace.id)
      .where('role', '=', 'owner')
      .executeTakeFirstOrThrow()
    if (Number(owners.n) <= 1) throw lastOwner()
  }
  const now = deps.clock.now().getTime()
  await deps.batch([
    deps.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('workspace_id', '=', workspace.id)
      .where('created_by', '=', member.id)
      .where('revoked_at', 'is', null),
    deps.db.deleteFrom('sessions').where('member_id', '=', member.id),
    deps.db
      .deleteFrom('members')
      .where('id', '=', member.id)
      .where((eb) => eb.or([eb('role', '<>', 'owner'), otherOwnerExists(workspace.id, member.id)])),
    auditStatement(deps, {
      workspaceId: workspace.id,
      actor,
      action: 'member.removed',
      target: member.email,
      detail: { name: member.name, role: member.role },
      ip,
    }),
  ])
}
