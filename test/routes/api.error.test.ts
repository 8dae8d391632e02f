import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../../src/shared/crypto'
import { testConfig } from '../helpers/app'
import {
  addKey,
  apiClient,
  createApiWorkspace,
  createTestApp,
  storedCounts,
  validBoard,
} from './api.helpers'

interface ErrorBody {
  error: {
    code: string
    message: string
    details: { field: string; problem: string; code: string }[]
  }
}

async function expectError(response: Response, status: number, code?: string): Promise<ErrorBody> {
  expect(response.status).toBe(status)
  expect(response.headers.get('content-type')).toContain('application/json')
  const body = (await response.json()) as ErrorBody
  expect(typeof body.error.message).toBe('string')
  expect(Array.isArray(body.error.details)).toBe(true)
  if (code) expect(body.error.code).toBe(code)
  const text = JSON.stringify(body)
  expect(text).not.toMatch(/at .*\.ts|SELECT|INSERT|sqlite|\/work\//i)
  return body
}

describe('400', () => {
  it('malformed JSON, empty body, invalid UTF-8, a lone surrogate, a repeated key, a bad Idempotency-Key', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    await expectError(await api.request('POST', '/boards', '{"name": "x",'), 400, 'malformed_json')
    await expectError(await api.request('POST', '/boards', ''), 400, 'malformed_json')
    const latin1 = new Uint8Array([0x7b, 0x22, 0x6e, 0x22, 0x3a, 0x22, 0xe9, 0x22, 0x7d]) // {"n":"é"} in Latin-1
    await expectError(
      await api.raw('POST', '/boards', {
        body: latin1,
        headers: { 'Content-Type': 'application/json' },
      }),
      400,
      'invalid_encoding',
    )
    await expectError(
      await api.request('POST', '/boards', '{"name":"\\ud800"}'),
      400,
      'invalid_encoding',
    )
    const duplicate = await expectError(
      await api.request(
        'POST',
        '/boards',
        '{"name":"a","customer_name":"b","customer_email":"c@example.jp","name":"z"}',
      ),
      400,
      'duplicate_json_key',
    )
    expect(duplicate.error.details[0]?.field).toBe('name')
    await expectError(
      await api.request('POST', '/boards', validBoard(), { 'Idempotency-Key': '' }),
      400,
      'idempotency_key_invalid',
    )
    await expectError(
      await api.request('POST', '/boards', validBoard(), { 'Idempotency-Key': 'x'.repeat(256) }),
      400,
      'idempotency_key_invalid',
    )
    expect(await storedCounts(testApp)).toMatchObject({ boards: 0, idempotency: 0 })
  })
})

describe('401', () => {
  it('missing, malformed, unknown and revoked keys', async () => {
    const testApp = createTestApp()
    const { key, keyId } = await createApiWorkspace(testApp)
    const noKey = await testApp.app.request('/api/v1/boards')
    const body = await expectError(noKey, 401, 'unauthorized')
    expect(noKey.headers.get('www-authenticate')).toContain('Bearer')
    expect(body.error.message).toBe('The API key is missing or not valid.')
    await expectError(
      await testApp.app.request('/api/v1/boards', { headers: { Authorization: key } }),
      401,
    )
    await expectError(
      await testApp.app.request('/api/v1/boards', { headers: { Authorization: `Basic ${key}` } }),
      401,
    )
    await expectError(
      await apiClient(testApp, `ob_live_${'A'.repeat(43)}`).request('GET', '/boards'),
      401,
    )
    await expectError(await apiClient(testApp, `${key}x`).request('GET', '/boards'), 401)
    await testApp.deps.db
      .updateTable('api_keys')
      .set({ revoked_at: Date.now() })
      .where('id', '=', keyId)
      .execute()
    await expectError(await apiClient(testApp, key).request('GET', '/boards'), 401)
    await expectError(await apiClient(testApp, key).request('POST', '/boards', validBoard()), 401)
    expect((await storedCounts(testApp)).boards).toBe(0)
  })
})

describe('403', () => {
  it('a read-only key may read but not write', async () => {
    const testApp = createTestApp()
    const { workspace } = await createApiWorkspace(testApp)
    const { api } = await addKey(testApp, workspace, 'read')
    expect((await api.request('GET', '/boards')).status).toBe(200)
    await expectError(await api.request('POST', '/boards', validBoard()), 403, 'forbidden')
    expect((await storedCounts(testApp)).boards).toBe(0)
  })

  it('members (not admins) cannot open the API keys page or change webhooks', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createApiWorkspace(testApp)
    const { createMember } = await import('../../src/workspaces/workspaces.usecases')
    await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'staff@example.jp',
        name: 'スタッフ',
        password: 'correct horse battery',
        role: 'member',
      },
    })
    const { loginAs } = await import('../helpers/app')
    const staff = await loginAs(testApp, 'staff@example.jp', 'correct horse battery')
    expect((await staff.get(`/w/${workspace.slug}/settings/api`)).status).toBe(403)
    expect((await staff.post(`/w/${workspace.slug}/settings/api`, { name: 'x' })).status).toBe(403)
    expect((await staff.get(`/w/${workspace.slug}/settings/webhooks`)).status).toBe(200)
    expect(
      (
        await staff.post(`/w/${workspace.slug}/settings/webhooks`, {
          url: 'https://a.example.jp/h',
          events: 'board.decided',
        })
      ).status,
    ).toBe(403)
    expect(await testApp.deps.db.selectFrom('api_keys').select('id').execute()).toHaveLength(1)
    void email
    void password
  })
})

describe('404', () => {
  it('unknown boards and unknown paths answer JSON', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    await expectError(await api.request('GET', '/boards/nope'), 404)
    await expectError(await api.request('PATCH', '/boards/nope', { status: 'done' }), 404)
    await expectError(await api.request('GET', '/boards/nope/messages'), 404)
    await expectError(await api.request('POST', '/boards/nope/messages', { body: 'x' }), 404)
    await expectError(await api.request('GET', '/nope'), 404, 'not_found')
    await expectError(await api.request('DELETE', '/boards'), 404, 'not_found')
    await expectError(await testApp.app.request('/api/nope'), 404, 'not_found')
    await expectError(await testApp.app.request('/api/v2/boards'), 404, 'not_found')
  })
})

describe('409', () => {
  it('the same dedupe key with other details names the existing board', async () => {
    const testApp = createTestApp()
    const { api, workspace } = await createApiWorkspace(testApp)
    const first = (await (
      await api.request('POST', '/boards', validBoard({ dedupe_key: 'order-1' }))
    ).json()) as { board: { id: string } }
    const response = await api.request(
      'POST',
      '/boards',
      validBoard({ dedupe_key: 'order-1', customer_email: 'other@example.jp' }),
    )
    const body = (await expectError(response, 409, 'dedupe_key_conflict')) as ErrorBody & {
      error: { existing_board: { id: string; name: string; staff_url: string } }
    }
    expect(body.error.existing_board).toEqual({
      id: first.board.id,
      name: '名刺 100枚 (#10421)',
      staff_url: `${testConfig.baseUrl}/w/${workspace.slug}/boards/${first.board.id}`,
    })
    expect(body.error.details).toEqual([
      { field: 'customer_email', problem: 'Differs from the existing board.', code: 'differs' },
    ])
    // a different first message under the same key is a conflict too, and posts nothing
    await api.request(
      'POST',
      '/boards',
      validBoard({ dedupe_key: 'order-2', first_message: { body: 'A' } }),
    )
    await expectError(
      await api.request(
        'POST',
        '/boards',
        validBoard({ dedupe_key: 'order-2', first_message: { body: 'B' } }),
      ),
      409,
    )
    expect(await storedCounts(testApp)).toMatchObject({ boards: 2, messages: 1 })
  })

  it('a repeat while the first request is in flight', async () => {
    const testApp = createTestApp()
    const { api, keyId } = await createApiWorkspace(testApp)
    const body = JSON.stringify(validBoard())
    await testApp.deps.db
      .insertInto('api_idempotency')
      .values({
        api_key_id: keyId,
        key: 'busy',
        fingerprint: await sha256Hex(`POST\n/api/v1/boards\n${body}`),
        status: 'in_flight',
        created_at: testApp.clock.now().getTime(),
      })
      .execute()
    await expectError(
      await api.request('POST', '/boards', body, { 'Idempotency-Key': 'busy' }),
      409,
      'idempotency_key_in_flight',
    )
    expect((await storedCounts(testApp)).boards).toBe(0)
    // a claim left by a request that died is taken over after 5 minutes
    testApp.clock.advance(6 * 60 * 1000)
    expect((await api.request('POST', '/boards', body, { 'Idempotency-Key': 'busy' })).status).toBe(
      201,
    )
  })
})

describe('413', () => {
  it('a body over 256 KiB is refused while reading, with or without Content-Length', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const big = JSON.stringify(validBoard({ name: 'x'.repeat(300 * 1024) }))
    const body = await expectError(
      await api.request('POST', '/boards', big),
      413,
      'payload_too_large',
    )
    expect(body.error.message).toContain('262144')
    const encoder = new TextEncoder()
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        for (let i = 0; i < 40; i++) controller.enqueue(encoder.encode(' '.repeat(8 * 1024)))
        controller.close()
      },
    })
    await expectError(
      await testApp.app.request('/api/v1/boards', {
        method: 'POST',
        body: stream,
        headers: { Authorization: `Bearer ${api.key}`, 'Content-Type': 'application/json' },
        duplex: 'half',
      } as RequestInit),
      413,
    )
    // above the HTML side's 1 MB limit too: still our JSON
    await expectError(
      await api.request('POST', '/boards', 'x'.repeat(2 * 1024 * 1024)),
      413,
      'payload_too_large',
    )
    expect((await storedCounts(testApp)).boards).toBe(0)
  })
})

describe('415', () => {
  it('anything but application/json (UTF-8)', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const body = JSON.stringify(validBoard())
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
      'application/json; charset=latin1',
      'application/jsonx',
      'text/json',
    ]) {
      await expectError(
        await api.raw('POST', '/boards', { body, headers: { 'Content-Type': type } }),
        415,
        'unsupported_media_type',
      )
    }
    await expectError(await api.raw('POST', '/boards', { body }), 415)
    // a cross-site form post gets our JSON 415, not the HTML side's CSRF page
    await expectError(
      await api.raw('POST', '/boards', {
        body: 'name=x',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: 'https://evil.example',
        },
      }),
      415,
    )
    expect(
      (
        await api.raw('POST', '/boards', {
          body,
          headers: { 'Content-Type': 'application/json; charset=UTF-8' },
        })
      ).status,
    ).toBe(201)
  })
})

describe('422', () => {
  it('names each invalid field', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const body = await expectError(
      await api.request('POST', '/boards', {
        name: 42,
        customer_email: 'not-an-email',
        customer_mail: 'x',
        __proto__x: 1,
      }),
      422,
      'validation_failed',
    )
    const fields = Object.fromEntries(
      body.error.details.map((detail) => [detail.field, detail.code]),
    )
    expect(fields).toMatchObject({
      name: 'wrong_type',
      customer_name: 'required',
      customer_email: 'invalid_email',
      customer_mail: 'unknown',
      __proto__x: 'unknown',
    })
    expect(body.error.details.find((detail) => detail.field === 'name')?.problem).toBe(
      'Wrong type: expected string.',
    )
  })

  it('forbidden keys, nesting, statuses, dates, cursors, templates, placeholders, decisions', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const proto = await expectError(
      await api.request('POST', '/boards', '{"__proto__": {"admin": true}, "name": "x"}'),
      422,
    )
    expect(proto.error.details).toEqual([
      { field: '__proto__', problem: 'This field name is not allowed.', code: 'forbidden_key' },
    ])
    await expectError(
      await api.request(
        'POST',
        '/boards',
        validBoard({ first_message: { constructor: 'x', body: 'y' } }),
      ),
      422,
    )
    const deep = await expectError(
      await api.request('POST', '/boards', `{"a":${'['.repeat(20)}${']'.repeat(20)}}`),
      422,
    )
    expect(deep.error.details[0]?.code).toBe('too_deep')
    await expectError(await api.request('POST', '/boards', '[1,2,3]'), 422)
    await expectError(
      await api.request(
        'POST',
        '/boards',
        validBoard({ first_message: { body: '{{customer_name}} 様' } }),
      ),
      422,
    )
    await expectError(
      await api.request(
        'POST',
        '/boards',
        validBoard({ first_message: { body: 'x', template: 'no-such' } }),
      ),
      422,
    )
    expect(await storedCounts(testApp)).toMatchObject({ boards: 0, messages: 0, outbox: 0 })

    const id = (
      (await (await api.request('POST', '/boards', validBoard())).json()) as {
        board: { id: string }
      }
    ).board.id
    await expectError(await api.request('PATCH', `/boards/${id}`, { status: 'shipped' }), 422)
    await expectError(await api.request('PATCH', `/boards/${id}`, {}), 422)
    await expectError(
      await api.request('PATCH', `/boards/${id}`, { status: 'done', closed: true }),
      422,
    )
    await expectError(
      await api.request('PATCH', `/boards/${id}`, { next_contact_on: '2026-02-30' }),
      422,
    )
    await expectError(
      await api.request('PATCH', `/boards/${id}`, { expires_at: '2026-12-01' }),
      422,
    )
    await expectError(await api.request('PATCH', `/boards/${id}`, { closed: 'yes' }), 422)
    await expectError(await api.request('GET', '/boards?cursor=garbage'), 422)
    await expectError(await api.request('GET', '/boards?limit=1000'), 422)
    await expectError(await api.request('GET', '/boards?status=lost'), 422)
    await expectError(await api.request('GET', '/boards?updated_since=yesterday'), 422)
    await expectError(await api.request('GET', '/boards?sort=name'), 422)
    await expectError(
      await api.request('POST', `/boards/${id}/messages`, { body: 'x', decides_no: 9 }),
      422,
    )
    await expectError(await api.request('POST', `/boards/${id}/messages`, { body: '   ' }), 422)
    await expectError(
      await api.request('POST', `/boards/${id}/messages`, { body: 'x', internal: 'true' }),
      422,
    )
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 0, outbox: 0 })
    const board = await testApp.deps.db.selectFrom('boards').selectAll().executeTakeFirstOrThrow()
    expect(board.status).toBe('new')
  })

  it('the same Idempotency-Key with another payload', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const headers = { 'Idempotency-Key': 'order-1-create' }
    expect((await api.request('POST', '/boards', validBoard(), headers)).status).toBe(201)
    await expectError(
      await api.request('POST', '/boards', validBoard({ name: '別の注文' }), headers),
      422,
      'idempotency_key_mismatch',
    )
    expect((await storedCounts(testApp)).boards).toBe(1)
  })
})

describe('429', () => {
  it('per key, with Retry-After', async () => {
    const testApp = createTestApp({ config: { ...testConfig, apiRateLimitPerMinute: 3 } })
    const { api, workspace } = await createApiWorkspace(testApp)
    for (let i = 0; i < 3; i++) expect((await api.request('GET', '/boards')).status).toBe(200)
    const limited = await api.request('POST', '/boards', validBoard())
    await expectError(limited, 429, 'rate_limited')
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect((await storedCounts(testApp)).boards).toBe(0)
    // another key of the same workspace has its own budget
    const other = await addKey(testApp, workspace)
    expect((await other.api.request('GET', '/boards')).status).toBe(200)
    testApp.clock.advance(60_000)
    expect((await api.request('GET', '/boards')).status).toBe(200)
  })
})

describe('500', () => {
  it('a failing store answers a plain JSON 500, stores nothing and releases the Idempotency-Key', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const realBatch = testApp.deps.batch
    testApp.deps.batch = async () => {
      throw new Error('SQLITE_IOERR: disk I/O error at /work/main/data/orderboard.sqlite')
    }
    const errors: unknown[] = []
    const original = console.error
    console.error = (...args: unknown[]) => void errors.push(args)
    try {
      const response = await api.request(
        'POST',
        '/boards',
        validBoard({ first_message: { body: 'x' } }),
        { 'Idempotency-Key': 'k' },
      )
      const body = await expectError(response, 500, 'internal_error')
      expect(JSON.stringify(body)).not.toContain('disk')
    } finally {
      console.error = original
      testApp.deps.batch = realBatch
    }
    expect(errors).toHaveLength(1)
    // no dedupe key: the fresh, empty board was taken back
    expect(await storedCounts(testApp)).toMatchObject({
      boards: 0,
      messages: 0,
      idempotency: 0,
      firstMessages: 0,
    })
    const retry = await api.request(
      'POST',
      '/boards',
      validBoard({ first_message: { body: 'x' } }),
      { 'Idempotency-Key': 'k' },
    )
    expect(retry.status).toBe(201)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1 })
  })

  it('with a dedupe key, a failed first message is completed by the retry', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const realBatch = testApp.deps.batch
    // The board's own batch commits; the first message's batch (its insert) meets a held lock.
    testApp.deps.batch = async (queries) => {
      if (queries.some((query) => query.compile().sql.startsWith('insert into "messages"')))
        throw new Error('SQLITE_BUSY')
      return realBatch(queries)
    }
    const original = console.error
    console.error = () => undefined
    const request = validBoard({
      dedupe_key: 'order-77',
      first_message: { body: 'ご注文ありがとうございます。' },
    })
    try {
      // a held lock is an overload: 503 + Retry-After, not a 500
      await expectError(await api.request('POST', '/boards', request), 503, 'busy')
    } finally {
      console.error = original
      testApp.deps.batch = realBatch
    }
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 0 })
    const retry = await api.request('POST', '/boards', request)
    expect(retry.status).toBe(200)
    expect(((await retry.json()) as { first_message: { no: number } }).first_message.no).toBe(1)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1, firstMessages: 1 })
  })
})
