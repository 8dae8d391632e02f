import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { cleanupIdempotencyKeys } from '../../src/api/api.usecases'
import {
  apiCreateBoardSchema,
  apiPostMessageSchema,
  apiUpdateBoardSchema,
} from '../../src/api/api.schemas'
import { requestJsonSchema } from '../../src/api/api.openapi'
import { createBoard } from '../../src/boards/boards.usecases'
import { postGuestMessage } from '../../src/guest/guest.usecases'
import { drainOutbox, PermanentError, RetryableError } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { createWebhookEndpoint } from '../../src/webhooks/webhooks.usecases'
import { deliverWebhook } from '../../src/webhooks/webhooks.deliver'
import { loginAs } from '../helpers/app'
import { createApiWorkspace, createTestApp, storedCounts, validBoard } from './api.helpers'

async function json(response: Response) {
  return (await response.json()) as Record<string, any>
}

describe('POST /api/v1/boards', () => {
  it('opens a board and answers 201 with the board and both links', async () => {
    const testApp = createTestApp()
    const { api, workspace } = await createApiWorkspace(testApp)
    const response = await api.request(
      'POST',
      '/boards',
      validBoard({ dedupe_key: 'order-1', message_id: '<order-1@shop.example.jp>' }),
    )
    expect(response.status).toBe(201)
    expect(response.headers.get('content-type')).toContain('application/json')
    const body = await json(response)
    expect(body.board).toMatchObject({
      name: '名刺 100枚 (#10421)',
      customer_name: '山田 花子',
      customer_email: 'hanako@example.jp',
      dedupe_key: 'order-1',
      message_id: '<order-1@shop.example.jp>',
      status: 'new',
      closed: false,
    })
    expect(body.staff_url).toBe(
      `http://orderboard.test/w/${workspace.slug}/boards/${body.board.id}`,
    )
    expect(body.guest_url).toMatch(
      new RegExp(`^http://orderboard.test/g/${body.board.id}/[A-Za-z0-9_-]{43}$`),
    )
    expect(body.duplicate).toBeUndefined()
    // the customer's link really opens the board
    const opened = await testApp.app.request(new URL(body.guest_url).pathname)
    expect([200, 302, 303]).toContain(opened.status)
  })

  it('posts the first message in the key’s name, with its email, in one go', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp, { keyName: '受注システム' })
    const response = await api.request(
      'POST',
      '/boards',
      validBoard({ first_message: { body: 'ご注文ありがとうございます。' } }),
    )
    expect(response.status).toBe(201)
    const body = await json(response)
    expect(body.first_message).toMatchObject({
      no: 1,
      author_kind: 'api',
      author_name: '受注システム',
      internal: false,
    })
    expect(body.board.status).toBe('waiting')
    const outbox = await testApp.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('board_id', '=', body.board.id)
      .execute()
    expect(outbox.filter((row) => row.kind === 'email')).toHaveLength(1)
  })

  it('first_message with notify: false sends no email', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const response = await api.request(
      'POST',
      '/boards',
      validBoard({ first_message: { body: '社内確認後にご連絡します。', notify: false } }),
    )
    expect(response.status).toBe(201)
    expect((await storedCounts(testApp)).outbox).toBe(0)
  })

  it('same dedupe key and fields → 200 with the same board and duplicate: true', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const request = validBoard({ dedupe_key: 'order-7', first_message: { body: 'こんにちは' } })
    const first = await json(await api.request('POST', '/boards', request))
    const again = await api.request('POST', '/boards', {
      ...request,
      customer_email: ' HANAKO@example.jp ',
    })
    expect(again.status).toBe(200)
    const body = await json(again)
    expect(body.duplicate).toBe(true)
    expect(body.board.id).toBe(first.board.id)
    expect(body.first_message.id).toBe(first.first_message.id)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1, firstMessages: 1 })
  })

  it('50 simultaneous identical requests make exactly one board and one first message', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const request = validBoard({
      dedupe_key: 'order-50',
      first_message: { body: 'ご注文を承りました。' },
    })
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => api.request('POST', '/boards', request)),
    )
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 201)).toHaveLength(1)
    expect(statuses.filter((status) => status === 200)).toHaveLength(49)
    const ids = new Set(
      await Promise.all(responses.map(async (response) => (await json(response)).board.id)),
    )
    expect(ids.size).toBe(1)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1, firstMessages: 1 })
    const emails = await testApp.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'email')
      .execute()
    expect(emails).toHaveLength(1)
  })

  it('50 simultaneous identical requests without a first message make one board', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        api.request('POST', '/boards', validBoard({ dedupe_key: 'order-51' })),
      ),
    )
    expect(responses.filter((response) => response.status === 201)).toHaveLength(1)
    expect((await storedCounts(testApp)).boards).toBe(1)
  })

  it('a retry completes a create that died between the board and its first message', async () => {
    const testApp = createTestApp()
    const { api, workspace } = await createApiWorkspace(testApp)
    // The board made it, the first message did not (the process died in between).
    await createBoard({
      deps: testApp.deps,
      workspace,
      createdBy: null,
      input: {
        name: '名刺 100枚 (#10421)',
        customer_name: '山田 花子',
        customer_email: 'hanako@example.jp',
        dedupe_key: 'order-9',
      },
    })
    const request = validBoard({
      dedupe_key: 'order-9',
      first_message: { body: 'ご注文ありがとうございます。' },
    })
    const retry = await api.request('POST', '/boards', request)
    expect(retry.status).toBe(200)
    expect((await json(retry)).first_message.no).toBe(1)
    const again = await api.request('POST', '/boards', request)
    expect(again.status).toBe(200)
    expect(await storedCounts(testApp)).toMatchObject({ boards: 1, messages: 1, firstMessages: 1 })
  })
})

describe('GET /api/v1/boards', () => {
  it('filters by status, dedupe key, updated_since and next contact, and pages with next_cursor', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      testApp.clock.advance(60_000)
      ids.push(
        (await json(await api.request('POST', '/boards', validBoard({ dedupe_key: `o-${i}` }))))
          .board.id,
      )
    }
    testApp.clock.advance(60_000)
    await api.request('PATCH', `/boards/${ids[1]}`, {
      status: 'on_hold',
      next_contact_on: '2026-11-30',
    })

    const page1 = await json(await api.request('GET', '/boards?limit=2'))
    expect(page1.boards.map((board: { id: string }) => board.id)).toEqual([ids[0], ids[2]])
    const page2 = await json(
      await api.request('GET', `/boards?limit=2&cursor=${page1.next_cursor}`),
    )
    expect(page2.boards.map((board: { id: string }) => board.id)).toEqual([ids[3], ids[4]])
    const page3 = await json(
      await api.request('GET', `/boards?limit=2&cursor=${page2.next_cursor}`),
    )
    expect(page3.boards.map((board: { id: string }) => board.id)).toEqual([ids[1]])
    expect(page3.next_cursor).toBeNull()

    const held = await json(await api.request('GET', '/boards?status=on_hold'))
    expect(held.boards.map((board: { id: string }) => board.id)).toEqual([ids[1]])
    const byKey = await json(await api.request('GET', '/boards?dedupe_key=o-3'))
    expect(byKey.boards.map((board: { id: string }) => board.id)).toEqual([ids[3]])
    const since = testApp.clock.now().toISOString()
    const changed = await json(
      await api.request('GET', `/boards?updated_since=${encodeURIComponent(since)}`),
    )
    expect(changed.boards.map((board: { id: string }) => board.id)).toEqual([ids[1]])
    const due = await json(await api.request('GET', '/boards?next_contact_before=2026-12-01'))
    expect(due.boards.map((board: { id: string }) => board.id)).toEqual([ids[1]])
    const notDue = await json(await api.request('GET', '/boards?next_contact_before=2026-11-30'))
    expect(notDue.boards).toEqual([])
  })
})

describe('GET and PATCH /api/v1/boards/:id', () => {
  it('reads one board with its links', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const created = await json(await api.request('POST', '/boards', validBoard()))
    const response = await api.request('GET', `/boards/${created.board.id}`)
    expect(response.status).toBe(200)
    const body = await json(response)
    expect(body.board.id).toBe(created.board.id)
    expect(body.board.guest_url).toBe(created.guest_url)
    expect(body.board.staff_url).toBe(created.staff_url)
  })

  it('changes status, next contact, expiry, and closes and reopens', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const id = (await json(await api.request('POST', '/boards', validBoard()))).board.id
    const changed = await api.request('PATCH', `/boards/${id}`, {
      status: 'on_hold',
      next_contact_on: '2026-12-05',
      next_contact_time: '15:00',
      expires_at: '2027-01-31T23:59:59+09:00',
    })
    expect(changed.status).toBe(200)
    expect((await json(changed)).board).toMatchObject({
      status: 'on_hold',
      next_contact_on: '2026-12-05',
      next_contact_time: '15:00',
      expires_at: '2027-01-31T14:59:59.000Z',
    })
    const cleared = await json(
      await api.request('PATCH', `/boards/${id}`, { next_contact_on: null }),
    )
    expect(cleared.board).toMatchObject({ next_contact_on: null, next_contact_time: null })
    const closed = await json(await api.request('PATCH', `/boards/${id}`, { closed: true }))
    expect(closed.board).toMatchObject({ status: 'closed', closed: true })
    const reopened = await json(await api.request('PATCH', `/boards/${id}`, { closed: false }))
    expect(reopened.board).toMatchObject({ status: 'waiting', closed: false })
  })
})

describe('messages', () => {
  it('posts staff messages in the key’s name with the UI’s rules, and lists them with internal notes flagged', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp, { keyName: '基幹システム' })
    const id = (await json(await api.request('POST', '/boards', validBoard()))).board.id

    const posted = await api.request('POST', `/boards/${id}/messages`, {
      body: '校正データをお送りします。',
    })
    expect(posted.status).toBe(201)
    const first = await json(posted)
    expect(first.message).toMatchObject({
      no: 1,
      author_kind: 'api',
      author_name: '基幹システム',
      internal: false,
    })
    expect(first.board.status).toBe('waiting')

    const note = await json(
      await api.request('POST', `/boards/${id}/messages`, {
        body: '社内: 紙の在庫を確認',
        internal: true,
      }),
    )
    expect(note.message).toMatchObject({ no: null, internal: true })
    await api.request('POST', `/boards/${id}/messages`, {
      body: '誤字を修正しました。',
      notify: false,
    })
    const decided = await json(
      await api.request('POST', `/boards/${id}/messages`, {
        body: 'No.1 の内容で確定いたしました。',
        decides_no: 1,
      }),
    )
    expect(decided.board).toMatchObject({ status: 'done', decision_no: 1 })

    const emails = await testApp.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('kind', '=', 'email')
      .where('board_id', '=', id)
      .execute()
    expect(emails).toHaveLength(2) // the first and the decision; not the note, not the silent one

    const listed = await json(await api.request('GET', `/boards/${id}/messages`))
    expect(
      listed.messages.map((message: { internal: boolean; no: number | null }) => [
        message.internal,
        message.no,
      ]),
    ).toEqual([
      [false, 1],
      [true, null],
      [false, 2],
      [false, 3],
    ])
    const after = await json(await api.request('GET', `/boards/${id}/messages?after_seq=2&limit=1`))
    expect(after.messages).toHaveLength(1)
    expect(after.next_after_seq).toBe(3)
  })
})

describe('next contact date, as in the composer', () => {
  it('is taken from the text unless given or set to null', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const created = await json(
      await api.request(
        'POST',
        '/boards',
        validBoard({ first_message: { body: 'デザイン案を12月5日(金)までにお送りします。' } }),
      ),
    )
    expect(created.board.next_contact_on).toBe('2026-12-05')
    const id = created.board.id
    const given = await json(
      await api.request('POST', `/boards/${id}/messages`, {
        body: '明日ご連絡します。',
        next_contact_on: '2026-12-10',
        next_contact_time: '10:00',
      }),
    )
    expect(given.board).toMatchObject({ next_contact_on: '2026-12-10', next_contact_time: '10:00' })
    const none = await json(
      await api.request('POST', `/boards/${id}/messages`, {
        body: '明日15時にお電話します。',
        next_contact_on: null,
      }),
    )
    expect(none.board.next_contact_on).toBe('2026-12-10')
    const auto = await json(
      await api.request('POST', `/boards/${id}/messages`, { body: '明日15時にお電話します。' }),
    )
    expect(auto.board).toMatchObject({ next_contact_on: '2026-11-25', next_contact_time: '15:00' })
  })
})

describe('Idempotency-Key', () => {
  it('replays the stored answer after completion, without running the request again', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const headers = { 'Idempotency-Key': '"8e03978e-40d5-43e8-bc93-6894a57f9324"' }
    const first = await api.request('POST', '/boards', validBoard(), headers)
    expect(first.status).toBe(201)
    const firstBody = await first.text()
    const replay = await api.request('POST', '/boards', validBoard(), headers)
    expect(replay.status).toBe(201)
    expect(replay.headers.get('Idempotent-Replayed')).toBe('true')
    expect(await replay.text()).toBe(firstBody)
    expect((await storedCounts(testApp)).boards).toBe(1)
  })

  it('works on message posts too: a retried post is posted once', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const id = (await json(await api.request('POST', '/boards', validBoard()))).board.id
    const headers = { 'Idempotency-Key': 'post-1' }
    const results = await Promise.all(
      Array.from({ length: 10 }, () =>
        api.request('POST', `/boards/${id}/messages`, { body: '発送しました。' }, headers),
      ),
    )
    const statuses = results.map((response) => response.status)
    expect(statuses.every((status) => status === 201 || status === 409)).toBe(true)
    expect((await storedCounts(testApp)).messages).toBe(1)
  })

  it('keeps keys 24 hours; the cleanup forgets older ones', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    await api.request('POST', '/boards', validBoard(), { 'Idempotency-Key': 'k-1' })
    testApp.clock.advance(23 * 60 * 60 * 1000)
    expect(await cleanupIdempotencyKeys(testApp.deps)).toBe(0)
    expect(
      (await api.request('POST', '/boards', validBoard(), { 'Idempotency-Key': 'k-1' })).status,
    ).toBe(201)
    expect((await storedCounts(testApp)).boards).toBe(1)
    testApp.clock.advance(2 * 60 * 60 * 1000)
    expect(await cleanupIdempotencyKeys(testApp.deps)).toBe(1)
    expect(
      (await api.request('POST', '/boards', validBoard(), { 'Idempotency-Key': 'k-1' })).status,
    ).toBe(201)
    expect((await storedCounts(testApp)).boards).toBe(2)
  })

  it('an error answer is not stored: the corrected request may reuse the key', async () => {
    const testApp = createTestApp()
    const { api } = await createApiWorkspace(testApp)
    const headers = { 'Idempotency-Key': 'fix-and-retry' }
    expect(
      (await api.request('POST', '/boards', validBoard({ customer_email: 'nope' }), headers))
        .status,
    ).toBe(422)
    expect((await storedCounts(testApp)).idempotency).toBe(0)
    expect((await api.request('POST', '/boards', validBoard(), headers)).status).toBe(201)
  })
})

describe('OpenAPI and docs', () => {
  it('serves OpenAPI 3.1 whose request schemas are the validators’ own JSON Schema', async () => {
    const testApp = createTestApp()
    const response = await testApp.app.request('/api/v1/openapi.json')
    expect(response.status).toBe(200)
    const document = await json(response)
    expect(document.openapi).toBe('3.1.0')
    const fromValidator = (schema: z.ZodType) => {
      const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
        io: 'input',
        unrepresentable: 'any',
      })
      return rest
    }
    expect(document.components.schemas.CreateBoard).toEqual(fromValidator(apiCreateBoardSchema))
    expect(document.components.schemas.UpdateBoard).toEqual(fromValidator(apiUpdateBoardSchema))
    expect(document.components.schemas.PostMessage).toEqual(fromValidator(apiPostMessageSchema))
    expect(document.components.schemas.CreateBoard).toEqual(requestJsonSchema(apiCreateBoardSchema))
    expect(document.components.schemas.CreateBoard.additionalProperties).toBe(false)
    expect(document.components.schemas.CreateBoard.required).toEqual([
      'name',
      'customer_name',
      'customer_email',
    ])
    expect(Object.keys(document.paths)).toEqual([
      '/boards',
      '/boards.csv',
      '/messages.csv',
      '/boards/{id}',
      '/boards/{id}/messages',
    ])
    const query = document.paths['/boards'].get.parameters.map(
      (parameter: { name: string }) => parameter.name,
    )
    expect(query).toEqual([
      'status',
      'dedupe_key',
      'updated_since',
      'next_contact_before',
      'q',
      'cursor',
      'limit',
    ])
  })

  it('serves the human docs in Japanese and English', async () => {
    const testApp = createTestApp()
    const ja = await testApp.app.request('/api/docs')
    expect(ja.status).toBe(200)
    const jaHtml = await ja.text()
    expect(jaHtml).toContain('重複防止キー')
    expect(jaHtml).toContain('curl -sS http://orderboard.test/api/v1/boards')
    const en = await (await testApp.app.request('/api/docs?lang=en')).text()
    expect(en).toContain('Dedupe key and retries')
    expect(en).toContain('Idempotency-Key')
    expect(en).toContain('415')
  })
})

describe('API keys settings page', () => {
  it('an owner creates a key (shown once), sees it listed by prefix, and revokes it', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createApiWorkspace(testApp)
    const owner = await loginAs(testApp, email, password)
    const created = await owner.post(`/w/${workspace.slug}/settings/api`, {
      name: 'EC連携',
      scope: 'write',
    })
    expect(created.status).toBe(201)
    expect(created.headers.get('cache-control')).toBe('no-store')
    const html = await created.text()
    const key = /value="(ob_live_[A-Za-z0-9_-]{43})"/.exec(html)?.[1]
    expect(key).toBeDefined()
    const page = await (await owner.get(`/w/${workspace.slug}/settings/api`)).text()
    expect(page).toContain('EC連携')
    expect(page).toContain(`${key!.slice(0, 12)}…`)
    expect(page).not.toContain(key!)

    const headers = { Authorization: `Bearer ${key}` }
    expect((await testApp.app.request('/api/v1/boards', { headers })).status).toBe(200)
    const row = await testApp.deps.db
      .selectFrom('api_keys')
      .select('id')
      .where('name', '=', 'EC連携')
      .executeTakeFirstOrThrow()
    const revoked = await owner.post(`/w/${workspace.slug}/settings/api/${row.id}/revoke`, {})
    expect(revoked.status).toBe(303)
    expect((await testApp.app.request('/api/v1/boards', { headers })).status).toBe(401)
  })
})

describe('webhooks', () => {
  async function receiver(answer: (request: IncomingMessage) => number) {
    const received: { headers: IncomingMessage['headers']; body: string }[] = []
    const server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        received.push({ headers: request.headers, body })
        response.writeHead(answer(request)).end('ok')
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
    return { url, received, close: () => new Promise((resolve) => server.close(resolve)) }
  }

  it('registers an endpoint in settings; the secret is shown once and stored encrypted', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createApiWorkspace(testApp)
    const owner = await loginAs(testApp, email, password)
    const response = await owner.post(`/w/${workspace.slug}/settings/webhooks`, {
      url: 'https://shop.example.jp/hooks',
    })
    expect(response.status).toBe(422) // no event chosen
    const body = new URLSearchParams({ _csrf: owner.csrf, url: 'https://shop.example.jp/hooks' })
    body.append('events', 'message.created')
    body.append('events', 'board.decided')
    const created = await testApp.app.request(`/w/${workspace.slug}/settings/webhooks`, {
      method: 'POST',
      headers: {
        Cookie: owner.cookie,
        Origin: 'http://orderboard.test',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: body.toString(),
    })
    expect(created.status).toBe(201)
    const secret = /value="(whsec_[A-Za-z0-9_-]+)"/.exec(await created.text())?.[1]
    expect(secret).toBeDefined()
    const stored = await testApp.deps.db
      .selectFrom('webhook_endpoints')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(JSON.parse(stored.events)).toEqual(['message.created', 'board.decided'])
    expect(stored.secret).not.toContain(secret!)
    const page = await (await owner.get(`/w/${workspace.slug}/settings/webhooks`)).text()
    expect(page).toContain('https://shop.example.jp/hooks')
    expect(page).not.toContain(secret!)

    // paused endpoints get nothing; deleted ones are gone
    expect(
      (await owner.post(`/w/${workspace.slug}/settings/webhooks/${stored.id}/disable`, {})).status,
    ).toBe(303)
    const { api } = await import('./api.helpers').then(({ addKey }) => addKey(testApp, workspace))
    const board = (await json(await api.request('POST', '/boards', validBoard()))).board
    await api.request('POST', `/boards/${board.id}/messages`, { body: 'No.1', notify: false })
    await api.request('POST', `/boards/${board.id}/messages`, {
      body: 'No.1 で確定',
      decides_no: 1,
      notify: false,
    })
    expect(
      await testApp.deps.db
        .selectFrom('outbox')
        .select('id')
        .where('kind', '=', 'webhook')
        .execute(),
    ).toHaveLength(0)
    expect(
      (await owner.post(`/w/${workspace.slug}/settings/webhooks/${stored.id}/enable`, {})).status,
    ).toBe(303)
    expect(
      (
        await testApp.deps.db
          .selectFrom('webhook_endpoints')
          .select('active')
          .executeTakeFirstOrThrow()
      ).active,
    ).toBe(1)
    expect(
      (await owner.post(`/w/${workspace.slug}/settings/webhooks/${stored.id}/delete`, {})).status,
    ).toBe(303)
    expect(
      await testApp.deps.db.selectFrom('webhook_endpoints').select('id').execute(),
    ).toHaveLength(0)
  })

  it('writes signed deliveries with the change: status changes, decisions, customer posts', async () => {
    const testApp = createTestApp()
    const { api, workspace, email, password } = await createApiWorkspace(testApp)
    const hook = await receiver(() => 204)
    try {
      const { id: endpointId, secret } = await createWebhookEndpoint({
        deps: testApp.deps,
        workspace,
        createdBy: null,
        input: {
          url: hook.url,
          events: ['message.created', 'board.status_changed', 'board.decided'],
        },
      })
      const board = (await json(await api.request('POST', '/boards', validBoard()))).board
      await api.request('PATCH', `/boards/${board.id}`, { status: 'on_hold' })
      await api.request('PATCH', `/boards/${board.id}`, { status: 'on_hold' }) // no change, no event
      await api.request('POST', `/boards/${board.id}/messages`, { body: 'デザイン案です。' })
      await api.request('POST', `/boards/${board.id}/messages`, {
        body: 'No.1 で確定です。',
        decides_no: 1,
      })
      const row = await testApp.deps.db
        .selectFrom('boards')
        .selectAll()
        .where('id', '=', board.id)
        .executeTakeFirstOrThrow()
      await postGuestMessage({
        deps: testApp.deps,
        access: { board: row, workspace },
        input: { body: 'ありがとうございます！' } as never,
      })

      const rows = await testApp.deps.db
        .selectFrom('outbox')
        .selectAll()
        .where('kind', '=', 'webhook')
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      const events = rows.map((outboxRow) => JSON.parse(outboxRow.payload).event)
      const summary = events.map(
        (event) => `${event.type}:${event.data.board.previous_status}→${event.data.board.status}`,
      )
      expect(summary.sort()).toEqual(
        [
          'board.status_changed:new→on_hold',
          'board.status_changed:on_hold→waiting',
          'board.status_changed:waiting→done',
          'board.decided:waiting→done',
          'message.created:done→replied',
          'board.status_changed:done→replied',
        ].sort(),
      )
      for (const outboxRow of rows) {
        expect(outboxRow.idempotency_key).toMatch(
          new RegExp(`^webhook/${endpointId}/[0-9a-f-]{36}$`),
        )
      }

      // Through the real outbox sender: every delivery signed, each event once.
      await testApp.drain()
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
      const after = await testApp.deps.db
        .selectFrom('outbox')
        .select(['status', 'provider_id'])
        .where('kind', '=', 'webhook')
        .execute()
      expect(after.every((row) => row.status === 'sent' && row.provider_id === 'HTTP 204')).toBe(
        true,
      )
      expect(hook.received).toHaveLength(rows.length)
      for (const got of hook.received) {
        const [t, v1] = String(got.headers['orderboard-signature'])
          .split(',')
          .map((part) => part.split('=')[1])
        expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${got.body}`).digest('hex'))
        const event = JSON.parse(got.body)
        expect(got.headers['orderboard-event-id']).toBe(event.id)
        expect(got.headers['orderboard-event']).toBe(event.type)
        expect(events).toContainEqual(event)
      }
      const delivered = rows[0]!
      expect(await deliverWebhook(testApp.deps, delivered)).toEqual({ providerId: 'HTTP 204' })

      // the settings page shows the deliveries and their results
      await testApp.deps.db
        .updateTable('outbox')
        .set({ status: 'sent', provider_id: 'HTTP 204' })
        .where('id', '=', delivered.id)
        .execute()
      const owner = await loginAs(testApp, email, password)
      const page = await (await owner.get(`/w/${workspace.slug}/settings/webhooks`)).text()
      expect(page).toContain('board.decided')
      expect(page).toContain('HTTP 204')
    } finally {
      await hook.close()
    }
  })

  it('retries 429, 5xx and network errors; other 4xx are permanent', async () => {
    const testApp = createTestApp()
    const { api, workspace } = await createApiWorkspace(testApp)
    let answer = 500
    const hook = await receiver(() => answer)
    try {
      await createWebhookEndpoint({
        deps: testApp.deps,
        workspace,
        createdBy: null,
        input: { url: hook.url, events: ['board.status_changed'] },
      })
      const board = (await json(await api.request('POST', '/boards', validBoard()))).board
      await api.request('PATCH', `/boards/${board.id}`, { status: 'on_hold' })
      const row = await testApp.deps.db
        .selectFrom('outbox')
        .selectAll()
        .where('kind', '=', 'webhook')
        .executeTakeFirstOrThrow()
      await expect(deliverWebhook(testApp.deps, row)).rejects.toBeInstanceOf(RetryableError)
      answer = 429
      await expect(deliverWebhook(testApp.deps, row)).rejects.toBeInstanceOf(RetryableError)
      answer = 410
      await expect(deliverWebhook(testApp.deps, row)).rejects.toBeInstanceOf(PermanentError)
      answer = 200
      await expect(deliverWebhook(testApp.deps, row)).resolves.toEqual({ providerId: 'HTTP 200' })
      await hook.close()
      await expect(deliverWebhook(testApp.deps, row)).rejects.toBeInstanceOf(RetryableError)
    } finally {
      await hook.close().catch(() => undefined)
    }
  })
})
