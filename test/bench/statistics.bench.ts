// Issue #19: the statistics page over a large workspace (p99 of whole page views, in process:
// routing, session, the rollup queries and the render) and the CSV export's speed and memory.
// Seeds BENCH_STATS_BOARDS boards (default 100,000) with BENCH_STATS_MESSAGES messages (default
// 1,000,000) spread over a year, directly in SQLite (seeding only), rollups filled as the post
// pipeline writes them.
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { createApp } from '../../src/app'
import type { Deps } from '../../src/deps'
import { openSqlite } from '../../src/platform/node/sqlite'
import { randomIds } from '../../src/platform/system'
import { createDeferQueue } from '../../src/platform/defer'
import { createMemoryBlobStore } from '../../src/platform/memory/blobs'
import { createMemoryMailer } from '../../src/platform/memory/mailer'
import { createWorkspace } from '../../src/workspaces/workspaces.usecases'
import { percentile } from './staff.bench'

const DAY = 86_400_000
const NOW = Date.parse('2026-11-24T10:00:00+09:00')

export function seed(path: string, workspaceId: string, boards: number, messages: number) {
  const raw = new SQLite(path)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = OFF')
  const perBoard = Math.max(1, Math.round(messages / boards))
  const insertBoard = raw.prepare(`INSERT INTO boards (id, workspace_id, name, customer_name,
    customer_email, status, next_contact_on, expires_at, last_no, message_seq, last_public_author,
    last_activity_at, created_at, updated_at, first_guest_at, first_response_at, first_response_ms,
    decided_at, decision_ms, closed_at, assignee_member_id, rating_score, rated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'member', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertMessage = raw.prepare(`INSERT INTO messages (id, workspace_id, board_id, no, seq,
    author_kind, author_member_id, author_name, body, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  // Eight members; five boards in six are assigned (round the members), done boards are rated.
  const members = Array.from({ length: 8 }, (_, n) => `bench-member-${n}`)
  const insertMember = raw.prepare(`INSERT INTO members (id, workspace_id, email, name,
    password_hash, role, created_at) VALUES (?, ?, ?, ?, 'x', 'member', ?)`)
  for (const [n, id] of members.entries())
    insertMember.run(id, workspaceId, `member${n}@bench.test`, `スタッフ ${n}`, NOW)
  const statuses = ['new', 'waiting', 'replied', 'on_hold', 'done', 'closed']
  let written = 0
  raw.transaction(() => {
    for (let i = 0; i < boards; i++) {
      const id = `b${String(i).padStart(7, '0')}`
      const created = NOW - 365 * DAY + Math.floor((i / boards) * 365 * DAY)
      const count = Math.min(perBoard, messages - written)
      const guestAt = count > 1 ? created + 3_600_000 : null
      const responseAt = count > 2 ? created + 3_600_000 + ((i * 7919) % 50) * 600_000 : null
      const status = statuses[i % 6]!
      const decidedAt = status === 'done' ? created + ((i * 104729) % 96) * 3_600_000 : null
      const assignee = i % 6 === 5 ? null : members[i % members.length]!
      insertBoard.run(
        id,
        workspaceId,
        `名刺 ${i}, "特急"`,
        `山田 ${i}`,
        `c${i}@example.jp`,
        status,
        i % 10 === 0 ? '2026-11-01' : null,
        NOW + 30 * DAY,
        count,
        count,
        created + count * 60_000,
        created,
        created,
        guestAt,
        responseAt,
        responseAt && guestAt ? responseAt - guestAt : null,
        decidedAt,
        decidedAt ? decidedAt - created : null,
        status === 'closed' ? created + 2 * DAY : null,
        assignee,
        decidedAt ? (i % 5) + 1 : null,
        decidedAt ? decidedAt + DAY : null,
      )
      for (let n = 1; n <= count; n++) {
        insertMessage.run(
          `${id}-${n}`,
          workspaceId,
          id,
          n,
          n,
          n === 2 ? 'guest' : 'member',
          n === 2 ? null : assignee,
          n === 2 ? '山田' : '佐藤',
          `=1+1 校正 No.${n} をお送りします。\n"A案", B案`,
          created + n * 60_000,
        )
      }
      written += count
    }
  })()
  raw.exec('ANALYZE')
  raw.close()
  return written
}

export async function benchStatistics() {
  const boards = Number(process.env.BENCH_STATS_BOARDS ?? 100_000)
  const messages = Number(process.env.BENCH_STATS_MESSAGES ?? 1_000_000)
  // BENCH_STATS_DB=<file>: seed into that file once and reuse it on the next runs (to measure
  // again without seeding again); by default a temporary file, removed afterwards.
  const kept = process.env.BENCH_STATS_DB
  const dir = kept ? null : mkdtempSync(join(tmpdir(), 'ob-stats-'))
  const path = kept ?? join(dir!, 'stats.sqlite')
  const reuse = kept !== undefined && existsSync(kept)
  try {
    const database = openSqlite(path)
    const clock = { now: () => new Date(NOW) }
    const deferQueue = createDeferQueue()
    const deps: Deps = {
      db: database.db,
      batch: database.batch,
      blobs: createMemoryBlobStore(),
      mailer: createMemoryMailer(),
      defer: deferQueue.defer,
      clock,
      ids: randomIds,
      random: Math.random,
      config: {
        baseUrl: 'http://127.0.0.1',
        appSecret: 'bench-secret-bench-secret-bench-secret',
        secureCookies: false,
        mailFrom: 'Orderboard <no-reply@bench.test>',
        devMailbox: true,
      },
    }
    if (!reuse) {
      const { workspace } = await createWorkspace({
        deps,
        input: {
          name: 'ベンチ印刷',
          slug: 'bench',
          timeZone: 'Asia/Tokyo',
          locale: 'ja',
          ownerEmail: 'bench@example.com',
          ownerName: 'オーナー',
          ownerPassword: 'bench-password-1',
        },
      })
      seed(path, workspace.id, boards, messages)
    }
    const seeded = Number(
      (database.raw.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n,
    )
    const app = createApp(deps)
    const login = await app.request('/login', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://127.0.0.1',
      },
      body: new URLSearchParams({ email: 'bench@example.com', password: 'bench-password-1' }),
    })
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!
    const get = (url: string) => app.request(url, { headers: { Cookie: cookie } })

    const pageTimes = async (url: string, rounds: number) => {
      for (let i = 0; i < 20; i++) await (await get(url)).text()
      const samples: number[] = []
      for (let i = 0; i < rounds; i++) {
        const started = performance.now()
        const response = await get(url)
        await response.text()
        if (response.status !== 200) throw new Error(`${url}: ${response.status}`)
        samples.push(performance.now() - started)
      }
      samples.sort((a, b) => a - b)
      return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) }
    }
    const month = await pageTimes('/w/bench/stats', 300)
    const year = await pageTimes('/w/bench/stats?period=custom&from=2025-11-25&to=2026-11-24', 60)

    /** Reads a CSV response to the end; rows/s and the RSS above where it started. */
    const exportRun = async (url: string) => {
      globalThis.gc?.()
      const rssBefore = process.memoryUsage().rss
      let peak = rssBefore
      const started = performance.now()
      const cpuBefore = process.cpuUsage()
      const response = await get(url)
      const reader = response.body!.getReader()
      let bytes = 0
      let lines = 0
      let chunks = 0
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        bytes += value.byteLength
        for (const byte of value) if (byte === 0x0a) lines++
        if (++chunks % 10 === 0) peak = Math.max(peak, process.memoryUsage().rss)
      }
      const seconds = (performance.now() - started) / 1000
      const cpu = process.cpuUsage(cpuBefore)
      const cpuSeconds = (cpu.user + cpu.system) / 1e6
      peak = Math.max(peak, process.memoryUsage().rss)
      return {
        rows: lines - 1,
        rowsPerSecond: (lines - 1) / seconds,
        // Rows per second of this process's own CPU time: what the rate would be on an idle
        // core (the wall-clock rate falls when other processes share the machine).
        rowsPerCpuSecond: (lines - 1) / cpuSeconds,
        megabytes: bytes / 1e6,
        rssGrowthMb: (peak - rssBefore) / 1024 / 1024,
      }
    }
    const boardsCsv = await exportRun('/w/bench/exports/boards.csv')
    const boardsSjis = await exportRun('/w/bench/exports/boards.csv?encoding=shift_jis')
    const messagesCsv = await exportRun('/w/bench/exports/messages.csv?to=2026-02-28')
    await database.close()
    return { boards, messages: seeded, month, year, boardsCsv, boardsSjis, messagesCsv }
  } finally {
    if (dir) rmSync(dir, { recursive: true, force: true })
  }
}
