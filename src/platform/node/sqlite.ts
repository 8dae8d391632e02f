import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, type QueryResult } from 'kysely'
import type { Database } from '../../db/schema'
import type { Batch } from '../../deps'

export const MIGRATIONS_DIR = join(import.meta.dirname, '..', '..', '..', 'migrations')

export interface SqliteDatabase {
  db: Kysely<Database>
  batch: Batch
  raw: SQLite.Database
  close(): Promise<void>
}

/** Opens (and migrates) the embedded database. `:memory:` gives a fresh one for tests. */
export function openSqlite(filename: string, options: { migrate?: boolean } = {}): SqliteDatabase {
  const raw = new SQLite(filename)
  raw.pragma('journal_mode = WAL')
  // FULL, not NORMAL: in WAL mode NORMAL survives a process crash but may drop the last
  // commits on power loss. A post we answered 200 for must survive both, so every commit
  // fsyncs the WAL. The benchmark compares against raw commits at this same setting.
  raw.pragma('synchronous = FULL')
  raw.pragma('busy_timeout = 5000')
  raw.pragma('foreign_keys = ON')
  if (options.migrate !== false) applyMigrations(raw)

  // Kysely prepares every query afresh; preparing costs more than running most of ours, so
  // statements are kept by their SQL text (Kysely runs one query at a time on this connection).
  const statements = new Map<string, SQLite.Statement>()
  const prepare = (sqlText: string) => {
    let statement = statements.get(sqlText)
    if (!statement) {
      statement = raw.prepare(sqlText)
      if (statements.size > 1000) statements.clear()
      statements.set(sqlText, statement)
    }
    return statement
  }
  const cachedRaw = { prepare, close: () => raw.close() }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: cachedRaw as unknown as SQLite.Database }) })
  // better-sqlite3 is synchronous: the whole batch runs inside one transaction without
  // yielding, so nothing else can interleave — the same guarantee D1's batch() gives.
  const runBatch = raw.transaction((queries: { sql: string; parameters: readonly unknown[] }[]) =>
    queries.map((query): QueryResult<unknown> => {
      const statement = prepare(query.sql)
      if (statement.reader) return { rows: statement.all(...(query.parameters as unknown[])) }
      const info = statement.run(...(query.parameters as unknown[]))
      return { rows: [], numAffectedRows: BigInt(info.changes) }
    }),
  )
  const batch: Batch = async (queries) => runBatch(queries.map((query) => query.compile()))

  return {
    db,
    batch,
    raw,
    close: async () => {
      await db.destroy()
    },
  }
}

/**
 * Applies `migrations/NNNN_name.sql` in order and records each in `d1_migrations`, the table
 * and format `wrangler d1 migrations apply` uses, so one set of files serves Node and D1.
 */
export function applyMigrations(raw: SQLite.Database, dir = MIGRATIONS_DIR): string[] {
  raw.exec(`CREATE TABLE IF NOT EXISTS d1_migrations(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT UNIQUE,
    applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
  )`)
  const applied = new Set(
    (raw.prepare('SELECT name FROM d1_migrations').all() as { name: string }[]).map((r) => r.name),
  )
  const pending = readdirSync(dir)
    .filter((name) => /^\d{4}_[\w-]+\.sql$/.test(name) && !applied.has(name))
    .sort()
  const record = raw.prepare('INSERT INTO d1_migrations (name) VALUES (?)')
  for (const name of pending) {
    const sqlText = readFileSync(join(dir, name), 'utf8')
    raw.transaction(() => {
      raw.exec(sqlText)
      record.run(name)
    })()
  }
  return pending
}
