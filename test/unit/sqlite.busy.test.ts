import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterEach, describe, expect, it } from 'vitest'
import { BUSY_TIMEOUT_MS, openSqlite } from '../../src/platform/node/sqlite'
import { overloadOf } from '../../src/shared/overload'

// A real second connection holds the write lock, as the CLI or a backup would.

describe('SQLite under a held write lock', () => {
  const dirs: string[] = []
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  it('fails with BUSY after the busy timeout, fails fast while it lasts, recovers after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'orderboard-busy-'))
    dirs.push(dir)
    const file = join(dir, 'db.sqlite')
    const database = openSqlite(file)
    const other = new SQLite(file)
    other.exec('BEGIN IMMEDIATE')
    const write = () =>
      database.db
        .insertInto('rate_limits')
        .values({ key: `k${Math.random()}`, window_start: 0, count: 1 })
        .execute()
    const first = await write().catch((error: unknown) => error)
    expect(overloadOf(first)).toBe('busy')
    // a batch is refused whole, before any of its statements ran
    const batch = await database
      .batch([
        database.db.insertInto('rate_limits').values({ key: 'a', window_start: 0, count: 1 }),
      ])
      .catch((error: unknown) => error)
    expect(overloadOf(batch)).toBe('busy')
    // reads go on (WAL)
    expect(await database.db.selectFrom('rate_limits').selectAll().execute()).toEqual([])
    other.exec('ROLLBACK')
    other.close()
    await new Promise((resolve) => setTimeout(resolve, BUSY_TIMEOUT_MS + 100))
    await write()
    expect(await database.db.selectFrom('rate_limits').selectAll().execute()).toHaveLength(1)
    await database.close()
  })
})
