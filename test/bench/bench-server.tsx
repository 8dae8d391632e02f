// A real Orderboard server for the benchmarks: a temp SQLite file, a board with 50 messages and
// 100,000 boards in the list (BENCH_BOARDS), 10 members with notifications on (BENCH_MEMBERS),
// a second board to post on, plus a render-only hono/jsx page of the same byte size as the
// staff board page, so the two can be compared in one run on one machine.
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Document } from '../../views/layout'
import { loadNodeConfig } from '../../src/platform/node/config'
import { createNodeDeps } from '../../src/platform/node/deps'
import { createNodeHandler } from '../../src/platform/node/server'
import { openSqlite } from '../../src/platform/node/sqlite'
import { createMember, createWorkspace } from '../../src/workspaces/workspaces.usecases'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { guestUrl } from '../../src/guest/guest.link'
import { JOBS } from '../../src/jobs'
import { startJobsInProcess } from '../../src/platform/node/jobs'

export const BENCH_LOGIN = { email: 'bench@example.com', password: 'bench-password-1' }

const BOARDS = Number(process.env.BENCH_BOARDS ?? 100_000)
/** members with notifications on (the owner included): each customer post emails them all */
const MEMBERS = Number(process.env.BENCH_MEMBERS ?? 10)

async function main() {
  const config = loadNodeConfig()
  const database = openSqlite(join(config.dataDir, 'orderboard.sqlite'))
  const { deps } = createNodeDeps(config, database)
  const { workspace, ownerId } = await createWorkspace({
    deps,
    input: {
      name: 'ベンチ印刷',
      slug: 'bench',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      ownerEmail: BENCH_LOGIN.email,
      ownerName: 'ベンチ',
      ownerPassword: BENCH_LOGIN.password,
    },
  })

  for (let i = 2; i <= MEMBERS; i++) {
    await createMember({
      deps,
      workspace,
      input: {
        email: `member${i}@example.com`,
        name: `メンバー ${i}`,
        password: BENCH_LOGIN.password,
        role: 'member',
      },
    })
  }

  // 100k boards in one transaction (seeding only; the app itself never writes like this).
  const insert = database.raw
    .prepare(`INSERT INTO boards (id, workspace_id, name, customer_name, customer_email, dedupe_key,
    status, next_contact_on, expires_at, last_activity_at, created_at, updated_at, message_seq)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const statuses = ['new', 'waiting', 'replied', 'on_hold', 'done', 'closed']
  const now = Date.now()
  database.raw.transaction(() => {
    for (let i = 0; i < BOARDS; i++) {
      const day = String(1 + (i % 28)).padStart(2, '0')
      insert.run(
        `bench-${i}`,
        workspace.id,
        `ご注文 ${i} 名刺`,
        `お客様 ${i}`,
        `c${i}@example.jp`,
        `ORD-${i}`,
        statuses[i % statuses.length],
        i % 3 === 0 ? null : `2026-12-${day}`,
        now + 30 * 86400000,
        now - i * 1000,
        now - i * 1000,
        now - i * 1000,
        i % 5,
      )
    }
  })()
  // No ANALYZE: the app never runs it, so a real database has no statistics. (With them, this
  // SQLite build — better-sqlite3 compiles in STAT4 — re-prepares every statement whose bound
  // parameter meets an analyzed index, 20–80 µs a query; BENCH_ANALYZE=1 shows that case.)
  if (process.env.BENCH_ANALYZE) database.raw.exec('ANALYZE')

  const board = await createBoardOrFail({
    deps,
    workspace,
    createdBy: ownerId,
    input: {
      name: '50件のメッセージ',
      customer_name: '山田 花子',
      customer_email: 'hanako@example.jp',
    },
  })
  for (let i = 1; i <= 50; i++) {
    await postStaffMessage({
      deps,
      workspace,
      author: { kind: 'member', memberId: ownerId, name: 'ベンチ' },
      boardId: board.id,
      input: {
        body: `${i}件目のメッセージです。校正データをご確認のうえ、ご返信をお願いいたします。\n色味とサイズについてもご意見をお聞かせください。`,
        internal: i % 10 === 0,
        silent: true,
      },
    })
  }

  // Posts land here, so the 50-message board above stays the page that is measured.
  const postBoard = await createBoardOrFail({
    deps,
    workspace,
    createdBy: ownerId,
    input: { name: '投稿用', customer_name: '佐藤 一郎', customer_email: 'ichiro@example.jp' },
  })

  // Seeding 100k rows leaves a heap full of garbage the app itself never makes: collect it now,
  // not in the middle of the measured requests.
  ;(globalThis as { gc?: () => void }).gc?.()

  const handler = createNodeHandler(deps)
  // The Node entry's periodic sender, as the real server runs it: a post's own drain stops after
  // 1,000 rows (drainOutbox's maxRounds), and a burst of 100 customer posts to 10 members queues
  // that many; without it the rest would wait for ever.
  // Every 250 ms (the entry's default is 5 s), so a slice's wait measures sending, not the timer.
  startJobsInProcess(
    deps,
    JOBS.filter((job) => job.name === 'outbox'),
    { everyMs: { outbox: 250 } },
  )
  let renderOnlyBytes = 0
  const filler = (bytes: number) => {
    const paragraph = 'メッセージ本文のダミーです。校正データをご確認ください。'
    // each paragraph carries a class m0, m1, …: count its bytes too, so the page really is the same size
    const count = Math.max(
      1,
      Math.round(bytes / Buffer.byteLength(`<p class="m000">${paragraph}</p>`)),
    )
    return Array.from({ length: count }, (_, i) => <p class={`m${i}`}>{paragraph}</p>)
  }
  // Rendered on every request, like the real page, but with no database and no logic.
  handler.get('/bench/render-only', (c) =>
    c.html(
      <Document title="render only" locale="ja">
        <main>{filler(renderOnlyBytes)}</main>
      </Document>,
    ),
  )
  const server = serve({ fetch: handler.fetch, port: config.port, hostname: '127.0.0.1' }, () => {
    void Promise.all([
      guestUrl(config, { id: board.id, guest_link_version: 1 }),
      guestUrl(config, { id: postBoard.id, guest_link_version: 1 }),
    ]).then(([link, postLink]) =>
      console.log(
        JSON.stringify({
          ready: true,
          boardPath: `/w/bench/boards/${board.id}`,
          guestPath: new URL(link).pathname,
          postBoardPath: `/w/bench/boards/${postBoard.id}`,
          postGuestPath: new URL(postLink).pathname,
        }),
      ),
    )
  })
  process.on('message', (message: unknown) => {
    if (message && typeof message === 'object' && 'renderOnlyBytes' in message) {
      renderOnlyBytes = Number((message as { renderOnlyBytes: number }).renderOnlyBytes)
      process.send?.({ ok: true })
    }
    // Answers once every email queued so far has been sent (how long that took, in ms).
    if (message && typeof message === 'object' && 'waitOutbox' in message) {
      const started = performance.now()
      const poll = async () => {
        const row = await deps.db
          .selectFrom('outbox')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('status', 'in', ['pending', 'sending'])
          .executeTakeFirstOrThrow()
        if (Number(row.n) > 0) return void setTimeout(() => void poll(), 5)
        process.send?.({ ok: true, waitedMs: performance.now() - started })
      }
      void poll()
    }
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}

void main()
