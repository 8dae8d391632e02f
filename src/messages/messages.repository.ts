import { sql, type Compilable, type Kysely } from 'kysely'
import type { BoardStatus, Database, MessageRow } from '../db/schema'

export interface NewMessage {
  id: string
  workspaceId: string
  boardId: string
  internal: boolean
  authorKind: 'member' | 'guest' | 'api'
  authorMemberId: string | null
  authorName: string
  body: string
  decidesNo: number | null
  nextContactPhrase: string | null
  nextContactOn: string | null
  nextContactTime: string | null
  notifyGuest: boolean
  now: number
}

export interface BoardChangeOnPost {
  /** every current status → the status after this post (see statusTransitions) */
  transitions: Record<BoardStatus, BoardStatus>
  /** new expiry floor for public posts; null leaves expiry alone */
  expiresAtLeast: number | null
  decisionNo: number | null
  nextContact: { on: string | null; time: string | null } | null
  /**
   * For customer posts: the instant of the post. If the board is closed or expired by the time
   * the batch runs, the insert violates NOT NULL on `seq` and the whole batch rolls back — the
   * state check and the write are then one atomic step, with no transaction held open.
   */
  guestPostAt?: number
}

export function createMessagesRepository({ db }: { db: Kysely<Database> }) {
  return {
    listForBoard(boardId: string, options: { afterSeq?: number; publicOnly?: boolean } = {}) {
      let query = db.selectFrom('messages').selectAll().where('board_id', '=', boardId)
      if (options.afterSeq) query = query.where('seq', '>', options.afterSeq)
      if (options.publicOnly) query = query.where('internal', '=', 0)
      return query.orderBy('seq', 'asc').execute()
    },

    findById(workspaceId: string, messageId: string) {
      return db
        .selectFrom('messages')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', messageId)
        .executeTakeFirst()
    },

    findByNo(boardId: string, no: number) {
      return db
        .selectFrom('messages')
        .selectAll()
        .where('board_id', '=', boardId)
        .where('no', '=', no)
        .executeTakeFirst()
    },

    /**
     * The statements that post a message: the row (numbered from the board's own counters in
     * the same statement) and the board's counters, status, expiry and markers. Run them in one
     * batch together with whatever else belongs to the post (outbox rows, read positions).
     */
    postQueries(message: NewMessage, change: BoardChangeOnPost): Compilable[] {
      const insert = db
        .insertInto('messages')
        .columns([
          'id',
          'workspace_id',
          'board_id',
          'no',
          'seq',
          'internal',
          'author_kind',
          'author_member_id',
          'author_name',
          'body',
          'decides_no',
          'next_contact_phrase',
          'next_contact_on',
          'next_contact_time',
          'notify_guest',
          'created_at',
        ])
        .expression((eb) =>
          eb
            .selectFrom('boards')
            .select([
              sql<string>`${message.id}`.as('id'),
              'workspace_id',
              'id as board_id',
              (message.internal ? sql<number | null>`NULL` : sql<number | null>`last_no + 1`).as(
                'no',
              ),
              (change.guestPostAt === undefined
                ? sql<number>`message_seq + 1`
                : sql<number>`CASE WHEN status = 'closed' OR expires_at <= ${change.guestPostAt} THEN NULL ELSE message_seq + 1 END`
              ).as('seq'),
              sql<number>`${message.internal ? 1 : 0}`.as('internal'),
              sql<string>`${message.authorKind}`.as('author_kind'),
              sql<string | null>`${message.authorMemberId}`.as('author_member_id'),
              sql<string>`${message.authorName}`.as('author_name'),
              sql<string>`${message.body}`.as('body'),
              sql<number | null>`${message.decidesNo}`.as('decides_no'),
              sql<string | null>`${message.nextContactPhrase}`.as('next_contact_phrase'),
              sql<string | null>`${message.nextContactOn}`.as('next_contact_on'),
              sql<string | null>`${message.nextContactTime}`.as('next_contact_time'),
              sql<number>`${message.notifyGuest ? 1 : 0}`.as('notify_guest'),
              sql<number>`${message.now}`.as('created_at'),
            ])
            .where('id', '=', message.boardId)
            .where('workspace_id', '=', message.workspaceId),
        )

      const statusCase = sql<BoardStatus>`CASE status ${sql.join(
        Object.entries(change.transitions).map(([from, to]) => sql`WHEN ${from} THEN ${to}`),
        sql` `,
      )} ELSE status END`

      let update = db
        .updateTable('boards')
        .set({
          message_seq: sql`message_seq + 1`,
          status: statusCase,
          last_activity_at: message.now,
          updated_at: message.now,
        })
        .where('id', '=', message.boardId)
        .where('workspace_id', '=', message.workspaceId)
      if (!message.internal) {
        update = update.set({
          last_no: sql`last_no + 1`,
          last_public_author: message.authorKind === 'guest' ? 'guest' : 'member',
        })
      }
      if (change.expiresAtLeast !== null) {
        update = update.set({ expires_at: sql`MAX(expires_at, ${change.expiresAtLeast})` })
      }
      if (change.decisionNo !== null) update = update.set({ decision_no: change.decisionNo })
      if (change.nextContact) {
        update = update.set({
          next_contact_on: change.nextContact.on,
          next_contact_time: change.nextContact.time,
        })
      }
      return [insert.returningAll(), update.returningAll()]
    },

    /**
     * Freezes what was decided: the decided message's text as it is at this moment, and its
     * public files (id, name, size, SHA-256, whether retention had removed the contents), read
     * by the same statement so the record and the files it names are one snapshot.
     */
    decisionQuery(decision: {
      id: string
      workspaceId: string
      boardId: string
      decisionNo: number
      decidedMessageId: string
      decidedBody: string
      decidedSha256: string
      confirmingMessageId: string
      memberId: string | null
      memberName: string
      now: number
    }): Compilable {
      return db.insertInto('decisions').values({
        id: decision.id,
        workspace_id: decision.workspaceId,
        board_id: decision.boardId,
        decision_no: decision.decisionNo,
        decided_message_id: decision.decidedMessageId,
        confirming_message_id: decision.confirmingMessageId,
        decided_body: decision.decidedBody,
        decided_sha256: decision.decidedSha256,
        decided_by_member_id: decision.memberId,
        decided_by_name: decision.memberName,
        decided_at: decision.now,
        decided_files: sql<string>`(SELECT json_group_array(json_object('id', f.id, 'name', f.name, 'size', f.size, 'sha256', f.sha256, 'removed', f.deleted_at IS NOT NULL)) FROM (SELECT id, name, size, sha256, deleted_at FROM attachments WHERE message_id = ${decision.decidedMessageId} AND internal = 0 ORDER BY created_at, id) AS f)`,
      })
    },

    /** The board's latest decision, with the public number of the message that confirmed it. */
    latestDecision(boardId: string) {
      return db
        .selectFrom('decisions as d')
        .leftJoin('messages as confirming', 'confirming.id', 'd.confirming_message_id')
        .selectAll('d')
        .select('confirming.no as confirming_no')
        .where('d.board_id', '=', boardId)
        .orderBy('d.decided_at', 'desc')
        .limit(1)
        .executeTakeFirst()
    },

    /** A message's public files as they are now (the decision record marks removed ones). */
    publicFiles(messageId: string) {
      return db
        .selectFrom('attachments')
        .select(['id', 'name', 'size', 'sha256', 'deleted_at'])
        .where('message_id', '=', messageId)
        .where('internal', '=', 0)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    /**
     * The edit and the board's thread revision, for one batch. With `nextContact` the message's
     * date columns change too, and the board's date follows when this message is the one that
     * set it: the board still shows the message's old date and no later message carries one.
     */
    updateBodyQueries(
      workspaceId: string,
      boardId: string,
      messageId: string,
      body: string,
      now: number,
      nextContact?: {
        on: string | null
        time: string | null
        phrase: string | null
        /** the message's date before the edit, and its place in the thread */
        was: { on: string | null; time: string | null; seq: number | null }
      },
    ): Compilable[] {
      const edit = db
        .updateTable('messages')
        .set(
          nextContact
            ? {
                body,
                edited_at: now,
                next_contact_on: nextContact.on,
                next_contact_time: nextContact.time,
                next_contact_phrase: nextContact.phrase,
              }
            : { body, edited_at: now },
        )
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .where('id', '=', messageId)
        .where('author_kind', '!=', 'guest')
        .returningAll()
      const rev = db
        .updateTable('boards')
        .set({ thread_rev: sql`thread_rev + 1` })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', boardId)
      if (!nextContact) return [edit, rev]
      const { was } = nextContact
      const follow = db
        .updateTable('boards')
        .set({ next_contact_on: nextContact.on, next_contact_time: nextContact.time })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', boardId)
        // IS compares NULLs as equal: a board without a date follows a message that had none.
        .where(sql<boolean>`next_contact_on IS ${was.on} AND next_contact_time IS ${was.time}`)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('messages as later')
                .select(sql`1`.as('one'))
                .where('later.board_id', '=', boardId)
                .where('later.seq', '>', was.seq ?? Number.MAX_SAFE_INTEGER)
                .where('later.next_contact_on', 'is not', null),
            ),
          ),
        )
      return [edit, rev, follow]
    },
  }
}

export type { MessageRow }
