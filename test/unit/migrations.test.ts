import SQLite from 'better-sqlite3'
import { readdirSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { applyMigrations, MIGRATIONS_DIR } from '../../src/platform/node/sqlite'

describe('migrator', () => {
  it('applies every file once and records it the way wrangler does', () => {
    const raw = new SQLite(':memory:')
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((name) => name.endsWith('.sql'))
      .sort()
    expect(applyMigrations(raw)).toEqual(files)
    expect(applyMigrations(raw)).toEqual([])
    const rows = raw.prepare('SELECT name FROM d1_migrations ORDER BY id').all() as {
      name: string
    }[]
    expect(rows.map((row) => row.name)).toEqual(files)
    expect(files[0]).toMatch(/^0001_[\w-]+\.sql$/)
  })

  it('the board list at 100k boards uses an index, never a scan of the table', () => {
    const raw = new SQLite(':memory:')
    applyMigrations(raw)
    const plan = (sqlText: string) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ')
    expect(
      plan(
        `SELECT * FROM boards WHERE workspace_id = 'w' ORDER BY last_activity_at DESC, id DESC LIMIT 51`,
      ),
    ).toMatch(/USING INDEX boards_activity/)
    expect(
      plan(`SELECT * FROM boards WHERE workspace_id = 'w' ORDER BY contact_sort, id LIMIT 51`),
    ).toMatch(/USING INDEX boards_contact/)
    expect(
      plan(
        `SELECT * FROM boards WHERE workspace_id = 'w' AND status = 'waiting' ORDER BY last_activity_at DESC, id DESC LIMIT 51`,
      ),
    ).toMatch(/USING INDEX boards_status_activity/)
    expect(
      plan(
        `SELECT * FROM boards WHERE workspace_id = 'w' ORDER BY last_activity_at DESC, id DESC LIMIT 51`,
      ),
    ).not.toMatch(/TEMP B-TREE/)
  })
})
