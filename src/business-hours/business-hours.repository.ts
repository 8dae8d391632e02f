import type { Kysely, Selectable } from 'kysely'
import type { CareSettingsTable, Database } from '../db/schema'

export type CareSettingsRow = Selectable<CareSettingsTable>

/** Kysely queries for a workspace's business hours and customer-care texts (`care_settings`). */
export function createCareSettingsRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** The workspace's row, or undefined while it still uses every default. */
    find(workspaceId: string) {
      return db
        .selectFrom('care_settings')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .executeTakeFirst()
    },

    /** Insert-or-replace in one statement (atomic on D1 as on SQLite). */
    save(row: CareSettingsRow) {
      const { workspace_id: _id, ...changes } = row
      return db
        .insertInto('care_settings')
        .values(row)
        .onConflict((oc) => oc.column('workspace_id').doUpdateSet(changes))
        .execute()
    },
  }
}
