import { describe, expect, it } from 'vitest'
import { createWebhookEndpoint } from '../../src/webhooks/webhooks.usecases'
import { isAllowedWebhookUrl } from '../../src/webhooks/webhooks.schemas'
import { loginAs } from '../helpers/app'
import { addKey, createApiWorkspace, createTestApp, storedCounts, validBoard } from './api.helpers'

async function json(response: Response) {
  return (await response.json()) as Record<string, any>
}

describe('workspace isolation', () => {
  it('another workspace’s board is a 404 for every endpoint, and stays untouched', async () => {
    const testApp = createTestApp()
    const shopA = await createApiWorkspace(testApp)
    const shopB = await createApiWorkspace(testApp)
    const boardB = (
      await json(await shopB.api.request('POST', '/boards', validBoard({ dedupe_key: 'b-1' })))
    ).board
    const before = await storedCounts(testApp)

    expect((await shopA.api.request('GET', `/boards/${boardB.id}`)).status).toBe(404)
    expect(
      (await shopA.api.request('PATCH', `/boards/${boardB.id}`, { status: 'closed' })).status,
    ).toBe(404)
    expect(
      (await shopA.api.request('PATCH', `/boards/${boardB.id}`, { closed: true })).status,
    ).toBe(404)
    expect((await shopA.api.request('GET', `/boards/${boardB.id}/messages`)).status).toBe(404)
    expect(
      (await shopA.api.request('POST', `/boards/${boardB.id}/messages`, { body: 'こんにちは' }))
        .status,
    ).toBe(404)
    const listed = await json(await shopA.api.request('GET', '/boards?dedupe_key=b-1'))
    expect(listed.boards).toEqual([])

    expect(await storedCounts(testApp)).toEqual(before)
    const row = await testApp.deps.db
      .selectFrom('boards')
      .selectAll()
      .where('id', '=', boardB.id)
      .executeTakeFirstOrThrow()
    expect(row.status).toBe('new')
  })

  it('dedupe keys belong to their workspace: the same key in two shops makes two boards', async () => {
    const testApp = createTestApp()
    const shopA = await createApiWorkspace(testApp)
    const shopB = await createApiWorkspace(testApp)
    const a = await shopA.api.request('POST', '/boards', validBoard({ dedupe_key: 'order-1' }))
    const b = await shopB.api.request(
      'POST',
      '/boards',
      validBoard({ dedupe_key: 'order-1', customer_email: 'x@example.jp' }),
    )
    expect([a.status, b.status]).toEqual([201, 201])
    expect((await json(a)).board.id).not.toBe((await json(b)).board.id)
  })

  it('Idempotency-Keys are scoped to the API key', async () => {
    const testApp = createTestApp()
    const shop = await createApiWorkspace(testApp)
    const other = await addKey(testApp, shop.workspace)
    const headers = { 'Idempotency-Key': 'same-key' }
    expect((await shop.api.request('POST', '/boards', validBoard(), headers)).status).toBe(201)
    // another key's identical key is its own: it runs, it does not replay shop's answer
    const second = await other.api.request(
      'POST',
      '/boards',
      validBoard({ name: '別の注文' }),
      headers,
    )
    expect(second.status).toBe(201)
    expect(second.headers.get('Idempotent-Replayed')).toBeNull()
    expect((await storedCounts(testApp)).boards).toBe(2)
  })

  it('a revoked key is refused at once', async () => {
    const testApp = createTestApp()
    const shop = await createApiWorkspace(testApp)
    const owner = await loginAs(testApp, shop.email, shop.password)
    expect((await shop.api.request('GET', '/boards')).status).toBe(200)
    const revoked = await owner.post(
      `/w/${shop.workspace.slug}/settings/api/${shop.keyId}/revoke`,
      {},
    )
    expect(revoked.status).toBe(303)
    expect((await shop.api.request('GET', '/boards')).status).toBe(401)
    expect((await shop.api.request('POST', '/boards', validBoard())).status).toBe(401)
    // revoking another workspace's key id is a 404
    const other = await createApiWorkspace(testApp)
    expect(
      (await owner.post(`/w/${shop.workspace.slug}/settings/api/${other.keyId}/revoke`, {})).status,
    ).toBe(404)
    expect((await other.api.request('GET', '/boards')).status).toBe(200)
  })
})

describe('secrets at rest', () => {
  it('stores only the key’s hash and the webhook secret encrypted', async () => {
    const testApp = createTestApp()
    const shop = await createApiWorkspace(testApp)
    const { secret } = await createWebhookEndpoint({
      deps: testApp.deps,
      workspace: shop.workspace,
      createdBy: null,
      input: { url: 'https://shop.example.jp/hooks', events: ['board.decided'] },
    })
    const dump = JSON.stringify(
      await Promise.all([
        testApp.deps.db.selectFrom('api_keys').selectAll().execute(),
        testApp.deps.db.selectFrom('webhook_endpoints').selectAll().execute(),
      ]),
    )
    expect(dump).not.toContain(shop.key.slice(12))
    expect(dump).not.toContain(secret.slice(6))
    expect(dump).toContain(shop.key.slice(0, 12))
  })
})

describe('webhook URLs', () => {
  it.each([
    ['https://shop.example.jp/hooks', true, false],
    ['http://shop.example.jp/hooks', false, true],
    ['http://localhost:9999/hooks', false, false],
    ['http://localhost:9999/hooks', true, true],
    ['http://127.0.0.1:9999/hooks', true, true],
    ['https://10.0.0.5/hooks', false, true],
    ['https://192.168.1.1/hooks', false, true],
    ['https://169.254.169.254/latest/meta-data', false, true],
    ['https://172.20.0.1/hooks', false, true],
    ['https://[::1]/hooks', false, true],
    ['https://user:pass@shop.example.jp/hooks', false, true],
    ['javascript:alert(1)', false, true],
    ['ftp://shop.example.jp/hooks', false, true],
    ['https://intranet/hooks', false, true],
    // issue #21 point 5: names that stay local, and every special-purpose literal
    ['https://localhost./hooks', false, true],
    ['https://shop.example.jp./hooks', false, true],
    ['https://foo.localhost/hooks', false, true],
    ['https://printer.local/hooks', false, true],
    ['https://198.18.0.1/hooks', false, true],
    ['https://224.0.0.1/hooks', false, true],
    ['https://255.255.255.255/hooks', false, true],
    ['https://192.0.0.170/hooks', false, true],
    ['https://100.64.0.1/hooks', false, true],
    ['https://0.0.0.0/hooks', false, true],
    ['https://[fd00:ec2::254]/hooks', false, true],
    ['https://[fe80::1]/hooks', false, true],
    ['https://[::ffff:127.0.0.1]/hooks', false, true],
    ['https://[::ffff:a9fe:a9fe]/hooks', false, true],
    ['https://[64:ff9b::a9fe:a9fe]/hooks', false, true],
    ['https://0x7f.1/hooks', false, true],
    ['https://2130706433/hooks', false, true],
    ['https://93.184.215.14/hooks', true, false],
    ['https://[2606:4700::1111]/hooks', true, false],
  ])('%s → allowed %s (local http allowed: %s)', (url, allowed, localHttp) => {
    expect(isAllowedWebhookUrl(url, localHttp)).toBe(allowed)
  })
})

describe('strings that look like attacks are data, stored as sent and escaped where shown', () => {
  it('SQL and markup in valid fields', async () => {
    const testApp = createTestApp()
    const shop = await createApiWorkspace(testApp)
    const name = `'); DROP TABLE boards; -- <script>alert(1)</script>`
    const created = await shop.api.request(
      'POST',
      '/boards',
      validBoard({
        name,
        customer_name: '<img src=x onerror=alert(1)>',
        dedupe_key: "' OR 1=1 --",
      }),
    )
    expect(created.status).toBe(201)
    const board = (await json(created)).board
    expect(board.name).toBe(name)
    const owner = await loginAs(testApp, shop.email, shop.password)
    const page = await (await owner.get(`/w/${shop.workspace.slug}/boards/${board.id}`)).text()
    expect(page).not.toContain('<script>alert(1)</script>')
    expect(page).not.toContain('<img src=x')
    expect(page).toContain('&lt;script&gt;')
    const listed = await json(
      await shop.api.request('GET', `/boards?dedupe_key=${encodeURIComponent("' OR 1=1 --")}`),
    )
    expect(listed.boards).toHaveLength(1)
  })
})

// ---- Hostile input: every request below is refused, with the status given, and stores nothing.

type Body = string | Uint8Array<ArrayBuffer> | Record<string, unknown> | unknown[]
interface HostileCase {
  name: string
  body: Body
  status: number
  contentType?: string
}

const ok = validBoard()
const nest = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`

const HOSTILE: HostileCase[] = [
  // JSON syntax and encoding → 400
  { name: 'truncated JSON', body: '{"name":"x"', status: 400 },
  { name: 'trailing comma', body: '{"name":"x",}', status: 400 },
  { name: 'single quotes', body: "{'name':'x'}", status: 400 },
  { name: 'NaN literal', body: '{"name":NaN}', status: 400 },
  { name: 'comment', body: '{"name":"x" /* hi */}', status: 400 },
  { name: 'two documents', body: '{}{}', status: 400 },
  { name: 'empty body', body: '', status: 400 },
  { name: 'whitespace only', body: '   \n ', status: 400 },
  {
    name: 'invalid UTF-8 byte',
    body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0x22, 0x7d]),
    status: 400,
  },
  {
    name: 'overlong UTF-8 slash',
    body: new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xc0, 0xaf, 0x22, 0x7d]),
    status: 400,
  },
  {
    name: 'UTF-16 encoded body',
    body: new Uint8Array([...'{"a":1}'].flatMap((c) => [c.charCodeAt(0), 0])),
    status: 400,
  },
  {
    name: 'lone high surrogate escape',
    body: JSON.stringify(ok).replace('"山田 花子"', '"\\ud83d"'),
    status: 400,
  },
  { name: 'lone low surrogate in a key', body: '{"\\udc00":1}', status: 400 },
  {
    name: 'duplicate key',
    body: '{"name":"a","name":"b","customer_name":"c","customer_email":"d@example.jp"}',
    status: 400,
  },
  {
    name: 'duplicate key via escapes',
    body: '{"name":"a","\\u006eame":"b","customer_name":"c","customer_email":"d@example.jp"}',
    status: 400,
  },
  {
    name: 'duplicate nested key',
    body: JSON.stringify(ok).replace(/}$/, ',"first_message":{"body":"a","body":"b"}}'),
    status: 400,
  },
  // shapes and types → 422
  { name: 'array at top level', body: [ok], status: 422 },
  { name: 'string at top level', body: '"board"', status: 422 },
  { name: 'null at top level', body: 'null', status: 422 },
  { name: 'number at top level', body: '42', status: 422 },
  { name: 'empty object', body: {}, status: 422 },
  { name: 'name is a number', body: { ...ok, name: 42 }, status: 422 },
  { name: 'name is null', body: { ...ok, name: null }, status: 422 },
  { name: 'name is an array', body: { ...ok, name: ['a'] }, status: 422 },
  { name: 'name is an object', body: { ...ok, name: { toString: 'x' } }, status: 422 },
  { name: 'name is a boolean', body: { ...ok, name: true }, status: 422 },
  { name: 'customer_email is a number', body: { ...ok, customer_email: 1 }, status: 422 },
  { name: 'dedupe_key is a number', body: { ...ok, dedupe_key: 10421 }, status: 422 },
  { name: 'first_message is a string', body: { ...ok, first_message: 'hello' }, status: 422 },
  {
    name: 'first_message.notify is a string',
    body: { ...ok, first_message: { body: 'x', notify: 'false' } },
    status: 422,
  },
  { name: 'first_message.body missing', body: { ...ok, first_message: {} }, status: 422 },
  // sizes → 422 (413 beyond the body limit)
  { name: 'name of 201 characters', body: { ...ok, name: 'あ'.repeat(201) }, status: 422 },
  {
    name: 'customer_name of 101 characters',
    body: { ...ok, customer_name: 'x'.repeat(101) },
    status: 422,
  },
  {
    name: 'dedupe_key of 201 characters',
    body: { ...ok, dedupe_key: 'k'.repeat(201) },
    status: 422,
  },
  {
    name: 'email of 255 characters',
    body: {
      ...ok,
      customer_email: `${'a'.repeat(60)}@${'b'.repeat(60)}.${'c'.repeat(60)}.${'d'.repeat(60)}.${'e'.repeat(8)}.jp`,
    },
    status: 422,
  },
  {
    name: 'first message of 20,001 characters',
    body: { ...ok, first_message: { body: 'x'.repeat(20_001) } },
    status: 422,
  },
  { name: 'blank name', body: { ...ok, name: '   ' }, status: 422 },
  { name: 'body over 256 KiB', body: { ...ok, name: 'x'.repeat(270_000) }, status: 413 },
  {
    name: 'escaped body over 256 KiB',
    body: `{"name":"${'\\u3042'.repeat(50_000)}"}`,
    status: 413,
  },
  // control characters and line breaks in one-line fields
  { name: 'newline in name', body: { ...ok, name: 'a\nb' }, status: 422 },
  { name: 'NUL in customer_name', body: { ...ok, customer_name: 'a\u0000b' }, status: 422 },
  { name: 'line separator in dedupe_key', body: { ...ok, dedupe_key: 'a\u2028b' }, status: 422 },
  { name: 'escape character in name', body: { ...ok, name: '\u001b[31mred' }, status: 422 },
  {
    name: 'header injection in message_id',
    body: { ...ok, message_id: '<a@b>\r\nBcc: x@evil.example' },
    status: 422,
  },
  {
    name: 'message_id without brackets',
    body: { ...ok, message_id: 'order@shop.example.jp' },
    status: 422,
  },
  // emails, including IDN
  { name: 'email without @', body: { ...ok, customer_email: 'hanako.example.jp' }, status: 422 },
  { name: 'email with two @', body: { ...ok, customer_email: 'a@b@example.jp' }, status: 422 },
  {
    name: 'email with a space',
    body: { ...ok, customer_email: 'hana ko@example.jp' },
    status: 422,
  },
  {
    name: 'email with a display name',
    body: { ...ok, customer_email: 'Hanako <hanako@example.jp>' },
    status: 422,
  },
  {
    name: 'email with a header injection',
    body: { ...ok, customer_email: 'a@example.jp\r\nBcc: b@evil.example' },
    status: 422,
  },
  { name: 'IDN domain in Unicode', body: { ...ok, customer_email: 'hanako@例え.jp' }, status: 422 },
  { name: 'Unicode local part', body: { ...ok, customer_email: 'はなこ@example.jp' }, status: 422 },
  { name: 'fullwidth at sign', body: { ...ok, customer_email: 'hanako＠example.jp' }, status: 422 },
  {
    name: 'email without a domain dot',
    body: { ...ok, customer_email: 'hanako@localhost' },
    status: 422,
  },
  // SQL and markup where they are not valid values
  { name: 'SQL as an email', body: { ...ok, customer_email: "' OR '1'='1' --@x" }, status: 422 },
  {
    name: 'SQL with a newline in name',
    body: { ...ok, name: "x';\nDROP TABLE boards;--" },
    status: 422,
  },
  {
    name: 'script as message_id',
    body: { ...ok, message_id: '<script>alert(1)</script>' },
    status: 422,
  },
  {
    name: 'script in an unknown field',
    body: { ...ok, html: '<script>alert(1)</script>' },
    status: 422,
  },
  {
    name: 'template injection in first message',
    body: { ...ok, first_message: { body: '{{constructor.constructor("x")()}}' } },
    status: 422,
  },
  {
    name: 'SQL as a template id',
    body: { ...ok, first_message: { body: 'x', template: "1' OR '1'='1" } },
    status: 422,
  },
  // unknown and dangerous keys, nesting
  { name: 'unknown key', body: { ...ok, status: 'done' }, status: 422 },
  {
    name: 'misspelt key',
    body: { name: 'x', customer_name: 'y', customer_mail: 'z@example.jp' },
    status: 422,
  },
  {
    name: '__proto__ key',
    body: JSON.stringify(ok).replace(/}$/, ',"__proto__":{"isAdmin":true}}'),
    status: 422,
  },
  {
    name: 'escaped __proto__ key',
    body: JSON.stringify(ok).replace(/}$/, ',"\\u005f_proto__":1}'),
    status: 422,
  },
  { name: 'constructor key', body: { ...ok, constructor: { prototype: { x: 1 } } }, status: 422 },
  { name: 'prototype key', body: { ...ok, prototype: 1 }, status: 422 },
  {
    name: 'nested __proto__',
    body: JSON.stringify({ ...ok, first_message: { body: 'x' } }).replace(
      '"body":"x"',
      '"body":"x","__proto__":{}',
    ),
    status: 422,
  },
  { name: 'nesting 9 deep', body: nest(9), status: 422 },
  { name: 'nesting 10,000 deep', body: nest(10_000), status: 422 },
  { name: 'arrays 5,000 deep', body: `${'['.repeat(5_000)}${']'.repeat(5_000)}`, status: 422 },
  // content types
  {
    name: 'form encoded',
    body: 'name=x&customer_name=y&customer_email=z@example.jp',
    status: 415,
    contentType: 'application/x-www-form-urlencoded',
  },
  { name: 'text/plain JSON', body: ok, status: 415, contentType: 'text/plain' },
  {
    name: 'JSON in Shift_JIS',
    body: ok,
    status: 415,
    contentType: 'application/json; charset=shift_jis',
  },
  { name: 'no content type', body: ok, status: 415, contentType: '' },
  {
    name: 'XML',
    body: '<board><name>x</name></board>',
    status: 415,
    contentType: 'application/xml',
  },
]

describe('hostile create requests', () => {
  it('has at least 60 cases', () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(60)
  })

  it.each(HOSTILE)('$name → $status, nothing stored', async ({ body, status, contentType }) => {
    const testApp = createTestApp()
    const shop = await createApiWorkspace(testApp)
    const before = await storedCounts(testApp)
    const payload =
      typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body)
    const headers: Record<string, string> = { 'Idempotency-Key': 'hostile' }
    if (contentType !== '') headers['Content-Type'] = contentType ?? 'application/json'
    const response = await shop.api.raw('POST', '/boards', { body: payload, headers })
    expect(response.status).toBe(status)
    const answer = (await response.json()) as {
      error: { code: string; message: string; details: unknown[] }
    }
    expect(typeof answer.error.code).toBe('string')
    expect(JSON.stringify(answer)).not.toMatch(/at .*\.ts|SELECT|INSERT|sqlite|\/work\//i)
    expect(await storedCounts(testApp)).toEqual(before)
  })
})
