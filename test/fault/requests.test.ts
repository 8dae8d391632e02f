import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes, randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { guestLinkSecret } from '../../src/guest/guest.link'
import { startResendStandIn, type ResendStandIn } from '../contract/resend-standin'

// kill -9 the real server after a request's write committed and before it answered (the
// server waits there on ORDERBOARD_TEST_PAUSE), start it again and retry: the retry must find
// what the first attempt committed. Exactly one row and one email each, and the same answer —
// for an Idempotency-Key post, a board created with an Idempotency-Key (no dedupe key) and its
// first message, and a customer's reply (per-submit key).

const ROOT = join(import.meta.dirname, '..', '..')
const APP_SECRET = 'requests-fault-secret-requests-fault-secret'

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe().catch(() => undefined)
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

describe('SIGKILL between commit and answer', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderboard-requests-'))
  const children: ChildProcess[] = []
  let standIn: ResendStandIn | undefined

  afterAll(async () => {
    for (const child of children)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    await standIn?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'a retry replays what was committed: one row, one email, the same answer',
    { timeout: 300_000 },
    async () => {
      standIn = await startResendStandIn()
      const port = await freePort()
      const base = `http://127.0.0.1:${port}`
      const env = {
        PORT: String(port),
        BASE_URL: base,
        DATA_DIR: dataDir,
        SEED_DEMO: '1',
        APP_SECRET,
        RESEND_API_KEY: standIn.apiKey,
        RESEND_BASE_URL: standIn.url,
        MAIL_FROM: 'Orderboard <no-reply@orderboard.test>',
        OUTBOX_INTERVAL_MS: '250',
      }
      let current: { child: ChildProcess; output: () => string } | undefined
      const start = async (pause?: 'api' | 'guest-post') => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry.node.ts'], {
          cwd: ROOT,
          env: { ...process.env, ...env, ORDERBOARD_TEST_PAUSE: pause ?? '' },
          stdio: ['ignore', 'pipe', 'pipe'],
        })
        children.push(child)
        let log = ''
        child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
        child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
        current = { child, output: () => log }
        step(`started with pause ${pause}`)
        await waitFor(
          'the server',
          async () =>
            (await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(5_000) })).ok
              ? true
              : undefined,
          90_000,
        ).catch((error: unknown) => {
          throw new Error(`${String(error)}\n${log}`)
        })
      }
      const step = (what: string) =>
        process.env.FAULT_DEBUG && console.log(new Date().toISOString(), what)
      const killAt = async (point: string, request: Promise<Response>) => {
        step(`request sent, waiting for ${point}`)
        const answered = request.then(
          () => 'answered',
          () => 'cut',
        )
        await waitFor(
          `the pause at ${point}`,
          async () => (current!.output().includes(`paused at ${point}`) ? true : undefined),
          60_000,
        )
        const { child } = current!
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGKILL')
        await exited
        step('killed')
        // the client never got an answer: the connection died with the process
        expect(await answered).toBe('cut')
      }
      // The server that answered the retry goes; the next one waits at the next point.
      const restart = async (pause: 'api' | 'guest-post') => {
        const { child } = current!
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
        await start(pause)
      }
      const database = () =>
        new SQLite(join(dataDir, 'orderboard.sqlite'), { readonly: true, fileMustExist: true })
      const query = <T>(sqlText: string, ...parameters: unknown[]) => {
        const db = database()
        try {
          return db.prepare(sqlText).all(...parameters) as T[]
        } finally {
          db.close()
        }
      }

      // First start seeds the demo workspace; an API key is added straight into the database.
      await start('api')
      const apiKey = `ob_live_${randomBytes(32).toString('base64url')}`
      {
        const db = new SQLite(join(dataDir, 'orderboard.sqlite'))
        const workspace = db.prepare("SELECT id FROM workspaces WHERE slug = 'demo'").get() as {
          id: string
        }
        db.prepare(
          `INSERT INTO api_keys (id, workspace_id, name, prefix, key_hash, scope, created_at)
           VALUES (?, ?, 'fault test', ?, ?, 'write', ?)`,
        ).run(
          randomUUID(),
          workspace.id,
          apiKey.slice(0, 12),
          createHash('sha256').update(apiKey).digest('hex'),
          Date.now(),
        )
        db.close()
      }
      const api = (method: string, path: string, body: unknown, key: string) =>
        fetch(`${base}/api/v1${path}`, {
          method,
          headers: {
            Authorization: `Bearer ${apiKey}`,
            'Content-Type': 'application/json',
            'Idempotency-Key': key,
          },
          body: JSON.stringify(body),
        })

      // 1. POST /boards: a new board (no dedupe key) with a first message that emails.
      const createBody = {
        name: '障害試験 名刺',
        customer_name: '障害 太郎',
        customer_email: 'crash-create@example.jp',
        first_message: { body: 'ご注文ありがとうございます。校正をお送りします。', notify: true },
      }
      await killAt('api', api('POST', '/boards', createBody, 'create-1'))
      await start()
      const created = await api('POST', '/boards', createBody, 'create-1')
      expect(created.status).toBe(201)
      const createdAnswer = (await created.json()) as {
        board: { id: string }
        guest_url: string
        first_message: { id: string; no: number }
      }
      expect(createdAnswer.first_message.no).toBe(1)
      const boardId = createdAnswer.board.id
      expect(
        query('SELECT id FROM boards WHERE customer_email = ?', createBody.customer_email),
      ).toHaveLength(1)

      // 2. POST /boards/:id/messages with an Idempotency-Key, killed after its commit.
      const postBody = { body: '色校正の日程をご連絡します。', notify: true }
      await restart('api')
      await killAt('api', api('POST', `/boards/${boardId}/messages`, postBody, 'post-1'))
      await start()
      const posted = await api('POST', `/boards/${boardId}/messages`, postBody, 'post-1')
      expect(posted.status).toBe(201)
      const postedAnswer = (await posted.json()) as { message: { no: number } }
      expect(postedAnswer.message.no).toBe(2)

      // 3. The customer's reply, killed after its commit, sent again by the browser.
      const secret = await guestLinkSecret({ appSecret: APP_SECRET }, boardId, 1)
      const link = await fetch(`${base}/g/${boardId}/${secret}`, { redirect: 'manual' })
      expect(link.status).toBe(303)
      const cookie = (link.headers.get('set-cookie') ?? '').split(';')[0]!
      const page = await (
        await fetch(`${base}/g/${boardId}`, { headers: { Cookie: cookie } })
      ).text()
      const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!
      const submitKey = /name="submit_key" value="([^"]+)"/.exec(page)![1]!
      const reply = () =>
        fetch(`${base}/g/${boardId}/messages`, {
          method: 'POST',
          redirect: 'manual',
          headers: {
            Cookie: cookie,
            Origin: base,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({
            _csrf: csrf,
            body: 'この内容で進めてください。',
            submit_key: submitKey,
          }),
        })
      await restart('guest-post')
      await killAt('guest-post', reply())
      await start()
      const replied = await reply()
      expect(replied.status).toBe(303)
      expect(replied.headers.get('location')).toBe(`/g/${boardId}`)

      // The same answers again, replayed from what was stored.
      const createdAgain = await api('POST', '/boards', createBody, 'create-1')
      expect(createdAgain.headers.get('Idempotent-Replayed')).toBe('true')
      expect(await createdAgain.json()).toEqual(createdAnswer)
      const postedAgain = await api('POST', `/boards/${boardId}/messages`, postBody, 'post-1')
      expect(postedAgain.headers.get('Idempotent-Replayed')).toBe('true')
      expect(await postedAgain.json()).toEqual(postedAnswer)

      // Exactly one row each.
      const messages = query<{ author_kind: string; body: string }>(
        'SELECT author_kind, body FROM messages WHERE board_id = ? ORDER BY seq',
        boardId,
      )
      expect(messages.map((message) => message.body)).toEqual([
        createBody.first_message.body,
        postBody.body,
        'この内容で進めてください。',
      ])
      // Exactly one email each: two to the customer, one per member for the reply, all sent,
      // and the provider accepted each once.
      await waitFor(
        'the outbox to drain',
        async () =>
          query<{ n: number }>(
            "SELECT count(*) AS n FROM outbox WHERE status IN ('pending', 'sending')",
          )[0]!.n === 0
            ? true
            : undefined,
        60_000,
      )
      const emails = query<{ idempotency_key: string; status: string }>(
        "SELECT o.idempotency_key, o.status FROM outbox o JOIN messages m ON m.id = o.message_id WHERE m.board_id = ? AND o.kind = 'email'",
        boardId,
      )
      const toCustomer = emails.filter((row) => row.idempotency_key.endsWith('/guest'))
      expect(toCustomer).toHaveLength(2)
      expect(emails.every((row) => row.status === 'sent')).toBe(true)
      const delivered = standIn.deliveries.map((delivery) => delivery.idempotencyKey)
      for (const row of emails)
        expect(delivered.filter((key) => key === row.idempotency_key)).toHaveLength(1)
      const members = query<{ n: number }>(
        "SELECT count(*) AS n FROM members m JOIN workspaces w ON w.id = m.workspace_id WHERE w.slug = 'demo'",
      )[0]!.n
      expect(emails.length - toCustomer.length).toBeLessThanOrEqual(members)
      current!.child.kill('SIGTERM')
    },
  )
})
