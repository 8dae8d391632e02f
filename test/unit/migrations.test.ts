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
  it('counts the built-in view tabs from indexes (saved views, issue #17.5)', () => {
    const raw = new SQLite(':memory:')
    applyMigrations(raw)
    const plan = (sqlText: string) =>
      (raw.prepare(`EXPLAIN QUERY PLAN ${sqlText}`).all() as { detail: string }[])
        .map((row) => row.detail)
        .join(' | ')
    const open = "status NOT IN ('done', 'closed')"
    expect(
      plan(
        `SELECT count(*) FROM boards WHERE workspace_id = 'w' AND assignee_member_id IS NULL AND ${open}`,
      ),
    ).toMatch(/USING COVERING INDEX boards_assignee /)
    expect(
      plan(
        `SELECT count(*) FROM boards WHERE workspace_id = 'w' AND assignee_member_id IN ('m') AND ${open}`,
      ),
    ).toMatch(/USING COVERING INDEX/)
    expect(
      plan(
        `SELECT count(*) FROM boards WHERE workspace_id = 'w' AND last_public_author = 'guest' AND ${open}`,
      ),
    ).toMatch(/USING COVERING INDEX boards_unanswered/)
    expect(
      plan(
        `SELECT count(*) FROM boards WHERE workspace_id = 'w' AND contact_sort <= '2026-11-24~' AND ${open}`,
      ),
    ).toMatch(/USING (COVERING )?INDEX boards_contact/)
  })
})
