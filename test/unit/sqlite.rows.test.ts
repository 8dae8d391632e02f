import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { open, type FileHandle } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
// The Node adapter reads rows as arrays and builds objects itself (src/platform/node/sqlite.ts):
// the rows must come out exactly as better-sqlite3 would build them.
import { sql, type Generated, type Kysely } from 'kysely'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { openSqlite, type SqliteDatabase } from '../../src/platform/node/sqlite'

let database: SqliteDatabase
afterEach(async () => database?.close())

describe('rows read through the Node SQLite adapter', () => {
  it('match better-sqlite3 objects, joins with repeated column names included', async () => {
    database = openSqlite(':memory:', { migrate: false })
    database.raw.exec(`CREATE TABLE a (id TEXT, name TEXT, n INTEGER, x REAL, b BLOB);
      CREATE TABLE c (id TEXT, a_id TEXT, name TEXT);
      INSERT INTO a VALUES ('a1', '校正', 3, 1.5, x'0102'), ('a2', NULL, NULL, NULL, NULL);
      INSERT INTO c VALUES ('c1', 'a1', '"quoted" name');`)
    const query =
      'SELECT a.*, c.id, c.name AS "weird ""column"" name", c.name FROM a LEFT JOIN c ON c.a_id = a.id ORDER BY a.id'
    const viaAdapter = (await sql.raw(query).execute(database.db)).rows
    expect(viaAdapter).toEqual(database.raw.prepare(query).all())
    expect(viaAdapter[0]).toEqual({
      id: 'c1',
      name: '"quoted" name',
      n: 3,
      x: 1.5,
      b: Buffer.from([1, 2]),
      'weird "column" name': '"quoted" name',
    })
    expect(Object.keys(viaAdapter[0] as object)).toEqual(
      Object.keys(database.raw.prepare(query).get() as object),
    )
  })

  it('streams rows and still sees a column added after the statement was first used', async () => {
    database = openSqlite(':memory:', { migrate: false })
    database.raw.exec(
      `CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT); INSERT INTO t (body) VALUES ('一'), ('二');`,
    )
    const select = () =>
      database.db
        .selectFrom('t' as never)
        .selectAll()
        .execute()
    expect(await select()).toEqual([
      { id: 1, body: '一' },
      { id: 2, body: '二' },
    ])
    const streamed: unknown[] = []
    for await (const row of database.db
      .selectFrom('t' as never)
      .selectAll()
      .stream())
      streamed.push(row)
    expect(streamed).toEqual([
      { id: 1, body: '一' },
      { id: 2, body: '二' },
    ])
    database.raw.exec(`ALTER TABLE t ADD COLUMN seen INTEGER NOT NULL DEFAULT 0`)
    expect(await select()).toEqual([
      { id: 1, body: '一', seen: 0 },
      { id: 2, body: '二', seen: 0 },
    ])
  })

  it('runs writes and returns rows from RETURNING, in a batch too', async () => {
    database = openSqlite(':memory:', { migrate: false })
    database.raw.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)`)
    const db = database.db as unknown as Kysely<{ t: { id: Generated<number>; body: string } }>
    const inserted = await db
      .insertInto('t')
      .values({ body: '校正' })
      .returningAll()
      .executeTakeFirst()
    expect(inserted).toEqual({ id: 1, body: '校正' })
    const updated = await db.updateTable('t').set({ body: '再校' }).executeTakeFirst()
    expect(updated.numUpdatedRows).toBe(1n)
    const results = await database.batch([
      db.insertInto('t').values({ body: '三' }).returningAll(),
      db.selectFrom('t').selectAll().orderBy('id'),
    ])
    expect(results.map((result) => result.rows)).toEqual([
      [{ id: 2, body: '三' }],
      [
        { id: 1, body: '再校' },
        { id: 2, body: '三' },
      ],
    ])
  })
})

describe('relaxed batches', () => {
  it('commit like any batch and leave the connection at synchronous=FULL, after an error too', async () => {
    database = openSqlite(':memory:', { migrate: false })
    database.raw.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`)
    const db = database.db as unknown as Kysely<{ t: { id: Generated<number>; body: string } }>
    const synchronous = () => database.raw.pragma('synchronous', { simple: true })
    expect(synchronous()).toBe(2) // FULL
    await database.batch([db.insertInto('t').values({ body: '一' })], { relaxed: true })
    expect(synchronous()).toBe(2)
    await expect(
      database.batch(
        [
          db.insertInto('t').values({ body: '二' }),
          db.insertInto('t').values({ body: null as unknown as string }),
        ],
        { relaxed: true },
      ),
    ).rejects.toThrow(/NOT NULL/)
    expect(synchronous()).toBe(2)
    expect(await db.selectFrom('t').select('body').execute()).toEqual([{ body: '一' }])
  })
})

describe('batches on a file: the WAL is synced off the event loop before the batch resolves', () => {
  it('commits without an fsync on the loop, then waits for the WAL datasync (none when relaxed)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderboard-sync-'))
    try {
      const file = join(dir, 'db.sqlite')
      database = openSqlite(file, { migrate: false })
      database.raw.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`)
      const db = database.db as unknown as Kysely<{ t: { id: Generated<number>; body: string } }>
      // FileHandle's class isn't exported: spy on the prototype of one
      const probe = await open(file, 'r')
      const proto = Object.getPrototypeOf(probe) as { datasync(): Promise<void> }
      await probe.close()
      let release!: () => void
      const synced: string[] = []
      const spy = vi.spyOn(proto, 'datasync').mockImplementation(function (this: FileHandle) {
        synced.push('sync')
        return new Promise<void>((resolve) => (release = resolve))
      })
      try {
        let resolved = false
        const pending = database
          .batch([db.insertInto('t').values({ body: '一' })])
          .then(() => (resolved = true))
        await vi.waitFor(() => expect(synced).toEqual(['sync']))
        // committed (another connection sees it) but not yet acknowledged
        const other = new SQLite(file, { readonly: true })
        expect(other.prepare('SELECT body FROM t').all()).toEqual([{ body: '一' }])
        other.close()
        expect(resolved).toBe(false)
        expect(database.raw.pragma('synchronous', { simple: true })).toBe(2) // FULL between
        release()
        await pending
        expect(resolved).toBe(true)
        await database.batch([db.insertInto('t').values({ body: '二' })], { relaxed: true })
        expect(synced).toEqual(['sync'])
      } finally {
        spy.mockRestore()
      }
      await database.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('checkpoints on a file run off the event loop', () => {
  it('turns SQLite’s in-commit checkpoint off and checkpoints from a thread of its own', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderboard-checkpoint-'))
    try {
      database = openSqlite(join(dir, 'db.sqlite'), { migrate: false })
      expect(database.raw.pragma('wal_autocheckpoint', { simple: true })).toBe(0)
      database.raw.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)`)
      const db = database.db as unknown as Kysely<{ t: { id: Generated<number>; body: string } }>
      for (let i = 0; i < 50; i++)
        await database.batch([db.insertInto('t').values({ body: 'あ'.repeat(2000) })])
      await vi.waitFor(
        () => {
          const latest = database.checkpoints()
          expect(latest?.log).toBeGreaterThan(0)
          expect(latest?.checkpointed).toBe(latest?.log)
        },
        { timeout: 20_000, interval: 100 },
      )
      expect(
        await db
          .selectFrom('t')
          .select((eb) => eb.fn.countAll().as('n'))
          .execute(),
      ).toEqual([{ n: 50 }])
      await database.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)

  it('never keeps a process alive: a script that opens a file database and ends, exits', () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderboard-exit-'))
    try {
      const script = join(dir, 'script.mts')
      const sqlite = join(import.meta.dirname, '..', '..', 'src', 'platform', 'node', 'sqlite.ts')
      writeFileSync(
        script,
        `import { openSqlite } from ${JSON.stringify(sqlite)}\n` +
          `const database = openSqlite(${JSON.stringify(join(dir, 'db.sqlite'))})\n` +
          // a write, so the checkpointer has something to report
          `database.raw.exec("CREATE TABLE t (body TEXT); INSERT INTO t VALUES ('x')")\n` +
          // long enough for the checkpointer to start and run
          `await new Promise((resolve) => setTimeout(resolve, 2500))\n`,
      )
      const run = spawnSync(process.execPath, ['--import', 'tsx', script], {
        cwd: join(import.meta.dirname, '..', '..'),
        timeout: 60_000,
      })
      expect(run.signal).toBeNull() // not killed by the timeout
      expect(run.stderr.toString()).toBe('')
      expect(run.status).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 90_000)

  it('has none for an in-memory database', () => {
    database = openSqlite(':memory:', { migrate: false })
    expect(database.checkpoints()).toBeUndefined()
  })
})
