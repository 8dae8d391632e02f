import { sql, type Kysely } from 'kysely'
import type { BoardRow, BoardStatus, Database } from '../db/schema'
import { planList, type ListClause } from '../shared/list-filter'
import { searchClauses, type BoardSearch } from '../search/search.filter'

export interface ApiBoardQuery {
  workspaceId: string
  status?: BoardStatus
  dedupeKey?: string
  updatedSince?: number
  nextContactBefore?: string
  /** a parsed and resolved search (src/search/search.filter.ts) */
  search?: BoardSearch
  cursor?: { updatedAt: number; id: string }
  limit: number
}

type ApiListBuilder = ReturnType<typeof apiListBase>
const apiListBase = (db: Kysely<Database>) => db.selectFrom('boards').selectAll()

/** The API's board list filters, each with its SQL and values (see src/shared/list-filter.ts). */
const API_BOARD_CLAUSES: readonly ListClause<ApiBoardQuery, ApiListBuilder>[] = [
  {
    name: 'workspace',
    values: (query) => [query.workspaceId],
    apply: (builder, [workspaceId]: [string]) => builder.where('workspace_id', '=', workspaceId),
  },
  {
    name: 'status',
    values: (query) => (query.status ? [query.status] : undefined),
    apply: (builder, [status]: [BoardStatus]) => builder.where('status', '=', status),
  },
  {
    name: 'dedupe-key',
    values: (query) => (query.dedupeKey ? [query.dedupeKey] : undefined),
    apply: (builder, [key]: [string]) => builder.where('dedupe_key', '=', key),
  },
  {
    name: 'updated-since',
    values: (query) => (query.updatedSince !== undefined ? [query.updatedSince] : undefined),
    apply: (builder, [since]: [number]) => builder.where('updated_at', '>=', since),
  },
  {
    name: 'next-contact-before',
    values: (query) => (query.nextContactBefore ? [query.nextContactBefore] : undefined),
    apply: (builder, [before]: [string]) => builder.where('next_contact_on', '<', before),
  },
  ...searchClauses<ApiBoardQuery, ApiListBuilder>('boards.', (query) => query.search),
  {
    name: 'order',
    values: (query) => (query.cursor ? [query.cursor.updatedAt, query.cursor.id] : []),
    apply: (builder, after: [number, string] | []) =>
      (after.length > 0
        ? builder.where(sql<boolean>`(updated_at, id) > (${after[0]}, ${after[1]})`)
        : builder
      )
        .orderBy('updated_at', 'asc')
        .orderBy('id', 'asc'),
  },
  {
    name: 'limit',
    values: (query) => [query.limit],
    apply: (builder, [limit]: [number]) => builder.limit(limit),
  },
]

export function createApiRepository({ db }: { db: Kysely<Database> }) {
  return {
    insertKey(key: {
      id: string
      workspaceId: string
      name: string
      prefix: string
      keyHash: string
      scope: 'read' | 'write'
      createdBy: string | null
      now: number
    }) {
      return db
        .insertInto('api_keys')
        .values({
          id: key.id,
          workspace_id: key.workspaceId,
          name: key.name,
          prefix: key.prefix,
          key_hash: key.keyHash,
          scope: key.scope,
          created_by: key.createdBy,
          created_at: key.now,
        })
        .execute()
    },

    /** The key and its workspace, if the key is known and not revoked. */
    findActiveKey(keyHash: string) {
      return db
        .selectFrom('api_keys as k')
        .innerJoin('workspaces as w', 'w.id', 'k.workspace_id')
        .selectAll('w')
        .select([
          'k.id as key_id',
          'k.name as key_name',
          'k.scope as key_scope',
          'k.last_used_at as key_last_used_at',
        ])
        .where('k.key_hash', '=', keyHash)
        .where('k.revoked_at', 'is', null)
        .executeTakeFirst()
    },

    /** At most one write per key per minute, so busy clients don't write on every request. */
    touchKey(keyId: string, now: number) {
      return db
        .updateTable('api_keys')
        .set({ last_used_at: now })
        .where('id', '=', keyId)
        .where((eb) =>
          eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now - 60_000)]),
        )
        .execute()
    },

    listKeys(workspaceId: string) {
      return db
        .selectFrom('api_keys as k')
        .leftJoin('members as m', 'm.id', 'k.created_by')
        .select([
          'k.id',
          'k.name',
          'k.prefix',
          'k.scope',
          'k.created_at',
          'k.last_used_at',
          'k.revoked_at',
          'm.name as created_by_name',
        ])
        .where('k.workspace_id', '=', workspaceId)
        .orderBy('k.revoked_at', 'asc')
        .orderBy('k.created_at', 'desc')
        .execute()
    },

    revokeKey(workspaceId: string, keyId: string, now: number) {
      return db
        .updateTable('api_keys')
        .set({ revoked_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', keyId)
        .where('revoked_at', 'is', null)
        .executeTakeFirst()
    },

    /**
     * Claims an Idempotency-Key. A record older than `expiredBefore`, or an in-flight one whose
     * request died (`abandonedBefore`), is taken over; anything else stays and is returned as
     * `undefined` here (the caller then reads it).
     */
    claimIdempotencyKey(record: {
      apiKeyId: string
      key: string
      fingerprint: string
      now: number
      expiredBefore: number
      abandonedBefore: number
      /** this process, when it is the only one (see Config.instanceId) */
      owner: string | null
    }) {
      return db
        .insertInto('api_idempotency')
        .values({
          api_key_id: record.apiKeyId,
          key: record.key,
          fingerprint: record.fingerprint,
          status: 'in_flight',
          created_at: record.now,
          owner: record.owner,
        })
        .onConflict((oc) =>
          oc
            .columns(['api_key_id', 'key'])
            .doUpdateSet({
              fingerprint: (eb) => eb.ref('excluded.fingerprint'),
              status: 'in_flight',
              response_status: null,
              response_body: null,
              board_id: null,
              created_at: (eb) => eb.ref('excluded.created_at'),
              owner: (eb) => eb.ref('excluded.owner'),
            })
            .where((eb) =>
              eb.or([
                eb('api_idempotency.created_at', '<', record.expiredBefore),
                eb.and([
                  eb('api_idempotency.status', '=', 'in_flight'),
                  eb.or([
                    eb('api_idempotency.created_at', '<', record.abandonedBefore),
                    // claimed by an earlier start of this (sole) server: that process is gone
                    ...(record.owner === null
                      ? []
                      : [
                          eb.and([
                            eb('api_idempotency.owner', 'is not', null),
                            eb('api_idempotency.owner', '!=', record.owner),
                          ]),
                        ]),
                  ]),
                ]),
              ]),
            ),
        )
        .returning(['key'])
        .executeTakeFirst()
    },

    findIdempotencyRecord(apiKeyId: string, key: string) {
      return db
        .selectFrom('api_idempotency')
        .selectAll()
        .where('api_key_id', '=', apiKeyId)
        .where('key', '=', key)
        .executeTakeFirst()
    },

    completeIdempotencyKey(
      apiKeyId: string,
      key: string,
      status: number,
      body: string,
      boardId: string | null,
    ) {
      return db
        .updateTable('api_idempotency')
        .set({ status: 'done', response_status: status, response_body: body, board_id: boardId })
        .where('api_key_id', '=', apiKeyId)
        .where('key', '=', key)
        .execute()
    },

    releaseIdempotencyKey(apiKeyId: string, key: string) {
      return db
        .deleteFrom('api_idempotency')
        .where('api_key_id', '=', apiKeyId)
        .where('key', '=', key)
        .where('status', '=', 'in_flight')
        .execute()
    },

    deleteIdempotencyBefore(before: number) {
      return db.deleteFrom('api_idempotency').where('created_at', '<', before).executeTakeFirst()
    },

    deleteCommitsBefore(before: number, key?: { apiKeyId: string; key: string }) {
      let query = db.deleteFrom('api_idempotency_commits').where('created_at', '<', before)
      if (key) query = query.where('api_key_id', '=', key.apiKeyId).where('key', '=', key.key)
      return query.executeTakeFirst()
    },

    deleteGuestSubmissionsBefore(before: number) {
      return db.deleteFrom('guest_submissions').where('created_at', '<', before).executeTakeFirst()
    },

    findCommit(apiKeyId: string, key: string) {
      return db
        .selectFrom('api_idempotency_commits')
        .select(['board_id', 'message_id'])
        .where('api_key_id', '=', apiKeyId)
        .where('key', '=', key)
        .executeTakeFirst()
    },

    /**
     * The commit record of an Idempotency-Key request, for the batch that writes its effect.
     * Inserted only if the board exists by then (a create that lost to a dedupe key commits
     * nothing); no ON CONFLICT: a second commit under one key fails that whole batch.
     */
    commitQuery(record: {
      apiKeyId: string
      key: string
      boardId: string
      messageId: string | null
      now: number
    }) {
      return db
        .insertInto('api_idempotency_commits')
        .columns(['api_key_id', 'key', 'board_id', 'message_id', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('boards')
            .select([
              sql<string>`${record.apiKeyId}`.as('api_key_id'),
              sql<string>`${record.key}`.as('key'),
              'id as board_id',
              sql<string | null>`${record.messageId}`.as('message_id'),
              sql<number>`${record.now}`.as('created_at'),
            ])
            .where('id', '=', record.boardId),
        )
    },

    /** A created board's first message, recorded with the post that writes it. */
    commitMessageQuery(apiKeyId: string, key: string, messageId: string) {
      return db
        .updateTable('api_idempotency_commits')
        .set({ message_id: messageId })
        .where('api_key_id', '=', apiKeyId)
        .where('key', '=', key)
    },

    findFirstMessage(boardId: string) {
      return db
        .selectFrom('api_first_messages')
        .selectAll()
        .where('board_id', '=', boardId)
        .executeTakeFirst()
    },

    /** Deliberately without ON CONFLICT: a second claim fails the batch it is part of. */
    claimFirstMessage(boardId: string, fingerprint: string, now: number) {
      return db
        .insertInto('api_first_messages')
        .values({ board_id: boardId, fingerprint, created_at: now })
    },

    /** Undoes a create whose first message failed; a board that got any message stays. */
    deleteEmptyBoard(workspaceId: string, boardId: string) {
      return db
        .deleteFrom('boards')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', boardId)
        .where('message_seq', '=', 0)
        .execute()
    },

    /**
     * Boards in the order they last changed (oldest first), keyset-paged on
     * (workspace_id, updated_at, id): a client syncs with `updated_since` and follows the cursor.
     */
    listBoards(query: ApiBoardQuery): Promise<BoardRow[]> {
      const plan = planList(API_BOARD_CLAUSES, query)
      return plan.apply(db.selectFrom('boards').selectAll(), plan.values).execute()
    },
  }
}
