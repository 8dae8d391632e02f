// Every inbound fixture (test/fixtures/inbound/*.eml with its .expect.json) through the real
// route, POST /inbound/raw, and the real parser, on a board that has just mailed its customer.
// Each fixture stands for a kind of mail (../shared/field/mail); the summary prints
// "N passed, M failed" per kind.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { translator } from '../../src/shared/i18n'
import { findBoard, setupBoard } from './guest.helpers'
import { createInboundApp, INBOUND_DOMAIN, postRaw } from './inbound.helpers'

const folder = join(import.meta.dirname, '../fixtures/inbound')
const ja = translator('ja')

interface Expectation {
  kind: string
  outcome: string
  /** the post's exact body */
  body?: string
  /** or read it from this file (the client-style fixtures of compose.mjs) */
  bodyFile?: string
  /** the post's files, by name, in order */
  attachments?: string[]
  /** the board's customer-email warning afterwards */
  problem?: 'bounced'
  /** automatic answers sent to the mail's sender (0 unless said) */
  answers?: number
}

const fixtures = readdirSync(folder)
  .filter((file) => file.endsWith('.expect.json'))
  .map((file) => file.slice(0, -'.expect.json'.length))
  .filter((name) => existsSync(join(folder, `${name}.eml`)))
  .sort()

// Fixtures written before the placeholders: their literal addresses stand for the same things.
const LEGACY: [string, keyof Values][] = [
  ['board+k7q2m9x4c3v8b1n6z5l0p2r4t6y8w1aa@in.orderboard.example', 'REPLY_TO'],
  ['notify.msg_01.guest@orderboard.example', 'NOTIFY_ID'],
  ['board.brd_01@orderboard.example', 'BOARD_ROOT'],
]

interface Values {
  REPLY_TO: string
  NOTIFY_ID: string
  BOARD_ROOT: string
  MAIL_FROM: string
  UNIQ: string
  INBOUND_DOMAIN: string
}

/** Fills the placeholders byte-wise (latin1), so ISO-2022-JP and Shift_JIS bodies stay intact. */
function fill(raw: Buffer, values: Values): Uint8Array {
  let text = raw.toString('latin1')
  for (const [literal, key] of LEGACY) text = text.split(literal).join(values[key])
  text = text.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key: string) =>
    key in values ? values[key as keyof Values] : whole,
  )
  return new Uint8Array(Buffer.from(text, 'latin1'))
}

const tally = new Map<string, { passed: number; failed: string[] }>()

afterAll(() => {
  const lines = [...tally.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(
      ([kind, { passed, failed }]) =>
        `  ${kind.padEnd(16)} ${passed} passed, ${failed.length} failed${failed.length ? ` (${failed.join(', ')})` : ''}`,
    )
  console.log(`inbound fixtures by kind:\n${lines.join('\n')}`)
})

describe('inbound fixtures through POST /inbound/raw: each kind of real mail', () => {
  it('has the field examples and at least two more of each kind', () => {
    const kinds = new Map<string, number>()
    for (const name of fixtures) {
      const { kind } = JSON.parse(readFileSync(join(folder, `${name}.expect.json`), 'utf8'))
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1)
    }
    for (const kind of [
      'inline-photo',
      'winmail-dat',
      'auto-reply',
      'interleaved',
      'html-only',
      'carrier-bounce',
    ]) {
      expect(kinds.get(kind) ?? 0, kind).toBeGreaterThanOrEqual(3)
    }
  })

  for (const name of fixtures) {
    const expected = JSON.parse(
      readFileSync(join(folder, `${name}.expect.json`), 'utf8'),
    ) as Expectation
    it(`${expected.kind}: ${name}`, async () => {
      const entry = tally.get(expected.kind) ?? { passed: 0, failed: [] }
      tally.set(expected.kind, entry)
      try {
        await check(name, expected)
        entry.passed += 1
      } catch (error) {
        entry.failed.push(name)
        throw error
      }
    }, 60_000)
  }
})

async function check(name: string, expected: Expectation) {
  const { testApp, member, staffUrl, boardId } = await setupBoard({
    testApp: createInboundApp(),
  })
  await member.post(`${staffUrl}/messages`, {
    body: '用紙は光沢紙とマット紙のどちらにいたしますか？',
  })
  await testApp.drain()
  const notification = testApp.mailer.sent.find((m) => m.to === 'yamada@example.jp')!
  const values: Values = {
    REPLY_TO: notification.headers['Reply-To']!,
    NOTIFY_ID: notification.headers['Message-ID']!.slice(1, -1),
    BOARD_ROOT: notification.headers.References!.slice(1, -1),
    MAIL_FROM: /<([^>]+)>/.exec(testApp.deps.config.mailFrom)![1]!,
    UNIQ: `u${Math.random().toString(36).slice(2)}`,
    INBOUND_DOMAIN,
  }
  const before = await findBoard(testApp, boardId)
  const sentBefore = testApp.mailer.sent.length
  const raw = fill(readFileSync(join(folder, `${name}.eml`)), values)

  const response = await postRaw(testApp, raw)
  expect(response.status).toBe(200)
  const result = (await response.json()) as { outcome: string; messageId: string }
  expect(result.outcome).toBe(expected.outcome)
  await testApp.drain()

  const board = await findBoard(testApp, boardId)
  const posts = await testApp.deps.db
    .selectFrom('messages')
    .select(['id', 'body'])
    .where('board_id', '=', boardId)
    .where('author_kind', '=', 'guest')
    .execute()

  if (expected.outcome === 'posted') {
    expect(posts).toHaveLength(1)
    const body =
      expected.body ?? readFileSync(join(folder, expected.bodyFile!), 'utf8').replace(/\n$/, '')
    expect(posts[0]!.body).toBe(body)
    expect(posts[0]!.body).not.toMatch(/<\/?(html|body|div|p|br|span|a|img|blockquote|o:p)\b/i)
    expect(board.status).toBe('replied')
    const files = await testApp.deps.db
      .selectFrom('attachments')
      .select(['name', 'size'])
      .where('message_id', '=', posts[0]!.id)
      .orderBy('created_at')
      .orderBy('name')
      .execute()
    expect(files.map((file) => file.name).sort()).toEqual([...(expected.attachments ?? [])].sort())
    for (const file of files) expect(file.size).toBeGreaterThan(0)
  } else {
    // Never a customer post, never a status change.
    expect(posts).toHaveLength(0)
    expect(board.status).toBe(before.status)
  }

  expect(board.guest_email_problem).toBe(expected.problem ?? null)

  // Automatic answers: only where the expectation says, never to a robot.
  const answers = testApp.mailer.sent
    .slice(sentBefore)
    .filter((mail) => mail.headers['Auto-Submitted'] === 'auto-replied')
  expect(answers).toHaveLength(expected.answers ?? 0)
  for (const answer of answers) {
    expect(answer.headers['X-Auto-Response-Suppress']).toBe('OOF, AutoReply')
  }

  // What the board shows members: a system line for what did not become a post.
  const lines = await (await member.get(`${staffUrl}/inbound-mail`)).text()
  const line = {
    auto_reply: ja('inbound.line.auto_reply'),
    bounced: ja('inbound.line.bounced'),
    unreadable: ja('inbound.line.unreadable'),
  }[expected.outcome]
  if (line) expect(lines).toContain(line)
  else expect(lines).not.toContain('system-line')
  if (expected.outcome === 'unreadable') {
    const href = /href="([^"]+\.eml)"/.exec(lines)?.[1]
    expect(href).toBeDefined()
    const download = await member.get(href!)
    expect(download.status).toBe(200)
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(raw)
  }
  if (expected.outcome === 'bounced') {
    const page = await (await member.get(staffUrl)).text()
    expect(page).toContain(ja('inbound.bounced'))
  }
}
