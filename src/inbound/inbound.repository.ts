import type { Insertable, Kysely } from 'kysely'
import type { AttachmentTable, BoardRow, Database, OutboxTable, Workspace } from '../db/schema'
import type { InboundOutcome } from './inbound.usecases'

/**
 * Kysely queries of reply by email: the board a mail answers, the files it carries, the
 * automatic answer it may get, and its `inbound_emails` record (claimed once per Message-ID).
 * Plain statements only (no interactive transaction), so the same code runs on SQLite and D1.
 */
export function createInboundRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** A board by id with its workspace; undefined when either is gone. */
    async boardWithWorkspace(
      boardId: string,
    ): Promise<{ board: BoardRow; workspace: Workspace } | undefined> {
      const board = await db
        .selectFrom('boards')
        .selectAll()
        .where('id', '=', boardId)
        .executeTakeFirst()
      if (!board) return undefined
      const workspace = await db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', board.workspace_id)
        .executeTakeFirst()
      return workspace ? { board, workspace } : undefined
    },

    /** A board by id, in no particular workspace (a bounce names it by our own ids). */
    board(boardId: string): Promise<BoardRow | undefined> {
      return db.selectFrom('boards').selectAll().where('id', '=', boardId).executeTakeFirst()
    },

    /** The boards of our messages with these ids (the ones that exist), in no order. */
    async boardIdsOfMessages(messageIds: string[]): Promise<string[]> {
      if (messageIds.length === 0) return []
      const rows = await db
        .selectFrom('messages')
        .select('board_id')
        .where('id', 'in', messageIds)
        .execute()
      return rows.map((row) => row.board_id)
    },

    /** One pending attachment row (no message yet) for a file that came with a mail. */
    insertAttachment(values: Insertable<AttachmentTable>) {
      return db.insertInto('attachments').values(values).execute()
    },

    /** Queues an automatic answer; a second one under the same idempotency key is dropped. */
    queueAnswer(values: Insertable<OutboxTable>) {
      return db
        .insertInto('outbox')
        .values(values)
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .execute()
    },

    /**
     * Claims a mail by its Message-ID (outcome `processing`): true when this call claimed it,
     * false when it was seen before (a provider's retry, a resend).
     */
    async claim(mail: {
      messageId: string
      fromAddress: string | null
      subject: string
      now: number
    }): Promise<boolean> {
      const claimed = await db
        .insertInto('inbound_emails')
        .values({
          message_id: mail.messageId,
          from_address: mail.fromAddress,
          subject: mail.subject,
          outcome: 'processing',
          created_at: mail.now,
        })
        .onConflict((oc) => oc.column('message_id').doNothing())
        .executeTakeFirst()
      return Number(claimed.numInsertedOrUpdatedRows ?? 0) > 0
    },

    /** Records what became of a claimed mail. */
    record(
      messageId: string,
      values: {
        outcome: InboundOutcome
        board?: BoardRow
        postedMessageId?: string
        rawKey?: string
      },
    ) {
      return db
        .updateTable('inbound_emails')
        .set({
          outcome: values.outcome,
          workspace_id: values.board?.workspace_id ?? null,
          board_id: values.board?.id ?? null,
          posted_message_id: values.postedMessageId ?? null,
          raw_key: values.rawKey ?? null,
        })
        .where('message_id', '=', messageId)
        .execute()
    },

    /** Gives a claim back (the handling failed) so the provider's retry can try again. */
    release(messageId: string) {
      return db.deleteFrom('inbound_emails').where('message_id', '=', messageId).execute()
    },
  }
}
