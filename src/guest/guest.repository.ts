import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'

/** What the customer may see of a message: no internal flag, member id or contact phrase. */
const PUBLIC_MESSAGE_COLUMNS = [
  'id',
  'no',
  'author_kind',
  'author_name',
  'body',
  'decides_no',
  'edited_at',
  'created_at',
] as const

export function createGuestRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** The board by id alone: the customer proves access with the link or cookie, not a workspace. */
    findBoard(boardId: string) {
      return db.selectFrom('boards').selectAll().where('id', '=', boardId).executeTakeFirst()
    },

    findWorkspace(workspaceId: string) {
      return db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', workspaceId)
        .executeTakeFirst()
    },

    /**
     * Public messages only, numbered, after public number `afterNo`. The cursor is the public
     * number, not the internal sequence, so gaps never hint at internal notes.
     */
    listPublicMessages(boardId: string, afterNo = 0) {
      return db
        .selectFrom('messages')
        .select(PUBLIC_MESSAGE_COLUMNS)
        .where('board_id', '=', boardId)
        .where('internal', '=', 0)
        .where('no', 'is not', null)
        .where('no', '>', afterNo)
        .orderBy('no', 'asc')
        .$narrowType<{ no: number }>()
        .execute()
    },

    /** Inserted with the post (no ON CONFLICT): the same submit twice fails the second batch. */
    submissionQuery(boardId: string, submitKey: string, messageId: string, now: number) {
      return db.insertInto('guest_submissions').values({
        board_id: boardId,
        submit_key: submitKey,
        message_id: messageId,
        created_at: now,
      })
    },

    findSubmission(boardId: string, submitKey: string) {
      return db
        .selectFrom('guest_submissions')
        .select('message_id')
        .where('board_id', '=', boardId)
        .where('submit_key', '=', submitKey)
        .executeTakeFirst()
    },

    findPublicMessage(boardId: string, messageId: string) {
      return db
        .selectFrom('messages')
        .select(PUBLIC_MESSAGE_COLUMNS)
        .where('board_id', '=', boardId)
        .where('id', '=', messageId)
        .where('internal', '=', 0)
        .$narrowType<{ no: number }>()
        .executeTakeFirst()
    },

    /** Read receipt: one statement, never moves backwards. */
    markGuestRead(workspaceId: string, boardId: string, upToNo: number, now: number) {
      return db
        .updateTable('boards')
        .set({ guest_read_no: sql`MAX(guest_read_no, ${upToNo})`, guest_read_at: now })
        .where('id', '=', boardId)
        .where('workspace_id', '=', workspaceId)
        .execute()
    },

    /** Revokes every earlier link and cookie in one statement by bumping the version. */
    reissueLink(workspaceId: string, boardId: string, now: number) {
      return db
        .updateTable('boards')
        .set({ guest_link_version: sql`guest_link_version + 1`, updated_at: now })
        .where('id', '=', boardId)
        .where('workspace_id', '=', workspaceId)
        .returningAll()
        .executeTakeFirst()
    },
  }
}

export type GuestMessage = Awaited<
  ReturnType<ReturnType<typeof createGuestRepository>['listPublicMessages']>
>[number]
