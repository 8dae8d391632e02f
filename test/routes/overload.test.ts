import { describe, expect, it } from 'vitest'
import { sql } from 'kysely'
import { createTestApp } from '../helpers/app'
import { d1Error, injectWriteFault, sqliteError } from '../helpers/db-faults'
import { createApiWorkspace } from './api.helpers'
import { countMessages, openAsGuest, setupBoard } from './guest.helpers'

// A held write lock (SQLITE_BUSY) or a full disk (SQLITE_FULL), and D1's words for the same,
// injected through the db port: every route answers 503 with Retry-After and a message that
// says "try again", in the user's language (JSON for the API), and nothing is written.

const count = async (testApp: ReturnType<typeof createTestApp>, table: 'boards' | 'messages') =>
  Number(
    (
      await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(
        testApp.deps.db,
      )
    ).rows[0]!.n,
  )

describe('overload answers', () => {
  it.each([
    ['SQLITE_BUSY', sqliteError('SQLITE_BUSY'), 'busy', '2'],
    ['SQLITE_FULL', sqliteError('SQLITE_FULL'), 'storage_full', '60'],
    ['D1 overloaded', d1Error('D1 DB is overloaded. Requests queued for too long.'), 'busy', '2'],
    ['D1 full', d1Error('Exceeded maximum DB size'), 'storage_full', '60'],
  ])('API: %s → 503 JSON with Retry-After, nothing written', async (_, fault, code, retry) => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const before = await count(testApp, 'boards')
    const fault1 = injectWriteFault(testApp.deps, fault)
    const response = await api.request('POST', '/boards', {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'yamada@example.jp',
    })
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe(retry)
    const body = (await response.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe(code)
    expect(body.error.message).toMatch(/try again|Nothing was saved/i)
    fault1.disarm()
    expect(await count(testApp, 'boards')).toBe(before)
    // the same request goes through once the database is back
    const retried = await api.request('POST', '/boards', {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'yamada@example.jp',
    })
    expect(retried.status).toBe(201)
  })

  it('staff post on SQLITE_FULL: 503 page in Japanese, no message', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    const before = await countMessages(testApp, boardId)
    const fault = injectWriteFault(testApp.deps, sqliteError('SQLITE_FULL'))
    const response = await member.post(`${staffUrl}/messages`, { body: '校正をお送りします。' })
    fault.disarm()
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('60')
    const html = await response.text()
    expect(html).toContain('内容は保存されていません')
    expect(html).not.toMatch(/SQLITE|disk is full/)
    expect(await countMessages(testApp, boardId)).toBe(before)
  })

  it('customer post on SQLITE_BUSY: 503 in the workspace language, no message', async () => {
    const { testApp, boardId, linkPath } = await setupBoard({ locale: 'en' })
    const { client } = await openAsGuest(testApp, await linkPath())
    const before = await countMessages(testApp, boardId)
    const fault = injectWriteFault(testApp.deps, sqliteError('SQLITE_BUSY'))
    const response = await client.post(`/g/${boardId}/messages`, { body: 'Looks good!' })
    fault.disarm()
    expect(response.status).toBe(503)
    expect(response.headers.get('Retry-After')).toBe('2')
    expect(await response.text()).toContain('Nothing was saved')
    expect(await countMessages(testApp, boardId)).toBe(before)
  })

  it('an unrelated error is still a plain 500', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const fault = injectWriteFault(testApp.deps, new Error('something else broke'))
    const response = await api.request('POST', '/boards', {
      name: 'x',
      customer_name: 'y',
      customer_email: 'y@example.jp',
    })
    fault.disarm()
    expect(response.status).toBe(500)
    expect(response.headers.get('Retry-After')).toBeNull()
  })
})
