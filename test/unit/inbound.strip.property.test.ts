// strip(quote(text)) === text: whatever the customer writes, and however their mail client
// quotes our notification around it (above, between or below the quoted lines), stripping gives
// back exactly their words.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { classifyLines, stripReply } from '../../src/inbound/inbound.strip'

const NOTIFICATION = [
  '---- この線より上にご返信ください / Reply above this line ----',
  '山田 太郎 様',
  'さくら印刷から「名刺 100枚」に新しいメッセージが届きました。',
  'No.3 · 佐藤 彩 · 2026/11/30(月) 12:08',
  '用紙は光沢紙とマット紙のどちらにいたしますか？',
  '部数は100部でよろしいでしょうか？',
  '',
  'チャットボードを開いて返信する',
  'https://orderboard.example/g/3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f/q8Zk1mW0pT3vX5yA7bC9dE1f',
]
const SHOP = 'さくら印刷 <notify@orderboard.example>'

/** Quote headers of the clients our customers use, in Japanese and English. */
const HEADERS: Record<string, string[]> = {
  'gmail-ja': [`2026年11月30日(月) 12:08 ${SHOP}:`],
  'gmail-ja-wrapped': ['2026年11月30日(月) 12:08 さくら印刷 <', 'notify@orderboard.example>:'],
  'gmail-en': [`On Mon, Nov 30, 2026 at 12:08 PM ${SHOP} wrote:`],
  'gmail-en-wrapped': [
    'On Mon, Nov 30, 2026 at 12:08 PM Sakura Print <',
    'notify@orderboard.example> wrote:',
  ],
  'apple-ja': [`2026/11/30 12:08、${SHOP}のメッセージ:`],
  'apple-en': [`On Nov 30, 2026, at 12:08, ${SHOP} wrote:`],
  'thunderbird-ja': ['2026/11/30 12:08 に さくら印刷 さんは書きました:'],
  'thunderbird-en': ['On 11/30/2026 12:08 PM, Sakura Print wrote:'],
  'evolution-ja': ['2026-11-30 (月) の 12:08 +0900 に さくら印刷 さんは書きました:'],
  'evolution-en': ['On Mon, 2026-11-30 at 12:08 +0900, Sakura Print wrote:'],
}

const OUTLOOK: Record<string, string[]> = {
  'outlook-ja': [
    '________________________________',
    `差出人: ${SHOP}`,
    '送信日時: 2026年11月30日 12:08',
    '宛先: 山田 太郎 <yamada@example.jp>',
    '件名: チャットボード通知【さくら印刷】',
  ],
  'outlook-en': [
    '-----Original Message-----',
    `From: ${SHOP}`,
    'Sent: Monday, November 30, 2026 12:08 PM',
    'To: Taro Yamada <yamada@example.jp>',
    'Subject: Board update [Sakura Print]',
  ],
}

const FOOTERS = ['iPhoneから送信', 'Sent from my iPhone', 'Android から送信', '-- \n山田 太郎']

// The customer's lines: Japanese and English, with the rules, colons and dates people type.
const WORDS = [
  'はい',
  'マット紙でお願いします。',
  '100部で大丈夫です',
  '12月5日(土) 10:00 に伺います。',
  '住所: 東京都千代田区1-1',
  'Thanks!',
  'the blue one please',
  'On Monday we are closed',
  'From Tokyo',
  'I wrote the text myself',
  '2026/12/01',
  '★',
  '→',
]
const RULES = ['----', '____', '--------------------', '==========', '＊＊＊']
const line = fc.oneof(
  {
    weight: 5,
    arbitrary: fc
      .array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 4 })
      .map((w) => w.join(' ')),
  },
  { weight: 1, arbitrary: fc.constantFrom(...RULES) },
  {
    weight: 1,
    arbitrary: fc
      .string({ minLength: 1, maxLength: 30 })
      .map((s) => s.replace(/[\r\n\u2028\u2029\u0085\v\f]/g, ' ').trim())
      .filter((s) => s.length > 0 && !/^[>＞]/.test(s) && !/^--\s?$/.test(s) && !/[:：]$/.test(s)),
  },
)
const paragraph = fc.array(line, { minLength: 1, maxLength: 3 }).map((lines) => lines.join('\n'))
const text = fc.array(paragraph, { minLength: 1, maxLength: 4 })

const quoted = (lines: string[]) => lines.map((l) => (l ? `> ${l}` : '>'))

/** The customer's paragraphs placed in a reply the way each client and habit does it. */
function reply(style: string, paragraphs: string[], footer: string | null): string {
  const own = paragraphs.join('\n\n')
  const end = footer ? `\n\n${footer}` : ''
  if (style in OUTLOOK)
    return `${own}${end}\n\n${OUTLOOK[style]!.join('\n')}\n\n${NOTIFICATION.join('\n')}\n`
  const header = HEADERS[style.replace(/:(top|bottom|interleaved)$/, '')]!.join('\n')
  if (style.endsWith(':bottom'))
    return `${header}\n\n${quoted(NOTIFICATION).join('\n')}\n\n${own}${end}\n`
  if (style.endsWith(':interleaved')) {
    // Each paragraph answers the quoted line above it.
    const parts = [header, '']
    paragraphs.forEach((p, i) => {
      parts.push(...quoted([NOTIFICATION[(i + 3) % NOTIFICATION.length]!]), '', p, '')
    })
    parts.push(...quoted(NOTIFICATION.slice(5)))
    return `${parts.join('\n')}${end}\n`
  }
  return `${own}${end}\n\n${header}\n\n${quoted(NOTIFICATION).join('\n')}\n`
}

const STYLES = [
  ...Object.keys(HEADERS).flatMap((h) => [`${h}:top`, `${h}:bottom`, `${h}:interleaved`]),
  ...Object.keys(OUTLOOK),
]

describe('stripReply: strip(quote(text)) === text', () => {
  for (const style of STYLES) {
    it(style, () => {
      fc.assert(
        fc.property(text, fc.option(fc.constantFrom(...FOOTERS)), (paragraphs, footer) => {
          const mail = reply(style, paragraphs, footer)
          expect(stripReply(mail)).toBe(paragraphs.join('\n\n'))
        }),
        { numRuns: 150 },
      )
    })
  }

  it('classifies every line of an interleaved Gmail reply', () => {
    const kinds = classifyLines(
      [
        '佐藤です。',
        '',
        `2026年11月30日(月) 12:08 ${SHOP}:`,
        '',
        '> 光沢紙?',
        '',
        'マット紙で',
        'iPhoneから送信',
      ].join('\n'),
    ).map((l) => l.kind)
    expect(kinds).toEqual([
      'text',
      'blank',
      'quote-header',
      'blank',
      'quoted',
      'blank',
      'text',
      'footer',
    ])
  })

  it('keeps a header-like line with nothing quoted under it', () => {
    expect(stripReply('On Monday I wrote:\nthe draft is fine')).toBe(
      'On Monday I wrote:\nthe draft is fine',
    )
  })

  // A customer's own line that starts like an Outlook field ("De:", "From:", "差出人:") is theirs
  // unless the other fields follow it in the same block (CI found "DE:!" above an Outlook reply).
  it.each([
    ['DE:!'],
    ['From: 山田'],
    ['差出人: 私です\n\n宜しくお願いします'],
    ['De: moi\n\nThanks!'],
  ])('keeps %j above an Outlook header block', (own) => {
    const mail = `${own}\n\n${OUTLOOK['outlook-en']!.join('\n')}\n\n${NOTIFICATION.join('\n')}\n`
    expect(stripReply(mail)).toBe(own)
    const ja = `${own}\n\n${OUTLOOK['outlook-ja']!.join('\n')}\n\n${NOTIFICATION.join('\n')}\n`
    expect(stripReply(ja)).toBe(own)
  })

  it('still finds an Outlook block whose fields are a blank line apart or wrap', () => {
    const mail = [
      'OKです',
      '',
      'From: さくら印刷 <notify@orderboard.example>',
      '',
      'Sent: Monday, November 30, 2026 12:08 PM',
      'To: Taro Yamada <yamada@example.jp>, Hanako Yamada',
      '<hanako@example.jp>',
      'Subject: Board update',
      '',
      ...NOTIFICATION,
    ].join('\n')
    expect(stripReply(mail)).toBe('OKです')
  })

  // A line that looks like a phone's footer is the customer's when it is all they wrote, or when
  // it is not written the way the carrier writes it ("AU" between quoted lines, found by CI).
  it.each([
    ['AU', 'gmail-en'],
    ['Docomo', 'gmail-ja'],
    ['Sent from my iPhone', 'gmail-en'],
  ])('keeps %j answered between quoted lines (%s)', (own, client) => {
    const mail = `${HEADERS[client]!.join('\n')}\n\n> ${NOTIFICATION[4]}\n\n${own}\n\n${quoted(NOTIFICATION.slice(5)).join('\n')}\n`
    expect(stripReply(mail)).toBe(own)
  })

  it("still drops the footer under the customer's words", () => {
    expect(stripReply('OKです\n\nau\n')).toBe('OKです')
    expect(stripReply('Thanks!\n\nSent from my iPhone\n')).toBe('Thanks!')
  })
})
