import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { TEAM_NOTICE_KIND } from '../assignee/team-notice.mail'

/** Kysely queries for mentions (migrations/0021_mentions.sql). */
export function createMentionsRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** The members a note can mention: this workspace's, for the composer and the post. */
    mentionable(workspaceId: string) {
      return db
        .selectFrom('members')
        .select(['id', 'name', 'email', 'name_kana'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('name')
        .execute()
    },

    /**
     * The note's mention rows and, for each mentioned member whose `notify_mention` is on, one
     * `team-notice` email row keyed `mention/<message>/<member>`: statements for the note's own
     * batch. The member must be of `workspaceId` (checked by the SELECT), else nothing.
     */
    insertQueries(args: {
      ids: () => string
      workspaceId: string
      boardId: string
      messageId: string
      memberIds: string[]
      author: { memberId: string | null; name: string }
      now: number
    }): Compilable[] {
      return args.memberIds.flatMap((memberId) => [
        db
          .insertInto('mentions')
          .columns([
            'id',
            'workspace_id',
            'board_id',
            'message_id',
            'member_id',
            'author_member_id',
            'created_at',
          ])
          .expression((eb) =>
            eb
              .selectFrom('members')
              .select([
                sql<string>`${args.ids()}`.as('id'),
                'workspace_id',
                sql<string>`${args.boardId}`.as('board_id'),
                sql<string>`${args.messageId}`.as('message_id'),
                'id as member_id',
                sql<string | null>`${args.author.memberId}`.as('author_member_id'),
                sql<number>`${args.now}`.as('created_at'),
              ])
              .where('workspace_id', '=', args.workspaceId)
              .where('id', '=', memberId),
          )
          .onConflict((oc) => oc.doNothing()),
        db
          .insertInto('outbox')
          .columns([
            'id',
            'workspace_id',
            'kind',
            'idempotency_key',
            'board_id',
            'message_id',
            'payload',
            'next_attempt_at',
            'created_at',
          ])
          .expression((eb) =>
            eb
              .selectFrom('members')
              .select([
                sql<string>`${args.ids()}`.as('id'),
                'workspace_id',
                sql<string>`${TEAM_NOTICE_KIND}`.as('kind'),
                sql<string>`${`mention/${args.messageId}/${memberId}`}`.as('idempotency_key'),
                sql<string>`${args.boardId}`.as('board_id'),
                sql<string>`${args.messageId}`.as('message_id'),
                sql<string>`json_object('kind', 'mentioned', 'memberId', id, 'actorName', ${args.author.name})`.as(
                  'payload',
                ),
                sql<number>`${args.now}`.as('next_attempt_at'),
                sql<number>`${args.now}`.as('created_at'),
              ])
              .where('workspace_id', '=', args.workspaceId)
              .where('id', '=', memberId)
              .where('notify_mention', '=', 1),
          )
          .onConflict((oc) => oc.column('idempotency_key').doNothing()),
      ])
    },

    /** A member's mentions, newest first, with the board and the note (this workspace only). */
    listForMember(workspaceId: string, memberId: string, limit: number) {
      return db
        .selectFrom('mentions as mn')
        .innerJoin('boards as b', 'b.id', 'mn.board_id')
        .innerJoin('messages as msg', 'msg.id', 'mn.message_id')
        .select([
          'mn.id',
          'mn.created_at',
          'mn.read_at',
          'b.id as board_id',
          'b.name as board_name',
          'b.customer_name',
          'msg.seq',
          'msg.body',
          'msg.author_name',
        ])
        .where('mn.workspace_id', '=', workspaceId)
        .where('mn.member_id', '=', memberId)
        .orderBy('mn.created_at', 'desc')
        .orderBy('mn.id')
        .limit(limit)
        .execute()
    },

    /** The member opened the board: its mentions of them are read (statement for a batch). */
    markBoardRead(memberId: string, boardId: string, now: number) {
      return db
        .updateTable('mentions')
        .set({ read_at: now })
        .where('member_id', '=', memberId)
        .where('board_id', '=', boardId)
        .where('read_at', 'is', null)
    },
  }
}
