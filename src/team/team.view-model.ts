// What the members page and the audit log show, mapped once from their rows (snake_case) so the
// views only render.
import type { Role } from '../db/schema'
import type { AuditRow } from './audit'
import type { Team } from './team.usecases'

/** One member on the members page. */
export interface TeamMemberView {
  id: string
  name: string
  email: string
  role: Role
  /** epoch ms of the last sign-in, or null (never) */
  lastLoginAt: number | null
  /** two-step sign-in is on */
  twoFactor: boolean
}

/** One open invitation on the members page. */
export interface InvitationView {
  id: string
  email: string
  role: Role
  /** epoch ms */
  createdAt: number
  /** epoch ms the link stops working */
  expiresAt: number
  /** past expiresAt now */
  expired: boolean
}

/** The members page: the team (owners first) and the invitations still open. */
export interface TeamView {
  members: TeamMemberView[]
  invitations: InvitationView[]
}

/** Maps listTeam's rows. */
export function toTeamView(team: Team): TeamView {
  return {
    members: team.members.map((member) => ({
      id: member.id,
      name: member.name,
      email: member.email,
      role: member.role,
      lastLoginAt: member.last_login_at,
      twoFactor: member.totp_enabled_at !== null,
    })),
    invitations: team.invitations.map((invitation) => ({
      id: invitation.id,
      email: invitation.email,
      role: invitation.role,
      createdAt: invitation.created_at,
      expiresAt: invitation.expires_at,
      expired: invitation.expired,
    })),
  }
}

/** One line of the audit log page. */
export interface AuditLineView {
  id: string
  /** epoch ms */
  at: number
  /** who did it, or null (the system) */
  actorName: string | null
  action: string
  target: string | null
  ip: string | null
}

/** Maps audit rows (listAudit), in their order. */
export function toAuditLines(rows: AuditRow[]): AuditLineView[] {
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    actorName: row.actor_name,
    action: row.action,
    target: row.target,
    ip: row.ip,
  }))
}
