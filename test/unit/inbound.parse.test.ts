import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { parseInboundEmail } from '../../src/inbound/inbound.parse'
import { stripReply } from '../../src/inbound/inbound.strip'

const folder = join(import.meta.dirname, '../fixtures/inbound')
// The client-style fixtures of compose.mjs; the per-kind ones run through the route in
// test/routes/inbound.fixtures.test.ts.
const names = readdirSync(folder)
  .filter((file) => file.endsWith('.eml'))
  .filter((file) => existsSync(join(folder, file.replace(/\.eml$/, '.expected.txt'))))
  .map((file) => file.slice(0, -'.eml'.length))
  .sort()

async function load(name: string) {
  return parseInboundEmail(new Uint8Array(readFileSync(join(folder, `${name}.eml`))))
}

describe('inbound fixtures: every client style and encoding strips to the expected body', () => {
  it('has a fixture for each client and encoding', () => {
    expect(names.length).toBeGreaterThanOrEqual(12)
  })
  for (const name of names) {
    it(name, async () => {
      const email = await load(name)
      const expected = readFileSync(join(folder, `${name}.expected.txt`), 'utf8').replace(/\n$/, '')
      expect(stripReply(email.text)).toBe(expected)
    })
  }
})

describe('parseInboundEmail', () => {
  it('reads ids, threading and addresses (Gmail)', async () => {
    const email = await load('gmail-en-qp')
    expect(email.messageId).toBe('CAGmail-en-1@mail.gmail.example')
    expect(email.inReplyTo).toEqual(['notify.msg_01.guest@orderboard.example'])
    expect(email.references).toEqual([
      'board.brd_01@orderboard.example',
      'notify.msg_01.guest@orderboard.example',
    ])
    expect(email.from).toBe('hanako@gmail.example')
    expect(email.fromName).toBe('Hanako Sato')
    expect(email.to).toEqual(['board+k7q2m9x4c3v8b1n6z5l0p2r4t6y8w1aa@in.orderboard.example'])
    expect(email.autoSubmitted).toBe(false)
    expect(email.attachments).toEqual([])
  })

  it('decodes ISO-2022-JP as the Microsoft variant (NEC row 13, IBM extensions, ～ as U+FF5E, half-width kana)', async () => {
    const email = await load('outlook-ja-iso2022jp')
    expect(email.subject).toBe('RE: ご注文について')
    expect(email.fromName).toBe('髙橋一郎')
    expect(email.text).toContain('㈱髙橋')
    expect(email.text).toContain('①')
    expect(email.text).toContain('5日\uff5e7日')
    expect(email.text).toContain('ｻｲｽﾞ')
  })

  it('decodes Shift_JIS and keeps the attachment with its encoded file name', async () => {
    const email = await load('outlook-ja-sjis-attachment')
    expect(email.subject).toBe('RE: ご注文について')
    expect(email.fromName).toBe('鈴木')
    expect(email.attachments).toHaveLength(1)
    const [pdf] = email.attachments
    expect(pdf?.filename).toBe('請求書.pdf')
    expect(pdf?.contentType).toBe('application/pdf')
    expect(new TextDecoder().decode(pdf?.content)).toBe('%PDF-1.4\n%fixture\n')
  })

  it('flags an out-of-office answer and a bounce as automatic', async () => {
    expect((await load('autoreply-ooo')).autoSubmitted).toBe(true)
    expect((await load('bounce-report')).autoSubmitted).toBe(true)
    for (const name of names.filter((n) => n !== 'autoreply-ooo' && n !== 'bounce-report')) {
      expect((await load(name)).autoSubmitted, name).toBe(false)
    }
  })

  it.each([
    ['X-Autoreply: yes'],
    ['X-Autorespond: vacation'],
    ['Precedence: bulk'],
    ['Precedence: auto_reply'],
    ['Auto-Submitted: auto-generated'],
  ])('flags %s', async (header) => {
    const raw = `From: a@b.example\r\nTo: c@d.example\r\nSubject: x\r\nMessage-ID: <x@b.example>\r\n${header}\r\n\r\nhello\r\n`
    expect((await parseInboundEmail(raw)).autoSubmitted).toBe(true)
  })

  it('does not flag Auto-Submitted: no', async () => {
    const raw =
      'From: a@b.example\r\nTo: c@d.example\r\nSubject: x\r\nAuto-Submitted: no\r\n\r\nhello\r\n'
    expect((await parseInboundEmail(raw)).autoSubmitted).toBe(false)
  })

  it('falls back to the HTML part when there is no text part', async () => {
    const raw =
      'From: a@b.example\r\nTo: c@d.example\r\nSubject: x\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<div>Hello<br>there &amp; bye</div>\r\n'
    expect((await parseInboundEmail(raw)).text.trim()).toBe('Hello\nthere & bye')
  })
})

describe('stripReply', () => {
  it('keeps a sentence that merely mentions "wrote"', () => {
    expect(stripReply('My friend wrote:\nit was great')).toBe('My friend wrote:\nit was great')
  })
  it('drops interleaved quoted lines', () => {
    expect(stripReply('> question?\nanswer\n> other?\nsecond')).toBe('answer\n\nsecond')
  })
  it('cuts at the Japanese Outlook header 「-----Original Message-----」 in full-width context', () => {
    expect(stripReply('了解です。\n\n-----Original Message-----\n差出人: 店\n')).toBe('了解です。')
  })
  it('cuts at 「…のメッセージ:」 and 「-----元のメッセージ-----」', () => {
    expect(stripReply('はい\n-----元のメッセージ-----\nx')).toBe('はい')
  })
})
