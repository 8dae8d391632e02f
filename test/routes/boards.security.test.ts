import { beforeEach, describe, expect, it } from 'vitest'
import {
  BASE_URL,
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

let testApp: TestApp
let alice: Browserish
let bob: Browserish
let aliceSlug: string
let bobSlug: string
let bobBoardUrl: string

const valid = { name: '名刺', customer_name: '山田', customer_email: 'yamada@example.jp' }

beforeEach(async () => {
  testApp = createTestApp()
  const a = await createTestWorkspace(testApp, { slug: 'alice-print' })
  const b = await createTestWorkspace(testApp, { slug: 'bob-print' })
  aliceSlug = a.workspace.slug
  bobSlug = b.workspace.slug
  alice = await loginAs(testApp, a.email, a.password)
  bob = await loginAs(testApp, b.email, b.password)
  bobBoardUrl = (await bob.post(`/w/${bobSlug}/boards`, valid)).headers.get('location')!
  await bob.post(`${bobBoardUrl}/messages`, { body: 'Bob の秘密の見積り' })
})

describe('tenant isolation', () => {
  it('another workspace’s slug is a 404, not a redirect or a 403', async () => {
    const response = await alice.get(`/w/${bobSlug}/boards`)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('Bob')
  })

  it('a guessed board id from another workspace is a 404 under one’s own slug', async () => {
    const boardId = bobBoardUrl.split('/').pop()!
    const paths = [`/w/${aliceSlug}/boards/${boardId}`, `/w/${aliceSlug}/boards/${boardId}?after=0`]
    for (const path of paths) {
      const response = await alice.get(path, { 'HX-Request': 'true' })
      expect(response.status, path).toBe(404)
      expect(await response.text()).not.toContain('秘密')
    }
    for (const [path, form] of [
      [`/w/${aliceSlug}/boards/${boardId}/messages`, { body: '乗っ取り' }],
      [`/w/${aliceSlug}/boards/${boardId}`, { status: 'closed' }],
      [`/w/${aliceSlug}/boards/${boardId}/close`, {}],
    ] as const) {
      expect((await alice.post(path, form)).status, path).toBe(404)
    }
    const board = await testApp.deps.db
      .selectFrom('boards')
      .selectAll()
      .where('id', '=', boardId)
      .executeTakeFirstOrThrow()
    expect(board.status).toBe('waiting')
    expect(board.last_no).toBe(1)
  })

  it('cannot edit a message of another workspace, nor use its templates', async () => {
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select(['id'])
      .executeTakeFirstOrThrow()
    const own = (await alice.post(`/w/${aliceSlug}/boards`, valid)).headers.get('location')!
    expect((await alice.post(`${own}/messages/${message.id}`, { body: '改ざん' })).status).toBe(404)
    const bobsTemplate = await testApp.deps.db
      .selectFrom('templates as t')
      .innerJoin('workspaces as w', 'w.id', 't.workspace_id')
      .select('t.id')
      .where('w.slug', '=', bobSlug)
      .executeTakeFirstOrThrow()
    expect(
      (await alice.post(`${own}/messages`, { body: 'x', template_id: bobsTemplate.id })).status,
    ).toBe(422)
    const bobsSet = await testApp.deps.db
      .selectFrom('template_sets as s')
      .innerJoin('workspaces as w', 'w.id', 's.workspace_id')
      .select('s.id')
      .where('w.slug', '=', bobSlug)
      .executeTakeFirstOrThrow()
    expect(
      (await alice.post(`/w/${aliceSlug}/templates/sets/${bobsSet.id}/delete`, {})).status,
    ).toBe(404)
    expect(
      (
        await testApp.deps.db
          .selectFrom('messages')
          .select('body')
          .where('id', '=', message.id)
          .executeTakeFirstOrThrow()
      ).body,
    ).toBe('Bob の秘密の見積り')
  })
})

describe('CSRF', () => {
  it('refuses a state change with a forged or missing token', async () => {
    for (const token of ['forged', '']) {
      const response = await testApp.app.request(`/w/${aliceSlug}/boards`, {
        method: 'POST',
        headers: {
          Cookie: alice.cookie,
          Origin: BASE_URL,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ ...valid, _csrf: token }).toString(),
      })
      expect(response.status).toBe(403)
    }
    expect(
      await testApp.deps.db.selectFrom('boards').select('id').where('name', '=', '名刺').execute(),
    ).toHaveLength(1)
  })

  it('refuses another workspace member’s token', async () => {
    const response = await testApp.app.request(`/w/${aliceSlug}/boards`, {
      method: 'POST',
      headers: {
        Cookie: alice.cookie,
        Origin: BASE_URL,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...valid, _csrf: bob.csrf }).toString(),
    })
    expect(response.status).toBe(403)
  })

  it('refuses a cross-site form post even with a valid token', async () => {
    const response = await testApp.app.request(`/w/${aliceSlug}/boards`, {
      method: 'POST',
      headers: {
        Cookie: alice.cookie,
        Origin: 'https://evil.example',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...valid, _csrf: alice.csrf }).toString(),
    })
    expect(response.status).toBe(403)
  })

  it('accepts the token from the htmx header', async () => {
    const response = await testApp.app.request(`/w/${aliceSlug}/boards`, {
      method: 'POST',
      headers: {
        Cookie: alice.cookie,
        Origin: BASE_URL,
        'X-CSRF-Token': alice.csrf,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(valid).toString(),
    })
    expect(response.status).toBe(303)
  })
})

describe('sessions', () => {
  it('sends members without a session to the login page', async () => {
    const response = await testApp.app.request(`/w/${aliceSlug}/boards`)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(
      `/login?next=${encodeURIComponent(`/w/${aliceSlug}/boards`)}`,
    )
    const htmx = await testApp.app.request(`/w/${aliceSlug}/boards`, {
      headers: { 'HX-Request': 'true' },
    })
    expect(htmx.headers.get('HX-Redirect')).toContain('/login')
  })

  it('sets an HttpOnly, SameSite cookie and a fresh id at every login', async () => {
    const login = () =>
      testApp.app.request('/login', {
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          Origin: BASE_URL,
          Cookie: alice.cookie,
        },
        body: new URLSearchParams({
          email: 'owner-alice-print@example.com',
          password: 'correct horse battery',
        }).toString(),
      })
    const first = (await login()).headers.get('set-cookie')!
    const second = (await login()).headers.get('set-cookie')!
    expect(first).toMatch(/HttpOnly/i)
    expect(first).toMatch(/SameSite=Lax/i)
    expect(first.split(';')[0]).not.toBe(second.split(';')[0])
    expect(first.split(';')[0]).not.toBe(alice.cookie)
    const stored = await testApp.deps.db.selectFrom('sessions').select('id_hash').execute()
    for (const row of stored) expect(first).not.toContain(row.id_hash)
  })

  it('logout kills the session on the server', async () => {
    expect((await alice.post(`/w/${aliceSlug}/logout`, {})).status).toBe(303)
    const again = await alice.get(`/w/${aliceSlug}/boards`)
    expect(again.status).toBe(303)
    expect(again.headers.get('location')).toContain('/login')
  })

  it('throttles repeated failed logins for one email', async () => {
    const attempt = () =>
      testApp.app.request('/login', {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL },
        body: new URLSearchParams({
          email: 'owner-alice-print@example.com',
          password: 'wrong',
        }).toString(),
      })
    const statuses = []
    for (let i = 0; i < 7; i++) statuses.push((await attempt()).status)
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401])
    const blocked = await attempt()
    expect(blocked.status).toBe(429)
    expect(Number(blocked.headers.get('Retry-After'))).toBeGreaterThan(0)
    expect(await blocked.text()).toContain('試行回数が多すぎます')
  })

  it('never redirects off-site after login', async () => {
    const response = await testApp.app.request('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL },
      body: new URLSearchParams({
        email: 'owner-alice-print@example.com',
        password: 'correct horse battery',
        next: '//evil.example/x',
      }).toString(),
    })
    expect(response.headers.get('location')).toBe(`/w/${aliceSlug}/boards`)
  })
})

describe('escaping', () => {
  it('renders script tags and htmx attributes in names and messages as text', async () => {
    const hostile =
      '<script>alert(1)</script><img src=x onerror=alert(2) hx-get="/x" hx-trigger="load">'
    const url = (
      await alice.post(`/w/${aliceSlug}/boards`, {
        name: hostile,
        customer_name: hostile,
        customer_email: 'x@example.jp',
      })
    ).headers.get('location')!
    await alice.post(`${url}/messages`, { body: hostile })
    for (const html of [
      await (await alice.get(url)).text(),
      await (await alice.get(`/w/${aliceSlug}/boards`)).text(),
    ]) {
      expect(html).not.toContain('<script>alert(1)')
      expect(html).not.toContain('<img src=x')
      expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    }
  })

  it('sends a strict Content-Security-Policy', async () => {
    const response = await alice.get(`/w/${aliceSlug}/boards`)
    const csp = response.headers.get('content-security-policy')!
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  })
})
