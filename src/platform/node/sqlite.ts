import { readdirSync, readFileSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import SQLite from 'better-sqlite3'
import { Kysely, SqliteDialect, type QueryResult } from 'kysely'
import type { Database } from '../../db/schema'
import type { Batch } from '../../deps'
import { appRoot } from './root'

export const MIGRATIONS_DIR = join(appRoot(), 'migrations')

/**
 * How long a statement waits for another connection's write lock (the CLI, a backup, a second
 * process). better-sqlite3 waits synchronously, so this is also how long the event loop can
 * stand still: every request, /healthz included, waits with it. Our own commits take a few ms
 * (one fsync); a lock held longer than a second is someone else's long job, and a client is
 * better served by a quick 503 with Retry-After than by a hang. After a timeout, statements fail
 * at once (no waiting) for the next BUSY_TIMEOUT_MS, so queued requests don't each stall the
 * loop for another second while the lock is still held.
 */
export const BUSY_TIMEOUT_MS = 1000

const isBusy = (error: unknown) =>
  /^SQLITE_(BUSY|LOCKED)/.test(String((error as { code?: unknown } | null)?.code ?? ''))

export interface SqliteDatabase {
  db: Kysely<Database>
  batch: Batch
  raw: SQLite.Database
  /** the background checkpointer's last result (a file database only; see startCheckpointer) */
  checkpoints(): CheckpointResult | undefined
  close(): Promise<void>
}

/** Opens (and migrates) the embedded database. `:memory:` gives a fresh one for tests. */
export function openSqlite(filename: string, options: { migrate?: boolean } = {}): SqliteDatabase {
  const raw = new SQLite(filename)
  // `:memory:` and '' (a temporary database) have no file: no checkpointer, no WAL file to watch.
  const onDisk = filename !== ':memory:' && filename !== ''
  raw.pragma('journal_mode = WAL')
  // FULL, not NORMAL: in WAL mode NORMAL survives a process crash but may drop the last
  // commits on power loss. A post we answered 200 for must survive both, so every commit
  // fsyncs the WAL (a batch fsyncs it off the event loop, see `batch` below). The benchmark
  // compares against raw commits at this same setting.
  raw.pragma('synchronous = FULL')
  raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`)
  raw.pragma('foreign_keys = ON')
  if (options.migrate !== false) applyMigrations(raw)
  const checkpointer = onDisk ? startCheckpointer(raw, filename) : undefined

  // Kysely prepares every query afresh; preparing costs more than running most of ours, so
  // statements are kept by their SQL text (Kysely runs one query at a time on this connection).
  let failFastUntil = 0
  let busyTimeout = BUSY_TIMEOUT_MS
  const guarded = <T>(run: () => T): T => {
    const wanted = Date.now() < failFastUntil ? 0 : BUSY_TIMEOUT_MS
    if (wanted !== busyTimeout) {
      raw.pragma(`busy_timeout = ${wanted}`)
      busyTimeout = wanted
    }
    try {
      return run()
    } catch (error) {
      if (isBusy(error)) failFastUntil = Date.now() + BUSY_TIMEOUT_MS
      throw error
    }
  }

  const statements = new Map<string, RowStatement>()
  const prepare = (sqlText: string) => {
    let statement = statements.get(sqlText)
    if (!statement) {
      statement = rowStatement(raw.prepare(sqlText), guarded)
      if (statements.size > 1000) statements.clear()
      statements.set(sqlText, statement)
    }
    return statement
  }
  const cachedRaw = { prepare, close: () => raw.close() }
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: cachedRaw as unknown as SQLite.Database }),
  })
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
  // BEGIN IMMEDIATE: the write lock is taken (or waited for) before the first statement, so a
  // batch never fails half-way on a lock it could not upgrade to; a BUSY rolls back nothing.
  const runImmediate = (compiled: { sql: string; parameters: readonly unknown[] }[]) =>
    guarded(() => runBatch.immediate(compiled))
  // A batch commits at synchronous=NORMAL (atomic, safe from a process crash, no fsync on the
  // event loop), then the WAL is fsynced on libuv's thread pool before the batch resolves: what
  // the caller acknowledges survives a power cut as it would at FULL, but the loop goes on
  // serving pages while the disk syncs (issue #20: a page's p99 during a burst of posts).
  const wal = onDisk ? `${filename}-wal` : undefined
  let walHandle: Promise<FileHandle> | undefined
  const syncWal = async () => {
    if (!wal) return
    walHandle ??= open(wal, 'r')
    try {
      await (await walHandle).datasync()
    } catch (error) {
      walHandle = undefined
      throw error
    }
  }
  // Prepared once: raw.pragma() prepares its statement on every call (5 % of an email's send).
  const syncNormal = raw.prepare('PRAGMA synchronous = NORMAL')
  const syncFull = raw.prepare('PRAGMA synchronous = FULL')
  const batch: Batch = async (queries, options) => {
    const compiled = queries.map((query) => query.compile())
    syncNormal.run()
    let results: QueryResult<unknown>[]
    try {
      results = runImmediate(compiled)
    } finally {
      syncFull.run()
    }
    // Relaxed: still atomic and safe from a process crash; only a power cut may drop it. The
    // next synced commit syncs the WAL, this one included.
    if (!options?.relaxed) await syncWal()
    return results
  }

  return {
    db,
    batch,
    raw,
    checkpoints: () => checkpointer?.latest(),
    close: async () => {
      await checkpointer?.stop()
      await db.destroy()
      await (await walHandle?.catch(() => undefined))?.close()
    },
  }
}

/** What the last background checkpoint did: WAL frames in the log, and copied to the database. */
export interface CheckpointResult {
  log: number
  checkpointed: number
  at: number
}

/** How often the background connection checkpoints the WAL (ms). */
export const CHECKPOINT_INTERVAL_MS = 1000

/**
 * Checkpoints off the event loop. SQLite's automatic checkpoint runs inside the commit that
 * crosses 1000 WAL pages, on the committing connection: copying the pages and syncing the
 * database file held this thread for 10–80 ms now and then (issue #20: a page's p99 during a
 * burst of posts). So the app's connection never checkpoints (`wal_autocheckpoint = 0`), and a
 * connection of its own, in a worker thread, runs PASSIVE checkpoints (they never wait for, or
 * block, readers and writers; https://sqlite.org/c3ref/wal_checkpoint_v2.html) every
 * CHECKPOINT_INTERVAL_MS. The thread never keeps the process alive.
 */
function startCheckpointer(raw: SQLite.Database, filename: string) {
  raw.pragma('wal_autocheckpoint = 0')
  const worker = new Worker(CHECKPOINT_WORKER, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      filename,
      intervalMs: CHECKPOINT_INTERVAL_MS,
    },
  })
  let latest: CheckpointResult | undefined
  worker.on('message', (message: CheckpointResult) => (latest = message))
  // A checkpointer that died (the file gone, a bug) leaves SQLite to checkpoint as it always has.
  worker.on('error', () => raw.open && raw.pragma('wal_autocheckpoint = 1000'))
  // last, after its listeners: the thread never keeps the process alive (test/unit/sqlite.rows)
  worker.unref()
  return {
    latest: () => latest,
    stop: async () => {
      await worker.terminate()
    },
  }
}

const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads')
const SQLite = require(workerData.module)
const db = new SQLite(workerData.filename, { fileMustExist: true })
db.pragma('busy_timeout = 0')
db.pragma('synchronous = FULL')
const checkpoint = () => {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)')
    if (row && row.log > 0) parentPort.postMessage({ log: row.log, checkpointed: row.checkpointed, at: Date.now() })
  } catch {
    // busy or locked: the next round tries again
  }
}
setInterval(checkpoint, workerData.intervalMs)
`

interface RowStatement {
  reader: boolean
  all(...parameters: unknown[]): unknown[]
  iterate(...parameters: unknown[]): IterableIterator<unknown>
  run(...parameters: unknown[]): SQLite.RunResult
}

/**
 * The statement as Kysely uses it, with rows read as arrays and turned into objects by a
 * function made for the statement's columns: better-sqlite3 builds each row object key by key,
 * which took half the time of a fifty-message thread query. Same objects, same column order
 * (a repeated name keeps the last value, as better-sqlite3 does).
 */
function rowStatement(
  statement: SQLite.Statement,
  guarded: <T>(run: () => T) => T = (run) => run(),
): RowStatement {
  if (!statement.reader)
    return {
      reader: false,
      all: () => [],
      iterate: () => [][Symbol.iterator](),
      run: (...p) => guarded(() => statement.run(...p)),
    }
  // Column names go into the function as JSON string literals, never as code.
  const makeRow = () =>
    new Function(
      'r',
      `return {${statement
        .columns()
        .map((column, i) => `${JSON.stringify(column.name)}: r[${i}]`)
        .join(', ')}}`,
    ) as (values: unknown[]) => unknown
  let toRow = makeRow()
  let width = statement.columns().length
  // SQLite re-prepares a statement after a schema change; `select *` may then have more columns.
  const rowOf = (values: unknown[]) => {
    if (values.length !== width) {
      toRow = makeRow()
      width = values.length
    }
    return toRow(values)
  }
  const arrays = statement.raw(true)
  return {
    reader: true,
    all: (...parameters) => guarded(() => (arrays.all(...parameters) as unknown[][]).map(rowOf)),
    *iterate(...parameters) {
      for (const values of arrays.iterate(...parameters) as IterableIterator<unknown[]>)
        yield rowOf(values)
    },
    run: (...parameters) => guarded(() => statement.run(...parameters)),
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
