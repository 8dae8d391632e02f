import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { getBoard } from '../boards/boards.usecases'
import { notFound } from '../shared/errors'
import { drainOutbox } from './outbox'
import { outboxHandlers } from './outbox.handlers'
import { parsePayload } from './notifications.payload'
import { createNotificationsRepository } from './notifications.repository'

export interface NotificationProblem {
  id: string
  kind: string
  status: 'pending' | 'sending' | 'sent' | 'failed'
  /**
   * failed, and it cannot be told whether it went out (Resend's 409 invalid_idempotent_request,
   * an SMTP connection lost after the message was sent): never retried automatically
   */
  needsAttention: boolean
  /** 'guest' for the customer, 'member' for a member's email, else the outbox kind */
  recipient: 'guest' | 'member' | 'other'
  memberId: string | null
  messageNo: number | null
  attempts: number
  lastError: string | null
  createdAt: number
  nextAttemptAt: number
}

/** Notifications of a board that failed or are stuck, for the board page. */
export async function listNotificationProblems({
  deps,
  workspace,
  boardId,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
}): Promise<NotificationProblem[]> {
  const board = await getBoard({ deps, workspace, boardId })
  const rows = await createNotificationsRepository(deps).listProblems(
    workspace.id,
    board.id,
    deps.clock.now().getTime(),
  )
  return rows.map((row) => {
    const payload = row.kind === 'email' ? parsePayload(row.payload) : undefined
    return {
      id: row.id,
      kind: row.kind,
      status: row.status,
      needsAttention: row.status === 'failed' && row.needs_attention === 1,
      recipient:
        payload?.template === 'guest-notification' ? 'guest' : payload ? 'member' : 'other',
      memberId: payload?.template === 'member-notification' ? payload.memberId : null,
      messageNo: row.message_no,
      attempts: row.attempts,
      lastError: row.last_error,
      createdAt: row.created_at,
      nextAttemptAt: row.next_attempt_at,
    }
  })
}

export type CustomerEmailState =
  | 'queued'
  | 'failed'
  | 'needs_attention'
  | 'sent'
  | 'delivered'
  | 'delivery_delayed'
  | 'bounced'
  | 'complained'

export interface CustomerEmail {
  messageNo: number | null
  state: CustomerEmailState
  at: number
}

/** The customer's last few notification emails: queued, sent, and what the provider reported. */
export async function listRecentCustomerEmails({
  deps,
  workspace,
  boardId,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
}): Promise<CustomerEmail[]> {
  const rows = await createNotificationsRepository(deps).recentGuestEmails(workspace.id, boardId, 3)
  return rows.map((row) => ({
    messageNo: row.message_no,
    state:
      row.delivery_status ??
      (row.status === 'sent'
        ? 'sent'
        : row.status === 'failed'
          ? row.needs_attention === 1
            ? 'needs_attention'
            : 'failed'
          : 'queued'),
    at: row.sent_at ?? row.created_at,
  }))
}

/**
 * A member retries a failed notification: a fresh set of attempts, the same idempotency key; for
 * one that needed attention, a new key (the member decided it should go out again).
 */
export async function retryNotification({
  deps,
  workspace,
  boardId,
  outboxId,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  outboxId: string
}) {
  const board = await getBoard({ deps, workspace, boardId })
  const result = await createNotificationsRepository(deps).retryFailed(
    workspace.id,
    board.id,
    outboxId,
    deps.clock.now().getTime(),
  )
  if (Number(result.numUpdatedRows) === 0) throw notFound()
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
}

/**
 * A member turns their own emails on or off: customer replies, and (issue #17) boards assigned
 * to them and mentions. A switch left undefined keeps its value.
 */
export async function setMemberNotifications({
  deps,
  workspace,
  memberId,
  notifyEmail,
  notifyAssigned,
  notifyMention,
}: {
  deps: Deps
  workspace: Workspace
  memberId: string
  notifyEmail: boolean
  notifyAssigned?: boolean
  notifyMention?: boolean
}) {
  const result = await createNotificationsRepository(deps).setMemberNotifyEmail(
    workspace.id,
    memberId,
    notifyEmail,
    { assigned: notifyAssigned, mention: notifyMention },
  )
  if (Number(result.numUpdatedRows) === 0) throw notFound()
}
