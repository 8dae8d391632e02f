import type { Kysely } from 'kysely'
import type { Database } from '../db/schema'

export function createWebhooksRepository({ db }: { db: Kysely<Database> }) {
  return {
    insertEndpoint(endpoint: {
      id: string
      workspaceId: string
      url: string
      events: string[]
      sealedSecret: string
      createdBy: string | null
      now: number
    }) {
      return db
        .insertInto('webhook_endpoints')
        .values({
          id: endpoint.id,
          workspace_id: endpoint.workspaceId,
          url: endpoint.url,
          events: JSON.stringify(endpoint.events),
          secret: endpoint.sealedSecret,
          created_by: endpoint.createdBy,
          created_at: endpoint.now,
        })
        .execute()
    },

    findEndpoint(workspaceId: string, endpointId: string) {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', endpointId)
        .executeTakeFirst()
    },

    listEndpoints(workspaceId: string) {
      return db
        .selectFrom('webhook_endpoints')
        .select(['id', 'url', 'events', 'active', 'created_at'])
        .where('workspace_id', '=', workspaceId)
        .orderBy('created_at', 'asc')
        .execute()
    },

    /** Active endpoints of the workspace, with the events they want (filtered by the caller). */
    activeEndpoints(workspaceId: string) {
      return db
        .selectFrom('webhook_endpoints')
        .select(['id', 'events'])
        .where('workspace_id', '=', workspaceId)
        .where('active', '=', 1)
        .execute()
    },

    setActive(workspaceId: string, endpointId: string, active: boolean) {
      return db
        .updateTable('webhook_endpoints')
        .set({ active: active ? 1 : 0 })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', endpointId)
        .executeTakeFirst()
    },

    deleteEndpoint(workspaceId: string, endpointId: string) {
      return db
        .deleteFrom('webhook_endpoints')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', endpointId)
        .executeTakeFirst()
    },

    recentDeliveries(workspaceId: string, limit: number) {
      return db
        .selectFrom('outbox')
        .select([
          'id',
          'idempotency_key',
          'board_id',
          'payload',
          'status',
          'attempts',
          'next_attempt_at',
          'provider_id',
          'last_error',
          'created_at',
          'sent_at',
        ])
        .where('workspace_id', '=', workspaceId)
        .where('kind', '=', 'webhook')
        .orderBy('created_at', 'desc')
        .orderBy('id', 'desc')
        .limit(limit)
        .execute()
    },
  }
}
