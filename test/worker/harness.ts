// Runs the real worker (wrangler.toml, the real bundle) on workerd with local D1, R2 and Queues,
// offline: no login, no metrics, no `Request.cf` download, no update check.
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { bootstrapSql } from '../../src/platform/worker/bootstrap-sql'

const OFFLINE_ENV = {
  WRANGLER_SEND_METRICS: 'false',
  WRANGLER_HIDE_BANNER: 'true',
  CLOUDFLARE_CF_FETCH_ENABLED: 'false',
  CI: '1',
  NO_COLOR: '1',
}
Object.assign(process.env, OFFLINE_ENV)

export const ROOT = join(import.meta.dirname, '..', '..')

/**
 * Reads `read()` every 50 ms until `done(value)` holds or `timeoutMs` passes (default 15 s), and
 * returns the last value read. The worker sends at most two emails a second (Resend's rate lives
 * in D1), so a state change can lag a test's action by seconds: wait on time, never on a count.
 */
export async function until<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let value = await read()
  while (!done(value) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50))
    value = await read()
  }
  return value
}

const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const run = promisify(execFile)

export const APP_SECRET = 'worker-test-secret-worker-test-secret-0123456789'

/** Runs the wrangler CLI exactly as a user would, against the local persistence directory. */
export async function wrangler(args: string[]) {
  const { stdout } = await run(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    // vitest sets NODE_ENV=test, which wrangler would bake into the bundle (React's development
    // build); `wrangler deploy` run by a person builds with production.
    env: { ...process.env, ...OFFLINE_ENV, NODE_ENV: 'production' },
    maxBuffer: 16 * 1024 * 1024,
  })
  return stdout
}

/** A free loopback port, so BASE_URL (which queue and cron runs need) can be known up front. */
async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      )
    })
  })
}

export interface TestWorker {
  url: URL
  /** the bundle `wrangler deploy --dry-run` wrote, as it would be uploaded */
  bundlePath: string
  /** milliseconds from starting the runtime with the built bundle to the first 200 */
  coldStartMs: number
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** fires the cron trigger with this pattern, as Cron Triggers would */
  scheduled(cron: string): Promise<void>
  /** delivers a batch to the queue consumer, as Cloudflare Queues would */
  queue(messages: unknown[]): Promise<void>
  /** one statement on the worker's local D1 database */
  sql<Row = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<Row[]>
  dispose(): Promise<void>
}

export interface Owner {
  slug: string
  email: string
  password: string
}

/**
 * Builds the worker exactly as `wrangler deploy` would (`--dry-run --outdir`, custom build step
 * included), applies the migrations with `wrangler d1 migrations apply --local`, creates the
 * first workspace with the documented bootstrap SQL (`wrangler d1 execute --file`), then runs
 * the built bundle on workerd with the bindings wrangler derives from wrangler.toml.
 */
export async function startTestWorker(
  owner: Owner,
  vars: Record<string, string> = {},
): Promise<TestWorker> {
  const persistTo = mkdtempSync(join(tmpdir(), 'orderboard-worker-'))
  const outdir = join(persistTo, 'bundle')
  await wrangler(['deploy', '--dry-run', '--outdir', outdir])
  await wrangler(['d1', 'migrations', 'apply', 'orderboard', '--local', '--persist-to', persistTo])
  const seedFile = join(persistTo, 'first-workspace.sql')
  writeFileSync(
    seedFile,
    await bootstrapSql({
      name: 'テスト印刷',
      slug: owner.slug,
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      ownerEmail: owner.email,
      ownerName: 'オーナー',
      ownerPassword: owner.password,
    }),
  )
  await wrangler([
    'd1',
    'execute',
    'orderboard',
    '--local',
    '--persist-to',
    persistTo,
    '--file',
    seedFile,
  ])

  const { unstable_getMiniflareWorkerOptions } = await import('wrangler')
  const { Miniflare } = await import('miniflare')
  const { workerOptions } = unstable_getMiniflareWorkerOptions(join(ROOT, 'wrangler.toml'))
  const port = await freePort()
  const bundlePath = join(outdir, 'entry.worker.js')
  const started = performance.now()
  const mf = new Miniflare({
    ...(workerOptions as object),
    name: 'orderboard',
    // Listed explicitly: with `scriptPath` Miniflare parses the whole bundle in Node first (seconds).
    modulesRoot: outdir,
    modules: [{ type: 'ESModule', path: bundlePath, contents: readFileSync(bundlePath, 'utf8') }],
    bindings: {
      ...(workerOptions.bindings as Record<string, string>),
      APP_SECRET,
      BASE_URL: `http://127.0.0.1:${port}`,
      DEV_MAILBOX: 'true',
      ...vars,
    },
    host: '127.0.0.1',
    port,
    cf: false,
    d1Persist: join(persistTo, 'v3', 'd1'),
    r2Persist: join(persistTo, 'v3', 'r2'),
  } as ConstructorParameters<typeof Miniflare>[0])
  const url = await mf.ready
  const first = await fetch(new URL('/login', url))
  await first.text()
  if (first.status !== 200) throw new Error(`worker answered ${first.status} to its first request`)
  const coldStartMs = Math.round(performance.now() - started)
  const db = await mf.getD1Database('DB')
  const worker = await mf.getWorker()

  return {
    url,
    bundlePath,
    coldStartMs,
    fetch: (path, init) => fetch(new URL(path, url), { redirect: 'manual', ...init }),
    async scheduled(cron) {
      const result = await worker.scheduled({ cron, scheduledTime: new Date() })
      if (result.outcome !== 'ok')
        throw new Error(`scheduled(${cron}) ended with ${result.outcome}`)
    },
    async queue(messages) {
      const now = new Date()
      const result = await worker.queue(
        'orderboard-outbox',
        messages.map((body, index) => ({
          id: `test-${now.getTime()}-${index}`,
          timestamp: now,
          body,
          attempts: 1,
        })),
      )
      if (result.outcome !== 'ok') throw new Error(`queue batch ended with ${result.outcome}`)
    },
    async sql<Row>(query: string, ...params: unknown[]) {
      const statement = db.prepare(query)
      const { results } = await (
        params.length > 0 ? statement.bind(...params) : statement
      ).all<Row>()
      return results
    },
    async dispose() {
      await mf.dispose()
      rmSync(persistTo, { recursive: true, force: true })
    },
  }
}

export interface Session {
  cookie: string
  csrf: string
  get(path: string, headers?: Record<string, string>): Promise<Response>
  post(
    path: string,
    form: Record<string, string>,
    headers?: Record<string, string>,
  ): Promise<Response>
}

/** Logs in through the real form, over real HTTP, and keeps the session cookie and CSRF token. */
export async function logIn(worker: TestWorker, email: string, password: string): Promise<Session> {
  const origin = worker.url.origin
  const response = await worker.fetch('/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
    body: new URLSearchParams({ email, password }),
  })
  if (response.status !== 303) throw new Error(`login failed with ${response.status}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const page = await (
    await worker.fetch(response.headers.get('location') ?? '/', { headers: { Cookie: cookie } })
  ).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
  if (!csrf) throw new Error('no CSRF token on the page after login')
  return {
    cookie,
    csrf,
    get: (path, headers = {}) => worker.fetch(path, { headers: { Cookie: cookie, ...headers } }),
    post: (path, form, headers = {}) =>
      worker.fetch(path, {
        method: 'POST',
        headers: {
          Cookie: cookie,
          Origin: origin,
          'Content-Type': 'application/x-www-form-urlencoded',
          ...headers,
        },
        body: new URLSearchParams({ _csrf: csrf, ...form }),
      }),
  }
}
