import { sql, type Compilable, type Kysely, type RawBuilder } from 'kysely'
import type { BoardRow, Database } from '../db/schema'

/** The board details a member (or the Shop API) may correct. */
export const DETAIL_FIELDS = ['name', 'customer_name', 'customer_email'] as const
export type DetailField = (typeof DETAIL_FIELDS)[number]

export interface EventActor {
  kind: 'member' | 'api'
  memberId: string | null
  /** the member's name, or the API key's name (members see it; the customer never does) */
  name: string
}

/** Key of the one re-send of a message's customer notification after an address change. */
export const resendKey = (messageId: string, eventId: string) =>
  `notify/${messageId}/resend-${eventId}/guest`

export function createBoardEventsRepository({ db }: { db: Kysely<Database> }) {
  // A raw statement as a batch item (the batch compiles each item itself).
  const statement = (query: RawBuilder<unknown>): Compilable => ({
    compile: () => query.compile(db),
  })
  return {
    /** A board's system lines, oldest first. */
    listForBoard(workspaceId: string, boardId: string) {
      return db
        .selectFrom('board_events')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .orderBy('at')
        .orderBy('after_seq')
        .execute()
    },

    /**
     * The system line for one corrected field, written only when the field really changes: the
     * old value is read from the board by the statement itself, in the batch before the update,
     * so the line says what the board held at that moment whoever else edits it. A customer
     * email whose old address bounced remembers the message of the last customer notification,
     * which may then be re-sent to the new address (`resendOffer`).
     */
    detailChangedQuery(args: {
      id: string
      workspaceId: string
      boardId: string
      field: DetailField
      value: string
      actor: EventActor
      now: number
    }): Compilable {
      const column = sql.ref(`boards.${args.field}`)
      // After a bounce: the last notification's message. Fixing the fix (a typo in the new
      // address) carries an offer not yet used over to the newest address.
      const lastNotified =
        args.field === 'customer_email'
          ? sql`CASE WHEN boards.guest_email_problem = 'bounced' THEN (
              SELECT o.message_id FROM outbox AS o
              WHERE o.board_id = boards.id AND o.kind = 'email'
                AND o.idempotency_key LIKE 'notify/%/guest' AND o.message_id IS NOT NULL
              ORDER BY o.created_at DESC, o.id DESC LIMIT 1)
            ELSE (
              SELECT e.message_id FROM board_events AS e
              WHERE e.board_id = boards.id AND e.kind = 'detail_changed'
                AND e.field = 'customer_email'
                AND NOT EXISTS (SELECT 1 FROM outbox AS o
                  WHERE o.board_id = boards.id AND o.kind = 'email'
                    AND o.idempotency_key LIKE 'notify/%/guest' AND o.created_at >= e.at)
              ORDER BY e.at DESC LIMIT 1) END`
          : sql`NULL`
      return statement(sql`INSERT INTO board_events
          (id, workspace_id, board_id, after_seq, kind, field, old_value, new_value, message_id,
           actor_kind, actor_member_id, actor_name, at)
        SELECT ${args.id}, boards.workspace_id, boards.id, boards.message_seq, 'detail_changed',
          ${args.field}, ${column}, ${args.value}, ${lastNotified},
          ${args.actor.kind}, ${args.actor.memberId}, ${args.actor.name}, ${args.now}
        FROM boards
        WHERE boards.id = ${args.boardId} AND boards.workspace_id = ${args.workspaceId}
          AND ${column} IS NOT ${args.value}`)
    },

    /**
     * The corrected details on the board itself. A new customer address clears the bounce or
     * spam warning of the old one; thread_rev moves so the kept thread markup (which shows the
     * system lines) is rendered again.
     */
    updateDetailsQuery(
      workspaceId: string,
      boardId: string,
      changes: Partial<Record<DetailField, string>>,
      now: number,
    ) {
      return db
        .updateTable('boards')
        .set({
          ...changes,
          ...(changes.customer_email !== undefined
            ? { guest_email_problem: null, guest_email_problem_at: null }
            : {}),
          thread_rev: sql`thread_rev + 1`,
          updated_at: now,
        })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', boardId)
        .returningAll()
    },

    /**
     * The re-send a member may still make: the latest address change followed a bounce, the
     * board still has that address, and no customer notification was queued since (neither
     * the re-send itself nor a new post's). Undefined when there is none.
     */
    async resendOffer(board: Pick<BoardRow, 'id' | 'workspace_id' | 'customer_email'>) {
      const latest = await db
        .selectFrom('board_events as e')
        .leftJoin('messages as m', 'm.id', 'e.message_id')
        .select(['e.id', 'e.new_value', 'e.message_id', 'e.at', 'm.no'])
        .where('e.workspace_id', '=', board.workspace_id)
        .where('e.board_id', '=', board.id)
        .where('e.kind', '=', 'detail_changed')
        .where('e.field', '=', 'customer_email')
        .orderBy('e.at', 'desc')
        .limit(1)
        .executeTakeFirst()
      // the latest change followed no bounce: nothing to offer
      if (!latest || latest.no == null || latest.message_id === null) return undefined
      if (latest.new_value !== board.customer_email) return undefined
      const since = await db
        .selectFrom('outbox')
        .select('id')
        .where('board_id', '=', board.id)
        .where('kind', '=', 'email')
        .where('idempotency_key', 'like', 'notify/%/guest')
        .where('created_at', '>=', latest.at)
        .limit(1)
        .executeTakeFirst()
      if (since) return undefined
      return {
        eventId: latest.id,
        messageId: latest.message_id,
        no: latest.no,
        to: latest.new_value,
        at: latest.at,
      }
    },

    /**
     * The re-send's system line, written only while its outbox row does not exist yet: in one
     * batch before that row's insert, a second click writes neither.
     */
    resentQuery(args: {
      id: string
      workspaceId: string
      boardId: string
      messageId: string
      to: string
      outboxKey: string
      actor: EventActor
      now: number
    }): Compilable {
      return statement(sql`INSERT INTO board_events
          (id, workspace_id, board_id, after_seq, kind, field, old_value, new_value, message_id,
           actor_kind, actor_member_id, actor_name, at)
        SELECT ${args.id}, boards.workspace_id, boards.id, boards.message_seq,
          'notification_resent', NULL, NULL, ${args.to}, ${args.messageId},
          ${args.actor.kind}, ${args.actor.memberId}, ${args.actor.name}, ${args.now}
        FROM boards
        WHERE boards.id = ${args.boardId} AND boards.workspace_id = ${args.workspaceId}
          AND NOT EXISTS (SELECT 1 FROM outbox WHERE idempotency_key = ${args.outboxKey})`)
    },

    /** Moves thread_rev so the kept thread (with its system lines) is rendered again. */
    bumpThreadRevQuery(workspaceId: string, boardId: string) {
      return db
        .updateTable('boards')
        .set({ thread_rev: sql`thread_rev + 1` })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', boardId)
    },
  }
}
