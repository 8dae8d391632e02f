import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { preparedQuery } from '../db/prepared'

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

// The customer's page runs these on every view and poll: compiled once (src/db/prepared.ts).
const findBoardQuery = preparedQuery((db: Kysely<Database>, boardId: string) =>
  db.selectFrom('boards').selectAll().where('id', '=', boardId),
)
const findWorkspaceQuery = preparedQuery((db: Kysely<Database>, workspaceId: string) =>
  db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId),
)
const listPublicMessagesQuery = preparedQuery(
  (db: Kysely<Database>, boardId: string, afterNo: number) =>
    db
      .selectFrom('messages')
      .select(PUBLIC_MESSAGE_COLUMNS)
      .where('board_id', '=', boardId)
      .where('internal', '=', 0)
      .where('no', 'is not', null)
      .where('no', '>', afterNo)
      .orderBy('no', 'asc')
      .$narrowType<{ no: number }>(),
)

export function createGuestRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** The board by id alone: the customer proves access with the link or cookie, not a workspace. */
    async findBoard(boardId: string) {
      const [board] = await findBoardQuery(db, boardId)
      return board
    },

    async findWorkspace(workspaceId: string) {
      const [workspace] = await findWorkspaceQuery(db, workspaceId)
      return workspace
    },

    /**
     * Public messages only, numbered, after public number `afterNo`. The cursor is the public
     * number, not the internal sequence, so gaps never hint at internal notes.
     */
    listPublicMessages(boardId: string, afterNo = 0) {
      return listPublicMessagesQuery(db, boardId, afterNo)
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
    markGuestReadQuery(workspaceId: string, boardId: string, upToNo: number, now: number) {
      return db
        .updateTable('boards')
        .set({ guest_read_no: sql`MAX(guest_read_no, ${upToNo})`, guest_read_at: now })
        .where('id', '=', boardId)
        .where('workspace_id', '=', workspaceId)
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
