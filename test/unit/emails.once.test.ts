// emails/render-once.ts renders a post's email once and fills in each member's name: its
// output must be byte for byte renderEmail's, for every template, language and input.
import { describe, expect, it } from 'vitest'
import { PreviewProps as autoAnswerPreview } from '../../emails/auto-answer'
import { PreviewProps as digestPreview } from '../../emails/daily-digest'
import { PreviewProps as guestPreview } from '../../emails/guest-notification'
import { PreviewProps as memberPreview } from '../../emails/member-notification'
import { renderEmail, type EmailSpec } from '../../emails/render'
import { forgetRenderedEmails, renderEmailOnce, renderOnceCounts } from '../../emails/render-once'

/** Strings that have broken renderers somewhere: markup, entities, whitespace, bidi, slots. */
const HOSTILE = [
  '佐藤 彩',
  '山田\u3000花子',
  'Zoë O’Brien-Łukasz',
  '<script>alert("x")</script>',
  `"'&amp;&lt;&#x27;<>`,
  '&',
  'Tom & Jerry <tj@example.com>',
  '<!DOCTYPE html>',
  '--> <!-- ',
  "$& $1 $$ $` $'",
  '{{memberName}}',
  ' leading space',
  'trailing space ',
  'two  spaces',
  'tab\there',
  'line\nbreak',
  'cr\r\nlf',
  'nul\u0000byte',
  'zero\u200bwidth',
  '\u202eevil\u202c',
  '\u2067bidi\u2069',
  'nbsp\u00a0name',
  'lone \ud800 surrogate',
  '👩‍👩‍👧 家族',
  '\uE000orderboard-member-name\uE001',
  '\uE000',
  '',
  ' ',
  'ｱｲｳｴｵ 半角',
  'a'.repeat(300),
  Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '),
  'https://evil.example/?a=1&b=2',
  'mailto:x@example.com',
]

/** Names a hostile post goes to: fillable ones (escaped or not) and ones rendered whole. */
const SOME_MEMBERS = [
  '佐藤 彩',
  'Tom & Jerry <tj@example.com>',
  `"'&amp;`,
  'two  spaces',
  '\u202eevil',
]

const same = async (spec: EmailSpec) => {
  const expected = await renderEmail(spec)
  const actual = await renderEmailOnce(spec)
  expect(actual.subject).toBe(expected.subject)
  expect(actual.html).toBe(expected.html)
  expect(actual.text).toBe(expected.text)
}

// Hundreds of full renders each: slow on a busy machine, hence the long timeout.
describe('renderEmailOnce gives exactly what renderEmail gives', { timeout: 180_000 }, () => {
  for (const locale of ['ja', 'en'] as const) {
    it(`member notifications (${locale}): every member of a post, hostile names and posts`, async () => {
      forgetRenderedEmails()
      for (const [index, hostile] of HOSTILE.entries()) {
        // one post (hostile in every shared field) sent to every name on the list
        const post = {
          ...memberPreview,
          locale,
          workspaceName: hostile,
          customerName: hostile,
          boardName: hostile,
          message: {
            ...memberPreview.message,
            body: `${hostile}\n${hostile}\n\n${memberPreview.message.body}`,
            attachments: [{ name: hostile, sizeLabel: '1.2 MB' }],
          },
          boardUrl: `https://orderboard.example/w/s/boards/${index}?q=${hostile}`,
        }
        for (const memberName of SOME_MEMBERS)
          await same({ template: 'member-notification', props: { ...post, memberName } })
      }
      // and the plain preview post, to every name on the list
      for (const memberName of HOSTILE)
        await same({
          template: 'member-notification',
          props: { ...memberPreview, locale, memberName },
        })
    })

    it(`customer notifications (${locale}), twice each (a resend)`, async () => {
      for (const hostile of HOSTILE) {
        const spec: EmailSpec = {
          template: 'guest-notification',
          props: {
            ...guestPreview,
            locale,
            workspaceName: hostile,
            customerName: hostile,
            boardName: hostile,
            message: {
              ...guestPreview.message,
              authorName: hostile,
              body: `${hostile}\n${guestPreview.message.body}`,
              attachments: [{ name: hostile, sizeLabel: '3 KB' }],
            },
            contactEmail: hostile,
            contactPhone: hostile,
            replyByEmail: hostile.length % 2 === 0,
          },
        }
        await same(spec)
        await same(spec)
      }
    })

    it(`automatic answers (${locale})`, async () => {
      for (const hostile of HOSTILE) {
        await same({
          template: 'auto-answer',
          props: {
            ...autoAnswerPreview,
            locale,
            workspaceName: hostile,
            body: `${hostile}\n${autoAnswerPreview.body}`,
            replyByEmail: hostile.length % 2 === 1,
          },
        })
      }
    })

    it(`daily digests (${locale})`, async () => {
      for (const hostile of HOSTILE) {
        await same({
          template: 'daily-digest',
          props: {
            ...digestPreview,
            locale,
            memberName: hostile,
            workspaceName: hostile,
            boards: digestPreview.boards.map((board) => ({ ...board, name: hostile })),
          },
        })
      }
    })
  }

  it('renders a post once per language, then only fills in names', async () => {
    forgetRenderedEmails()
    const before = renderOnceCounts()
    for (const locale of ['ja', 'en', 'ja', 'en'] as const)
      for (const memberName of ['佐藤 彩', '鈴木 一郎', 'Ann Lee', '<b>太郎</b>'])
        await renderEmailOnce({
          template: 'member-notification',
          props: { ...memberPreview, locale, memberName },
        })
    const after = renderOnceCounts()
    expect(after.renders - before.renders).toBe(2)
    expect(after.filled - before.filled).toBe(16)
  })
})
