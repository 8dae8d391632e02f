import { mkdtempSync, rmSync } from 'node:fs'
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
