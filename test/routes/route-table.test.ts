import { inspectRoutes } from 'hono/dev'
import { beforeAll, describe, expect, it } from 'vitest'
import type { Role } from '../../src/db/schema'
import { ROLES, roleAtLeast } from '../../src/auth/auth.middleware'
import { createAuthRepository } from '../../src/auth/auth.repository'
import { createApiKey } from '../../src/api/api.usecases'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { randomToken, sha256Hex } from '../../src/shared/crypto'
import { translator } from '../../src/shared/i18n'
import { BASE_URL, createTestApp, createTestWorkspace, loginAs, type TestApp } from '../helpers/app'

/**
 * The declared permission of every member route (the least role that may use it) and of every
 * API route (the key scope it needs). A route that is registered but missing here fails the
 * first test: declare it, and the rest of this file checks that the app enforces it.
 */
const MEMBER_ROUTES: Record<string, Role> = {
  'POST /w/:slug/logout': 'member',
  'POST /w/:slug/me/locale': 'member',
  'GET /w/:slug/boards': 'member',
  'GET /w/:slug/boards/new': 'member',
  'GET /w/:slug/boards/matching': 'member',
  'POST /w/:slug/boards': 'member',
  'GET /w/:slug/boards/:id': 'member',
  'POST /w/:slug/boards/:id': 'member',
  'POST /w/:slug/boards/:id/close': 'member',
  'POST /w/:slug/boards/:id/reopen': 'member',
  'POST /w/:slug/boards/:id/delete': 'owner',
  'POST /w/:slug/boards/:id/messages': 'member',
  'GET /w/:slug/boards/:id/messages/:messageId/edit': 'member',
  'POST /w/:slug/boards/:id/messages/:messageId': 'member',
  'POST /w/:slug/boards/:id/next-contact/preview': 'member',
  'GET /w/:slug/boards/:id/guest-link': 'member',
  'POST /w/:slug/boards/:id/guest-link/reissue': 'member',
  'POST /w/:slug/boards/:id/uploads': 'member',
  'GET /w/:slug/boards/:id/uploads/:uploadId': 'member',
  'PUT /w/:slug/boards/:id/uploads/:uploadId/parts/:partNumber': 'member',
  'POST /w/:slug/boards/:id/uploads/:uploadId/complete': 'member',
  'DELETE /w/:slug/boards/:id/uploads/:uploadId': 'member',
  'GET /w/:slug/boards/:id/attachments/:attachmentId': 'member',
  'GET /w/:slug/boards/:id/attachments/:attachmentId/thumb': 'member',
  'GET /w/:slug/boards/:id/notifications': 'member',
  'GET /w/:slug/boards/:id/auto-answers': 'member',
  'POST /w/:slug/boards/:id/notifications/:outboxId/retry': 'member',
  'GET /w/:slug/boards/:id/inbound-mail': 'member',
  'GET /w/:slug/boards/:id/inbound-mail/:file': 'member',
  'POST /w/:slug/boards/:id/details': 'member',
  'POST /w/:slug/boards/:id/resend-notification': 'member',
  'GET /w/:slug/boards/:id/decision': 'member',
  'POST /w/:slug/boards/bulk': 'member',
  'POST /w/:slug/boards/:id/tags': 'member',
  'POST /w/:slug/boards/:id/tags/remove': 'member',
  'GET /w/:slug/settings/tags': 'admin',
  'POST /w/:slug/settings/tags/categories': 'admin',
  'POST /w/:slug/settings/tags/categories/:categoryId': 'admin',
  'POST /w/:slug/settings/tags/categories/:categoryId/delete': 'admin',
  'POST /w/:slug/settings/tags/:tagId': 'admin',
  'POST /w/:slug/settings/tags/:tagId/merge': 'admin',
  'POST /w/:slug/settings/tags/:tagId/delete': 'admin',
  'GET /w/:slug/templates': 'admin',
  'POST /w/:slug/templates/preview': 'admin',
  'POST /w/:slug/templates/sets': 'admin',
  'POST /w/:slug/templates/sets/:setId': 'admin',
  'POST /w/:slug/templates/sets/:setId/delete': 'admin',
  'POST /w/:slug/templates/sets/:setId/move': 'admin',
  'POST /w/:slug/templates/sets/:setId/templates': 'admin',
  'POST /w/:slug/templates/templates/:templateId': 'admin',
  'POST /w/:slug/templates/templates/:templateId/delete': 'admin',
  'POST /w/:slug/templates/templates/:templateId/move': 'admin',
  'GET /w/:slug/settings': 'member',
  'POST /w/:slug/settings': 'admin',
  'POST /w/:slug/settings/me': 'member',
  'POST /w/:slug/settings/digest': 'member',
  'GET /w/:slug/settings/hours': 'member',
  'POST /w/:slug/settings/hours': 'admin',
  'POST /w/:slug/settings/round-robin': 'admin',
  'POST /w/:slug/settings/round-robin/me': 'member',
  'GET /w/:slug/mentions': 'member',
  'GET /w/:slug/settings/api': 'admin',
  'POST /w/:slug/settings/api': 'admin',
  'POST /w/:slug/settings/api/:keyId/revoke': 'admin',
  'GET /w/:slug/me': 'member',
  'POST /w/:slug/me': 'member',
  'POST /w/:slug/me/password': 'member',
  'POST /w/:slug/me/email': 'member',
  'GET /w/:slug/me/2fa': 'member',
  'POST /w/:slug/me/2fa/enable': 'member',
  'POST /w/:slug/me/2fa/disable': 'member',
  'GET /w/:slug/settings/members': 'admin',
  'GET /w/:slug/settings/audit': 'admin',
  'GET /w/:slug/settings/audit/csv': 'admin',
  'POST /w/:slug/settings/members/invite': 'admin',
  'POST /w/:slug/settings/members/invitations/:id/resend': 'admin',
  'POST /w/:slug/settings/members/invitations/:id/revoke': 'admin',
  'POST /w/:slug/settings/members/require-2fa': 'owner',
  'POST /w/:slug/settings/members/:memberId/role': 'admin',
  'POST /w/:slug/settings/members/:memberId/remove': 'admin',
  'GET /w/:slug/settings/webhooks': 'member',
  'POST /w/:slug/settings/webhooks': 'admin',
  'POST /w/:slug/settings/webhooks/:endpointId/enable': 'admin',
  'POST /w/:slug/settings/webhooks/:endpointId/disable': 'admin',
  'POST /w/:slug/settings/webhooks/:endpointId/delete': 'admin',
  'GET /w/:slug/stats': 'member',
  'GET /w/:slug/exports/boards.csv': 'admin',
  'GET /w/:slug/exports/messages.csv': 'admin',
  // saved views: every member saves their own; shared ones are checked in the use case
  'GET /w/:slug/views/counts': 'member',
  'POST /w/:slug/views': 'member',
  'POST /w/:slug/views/:viewId': 'member',
  'POST /w/:slug/views/:viewId/delete': 'member',
}

/** 'public' answers without a key; 'read' needs any key of the workspace; 'write' a write key. */
const API_ROUTES: Record<string, 'public' | 'read' | 'write'> = {
  'GET /api/docs': 'public',
  'GET /api/v1/openapi.json': 'public',
  'ALL /api/*': 'public',
  'POST /api/v1/boards': 'write',
  'GET /api/v1/boards': 'read',
  'GET /api/v1/boards/:id': 'read',
  'GET /api/v1/boards.csv': 'read',
  'GET /api/v1/messages.csv': 'read',
  'PATCH /api/v1/boards/:id': 'write',
  'GET /api/v1/boards/:id/messages': 'read',
  'POST /api/v1/boards/:id/messages': 'write',
}

const t = translator('ja')
const SAFE = new Set(['GET', 'HEAD'])

let testApp: TestApp
let slug: string
let ids: Record<string, string>
let members: Record<Role, { id: string; workspaceId: string }>
let stranger: { id: string; workspaceId: string }
let keys: { read: string; write: string; stranger: string }

function registered(prefix: string) {
  const seen = new Set<string>()
  for (const route of inspectRoutes(testApp.app)) {
    if (route.isMiddleware || !route.path.startsWith(prefix)) continue
    seen.add(`${route.method} ${route.path}`)
  }
  return [...seen]
}

/** The path with its parameters filled: real ids of the first workspace where there are any. */
function fill(path: string) {
  return path.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'nope')
}

/** A fresh session (a request may end it: logout), with the CSRF token it carries. */
async function session(member: { id: string; workspaceId: string }) {
  const id = randomToken(32)
  const csrf = randomToken(24)
  const now = testApp.deps.clock.now().getTime()
  await createAuthRepository(testApp.deps).createSession({
    idHash: await sha256Hex(id),
    memberId: member.id,
    workspaceId: member.workspaceId,
    csrfToken: csrf,
    now,
    expiresAt: now + 3600_000,
  })
  return { cookie: `ob_session=${id}`, csrf }
}

async function memberRequest(
  method: string,
  path: string,
  who?: { id: string; workspaceId: string },
  csrf?: 'wrong',
) {
  const headers: Record<string, string> = { Origin: BASE_URL }
  let body: string | undefined
  if (who) {
    const s = await session(who)
    headers.Cookie = s.cookie
    if (!SAFE.has(method)) {
      const token = csrf ? 'wrong-token' : s.csrf
      headers['X-CSRF-Token'] = token
      headers['Content-Type'] = 'application/x-www-form-urlencoded'
      body = new URLSearchParams({ _csrf: token }).toString()
    }
  }
  return testApp.app.request(fill(path), { method, headers, body })
}

/** Valid bodies, so a refusal is the guard's and not the schema's. */
const API_BODIES: Record<string, unknown> = {
  'POST /api/v1/boards': { name: '封筒', customer_name: '佐藤', customer_email: 'sato@example.jp' },
  'PATCH /api/v1/boards/:id': { status: 'replied' },
  'POST /api/v1/boards/:id/messages': { body: '確認しました', notify: false },
}

function apiRequest(method: string, path: string, key?: string) {
  const headers: Record<string, string> = {}
  if (key) headers.Authorization = `Bearer ${key}`
  let body: string | undefined
  if (method !== 'ALL' && !SAFE.has(method)) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(API_BODIES[`${method} ${path}`] ?? {})
  }
  return testApp.app.request(fill(path), {
    method: method === 'ALL' ? 'GET' : method,
    headers,
    body,
  })
}

beforeAll(async () => {
  testApp = createTestApp()
  const a = await createTestWorkspace(testApp, { slug: 'table-a' })
  const b = await createTestWorkspace(testApp, { slug: 'table-b' })
  slug = a.workspace.slug
  const owner = await loginAs(testApp, a.email, a.password)
  const boardUrl = (
    await owner.post(`/w/${slug}/boards`, {
      name: '名刺',
      customer_name: '山田',
      customer_email: 'yamada@example.jp',
    })
  ).headers.get('location')!
  const boardId = boardUrl.split('/').pop()!
  await owner.post(`${boardUrl}/messages`, { body: '校正をお送りします' })
  const message = await testApp.deps.db
    .selectFrom('messages')
    .select('id')
    .where('board_id', '=', boardId)
    .executeTakeFirstOrThrow()
  ids = { slug, id: boardId, messageId: message.id }
  const add = async (role: Role) => ({
    id: await createMember({
      deps: testApp.deps,
      workspace: a.workspace,
      input: { email: `${role}@table-a.example`, name: role, password: 'correct horse', role },
    }),
    workspaceId: a.workspace.id,
  })
  members = {
    owner: { id: a.ownerId, workspaceId: a.workspace.id },
    admin: await add('admin'),
    member: await add('member'),
  }
  stranger = { id: b.ownerId, workspaceId: b.workspace.id }
  const key = async (workspace: typeof a.workspace, scope: 'read' | 'write') =>
    (await createApiKey({ deps: testApp.deps, workspace, name: scope, scope, createdBy: null })).key
  keys = {
    read: await key(a.workspace, 'read'),
    write: await key(a.workspace, 'write'),
    stranger: await key(b.workspace, 'write'),
  }
})

describe('the route table', () => {
  it('declares the permission of every registered /w/:slug and /api route', () => {
    const undeclared = [
      ...registered('/w/').filter((route) => !(route in MEMBER_ROUTES)),
      ...registered('/api').filter((route) => !(route in API_ROUTES)),
    ]
    expect(undeclared, 'declare these routes in route-table.test.ts').toEqual([])
    const gone = [
      ...Object.keys(MEMBER_ROUTES).filter((route) => !registered('/w/').includes(route)),
      ...Object.keys(API_ROUTES).filter((route) => !registered('/api').includes(route)),
    ]
    expect(gone, 'routes declared here that no longer exist').toEqual([])
  })
})

describe.each(Object.entries(MEMBER_ROUTES))('%s (least role: %s)', (route, least) => {
  const [method, path] = route.split(' ') as [string, string]

  it('sends a request without a session to the login page', async () => {
    const response = await memberRequest(method, path)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toMatch(/^\/login\?next=/)
  })

  it('is a 404 for a member of another workspace', async () => {
    expect((await memberRequest(method, path, stranger)).status).toBe(404)
  })

  it.skipIf(SAFE.has(method))('refuses a wrong CSRF token', async () => {
    const response = await memberRequest(method, path, members.owner, 'wrong')
    expect(response.status).toBe(403)
    expect(await response.text()).toContain(t('error.csrf'))
  })

  it.each(ROLES)('as %s: allowed only from the declared role up', async (role) => {
    const response = await memberRequest(method, path, members[role])
    if (roleAtLeast(role, least)) {
      expect(response.status, await response.clone().text()).not.toBe(403)
      expect(response.status).toBeLessThan(500)
      expect(response.headers.get('location') ?? '').not.toMatch(/^\/login\?next=/)
    } else {
      expect(response.status).toBe(403)
      expect(await response.text()).toContain(t('error.forbidden'))
    }
  })
})

describe.each(Object.entries(API_ROUTES))('%s (needs: %s)', (route, needs) => {
  const [method, path] = route.split(' ') as [string, string]

  it.runIf(needs === 'public')('answers without a key', async () => {
    const response = await apiRequest(method, path)
    expect(response.status).not.toBe(401)
    expect(response.status).toBeLessThan(500)
  })

  it.skipIf(needs === 'public')('refuses a request without a key', async () => {
    const response = await apiRequest(method, path)
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/)
  })

  it.skipIf(needs === 'public')('never shows or touches another workspace’s board', async () => {
    const response = await apiRequest(method, path, keys.stranger)
    if (path.includes(':id')) expect(response.status).toBe(404)
    expect(await response.text()).not.toContain(ids.id)
  })

  it.skipIf(needs === 'public')('allows only the scope it needs', async () => {
    const read = await apiRequest(method, path, keys.read)
    const write = await apiRequest(method, path, keys.write)
    expect(write.status).not.toBe(403)
    expect(write.status).toBeLessThan(500)
    if (needs === 'write') expect(read.status).toBe(403)
    else expect(read.status).not.toBe(403)
  })
})
