import type { KyselyPlugin } from 'kysely'
import type { Deps } from '../../src/deps'

/** An error shaped like better-sqlite3's SqliteError (`code`) or D1's (code in the message). */
export const sqliteError = (code: 'SQLITE_BUSY' | 'SQLITE_FULL') =>
  Object.assign(
    new Error(code === 'SQLITE_BUSY' ? 'database is locked' : 'database or disk is full'),
    { code },
  )
export const d1Error = (message: string) => new Error(`D1_ERROR: ${message}`)

/**
 * Wraps the db port so every write (insert, update, delete, batch) throws `fault` while armed;
 * reads still work, as they do in WAL mode while another connection holds the write lock.
 */
export function injectWriteFault(deps: Deps, fault: Error) {
  let armed = true
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      if (armed && args.node.kind !== 'SelectQueryNode') throw fault
      return args.node
    },
    transformResult: async (args) => args.result,
  }
  const batch = deps.batch
  deps.db = deps.db.withPlugin(plugin)
  deps.batch = async (queries, options) => {
    if (armed) throw fault
    return batch(queries, options)
  }
  return {
    disarm: () => {
      armed = false
    },
  }
}
