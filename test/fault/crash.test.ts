import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { startResendStandIn, type ResendStandIn } from '../contract/resend-standin'

// Kill -9 the real server while customers' emails are being posted and sent, start it again,
// and check the promise of the outbox: every acknowledged post is there, and every notification
// reached the provider exactly once per idempotency key (the stand-in dedupes like Resend).

const ROOT = join(import.meta.dirname, '..', '..')
const DEMO = { email: 'demo@example.com', password: 'orderboard-demo', slug: 'demo' }

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function startServer(env: Record<string, string>): { child: ChildProcess; output: () => string } {
  // `node --import tsx` runs the app in this very process, so SIGKILL hits the server itself.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry.node.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  return { child, output: () => log }
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => child.once('exit', () => resolve()))
}

async function waitFor<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function logIn(base: string) {
  const response = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: base },
    body: new URLSearchParams({ email: DEMO.email, password: DEMO.password }),
  })
  if (response.status !== 303) throw new Error(`login answered ${response.status}`)
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!
  const list = await (
    await fetch(`${base}/w/${DEMO.slug}/boards`, { headers: { Cookie: cookie } })
  ).text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(list)?.[1]
  const boardIds = [
    ...new Set([...list.matchAll(/\/w\/demo\/boards\/([0-9a-f-]{36})/g)].map((match) => match[1]!)),
  ]
  if (!csrf || boardIds.length === 0) throw new Error('no CSRF token or boards on the list page')
  return { cookie, csrf, boardIds }
}

describe('SIGKILL while posting and sending', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderboard-crash-'))
  let standIn: ResendStandIn | undefined
  const children: ChildProcess[] = []

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await standIn?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'keeps every acknowledged post and sends each notification exactly once',
    { timeout: 150_000 },
    async () => {
      // A provider that is a little slow and sometimes rate-limits, so sends are in flight.
      standIn = await startResendStandIn({ delayMs: () => Math.floor(Math.random() * 40) })
      let served = 0
      const port = await freePort()
      const base = `http://127.0.0.1:${port}`
      const env = {
        PORT: String(port),
        BASE_URL: base,
        DATA_DIR: dataDir,
        SEED_DEMO: '1',
        APP_SECRET: 'crash-test-secret-crash-test-secret',
        RESEND_API_KEY: standIn.apiKey,
        RESEND_BASE_URL: standIn.url,
        MAIL_FROM: 'Orderboard <no-reply@orderboard.test>',
        OUTBOX_INTERVAL_MS: '250',
        // The send-rate slots stay in play, fast enough that ~45 owed emails drain in seconds
        // (at Resend's default 2/s they alone would take 23 s on top of a slow restart).
        MAIL_SEND_RATE_PER_SECOND: '20',
      }

      const first = startServer(env)
      children.push(first.child)
      await waitFor(
        'the server',
        async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined),
        40_000,
      )
      const session = await logIn(base)

      // Every 6th request to the provider answers 429 with Retry-After: 1.
      const rateLimit = setInterval(() => {
        served += 1
        if (served % 6 === 0)
          standIn!.failNext({
            status: 429,
            headers: { 'Retry-After': '1' },
            body: { name: 'rate_limit_exceeded', message: 'slow down' },
          })
      }, 30)

      const acknowledged: string[] = []
      let attempted = 0
      let killed = false
      const poster = async (worker: number) => {
        for (let n = 0; !killed; n += 1) {
          const body = `負荷テスト worker ${worker} post ${n}`
          const boardId = session.boardIds[(worker + n) % session.boardIds.length]!
          attempted += 1
          try {
            const response = await fetch(`${base}/w/${DEMO.slug}/boards/${boardId}/messages`, {
              method: 'POST',
              redirect: 'manual',
              headers: {
                'Content-Type': 'application/x-www-form-urlencoded',
                Origin: base,
                Cookie: session.cookie,
              },
              body: new URLSearchParams({ _csrf: session.csrf, body }),
            })
            if (response.status === 303 || (response.status >= 200 && response.status < 300))
              acknowledged.push(body)
          } catch {
            return // the server is gone
          }
        }
      }
      const workers = Array.from({ length: 6 }, (_, worker) => poster(worker))
      // Kill once enough has been acknowledged that sends are surely under way.
      await waitFor(
        'posts to be acknowledged',
        async () => (acknowledged.length >= 40 ? true : undefined),
        30_000,
      )
      const deliveriesAtKill = standIn.deliveries.length
      killed = true
      first.child.kill('SIGKILL')
      await Promise.all(workers)
      clearInterval(rateLimit)
      await exited(first.child)

      const databaseFile = join(dataDir, 'orderboard.sqlite')
      const read = () => new SQLite(databaseFile, { readonly: true, fileMustExist: true })
      {
        const db = read()
        const stuck = db
          .prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')")
          .get() as { n: number }
        db.close()
        // Whatever the crash interrupted is still owed (proof the test really cut sends short).
        console.log(
          `crash: ${acknowledged.length}/${attempted} posts acknowledged, ${deliveriesAtKill} delivered, ${stuck.n} owed at kill`,
        )
      }

      const second = startServer(env)
      children.push(second.child)
      await waitFor(
        'the restarted server',
        async () => ((await fetch(`${base}/healthz`)).ok ? true : undefined),
        40_000,
      )
      await waitFor(
        'the outbox to drain',
        async () => {
          const db = read()
          try {
            const open = db
              .prepare("SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')")
              .get() as { n: number }
            return open.n === 0 ? true : undefined
          } finally {
            db.close()
          }
        },
        60_000,
      )
      second.child.kill('SIGTERM')

      const db = read()
      try {
        // 1. Every acknowledged post is in the database, once.
        const count = db.prepare('SELECT count(*) AS n FROM messages WHERE body = ?')
        for (const body of acknowledged) expect((count.get(body) as { n: number }).n, body).toBe(1)

        // 2. Every public staff post has exactly one email row, sent; none failed.
        const posts = db
          .prepare(
            "SELECT id FROM messages WHERE internal = 0 AND author_kind != 'guest' AND notify_guest = 1",
          )
          .all() as { id: string }[]
        const rows = db
          .prepare(
            "SELECT idempotency_key, status, provider_id, message_id FROM outbox WHERE kind = 'email'",
          )
          .all() as {
          idempotency_key: string
          status: string
          provider_id: string | null
          message_id: string
        }[]
        const keys = new Set(rows.map((row) => row.idempotency_key))
        expect(rows.filter((row) => row.status !== 'sent')).toEqual([])
        for (const post of posts) expect(keys.has(`notify/${post.id}/guest`), post.id).toBe(true)
        // (a member's daily digest is an email row too, when the run crosses its hour: 08:00 JST)
        expect(rows.filter((row) => row.idempotency_key.startsWith('notify/')).length).toBe(
          posts.length,
        )

        // 3. The provider accepted each key exactly once: no notification lost, none doubled.
        const delivered = standIn.deliveries.map((delivery) => delivery.idempotencyKey!)
        expect(delivered.length).toBe(new Set(delivered).size)
        expect(new Set(delivered)).toEqual(keys)
        // and what we recorded is what the provider answered
        const idByKey = new Map(
          standIn.deliveries.map((delivery) => [delivery.idempotencyKey, delivery.id]),
        )
        for (const row of rows) expect(row.provider_id).toBe(idByKey.get(row.idempotency_key))

        const requests = standIn.requests.length
        console.log(
          `after restart: ${rows.length} notifications, ${delivered.length} delivered once each, ` +
            `${requests - delivered.length} extra requests (429s and resends the provider deduped)`,
        )
      } finally {
        db.close()
      }
      expect(second.output()).not.toMatch(/outbox sender failed/)
    },
  )
})
