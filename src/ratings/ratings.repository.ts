import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { LOW_RATING_MAX, RATING_CHANGE_MS } from './ratings.rules'

/** The outbox kind of a low-rating alert to a member (src/notifications/outbox.handlers.ts). */
export const RATING_ALERT_KIND = 'rating-alert'

/** Kysely queries for the customer's rating (columns of `boards`, migrations/0017_ratings.sql). */
export function createRatingsRepository({ db }: { db: Kysely<Database> }) {
  return {
    /**
     * Records a rating in one statement, only while the rules allow it: the board is done and
     * not expired, and it was never rated or first rated less than 7 days ago. The first
     * rating's time is kept; `rating_event_id` marks this write for the statements after it.
     * Returns the board (RETURNING), or no row when refused.
     */
    rateQuery(args: {
      workspaceId: string
      boardId: string
      score: number
      comment: string | null
      eventId: string
      now: number
    }) {
      return db
        .updateTable('boards')
        .set({
          rating_score: args.score,
          rating_comment: args.comment,
          rated_at: args.now,
          first_rated_at: sql<number>`COALESCE(first_rated_at, ${args.now})`,
          rating_event_id: args.eventId,
          updated_at: args.now,
        })
        .where('workspace_id', '=', args.workspaceId)
        .where('id', '=', args.boardId)
        .where('status', '=', 'done')
        .where('expires_at', '>', args.now)
        .where((eb) =>
          eb.or([
            eb('first_rated_at', 'is', null),
            eb('first_rated_at', '>', args.now - RATING_CHANGE_MS),
          ]),
        )
        .returningAll()
    },

    /**
     * The low-rating alert: one email row for the board's assignee (担当者) whatever their email
     * setting — the board is theirs — or, when it has none, one per member who takes
     * customer-post emails (`notify_email`); selected only when this very write (`eventId`) left
     * a score of 1–2, with the assignee read by the same statement.
     * Keyed rating-alert/<board>/<member>: a member is alerted once per board, however often
     * the customer changes a low rating, and a repeated batch adds nothing. The score and
     * comment are frozen into the row (the email says what the customer said then).
     */
    lowRatingAlertQuery(args: {
      workspaceId: string
      boardId: string
      eventId: string
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
            .selectFrom('members as m')
            .innerJoin('boards as b', (join) =>
              join.onRef('b.workspace_id', '=', 'm.workspace_id').on('b.id', '=', args.boardId),
            )
            .select([
              sql<string>`lower(hex(randomblob(16)))`.as('id'),
              'm.workspace_id',
              sql<string>`${RATING_ALERT_KIND}`.as('kind'),
              sql<string>`${`rating-alert/${args.boardId}/`} || m.id`.as('idempotency_key'),
              'b.id as board_id',
              sql<string>`json_object('memberId', m.id, 'score', b.rating_score, 'comment', b.rating_comment, 'ratedAt', b.rated_at)`.as(
                'payload',
              ),
              sql<string>`'pending'`.as('status'),
              sql<number>`0`.as('attempts'),
              sql<number>`${args.now}`.as('next_attempt_at'),
              sql<number>`${args.now}`.as('created_at'),
            ])
            .where('m.workspace_id', '=', args.workspaceId)
            .where((eb) =>
              eb.or([
                eb('m.id', '=', eb.ref('b.assignee_member_id')),
                eb.and([eb('b.assignee_member_id', 'is', null), eb('m.notify_email', '=', 1)]),
              ]),
            )
            .where('b.rating_event_id', '=', args.eventId)
            .where('b.rating_score', '<=', LOW_RATING_MAX),
        )
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
    },
  }
}
