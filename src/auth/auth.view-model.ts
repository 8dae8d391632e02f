// What the member pages show of the signed-in member and their workspace, mapped once per request
// from the session's rows (Member, Workspace: snake_case, flags as 0/1, and columns no page may
// hold — the password hash, the second factor's secret) so the views only render.
import type { Locale, Member, Role, Workspace } from '../db/schema'

/** The signed-in member as the member pages show them (the header, settings, profile). */
export interface MemberView {
  id: string
  name: string
  /** フリガナ, or null */
  nameKana: string | null
  email: string
  role: Role
  /** the member's own language, or null (the workspace's) */
  locale: Locale | null
  /** two-step sign-in is on */
  twoFactor: boolean
  /** the daily digest email */
  digestEnabled: boolean
  /** emails on customer posts, on being assigned, on being mentioned */
  notifyEmail: boolean
  notifyAssigned: boolean
  notifyMention: boolean
  /** takes part in round-robin assignment */
  roundRobin: boolean
}

/** The signed-in member's workspace as the member pages show it. */
export interface MemberWorkspaceView {
  slug: string
  name: string
  /** IANA zone the pages' dates are written in */
  timeZone: string
  /** the workspace's language (the shop's written language: templates) */
  locale: Locale
  /** days before an unread staff post is warned about (0: off) */
  unreadWarningDays: number
  /** HH:MM the daily digest is sent (in the workspace's zone) */
  digestTime: string
  /** every member must sign in with a second factor */
  require2fa: boolean
  /** new boards are assigned in turn */
  roundRobin: boolean
}

/** The signed-in member, their workspace and their form token, as every member page takes it. */
export interface SignedInView {
  member: MemberView
  workspace: MemberWorkspaceView
  csrfToken: string
  /** no mail transport is configured: every member page warns that mail is not being sent */
  mailNotSent?: boolean
  /** mentions of this member not opened yet (the header's メンション badge) */
  unreadMentions?: number
}

/** Maps the session's member and workspace rows for the member pages. */
export function toSignedInView(session: {
  member: Member
  workspace: Workspace
  csrfToken: string
  mailNotSent?: boolean
  unreadMentions?: number
}): SignedInView {
  const { member, workspace } = session
  return {
    member: {
      id: member.id,
      name: member.name,
      nameKana: member.name_kana,
      email: member.email,
      role: member.role,
      locale: member.locale,
      twoFactor: member.totp_enabled_at !== null,
      digestEnabled: member.digest_enabled === 1,
      notifyEmail: member.notify_email === 1,
      notifyAssigned: member.notify_assigned === 1,
      notifyMention: member.notify_mention === 1,
      roundRobin: member.round_robin === 1,
    },
    workspace: {
      slug: workspace.slug,
      name: workspace.name,
      timeZone: workspace.time_zone,
      locale: workspace.locale,
      unreadWarningDays: workspace.unread_warning_days,
      digestTime: workspace.digest_time,
      require2fa: Boolean(workspace.require_2fa),
      roundRobin: workspace.round_robin === 1,
    },
    csrfToken: session.csrfToken,
    mailNotSent: session.mailNotSent,
    unreadMentions: session.unreadMentions,
  }
}
