import { sql } from 'kysely'
import { describe, expect, it } from 'vitest'
import { guestLinkSecret } from '../../src/guest/guest.link'
import { createApiWorkspace, createTestApp, storedCounts, validBoard } from './api.helpers'
import { openAsGuest, setupBoard, countMessages } from './guest.helpers'
import { cleanupIdempotencyKeys } from '../../src/api/api.usecases'

// Crash-safe requests in process: the effect's batch carries the key's commit record, so a
// retry after "the process died between commit and answer" finishes instead of redoing. The
// real kill -9 is in test/fault/requests.test.ts; here the death is simulated by a hook that
// throws after the commit, and by a claim left by another server start.

const keyed = (key: string) => ({ 'Idempotency-Key': key })

/**
 * Makes the next answer fail after its write committed, like a process killed right there;
 * the app then runs as a new start of the server (another instance id), as after a restart.
 */
function dieAfterCommitOnce(testApp: ReturnType<typeof createTestApp>) {
  let armed = true
  testApp.deps.config = { ...testApp.deps.config, instanceId: 'first-start' }
  testApp.deps.hooks = {
    afterCommit: async () => {
      if (!armed) return
      armed = false
      testApp.deps.config = { ...testApp.deps.config, instanceId: 'second-start' }
      throw new Error('killed after commit (simulated)')
    },
  }
}

const quietly = async <T>(run: () => Promise<T>) => {
  const original = console.error
  console.error = () => undefined
  try {
    return await run()
  } finally {
    console.error = original
  }
}

describe('Idempotency-Key after a crash between commit and answer', () => {
  it('POST messages: the retry answers with the committed message; one row, one email', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const created = await api.request('POST', '/boards', validBoard())
    const { board } = (await created.json()) as { board: { id: string } }
    const before = await storedCounts(testApp)
    dieAfterCommitOnce(testApp)
    const post = { body: '校正をお送りしました。', notify: true }
    const first = await quietly(() =>
      api.request('POST', `/boards/${board.id}/messages`, post, keyed('m-1')),
    )
    expect(first.status).toBe(500)
    const retry = await api.request('POST', `/boards/${board.id}/messages`, post, keyed('m-1'))
    expect(retry.status).toBe(201)
    const answer = (await retry.json()) as { message: { no: number; body: string } }
    expect(answer.message).toMatchObject({ no: 1, body: post.body })
    const after = await storedCounts(testApp)
    expect(after.messages - before.messages).toBe(1)
    expect(after.outbox - before.outbox).toBe(1)
    // and the stored answer now replays
    const replay = await api.request('POST', `/boards/${board.id}/messages`, post, keyed('m-1'))
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await replay.json()).toEqual(answer)
  })

  it('POST boards without a dedupe key, with a first message: one board, one message', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    dieAfterCommitOnce(testApp)
    const request = validBoard({ first_message: { body: 'ご注文ありがとうございます。' } })
    const first = await quietly(() => api.request('POST', '/boards', request, keyed('b-1')))
    expect(first.status).toBe(500)
    const retry = await api.request('POST', '/boards', request, keyed('b-1'))
    expect(retry.status).toBe(201)
    const answer = (await retry.json()) as {
      duplicate?: boolean
      guest_url: string
      first_message: { no: number }
    }
    expect(answer.duplicate).toBeUndefined()
    expect(answer.first_message.no).toBe(1)
    expect(answer.guest_url).toMatch(/\/g\//)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1, outbox: 1 })
  })

  it('a board committed without its first message: the retry posts the message once', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const realBatch = testApp.deps.batch
    let batches = 0
    // the board's batch commits; the first message's batch dies (the process "was killed")
    testApp.deps.batch = async (queries, options) => {
      batches += 1
      if (batches === 2) throw new Error('killed between the two writes (simulated)')
      return realBatch(queries, options)
    }
    const request = validBoard({ first_message: { body: '見積もりをお送りします。' } })
    const first = await quietly(() => api.request('POST', '/boards', request, keyed('b-2')))
    expect(first.status).toBe(500)
    testApp.deps.batch = realBatch
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 0 })
    const retry = await api.request('POST', '/boards', request, keyed('b-2'))
    expect(retry.status).toBe(201)
    expect(((await retry.json()) as { first_message: { no: number } }).first_message.no).toBe(1)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1, outbox: 1 })
  })

  it('a claim left in flight by another server start is taken over at once', async () => {
    const testApp = createTestApp()
    testApp.deps.config = { ...testApp.deps.config, instanceId: 'this-start' }
    const { api, keyId } = await createApiWorkspace(testApp)
    await testApp.deps.db
      .insertInto('api_idempotency')
      .values({
        api_key_id: keyId,
        key: 'b-3',
        fingerprint: 'unknown',
        status: 'in_flight',
        created_at: testApp.deps.clock.now().getTime(),
        owner: 'a-start-that-died',
      })
      .execute()
    const response = await api.request('POST', '/boards', validBoard(), keyed('b-3'))
    expect(response.status).toBe(201)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1 })
  })

  it('a claim of this very start still in flight is a 409', async () => {
    const testApp = createTestApp()
    testApp.deps.config = { ...testApp.deps.config, instanceId: 'this-start' }
    const { api, keyId } = await createApiWorkspace(testApp)
    await testApp.deps.db
      .insertInto('api_idempotency')
      .values({
        api_key_id: keyId,
        key: 'b-4',
        fingerprint: 'x',
        status: 'in_flight',
        created_at: testApp.deps.clock.now().getTime(),
        owner: 'this-start',
      })
      .execute()
    const response = await api.request('POST', '/boards', validBoard(), keyed('b-4'))
    expect([409, 422]).toContain(response.status)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 0 })
  })

  it('expired keys go with their commit records; the key can then be used afresh', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    expect((await api.request('POST', '/boards', validBoard(), keyed('b-5'))).status).toBe(201)
    testApp.clock.advance(25 * 60 * 60 * 1000)
    expect((await api.request('POST', '/boards', validBoard(), keyed('b-5'))).status).toBe(201)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 2 })
    testApp.clock.advance(25 * 60 * 60 * 1000)
    await cleanupIdempotencyKeys(testApp.deps)
    const left = await sql<{
      n: number
    }>`SELECT count(*) AS n FROM api_idempotency_commits`.execute(testApp.deps.db)
    expect(Number(left.rows[0]!.n)).toBe(0)
  })
})

describe("the customer's per-submit key", () => {
  it('a double submit of one form posts once and answers both alike', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client, html } = await openAsGuest(testApp, await linkPath())
    const submitKey = /name="submit_key" value="([^"]+)"/.exec(html)?.[1]
    expect(submitKey).toBeTruthy()
    const outboxBefore = (await storedCounts(testApp)).outbox
    const form = { body: 'この内容でお願いします。', submit_key: submitKey! }
    const [one, two] = await Promise.all([
      client.post(`/g/${boardId}/messages`, form),
      client.post(`/g/${boardId}/messages`, form),
    ])
    expect([one.status, two.status]).toEqual([303, 303])
    expect(await countMessages(testApp, boardId)).toBe(1)
    const third = await client.post(`/g/${boardId}/messages`, form)
    expect(third.status).toBe(303)
    expect(await countMessages(testApp, boardId)).toBe(1)
    expect((await storedCounts(testApp)).outbox - outboxBefore).toBeLessThanOrEqual(1)
    // a new form (a new key) posts again
    const page = await (await client.get(`/g/${boardId}`)).text()
    const next = /name="submit_key" value="([^"]+)"/.exec(page)?.[1]
    expect(next).not.toBe(submitKey)
    await client.post(`/g/${boardId}/messages`, { body: 'もう一件', submit_key: next! })
    expect(await countMessages(testApp, boardId)).toBe(2)
  })

  it('a malformed key is refused without posting', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const response = await client.post(`/g/${boardId}/messages`, {
      body: 'x',
      submit_key: 'not a key!',
    })
    expect(response.status).toBe(422)
    expect(await countMessages(testApp, boardId)).toBe(0)
  })
})

describe("the customer's link secret at rest (issue #21, point 4)", () => {
  it('no table holds the secret after the API flows; replays still carry the link', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const request = validBoard({ first_message: { body: 'ご注文ありがとうございます。' } })
    const created = await api.request('POST', '/boards', request, keyed('s-1'))
    expect(created.status).toBe(201)
    const answer = (await created.json()) as {
      board: { id: string; guest_url: string }
      guest_url: string
    }
    const replay = await api.request('POST', '/boards', request, keyed('s-1'))
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await replay.json()).toEqual(answer)
    // the other flows that answer with links: duplicate by dedupe key, read, update, post
    const deduped = validBoard({ dedupe_key: 'order-1' })
    await api.request('POST', '/boards', deduped, keyed('s-2'))
    await api.request('POST', '/boards', deduped, keyed('s-3'))
    await api.request('GET', `/boards/${answer.board.id}`)
    await api.request('PATCH', `/boards/${answer.board.id}`, { status: 'on_hold' }, keyed('s-4'))
    await api.request(
      'POST',
      `/boards/${answer.board.id}/messages`,
      { body: '追加の連絡です。', notify: true },
      keyed('s-5'),
    )
    await testApp.drain()

    const boards = await testApp.deps.db.selectFrom('boards').selectAll().execute()
    const secrets = await Promise.all(
      boards.map((board) =>
        guestLinkSecret(testApp.deps.config, board.id, board.guest_link_version),
      ),
    )
    expect(answer.guest_url).toContain(secrets[boards.findIndex((b) => b.id === answer.board.id)])
    const tables = await sql<{
      name: string
    }>`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`.execute(
      testApp.deps.db,
    )
    let scanned = 0
    for (const { name } of tables.rows) {
      const rows = await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)}`.execute(
        testApp.deps.db,
      )
      for (const row of rows.rows) {
        scanned += 1
        const text = JSON.stringify(row)
        for (const secret of secrets) expect(text, `table ${name}`).not.toContain(secret)
      }
    }
    expect(scanned).toBeGreaterThan(10)
  })
})
