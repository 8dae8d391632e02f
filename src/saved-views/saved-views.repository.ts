import { sql, type Kysely } from 'kysely'
import type { Database, SavedViewRow } from '../db/schema'
import { MAX_VIEWS } from './saved-views.rules'

/** Kysely queries of 保存した検索 (migrations/0023_saved_views.sql), each scoped by workspace. */
export function createSavedViewsRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** The views a member sees: the workspace's shared ones and their own, oldest first. */
    listFor(workspaceId: string, memberId: string): Promise<SavedViewRow[]> {
      return db
        .selectFrom('saved_views')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where((eb) =>
          eb.or([eb('owner_member_id', 'is', null), eb('owner_member_id', '=', memberId)]),
        )
        .orderBy(sql`owner_member_id IS NOT NULL`)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    /** One view the member can see (shared, or their own); undefined otherwise. */
    findVisible(workspaceId: string, memberId: string, viewId: string) {
      return db
        .selectFrom('saved_views')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', viewId)
        .where((eb) =>
          eb.or([eb('owner_member_id', 'is', null), eb('owner_member_id', '=', memberId)]),
        )
        .executeTakeFirst()
    },

    /**
     * Inserts a view unless its owner (or, shared, the workspace) already has MAX_VIEWS: one
     * conditional statement, so two saves at once can't pass the limit. False when refused.
     */
    async insert(view: SavedViewRow): Promise<boolean> {
      const result = await db
        .insertInto('saved_views')
        .columns([
          'id',
          'workspace_id',
          'owner_member_id',
          'name',
          'query',
          'created_by',
          'created_at',
          'updated_at',
        ])
        .expression(
          db
            .selectNoFrom([
              sql<string>`${view.id}`.as('id'),
              sql<string>`${view.workspace_id}`.as('workspace_id'),
              sql<string | null>`${view.owner_member_id}`.as('owner_member_id'),
              sql<string>`${view.name}`.as('name'),
              sql<string>`${view.query}`.as('query'),
              sql<string | null>`${view.created_by}`.as('created_by'),
              sql<number>`${view.created_at}`.as('created_at'),
              sql<number>`${view.updated_at}`.as('updated_at'),
            ])
            .where(
              sql<boolean>`(SELECT count(*) FROM saved_views WHERE workspace_id = ${view.workspace_id} AND owner_member_id IS ${view.owner_member_id}) < ${MAX_VIEWS}`,
            ),
        )
        .executeTakeFirst()
      return Number(result.numInsertedOrUpdatedRows ?? 0) > 0
    },

    rename(workspaceId: string, viewId: string, name: string, now: number) {
      return db
        .updateTable('saved_views')
        .set({ name, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', viewId)
        .execute()
    },

    remove(workspaceId: string, viewId: string) {
      return db
        .deleteFrom('saved_views')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', viewId)
        .execute()
    },
  }
}
