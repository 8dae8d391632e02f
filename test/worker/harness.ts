// Runs the real worker (wrangler.toml, the real bundle) on workerd with local D1, R2 and Queues,
// offline: no login, no metrics, no `Request.cf` download, no update check.
import { execFile } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
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
const WRANGLER = join(ROOT, 'node_modules', 'wrangler', 'bin', 'wrangler.js')
const run = promisify(execFile)

export const APP_SECRET = 'worker-test-secret-worker-test-secret-0123456789'

/** Runs the wrangler CLI exactly as a user would, against the local persistence directory. */
export async function wrangler(args: string[]) {
  const { stdout } = await run(process.execPath, [WRANGLER, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...OFFLINE_ENV },
    maxBuffer: 16 * 1024 * 1024,
  })
  return stdout
}

export interface TestWorker {
  url: URL
  /** milliseconds from starting the runtime to the first 200 */
  coldStartMs: number
  fetch(path: string, init?: RequestInit): Promise<Response>
  /** fires the cron trigger with this pattern (wrangler's /__scheduled test route) */
  scheduled(cron: string): Promise<Response>
  /** `wrangler d1 execute --local` against this worker's database */
  sql<Row = Record<string, unknown>>(query: string): Promise<Row[]>
  dispose(): Promise<void>
}

export interface Owner {
  slug: string
  email: string
  password: string
}

/**
 * Applies the migrations with `wrangler d1 migrations apply --local`, creates the first workspace
 * with the documented bootstrap SQL (`wrangler d1 execute --file`), then starts the worker.
 */
export async function startTestWorker(owner: Owner): Promise<TestWorker> {
  const persistTo = mkdtempSync(join(tmpdir(), 'orderboard-worker-'))
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
  await wrangler(['d1', 'execute', 'orderboard', '--local', '--persist-to', persistTo, '--file', seedFile])

  const { unstable_startWorker } = await import('wrangler')
  const started = Date.now()
  const worker = await unstable_startWorker({
    config: join(ROOT, 'wrangler.toml'),
    bindings: {
      APP_SECRET: { type: 'plain_text', value: APP_SECRET },
      DEV_MAILBOX: { type: 'plain_text', value: 'true' },
    },
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist: persistTo,
      watch: false,
      remote: false,
      logLevel: 'warn',
      testScheduled: true,
    },
  })
  await worker.ready
  const url = await worker.url
  let coldStartMs = 0
  for (;;) {
    const response = await fetch(new URL('/healthz', url))
    if (response.status === 200) {
      coldStartMs = Date.now() - started
      break
    }
    if (Date.now() - started > 30_000) throw new Error(`worker never answered 200 (${response.status})`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }

  return {
    url,
    coldStartMs,
    fetch: (path, init) => fetch(new URL(path, url), { redirect: 'manual', ...init }),
    scheduled: (cron) => fetch(new URL(`/__scheduled?cron=${encodeURIComponent(cron)}`, url)),
    async sql<Row>(query: string) {
      const out = await wrangler(['d1', 'execute', 'orderboard', '--local', '--persist-to', persistTo, '--json', '--command', query])
      const parsed = JSON.parse(out) as { results: Row[] }[]
      return parsed[0]?.results ?? []
    },
    async dispose() {
      await worker.dispose()
      rmSync(persistTo, { recursive: true, force: true })
    },
  }
}

export interface Session {
  cookie: string
  csrf: string
  get(path: string, headers?: Record<string, string>): Promise<Response>
  post(path: string, form: Record<string, string>, headers?: Record<string, string>): Promise<Response>
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
  const page = await (await worker.fetch(response.headers.get('location') ?? '/', { headers: { Cookie: cookie } })).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page)?.[1]
  if (!csrf) throw new Error('no CSRF token on the page after login')
  return {
    cookie,
    csrf,
    get: (path, headers = {}) => worker.fetch(path, { headers: { Cookie: cookie, ...headers } }),
    post: (path, form, headers = {}) =>
      worker.fetch(path, {
        method: 'POST',
        headers: { Cookie: cookie, Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ _csrf: csrf, ...form }),
      }),
  }
}
