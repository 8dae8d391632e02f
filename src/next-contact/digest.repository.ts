import type { Compilable, Insertable, Kysely } from 'kysely'
import type { Database, OutboxTable } from '../db/schema'

/** Keys per `IN (…)` lookup: D1 binds at most 100 parameters per statement. */
const KEYS_PER_LOOKUP = 90
/** D1 binds at most 100 parameters per statement: 8 rows × 9 values. */
const ROWS_PER_INSERT = 8

/**
 * Kysely queries of the daily next-contact digest: who wants one, what is due, which digests
 * are already queued (by idempotency key), and the member's own switch.
 */
export function createDigestRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** Every workspace with what decides its digest window. */
    workspaces() {
      return db.selectFrom('workspaces').select(['id', 'time_zone', 'digest_time']).execute()
    },

    /** Ids of the workspace's members who take the digest. */
    subscribers(workspaceId: string) {
      return db
        .selectFrom('members')
        .select('id')
        .where('workspace_id', '=', workspaceId)
        .where('digest_enabled', '=', 1)
        .execute()
    },

    /** Which of these outbox idempotency keys exist already. */
    async existingKeys(keys: string[]): Promise<Set<string>> {
      const found = new Set<string>()
      for (let at = 0; at < keys.length; at += KEYS_PER_LOOKUP) {
        const rows = await db
          .selectFrom('outbox')
          .select('idempotency_key')
          .where('idempotency_key', 'in', keys.slice(at, at + KEYS_PER_LOOKUP))
          .execute()
        for (const row of rows) found.add(row.idempotency_key)
      }
      return found
    },

    /**
     * Open boards whose next contact is on or before `day` (YYYY-MM-DD, local), soonest first,
     * at most `limit` of them, and how many there are in all.
     */
    async dueOnOrBefore(workspaceId: string, day: string, limit: number) {
      const due = db
        .selectFrom('boards')
        .where('workspace_id', '=', workspaceId)
        // contact_sort is the date and time, or 9999-12-31 without a date: `<= day~` is "on or
        // before today" and uses the boards_contact index.
        .where('contact_sort', '<=', `${day}~`)
        .where('status', 'not in', ['done', 'closed'])
      const [boards, total] = await Promise.all([
        due
          .select(['id', 'name', 'customer_name', 'next_contact_on', 'next_contact_time', 'status'])
          .orderBy('contact_sort')
          .orderBy('id')
          .limit(limit)
          .execute(),
        due.select((eb) => eb.fn.countAll<number>().as('count')).executeTakeFirstOrThrow(),
      ])
      return { boards, total: Number(total.count) }
    },

    /** Statements inserting digest rows, a second row under a taken key dropped (for a batch). */
    insertRows(rows: Insertable<OutboxTable>[]): Compilable[] {
      const inserts: Compilable[] = []
      for (let from = 0; from < rows.length; from += ROWS_PER_INSERT) {
        inserts.push(
          db
            .insertInto('outbox')
            .values(rows.slice(from, from + ROWS_PER_INSERT))
            .onConflict((oc) => oc.column('idempotency_key').doNothing())
            .returning('id'),
        )
      }
      return inserts
    },

    /** The workspace and the member a queued digest is for (either undefined when gone). */
    async recipient(workspaceId: string, memberId: string) {
      const [workspace, member] = await Promise.all([
        db.selectFrom('workspaces').selectAll().where('id', '=', workspaceId).executeTakeFirst(),
        db
          .selectFrom('members')
          .selectAll()
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', memberId)
          .executeTakeFirst(),
      ])
      return { workspace, member }
    },

    /** Sets a member's digest switch; false when no such member in the workspace. */
    async setEnabled(workspaceId: string, memberId: string, enabled: boolean): Promise<boolean> {
      const result = await db
        .updateTable('members')
        .set({ digest_enabled: enabled ? 1 : 0 })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', memberId)
        .executeTakeFirst()
      return Number(result.numUpdatedRows) > 0
    },
  }
}
