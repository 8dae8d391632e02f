// Webhook deliveries are outbox rows written in the same batch as the change they announce
// (kind 'webhook', idempotency key webhook/<endpoint>/<event id>), so a crash never loses one
// and the sender never delivers one twice under the same event id.
import { sql, type Compilable, type RawBuilder, type SelectQueryBuilder } from 'kysely'
import type { BoardRow, BoardStatus, Database, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import type { PostContext, PostEffect } from '../messages/messages.post'
import { createWebhooksRepository } from './webhooks.repository'
import type { WebhookEvent } from './webhooks.schemas'

export interface WebhookEnvelope {
  id: string
  type: WebhookEvent
  created_at: string
  data: Record<string, unknown>
}

/** What the outbox row carries; the sender signs and posts `event` to the endpoint. */
export interface WebhookPayload {
  endpoint_id: string
  event: WebhookEnvelope
}

/**
 * The workspace's active webhook endpoints, read once: the answer gives the ids of those
 * subscribed to one event type.
 */
export async function subscribedEndpoints(deps: Deps, workspaceId: string) {
  const endpoints = await createWebhooksRepository(deps).activeEndpoints(workspaceId)
  return (type: WebhookEvent) =>
    endpoints
      .filter((endpoint) => (JSON.parse(endpoint.events) as string[]).includes(type))
      .map((endpoint) => endpoint.id)
}

function boardData(board: BoardRow, status: BoardStatus) {
  return {
    id: board.id,
    name: board.name,
    dedupe_key: board.dedupe_key,
    status,
    previous_status: board.status,
  }
}

function outboxRow(
  deps: Deps,
  {
    workspaceId,
    endpointId,
    boardId,
    messageId,
    event,
    now,
  }: {
    workspaceId: string
    endpointId: string
    boardId: string
    messageId: string | null
    event: WebhookEnvelope
    now: number
  },
): Compilable {
  const payload: WebhookPayload = { endpoint_id: endpointId, event }
  return deps.db.insertInto('outbox').values({
    id: deps.ids.id(),
    workspace_id: workspaceId,
    kind: 'webhook',
    idempotency_key: `webhook/${endpointId}/${event.id}`,
    board_id: boardId,
    message_id: messageId,
    payload: JSON.stringify(payload),
    next_attempt_at: now,
    created_at: now,
  })
}

function events(
  deps: Deps,
  workspaceId: string,
  endpoints: string[],
  build: () => Omit<WebhookEnvelope, 'id'>,
  row: { boardId: string; messageId: string | null; now: number },
): Compilable[] {
  // One event id per event; each endpoint gets its own row (its own retries and result).
  if (endpoints.length === 0) return []
  const event = { id: deps.ids.id(), ...build() }
  return endpoints.map((endpointId) => outboxRow(deps, { workspaceId, endpointId, event, ...row }))
}

/** `board.status_changed` caused by a post (staff or customer). */
const statusChanged =
  (board: BoardRow, statusAfter: BoardStatus, messageId: string, createdAt: string) => () => ({
    type: 'board.status_changed' as const,
    created_at: createdAt,
    data: { board: boardData(board, statusAfter), message_id: messageId },
  })

/**
 * The webhook events a post causes: `message.created` for a customer post, the status change it
 * causes, and the decision a staff post records.
 */
async function postWebhooks({
  deps,
  workspace,
  board,
  message,
  statusAfter,
  decided,
}: PostContext): Promise<Compilable[]> {
  const fromGuest = message.authorKind === 'guest'
  const decisionNo = decided?.no ?? null
  // Most staff posts change neither status nor decision: then no endpoint is even looked up.
  if (!fromGuest && statusAfter === board.status && decisionNo === null) return []
  const subscribed = await subscribedEndpoints(deps, workspace.id)
  const createdAt = new Date(message.now).toISOString()
  const row = { boardId: board.id, messageId: message.id, now: message.now }
  const queries: Compilable[] = []
  if (fromGuest) {
    queries.push(
      ...events(
        deps,
        workspace.id,
        subscribed('message.created'),
        () => ({
          type: 'message.created',
          created_at: createdAt,
          data: {
            board: boardData(board, statusAfter),
            message: {
              id: message.id,
              author_kind: 'guest',
              author_name: message.authorName,
              body: message.body,
              created_at: createdAt,
            },
          },
        }),
        row,
      ),
    )
  }
  if (statusAfter !== board.status) {
    queries.push(
      ...events(
        deps,
        workspace.id,
        subscribed('board.status_changed'),
        statusChanged(board, statusAfter, message.id, createdAt),
        row,
      ),
    )
  }
  if (decisionNo !== null) {
    queries.push(
      ...events(
        deps,
        workspace.id,
        subscribed('board.decided'),
        () => ({
          type: 'board.decided',
          created_at: createdAt,
          data: {
            board: boardData(board, statusAfter),
            decision_no: decisionNo,
            message_id: message.id,
          },
        }),
        row,
      ),
    )
  }
  return queries
}

/**
 * Post effect: webhook deliveries (outbox rows) for the post. They wait for the sender's next
 * round rather than starting it, as before the pipeline: only email rows start the sender.
 */
export const postWebhooksEffect: PostEffect = { name: 'webhooks', statements: postWebhooks }

/**
 * Outbox rows announcing one event about one board to the given endpoints: each written by
 * INSERT … SELECT from the board, so the event is announced only when the board (of this
 * workspace) still matches `only` at that point of the caller's batch, and `data` — a SQL
 * `json_object(…)` over the board's columns — reads the board as it is there.
 */
export function boardEventRows({
  deps,
  workspaceId,
  endpointIds,
  boardId,
  type,
  eventId,
  now,
  data,
  only = (query) => query,
}: {
  deps: Deps
  workspaceId: string
  endpointIds: string[]
  boardId: string
  type: WebhookEvent
  eventId: string
  now: number
  data: RawBuilder<string>
  only?: (
    query: SelectQueryBuilder<Database, 'boards', object>,
  ) => SelectQueryBuilder<Database, 'boards', object>
}): Compilable[] {
  const createdAt = new Date(now).toISOString()
  return endpointIds.map((endpointId) =>
    deps.db
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
      .expression(
        only(
          deps.db
            .selectFrom('boards')
            .where('id', '=', boardId)
            .where('workspace_id', '=', workspaceId),
        ).select([
          sql<string>`${deps.ids.id()}`.as('id'),
          'workspace_id',
          sql<string>`'webhook'`.as('kind'),
          sql<string>`${`webhook/${endpointId}/${eventId}`}`.as('idempotency_key'),
          'id as board_id',
          sql<null>`NULL`.as('message_id'),
          sql<string>`json_object(
            'endpoint_id', ${endpointId},
            'event', json_object(
              'id', ${eventId}, 'type', ${type}, 'created_at', ${createdAt}, 'data', ${data}))`.as(
            'payload',
          ),
          sql<number>`${now}`.as('next_attempt_at'),
          sql<number>`${now}`.as('created_at'),
        ]),
      ),
  )
}

/** `boardEventRows` for the endpoints of `workspace` subscribed to `type`. */
async function boardEventWebhooks(
  args: Omit<Parameters<typeof boardEventRows>[0], 'workspaceId' | 'endpointIds'> & {
    workspace: Workspace
  },
): Promise<Compilable[]> {
  const { workspace, ...rest } = args
  const endpointIds = (await subscribedEndpoints(args.deps, workspace.id))(args.type)
  return boardEventRows({ ...rest, workspaceId: workspace.id, endpointIds })
}

/**
 * `board.status_changed` rows for a status update. Each row selects the board only when its status
 * differs from the new one, and run before the update in the same batch: setting the status it
 * already has announces nothing, and the previous status is read in the same transaction.
 */
export function statusChangeWebhooks({
  deps,
  workspace,
  boardId,
  status,
  now,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  status: BoardStatus
  now: number
}): Promise<Compilable[]> {
  return boardEventWebhooks({
    deps,
    workspace,
    boardId,
    type: 'board.status_changed',
    eventId: deps.ids.id(),
    now,
    data: sql<string>`json_object('board', json_object(
      'id', id, 'name', name, 'dedupe_key', dedupe_key,
      'status', ${status}, 'previous_status', status))`,
    only: (query) => query.where('status', '!=', status),
  })
}

/**
 * `board.rated`: the customer rated the board (or changed the rating). The rows select the
 * board only when its `rating_event_id` is this write's `eventId`, so they must run AFTER the
 * rating's update in the same batch: a refused write (setting off, window over, not done)
 * announces nothing. `data.rating` is `{ score, comment, rated_at }`; `previous_score` is the
 * score before this write (null for a first rating).
 */
export function ratingWebhooks({
  deps,
  workspace,
  boardId,
  eventId,
  previousScore,
  now,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  eventId: string
  previousScore: number | null
  now: number
}): Promise<Compilable[]> {
  const ratedAt = new Date(now).toISOString()
  return boardEventWebhooks({
    deps,
    workspace,
    boardId,
    type: 'board.rated',
    eventId,
    now,
    data: sql<string>`json_object(
      'board', json_object('id', id, 'name', name, 'dedupe_key', dedupe_key, 'status', status),
      'rating', json_object('score', rating_score, 'comment', rating_comment, 'rated_at', ${ratedAt}),
      'previous_score', ${previousScore})`,
    only: (query) => query.where('rating_event_id', '=', eventId),
  })
}
