import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { NotificationPayload } from './notifications.payload'

/** How long a notification may wait before members see it as stuck on the board. */
export const STUCK_AFTER_MS = 10 * 60_000

export function createNotificationsRepository({ db }: { db: Kysely<Database> }) {
  return {
    /**
     * The workspace and the board an outbox row is about, read as they are now (either
     * undefined when it is gone since the row was queued). Every email handler starts here.
     */
    async workspaceAndBoard(workspaceId: string, boardId: string) {
      const [workspace, board] = await Promise.all([
        db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst(),
        db
          .selectFrom('boards')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', boardId)
          .executeTakeFirst(),
      ])
      return { workspace, board }
    },

    /** A member of the workspace (undefined when removed). */
    member(workspaceId: string, memberId: string) {
      return db
        .selectFrom('members')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', memberId)
        .executeTakeFirst()
    },

    /** One outbox row; a second insert with the same idempotency key is a no-op. */
    insertEmail(row: {
      id: string
      workspaceId: string
      boardId: string
      messageId: string
      idempotencyKey: string
      payload: NotificationPayload
      now: number
    }): Compilable {
      return db
        .insertInto('outbox')
        .values({
          id: row.id,
          workspace_id: row.workspaceId,
          kind: 'email',
          idempotency_key: row.idempotencyKey,
          board_id: row.boardId,
          message_id: row.messageId,
          payload: JSON.stringify(row.payload),
          status: 'pending',
          attempts: 0,
          next_attempt_at: row.now,
          created_at: row.now,
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
    },

    /**
     * One email row per member with notifications on, the recipient list read by the same
     * statement that writes the rows (so a member switching off mid-post is either in or out,
     * never half). Keys: notify/<message>/<member id>.
     */
    insertMemberEmails(args: {
      workspaceId: string
      boardId: string
      messageId: string
      now: number
    }): Compilable {
      return db
        .insertInto('outbox')
        .columns([
          'id',
          'workspace_id',
          'kind',
          'idempotency_key',
          'board_id',
          'message_id',
          'payload',
          'status',
          'attempts',
          'next_attempt_at',
          'created_at',
        ])
        .expression((eb) =>
          eb
            .selectFrom('members')
            .select([
              sql<string>`lower(hex(randomblob(16)))`.as('id'),
              'workspace_id',
              sql<string>`'email'`.as('kind'),
              sql<string>`${`notify/${args.messageId}/`} || members.id`.as('idempotency_key'),
              sql<string>`${args.boardId}`.as('board_id'),
              sql<string>`${args.messageId}`.as('message_id'),
              sql<string>`json_object('template', 'member-notification', 'memberId', members.id)`.as(
                'payload',
              ),
              sql<string>`'pending'`.as('status'),
              sql<number>`0`.as('attempts'),
              sql<number>`${args.now}`.as('next_attempt_at'),
              sql<number>`${args.now}`.as('created_at'),
            ])
            .where('workspace_id', '=', args.workspaceId)
            .where('notify_email', '=', 1),
        )
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
    },

    /** A board's notifications that failed or have waited too long, newest first. */
    listProblems(workspaceId: string, boardId: string, now: number) {
      return db
        .selectFrom('outbox')
        .leftJoin('messages', 'messages.id', 'outbox.message_id')
        .select([
          'outbox.id',
          'outbox.kind',
          'outbox.idempotency_key',
          'outbox.payload',
          'outbox.status',
          'outbox.needs_attention',
          'outbox.attempts',
          'outbox.last_error',
          'outbox.created_at',
          'outbox.next_attempt_at',
          'messages.no as message_no',
        ])
        .where('outbox.workspace_id', '=', workspaceId)
        .where('outbox.board_id', '=', boardId)
        .where((w) =>
          w.or([
            w('outbox.status', '=', 'failed'),
            w.and([
              w('outbox.status', 'in', ['pending', 'sending']),
              w('outbox.created_at', '<=', now - STUCK_AFTER_MS),
            ]),
          ]),
        )
        .orderBy('outbox.created_at', 'desc')
        .limit(20)
        .execute()
    },

    /** The customer's latest notification emails on a board, with what the provider reported. */
    recentGuestEmails(workspaceId: string, boardId: string, limit: number) {
      return db
        .selectFrom('outbox')
        .leftJoin('messages', 'messages.id', 'outbox.message_id')
        .select([
          'outbox.id',
          'outbox.status',
          'outbox.needs_attention',
          'outbox.delivery_status',
          'outbox.created_at',
          'outbox.sent_at',
          'messages.no as message_no',
        ])
        .where('outbox.workspace_id', '=', workspaceId)
        .where('outbox.board_id', '=', boardId)
        .where('outbox.kind', '=', 'email')
        .where('outbox.idempotency_key', 'like', 'notify/%/guest')
        .orderBy('outbox.created_at', 'desc')
        .limit(limit)
        .execute()
    },

    /**
     * A member asks to try a failed notification again: a fresh set of attempts, the same key —
     * or, for one that needed attention (it may have gone out already), the next resend key
     * (outbox.ts providerKey): the member chose to send it again, duplicate or not.
     */
    retryFailed(workspaceId: string, boardId: string, outboxId: string, now: number) {
      return db
        .updateTable('outbox')
        .set({
          status: 'pending',
          attempts: 0,
          next_attempt_at: now,
          locked_until: null,
          // SQLite computes every SET from the row as it was: the old needs_attention counts
          manual_resends: sql<number>`manual_resends + needs_attention`,
          needs_attention: 0,
        })
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .where('id', '=', outboxId)
        .where('status', '=', 'failed')
        .executeTakeFirst()
    },

    setMemberNotifyEmail(
      workspaceId: string,
      memberId: string,
      on: boolean,
      team: { assigned?: boolean; mention?: boolean } = {},
    ) {
      return db
        .updateTable('members')
        .set({
          notify_email: on ? 1 : 0,
          ...(team.assigned === undefined ? {} : { notify_assigned: team.assigned ? 1 : 0 }),
          ...(team.mention === undefined ? {} : { notify_mention: team.mention ? 1 : 0 }),
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', memberId)
        .executeTakeFirst()
    },
  }
}
