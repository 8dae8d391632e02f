// Shop API benchmark: board creation (each request a new order, with its dedupe key), the
// duplicate path (a retried order), and message posting, in requests per second, measured
// with autocannon against a started server.
//
//   benchApi({ baseUrl, apiKey })  — against a server you started (set API_RATE_LIMIT_PER_MINUTE
//                                    high, or the per-key limit answers 429 and is counted)
//   benchApiStandalone()           — starts its own server on a fresh database, then the above
//   npx tsx test/bench/api.bench.ts
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import { createApiKey } from '../../src/api/api.usecases'
import { loadNodeConfig } from '../../src/platform/node/config'
import { createNodeDeps } from '../../src/platform/node/deps'
import { openSqlite } from '../../src/platform/node/sqlite'
import { createWorkspace } from '../../src/workspaces/workspaces.usecases'

export interface ApiBenchResult {
  /** POST /boards, a new dedupe key each time */
  createBoardsRps: number
  /** POST /boards repeating one dedupe key: the retry path (200, duplicate) */
  duplicateCreatesRps: number
  /** POST /boards/:id/messages, public, emailing the customer */
  postMessagesRps: number
  p99Ms: { create: number; duplicate: number; post: number }
  /** answers other than 2xx (429 means the rate limit was not raised) */
  non2xx: number
  errors: number
}

type CannonRequest = {
  method: string
  path: string
  headers: Record<string, string>
  body?: string
  setupRequest?: (request: CannonRequest) => CannonRequest
}

function cannon(options: {
  url: string
  connections: number
  duration: number
  requests: CannonRequest[]
}) {
  return new Promise<autocannon.Result>((resolve, reject) => {
    autocannon(options as unknown as autocannon.Options, (error, result) =>
      error ? reject(error) : resolve(result),
    )
  })
}

const board = (dedupeKey: string) =>
  JSON.stringify({
    name: `名刺 100枚 (#${dedupeKey})`,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
    dedupe_key: dedupeKey,
  })

export async function benchApi({
  baseUrl,
  apiKey,
  connections = 10,
  duration = 5,
}: {
  baseUrl: string
  apiKey: string
  connections?: number
  duration?: number
}): Promise<ApiBenchResult> {
  const base = baseUrl.replace(/\/$/, '')
  const headers = { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json' }
  const run = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 6)}`
  let counter = 0

  const create = await cannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/boards',
        headers,
        setupRequest: (request) => ({ ...request, body: board(`bench-${run}-${(counter += 1)}`) }),
      },
    ],
  })

  const duplicate = await cannon({
    url: base,
    connections,
    duration,
    requests: [{ method: 'POST', path: '/api/v1/boards', headers, body: board(`bench-${run}-1`) }],
  })

  const target = await fetch(`${base}/api/v1/boards`, {
    method: 'POST',
    headers,
    body: board(`bench-${run}-messages`),
  })
  if (!target.ok) throw new Error(`could not open the benchmark board: HTTP ${target.status}`)
  const {
    board: { id },
  } = (await target.json()) as { board: { id: string } }
  const post = await cannon({
    url: base,
    connections,
    duration,
    requests: [
      {
        method: 'POST',
        path: `/api/v1/boards/${id}/messages`,
        headers,
        body: JSON.stringify({ body: '校正データをお送りします。ご確認ください。' }),
      },
    ],
  })

  return {
    createBoardsRps: create.requests.average,
    duplicateCreatesRps: duplicate.requests.average,
    postMessagesRps: post.requests.average,
    p99Ms: { create: create.latency.p99, duplicate: duplicate.latency.p99, post: post.latency.p99 },
    non2xx: create.non2xx + duplicate.non2xx + post.non2xx,
    errors: create.errors + duplicate.errors + post.errors,
  }
}

/** A fresh database with one workspace and key, the Node server on it, then benchApi. */
export async function benchApiStandalone(
  options: { connections?: number; duration?: number } = {},
) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ob-api-bench-'))
  const port = 19_000 + Math.floor(Math.random() * 1000)
  const baseUrl = `http://127.0.0.1:${port}`
  const env = {
    ...process.env,
    PORT: String(port),
    DATA_DIR: dataDir,
    BASE_URL: baseUrl,
    SEED_DEMO: '0',
    API_RATE_LIMIT_PER_MINUTE: '1000000000',
  }

  const database = openSqlite(join(dataDir, 'orderboard.sqlite'))
  const { deps, close } = createNodeDeps(loadNodeConfig(env), database)
  const { workspace } = await createWorkspace({
    deps,
    input: {
      name: 'ベンチ印刷',
      slug: 'bench-api',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      ownerEmail: 'bench-api@example.com',
      ownerName: 'ベンチ',
      ownerPassword: 'bench-password-1',
    },
  })
  const { key } = await createApiKey({ deps, workspace, name: 'ベンチ', createdBy: null })
  await close()

  const server = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '..', '..', 'src', 'entry.node.ts')],
    {
      env,
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  )
  try {
    await new Promise<void>((resolve, reject) => {
      server.stdout!.on('data', (chunk: Buffer) => {
        if (chunk.toString().includes('is running on')) resolve()
      })
      server.once('exit', (code) => reject(new Error(`server exited with ${code}`)))
    })
    return await benchApi({ baseUrl, apiKey: key, ...options })
  } finally {
    server.kill('SIGTERM')
    await new Promise((resolve) => server.once('exit', resolve))
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  benchApiStandalone()
    .then((result) => {
      const fmt = (n: number) => n.toFixed(1)
      console.log(
        `API board creation (new dedupe key each): ${fmt(result.createBoardsRps)} req/s, p99 ${result.p99Ms.create} ms`,
      )
      console.log(
        `API board creation, retried key (200 duplicate): ${fmt(result.duplicateCreatesRps)} req/s, p99 ${result.p99Ms.duplicate} ms`,
      )
      console.log(
        `API message posting (with the customer email): ${fmt(result.postMessagesRps)} req/s, p99 ${result.p99Ms.post} ms`,
      )
      console.log(`non-2xx ${result.non2xx}, errors ${result.errors}`)
    })
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
}
