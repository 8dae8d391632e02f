import type { Compilable } from 'kysely'
import type { BoardRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'

/**
 * Outbox rows that belong to a staff post (the customer's email, webhooks). They are written in
 * the same batch as the post. Filled in by the notifications feature.
 */
export async function staffPostEffects(_args: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
  message: { id: string; internal: boolean; notifyGuest: boolean; body: string; authorName: string; now: number }
}): Promise<Compilable[]> {
  return []
}

/**
 * Outbox rows that belong to a customer post (emails to members with notifications on,
 * webhooks). Written in the same batch as the post. Filled in by the notifications feature.
 */
export async function guestPostEffects(_args: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
  message: { id: string; body: string; authorName: string; now: number }
}): Promise<Compilable[]> {
  return []
}
