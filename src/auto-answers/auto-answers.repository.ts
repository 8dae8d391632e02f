import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'

/** The outbox kind of an automatic answer's email (src/notifications/outbox.handlers.ts). */
export const AUTO_ANSWER_KIND = 'auto-answer'

/** Kysely queries for automatic answers (`auto_answers`). */
export function createAutoAnswersRepository({ db }: { db: Kysely<Database> }) {
  /**
   * The email of answer `id`, inserted only if that answer is in the table as 'sent' by this
   * very batch (its row was just written or claimed): a repeat or a lost race writes nothing.
   */
  function emailIfSent(args: {
    id: string
    outboxId: string
    workspaceId: string
    boardId: string
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
        'payload',
        'status',
        'attempts',
        'next_attempt_at',
        'created_at',
      ])
      .expression((eb) =>
        eb
          .selectFrom('auto_answers')
          .select([
            sql<string>`${args.outboxId}`.as('id'),
            'workspace_id',
            sql<string>`${AUTO_ANSWER_KIND}`.as('kind'),
            sql<string>`${`auto-answer/${args.id}`}`.as('idempotency_key'),
            'board_id',
            sql<string>`json_object('autoAnswerId', auto_answers.id)`.as('payload'),
            sql<string>`'pending'`.as('status'),
            sql<number>`0`.as('attempts'),
            sql<number>`${args.now}`.as('next_attempt_at'),
            sql<number>`${args.now}`.as('created_at'),
          ])
          .where('id', '=', args.id)
          .where('workspace_id', '=', args.workspaceId)
          .where('board_id', '=', args.boardId)
          .where('state', '=', 'sent')
          .where('sent_at', '=', args.now),
      )
      .onConflict((oc) => oc.column('idempotency_key').doNothing())
  }

  return {
    emailIfSent,

    /**
     * Outside business hours: the answer, sent in the customer post's own batch. A second
     * customer post in the same opening period hits the unique key and writes nothing (nor an
     * email, which is gated on this row).
     */
    insertSent(row: {
      id: string
      outboxId: string
      workspaceId: string
      boardId: string
      periodStart: number
      customerMessageId: string
      body: string
      now: number
    }): Compilable[] {
      return [
        db
          .insertInto('auto_answers')
          .values({
            id: row.id,
            workspace_id: row.workspaceId,
            board_id: row.boardId,
            period_start: row.periodStart,
            customer_message_id: row.customerMessageId,
            due_at: row.now,
            state: 'sent',
            body: row.body,
            sent_at: row.now,
            created_at: row.now,
          })
          .onConflict((oc) => oc.columns(['board_id', 'period_start']).doNothing()),
        emailIfSent({ ...row, id: row.id }),
      ]
    },

    /** Within business hours: an answer waiting for `dueAt` (at most one per period). */
    schedule(row: {
      id: string
      workspaceId: string
      boardId: string
      periodStart: number
      customerMessageId: string
      dueAt: number
      now: number
    }): Compilable {
      return db
        .insertInto('auto_answers')
        .values({
          id: row.id,
          workspace_id: row.workspaceId,
          board_id: row.boardId,
          period_start: row.periodStart,
          customer_message_id: row.customerMessageId,
          due_at: row.dueAt,
          state: 'pending',
          created_at: row.now,
        })
        .onConflict((oc) => oc.columns(['board_id', 'period_start']).doNothing())
    },

    /** A staff answer (or a closed board) makes a waiting answer pointless. */
    cancelPending(workspaceId: string, boardId: string): Compilable {
      return db
        .updateTable('auto_answers')
        .set({ state: 'cancelled' })
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .where('state', '=', 'pending')
    },

    /** Waiting answers whose time has come, oldest first. */
    due(now: number, limit: number) {
      return db
        .selectFrom('auto_answers')
        .selectAll()
        .where('state', '=', 'pending')
        .where('due_at', '<=', now)
        .orderBy('due_at')
        .limit(limit)
        .execute()
    },

    /** Claims a waiting answer as sent with its text; a second claim changes nothing. */
    claimSent(args: { id: string; body: string; now: number }): Compilable {
      return db
        .updateTable('auto_answers')
        .set({ state: 'sent', body: args.body, sent_at: args.now })
        .where('id', '=', args.id)
        .where('state', '=', 'pending')
    },

    cancel(id: string): Compilable {
      return db
        .updateTable('auto_answers')
        .set({ state: 'cancelled' })
        .where('id', '=', id)
        .where('state', '=', 'pending')
    },

    findById(workspaceId: string, id: string) {
      return db
        .selectFrom('auto_answers')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
        .executeTakeFirst()
    },

    /**
     * The latest answer sent since the board's last public staff message (what the customer
     * is still waiting on), or undefined.
     */
    latestUnanswered(workspaceId: string, boardId: string) {
      return db
        .selectFrom('auto_answers')
        .select(['body', 'sent_at'])
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .where('state', '=', 'sent')
        .where(
          'sent_at',
          '>',
          sql<number>`COALESCE((SELECT MAX(created_at) FROM messages WHERE board_id = ${boardId} AND internal = 0 AND author_kind != 'guest'), 0)`,
        )
        .orderBy('sent_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    },

    /** The board's answers as sent, newest first (the board shows them as system lines). */
    sentForBoard(workspaceId: string, boardId: string, limit = 20) {
      return db
        .selectFrom('auto_answers')
        .select(['id', 'body', 'sent_at'])
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .where('state', '=', 'sent')
        .orderBy('sent_at', 'desc')
        .limit(limit)
        .execute()
    },
  }
}
