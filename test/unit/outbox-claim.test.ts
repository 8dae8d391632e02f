import { describe, expect, it } from 'vitest'
import { openSqlite } from '../../src/platform/node/sqlite'
import { claimDueRows, claimQuery, claimRound, OUTBOX_POLICY } from '../../src/notifications/outbox'
import type { Deps } from '../../src/deps'

describe('outbox claim', () => {
  it('reads due rows in index order and finds them by id: its cost does not grow with the rows due', () => {
    const { db, raw } = openSqlite(':memory:')
    const query = claimQuery(db, {
      kinds: ['notify', 'webhook'],
      limit: 20,
      now: 1_000,
      policy: OUTBOX_POLICY,
    }).compile()
    const plan = (
      raw.prepare(`EXPLAIN QUERY PLAN ${query.sql}`).all(...query.parameters) as {
        detail: string
      }[]
    )
      .map((row) => row.detail)
      .join(' | ')
    expect(plan).toMatch(/SEARCH outbox USING INDEX sqlite_autoindex_outbox_1 \(id=\?\)/)
    expect(plan).toMatch(/USING INDEX outbox_lease \(status=\? AND locked_until<\?\)/)
    expect(plan).toMatch(/USING INDEX outbox_due \(status=\? AND next_attempt_at<\?\)/)
    // No sort of every due row, no scan of every due row by the outer statement.
    expect(plan).not.toMatch(/TEMP B-TREE|MULTI-INDEX OR|SCAN outbox/)
  })

  it('claims lapsed leases first, then pending rows oldest first, each once, counting the attempt', async () => {
    const { db, raw, batch } = openSqlite(':memory:')
    raw.pragma('foreign_keys = OFF')
    const insert = raw.prepare(
      `INSERT INTO outbox (id, workspace_id, kind, idempotency_key, payload, status, attempts,
       next_attempt_at, locked_until, created_at) VALUES (?, 'w', ?, ?, '{}', ?, ?, ?, ?, 0)`,
    )
    insert.run('later', 'notify', 'k1', 'pending', 0, 900, null)
    insert.run('sooner', 'notify', 'k2', 'pending', 0, 100, null)
    insert.run('not-yet', 'notify', 'k3', 'pending', 0, 5_000, null)
    insert.run('other-kind', 'digest', 'k4', 'pending', 0, 50, null)
    insert.run('lapsed', 'notify', 'k5', 'sending', 1, 10, 500)
    insert.run('held', 'notify', 'k6', 'sending', 1, 10, 9_000)
    insert.run('done', 'notify', 'k7', 'sent', 1, 10, null)
    const deps = { db, batch } as Deps
    const first = await claimDueRows({ deps, kinds: ['notify'], limit: 2, now: 1_000 })
    expect(first.map((row) => row.id).sort()).toEqual(['lapsed', 'sooner'])
    const second = await claimDueRows({ deps, kinds: ['notify'], limit: 2, now: 1_000 })
    expect(second.map((row) => row.id)).toEqual(['later'])
    expect(await claimDueRows({ deps, kinds: ['notify'], limit: 2, now: 1_000 })).toEqual([])
    expect(
      raw.prepare(`SELECT id, status, attempts, locked_until FROM outbox ORDER BY id`).all(),
    ).toEqual([
      { id: 'done', status: 'sent', attempts: 1, locked_until: null },
      { id: 'held', status: 'sending', attempts: 1, locked_until: 9_000 },
      { id: 'lapsed', status: 'sending', attempts: 2, locked_until: 1_000 + OUTBOX_POLICY.leaseMs },
      { id: 'later', status: 'sending', attempts: 1, locked_until: 1_000 + OUTBOX_POLICY.leaseMs },
      { id: 'not-yet', status: 'pending', attempts: 0, locked_until: null },
      { id: 'other-kind', status: 'pending', attempts: 0, locked_until: null },
      { id: 'sooner', status: 'sending', attempts: 1, locked_until: 1_000 + OUTBOX_POLICY.leaseMs },
    ])
  })

  it('a claim round reads a shared value once, and forgets a failed read', async () => {
    const round = claimRound()
    let reads = 0
    const board = () => round.shared('board/w/b', async () => ({ name: `read ${++reads}` }))
    const [a, b] = await Promise.all([board(), board()])
    expect(await board()).toBe(a)
    expect(b).toBe(a)
    expect(reads).toBe(1)
    let fails = 0
    const flaky = () =>
      round.shared('message/w/m', async () => {
        fails += 1
        if (fails === 1) throw new Error('busy')
        return 'message'
      })
    await expect(flaky()).rejects.toThrow('busy')
    expect(await flaky()).toBe('message')
    // another round reads afresh
    await claimRound().shared('board/w/b', async () => ({ name: `read ${++reads}` }))
    expect(reads).toBe(2)
  })
})
