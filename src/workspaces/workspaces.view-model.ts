// What the customer's pages (and the decision record's print view) show of the shop, and what the
// settings page shows of the workspace, mapped once from the workspace row (snake_case, JSON
// columns as text, settings no customer page reads) so those views only render.
import type { Locale, Workspace } from '../db/schema'
import { closedDaysOf, formatClosedDays } from '../next-contact/closed-days'

/** The shop as the customer's pages show it: its name, its time zone, how to reach it. */
export interface ShopView {
  name: string
  /** IANA zone the customer's dates are written in */
  timeZone: string
  contactEmail: string | null
  contactPhone: string | null
}

/** Maps a workspace row for the customer's pages. */
export function toShopView(
  workspace: Pick<Workspace, 'name' | 'time_zone' | 'contact_email' | 'contact_phone'>,
): ShopView {
  return {
    name: workspace.name,
    timeZone: workspace.time_zone,
    contactEmail: workspace.contact_email,
    contactPhone: workspace.contact_phone,
  }
}

/**
 * The workspace's settings as the settings page shows them (views/settings/page.tsx), each as
 * its form field starts: closed days as the textarea's text (one day or range a line).
 */
export interface WorkspaceSettingsView {
  name: string
  timeZone: string
  locale: Locale
  /** days a board stays open after its last post */
  expiryDays: number
  contactEmail: string | null
  contactPhone: string | null
  /** days files are kept after the board ends, or null (kept) */
  attachmentRetentionDays: number | null
  /** days before an unread staff post is warned about (0: off) */
  unreadWarningDays: number
  /** the closed days (`closed_days`, JSON) as the settings field writes them */
  closedDays: string
  /** HH:MM the daily digest is sent */
  digestTime: string
}

/** Maps a workspace row for its settings page. */
export function toWorkspaceSettingsView(workspace: Workspace): WorkspaceSettingsView {
  return {
    name: workspace.name,
    timeZone: workspace.time_zone,
    locale: workspace.locale,
    expiryDays: workspace.expiry_days,
    contactEmail: workspace.contact_email,
    contactPhone: workspace.contact_phone,
    attachmentRetentionDays: workspace.attachment_retention_days,
    unreadWarningDays: workspace.unread_warning_days,
    closedDays: formatClosedDays(closedDaysOf(workspace)),
    digestTime: workspace.digest_time,
  }
}
