import { createApp } from '../../src/app'
import type { Config, Deps } from '../../src/deps'
import { createDeferQueue } from '../../src/platform/defer'
import { createMemoryBlobStore } from '../../src/platform/memory/blobs'
import { createMemoryMailer } from '../../src/platform/memory/mailer'
import { nodePeerAddress } from '../../src/platform/node/peer-address'
import { openSqlite } from '../../src/platform/node/sqlite'
import { randomIds } from '../../src/platform/system'
import { createWorkspace } from '../../src/workspaces/workspaces.usecases'

export const BASE_URL = 'http://orderboard.test'

/** A clock tests move by hand. */
export function createTestClock(start = '2026-11-24T10:00:00+09:00') {
  let now = new Date(start)
  return {
    now: () => new Date(now),
    set: (iso: string | Date) => {
      now = new Date(iso)
    },
    advance: (ms: number) => {
      now = new Date(now.getTime() + ms)
    },
  }
}

export const testConfig: Config = {
  baseUrl: BASE_URL,
  appSecret: 'test-secret-test-secret-test-secret',
  secureCookies: false,
  mailFrom: 'Orderboard <no-reply@orderboard.test>',
  devMailbox: true,
}

/**
 * The bindings @hono/node-server gives a request from `address`: the third argument of
 * `app.request`, so a test can say which socket a request came from.
 */
export function fromPeer(address: string) {
  const remoteFamily = address.includes(':') ? 'IPv6' : 'IPv4'
  return { incoming: { socket: { remoteAddress: address, remotePort: 40000, remoteFamily } } }
}

/**
 * A random source tests control: `next()` hands out the queued values in order, then `fallback`
 * (0.5 unless set: retries land in the middle of their jitter window, the same on every run).
 */
export function createTestRandom(fallback = 0.5) {
  const queued: number[] = []
  const random = Object.assign(() => queued.shift() ?? fallback, {
    /** the next values to hand out */
    queue: (...values: number[]) => void queued.push(...values),
  })
  return random
}

/** A fresh, migrated in-memory database and the app on it, with in-memory mail and blobs. */
export function createTestApp(overrides: Partial<Deps> = {}) {
  const database = openSqlite(':memory:')
  const mailer = createMemoryMailer()
  const clock = createTestClock()
  const blobs = createMemoryBlobStore({ clock })
  const random = createTestRandom()
  const deferQueue = createDeferQueue()
  const deps: Deps = {
    db: database.db,
    batch: database.batch,
    blobs,
    mailer,
    defer: deferQueue.defer,
    clock,
    ids: randomIds,
    random,
    config: testConfig,
    ...overrides,
  }
  const app = createApp(deps, { peerAddress: nodePeerAddress })
  return { app, deps, database, mailer, blobs, clock, random, drain: deferQueue.drain }
}

export type TestApp = ReturnType<typeof createTestApp>

let counter = 0

/** A workspace with its owner; returns the login. */
export async function createTestWorkspace(
  testApp: TestApp,
  options: { slug?: string; name?: string; locale?: 'ja' | 'en'; timeZone?: string } = {},
) {
  counter += 1
  const slug = options.slug ?? `shop-${counter}`
  const email = `owner-${slug}@example.com`
  const password = 'correct horse battery'
  const { workspace, ownerId } = await createWorkspace({
    deps: testApp.deps,
    input: {
      name: options.name ?? 'テスト印刷',
      slug,
      timeZone: options.timeZone ?? 'Asia/Tokyo',
      locale: options.locale ?? 'ja',
      ownerEmail: email,
      ownerName: 'オーナー',
      ownerPassword: password,
    },
  })
  return { workspace, ownerId, email, password }
}

export interface Browserish {
  cookie: string
  csrf: string
  get(path: string, headers?: Record<string, string>): Promise<Response>
  post(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>
}

/** Logs in through the real form and returns a client that carries the session and CSRF token. */
export async function loginAs(
  testApp: TestApp,
  email: string,
  password: string,
): Promise<Browserish> {
  const response = await testApp.app.request('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: BASE_URL },
    body: new URLSearchParams({ email, password }).toString(),
  })
  if (response.status !== 303) throw new Error(`login failed with ${response.status}`)
  const setCookie = response.headers.get('set-cookie') ?? ''
  const cookie = setCookie.split(';')[0] ?? ''
  const location = response.headers.get('location') ?? '/'
  const page = await (await testApp.app.request(location, { headers: { Cookie: cookie } })).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
  if (!csrf) throw new Error('no CSRF token on the page after login')
  return cookieClient(testApp, cookie, csrf)
}

/** A client that sends a cookie, a same-origin Origin and a CSRF token with every form post. */
export function cookieClient(testApp: TestApp, cookie: string, csrf: string): Browserish {
  return {
    cookie,
    csrf,
    get: async (path, headers = {}) =>
      testApp.app.request(path, { headers: { Cookie: cookie, ...headers } }),
    post: async (path, form, headers = {}) =>
      testApp.app.request(path, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          Origin: BASE_URL,
          'Content-Type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        body: new URLSearchParams({ _csrf: csrf, ...form }).toString(),
      }),
  }
}
