// Issue #17: the board list's search over a large workspace, and what the index costs a post.
// Seeds BENCH_SEARCH_BOARDS boards (default 100,000) with BENCH_SEARCH_MESSAGES messages (default
// 1,000,000) straight into SQLite in one transaction, their search rows and grams built directly
// (each sentence's grams once: sentences end in "。", so a body's grams are its sentences' grams
// joined). Then p50/p99 of the list's search request as the search box sends it (htmx, table
// only: routing, session, the search, the snippets and the render) at concurrency 1, for
// (a) a 3+-character word, (b) a 2-character word, (c) operators only, (d) operators + a word;
// the view tabs' counts on the full page; and posting with the index vs without it.
//
// Where the time went, and what changed (EXPLAIN QUERY PLAN over the seeded data): a word's
// clause was `b.id IN (SELECT board_id FROM search_index JOIN search_rows …)`, so every message
// holding the word was listed and looked up before the 51 newest were sorted out (16k matches ≈
// 100–300 ms, 125k ≈ 0.4–2 s). Now a search with words lists boards by their newest match:
// FTS5 streams a word's rows newest first (`ORDER BY rowid DESC LIMIT n` stops early, ~0.2 ms
// for 100 rows), and boards.repository's listByMatch checks them against the list's filters in
// growing steps until a page is full. The bulk bar's "all N matching" (up to 5,001 boards) is
// counted after the list has loaded, and a one-word snippet is read by its matching row.
import { mkdtempSync, rmSync } from 'node:fs'
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
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { gramsOf } from '../../src/search/search.text'
import { POST_EFFECTS } from '../../src/messages/post.effects'
import { percentile } from './staff.bench'

const DAY = 86_400_000
const NOW = Date.parse('2026-11-24T10:00:00+09:00')

/**
 * A print shop's sentences. ロゴデータ (a) is in about 1 message in 60, 名刺 (b) in about 1 in 8,
 * as a shop's own words would be; the rest is the everyday text around them.
 */
const SENTENCES = [
  '校正データをお送りします。',
  'ご確認のほどよろしくお願いいたします。',
  '納期は来週の金曜日を予定しております。',
  '色味はCMYKで調整済みです。',
  '用紙はマットコート135kgでよろしいでしょうか。',
  '承知いたしました。',
  '修正版をアップロードしました。',
  '部数を500部に変更したいです。',
  '両面カラーでお願いします。',
  'お見積もりを添付いたします。',
  '入稿データに不備がありました。',
  'フォントのアウトライン化をお願いします。',
  '発送は佐川急便を予定しています。',
  '特色の指定はございますか。',
  '裏面は白紙で問題ありません。',
  'ありがとうございます。',
]
const RARE = 'ロゴデータの解像度が足りません。'
const COMMON = '名刺の裏面について相談させてください。'

/** A tiny deterministic PRNG (mulberry32), so every run seeds the same text. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

export function seed(
  path: string,
  workspaceId: string,
  memberId: string,
  boards: number,
  messages: number,
) {
  const raw = new SQLite(path)
  raw.pragma('journal_mode = WAL')
  raw.pragma('synchronous = OFF')
  raw.pragma('cache_size = -262144')
  const perBoard = Math.max(1, Math.round(messages / boards))
  const insertBoard = raw.prepare(`INSERT INTO boards (id, workspace_id, name, customer_name,
    customer_email, status, next_contact_on, expires_at, last_no, message_seq, last_public_author,
    last_activity_at, created_at, updated_at, assignee_member_id)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertMessage = raw.prepare(`INSERT INTO messages (id, workspace_id, board_id, no, seq,
    internal, author_kind, author_name, body, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertRow = raw.prepare(`INSERT INTO search_rows (id, workspace_id, board_id, message_id,
    internal) VALUES (?, ?, ?, ?, ?)`)
  const insertGrams = raw.prepare('INSERT INTO search_index (rowid, grams) VALUES (?, ?)')
  const grams = new Map<string, string>()
  const gramsOfSentence = (sentence: string) => {
    let g = grams.get(sentence)
    if (g === undefined) grams.set(sentence, (g = gramsOf(sentence)))
    return g
  }
  const statuses = ['new', 'waiting', 'replied', 'on_hold', 'done', 'closed']
  const random = prng(17)
  let rowId = 0
  let written = 0
  const started = performance.now()
  raw.transaction(() => {
    for (let i = 0; i < boards; i++) {
      const id = `b${String(i).padStart(7, '0')}`
      const created = NOW - 365 * DAY + Math.floor((i / boards) * 365 * DAY)
      const count = Math.min(perBoard, messages - written)
      const status = statuses[i % 6]!
      const name = `チラシ ${i}`
      const customer = `山田 ${i}`
      const email = `c${i}@example.jp`
      insertBoard.run(
        id,
        workspaceId,
        name,
        customer,
        email,
        status,
        i % 10 === 0 ? '2026-11-20' : i % 10 === 1 ? '2026-11-24' : null,
        NOW + 30 * DAY,
        count,
        count,
        count % 2 === 0 ? 'guest' : 'member',
        created + count * 60_000,
        created,
        created,
        i % 5 === 0 ? memberId : null,
      )
      insertRow.run(++rowId, workspaceId, id, null, 0)
      insertGrams.run(rowId, gramsOf(`${name}\n${customer}\n${email}`))
      for (let n = 1; n <= count; n++) {
        const parts: string[] = []
        const r = random()
        if (r < 1 / 60) parts.push(RARE)
        else if (r < 1 / 60 + 1 / 8) parts.push(COMMON)
        parts.push(SENTENCES[Math.floor(random() * SENTENCES.length)]!)
        parts.push(SENTENCES[Math.floor(random() * SENTENCES.length)]!)
        const guest = n % 2 === 0
        const internal = !guest && n % 5 === 0 ? 1 : 0
        const messageId = `${id}-${n}`
        insertMessage.run(
          messageId,
          workspaceId,
          id,
          internal ? null : n,
          n,
          internal,
          guest ? 'guest' : 'member',
          guest ? '山田' : '佐藤',
          parts.join(''),
          created + n * 60_000,
        )
        insertRow.run(++rowId, workspaceId, id, messageId, internal)
        insertGrams.run(rowId, parts.map(gramsOfSentence).join(' '))
      }
      written += count
    }
  })()
  const seedMs = performance.now() - started
  // FTS5 merges its segments into one b-tree, as a long-lived index ends up
  raw.exec("INSERT INTO search_index (search_index) VALUES ('optimize')")
  raw.exec('ANALYZE')
  raw.close()
  return { written, seedMs, totalMs: performance.now() - started }
}

/** Posts per second through the real post path, with the search index's effect and without. */
async function postingRates(rounds = 6, sliceMs = 700) {
  const dir = mkdtempSync(join(tmpdir(), 'ob-bench-search-post-'))
  try {
    const database = openSqlite(join(dir, 'post.sqlite'))
    const deferQueue = createDeferQueue()
    const deps = benchDeps(database, deferQueue)
    const { workspace, ownerId } = await createWorkspace({
      deps,
      input: {
        name: 'bench',
        slug: 'bench',
        timeZone: 'Asia/Tokyo',
        locale: 'ja',
        ownerEmail: 'p@example.com',
        ownerPassword: 'bench-password',
      },
    })
    const board = await createBoardOrFail({
      deps,
      workspace,
      createdBy: ownerId,
      input: { name: 'b', customer_name: 'c', customer_email: 'c@example.jp' },
    })
    const post = () =>
      postStaffMessage({
        deps,
        workspace,
        author: { kind: 'member', memberId: ownerId, name: 'bench' },
        boardId: board.id,
        input: {
          body: '校正データをご確認ください。ロゴの色は濃紺です。',
          internal: false,
          silent: true,
        },
      })
    const searchEffect = POST_EFFECTS.findIndex((effect) => effect.name === 'search-index')
    if (searchEffect < 0) throw new Error('no search-index post effect')
    const effect = POST_EFFECTS[searchEffect]!
    const counts = { with: 0, without: 0 }
    const times = { with: 0, without: 0 }
    for (let round = 0; round < rounds; round++) {
      for (const kind of ['with', 'without'] as const) {
        if (kind === 'without') (POST_EFFECTS as unknown[]).splice(searchEffect, 1)
        try {
          const started = performance.now()
          while (performance.now() - started < sliceMs) {
            await post()
            counts[kind]++
          }
          times[kind] += performance.now() - started
        } finally {
          if (kind === 'without') (POST_EFFECTS as unknown[]).splice(searchEffect, 0, effect)
        }
      }
    }
    await deferQueue.drain()
    await database.close()
    const withIndex = counts.with / (times.with / 1000)
    const withoutIndex = counts.without / (times.without / 1000)
    return { withIndex, withoutIndex, ratio: withIndex / withoutIndex }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export function benchDeps(
  database: ReturnType<typeof openSqlite>,
  deferQueue = createDeferQueue(),
): Deps {
  return {
    db: database.db,
    batch: database.batch,
    blobs: createMemoryBlobStore(),
    mailer: createMemoryMailer(),
    defer: deferQueue.defer,
    clock: { now: () => new Date(NOW) },
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
}

export async function benchSearch() {
  const boards = Number(process.env.BENCH_SEARCH_BOARDS ?? 100_000)
  const messages = Number(process.env.BENCH_SEARCH_MESSAGES ?? 1_000_000)
  const rounds = Number(process.env.BENCH_SEARCH_ROUNDS ?? 300)
  const dir = mkdtempSync(join(tmpdir(), 'ob-search-'))
  const path = join(dir, 'search.sqlite')
  try {
    const database = openSqlite(path)
    const deps = benchDeps(database)
    const { workspace, ownerId } = await createWorkspace({
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
    const seeded = seed(path, workspace.id, ownerId, boards, messages)
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
    const table = { Cookie: cookie, 'HX-Request': 'true', 'HX-Target': 'board-table' }

    const times = async (url: string, headers: Record<string, string>, n = rounds) => {
      for (let i = 0; i < 10; i++) await (await app.request(url, { headers })).text()
      const samples: number[] = []
      for (let i = 0; i < n; i++) {
        const started = performance.now()
        const response = await app.request(url, { headers })
        await response.text()
        if (response.status !== 200) throw new Error(`${url}: ${response.status}`)
        samples.push(performance.now() - started)
      }
      samples.sort((a, b) => a - b)
      return { p50: percentile(samples, 0.5), p99: percentile(samples, 0.99) }
    }
    const search = (q: string) => times(`/w/bench/boards?q=${encodeURIComponent(q)}`, table)
    // Every query warmed before any is timed: the first one timed used to pay for the seeding's
    // garbage and the first compiles of the shared code (its p99 alone 2–5× its p50).
    for (const q of [
      'ロゴデータ',
      '名刺',
      'status:waiting assignee:me next:overdue',
      'status:waiting ロゴデータ',
    ])
      for (let i = 0; i < 30; i++)
        await (
          await app.request(`/w/bench/boards?q=${encodeURIComponent(q)}`, { headers: table })
        ).text()
    const long = await search('ロゴデータ')
    const short = await search('名刺')
    const operators = await search('status:waiting assignee:me next:overdue')
    const both = await search('status:waiting ロゴデータ')
    const page = await times('/w/bench/views/counts', { Cookie: cookie }, Math.ceil(rounds / 3))
    const plain = await times('/w/bench/boards', table, Math.ceil(rounds / 3))
    await database.close()
    const posting = await postingRates()
    return {
      boards,
      messages: seeded.written,
      seedMs: seeded.seedMs,
      prepareMs: seeded.totalMs,
      long,
      short,
      operators,
      both,
      page,
      plain,
      posting,
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
