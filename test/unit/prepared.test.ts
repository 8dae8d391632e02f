import { type Kysely } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { preparedQuery } from '../../src/db/prepared'
import { openSqlite, type SqliteDatabase } from '../../src/platform/node/sqlite'

interface TestDb {
  t: { id: number; owner: string; body: string; at: number }
}

let database: SqliteDatabase
afterEach(async () => database?.close())

function open() {
  database = openSqlite(':memory:', { migrate: false })
  database.raw.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, owner TEXT, body TEXT, at INTEGER);
    INSERT INTO t VALUES (1, 'a', '一', 10), (2, 'a', '二', 20), (3, 'b', '三', 30);`)
  return database.db as unknown as Kysely<TestDb>
}

describe('preparedQuery', () => {
  it('answers like the query built afresh, for each new set of values', async () => {
    const db = open()
    const build = (k: Kysely<TestDb>, owner: string, after: number) =>
      k
        .selectFrom('t')
        .select(['id', 'body'])
        .where('owner', '=', owner)
        .where('at', '>', after)
        .where('body', '!=', '四')
        .orderBy('id')
    const prepared = preparedQuery(build)
    for (const [owner, after] of [
      ['a', 0],
      ['a', 15],
      ['b', 0],
      ['c', 0],
    ] as const) {
      expect(await prepared(db, owner, after)).toEqual(await build(db, owner, after).execute())
    }
  })

  it('refuses a build that does not bind each argument exactly once', async () => {
    const db = open()
    const unused = preparedQuery((k: Kysely<TestDb>, owner: string, _after: number) =>
      k.selectFrom('t').selectAll().where('owner', '=', owner),
    )
    await expect(unused(db, 'a', 1)).rejects.toThrow(/every argument/)
    const twice = preparedQuery((k: Kysely<TestDb>, owner: string) =>
      k.selectFrom('t').selectAll().where('owner', '=', owner).where('body', '!=', owner),
    )
    await expect(twice(db, 'a')).rejects.toThrow(/every argument/)
  })
})
