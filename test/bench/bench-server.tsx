// A real Orderboard server for the benchmarks: a temp SQLite file, a board with 50 messages and
// 100,000 boards in the list, plus a render-only hono/jsx page of the same byte size as the
// staff board page, so the two can be compared in one run on one machine.
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { Document } from '../../views/layout'
import { loadNodeConfig } from '../../src/platform/node/config'
import { createNodeDeps } from '../../src/platform/node/deps'
import { createNodeHandler } from '../../src/platform/node/server'
import { openSqlite } from '../../src/platform/node/sqlite'
import { createWorkspace } from '../../src/workspaces/workspaces.usecases'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { guestUrl } from '../../src/guest/guest.link'

export const BENCH_LOGIN = { email: 'bench@example.com', password: 'bench-password-1' }

const BOARDS = Number(process.env.BENCH_BOARDS ?? 100_000)

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

  // Seeding 100k rows leaves a heap full of garbage the app itself never makes: collect it now,
  // not in the middle of the measured requests.
  ;(globalThis as { gc?: () => void }).gc?.()

  const handler = createNodeHandler(deps)
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
    void guestUrl(config, { id: board.id, guest_link_version: 1 }).then((link) =>
      console.log(
        JSON.stringify({
          ready: true,
          boardPath: `/w/bench/boards/${board.id}`,
          guestPath: new URL(link).pathname,
        }),
      ),
    )
  })
  process.on('message', (message: unknown) => {
    if (message && typeof message === 'object' && 'renderOnlyBytes' in message) {
      renderOnlyBytes = Number((message as { renderOnlyBytes: number }).renderOnlyBytes)
      process.send?.({ ok: true })
    }
  })
  process.on('SIGTERM', () => server.close(() => process.exit(0)))
}

void main()
