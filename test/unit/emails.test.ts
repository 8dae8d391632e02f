import { describe, expect, it } from 'vitest'
import {
  PreviewProps as guestPreview,
  guestNotificationSubject,
} from '../../emails/guest-notification'
import {
  PreviewProps as memberPreview,
  memberNotificationSubject,
} from '../../emails/member-notification'
import { renderEmail, singleLine } from '../../emails/render'
import { PermanentMailError } from '../../src/deps'
import {
  assertSafeMail,
  boardRootMessageId,
  displayName,
  formatMailbox,
  messageIdHost,
  notificationMessageId,
  parseMailbox,
} from '../../src/notifications/mail-headers'

describe('customer notification email', () => {
  it('renders the message, the button, the expiry and a plain-text part', async () => {
    const email = await renderEmail({ template: 'guest-notification', props: guestPreview })
    expect(email.subject).toBe('チャットボード通知【さくら印刷】')
    expect(email.html).toContain('<html dir="ltr" lang="ja">')
    // names sit in their own isolate (dir="auto"), the labels around them as they are
    expect(email.html).toContain('No.3 · <span dir="auto">佐藤 彩</span> · 11月24日(火) 10:00')
    expect(email.html).toContain('校正データをお送りします。<br/>ロゴの位置')
    expect(email.html).toContain(`href="${guestPreview.boardUrl}"`)
    expect(email.html).toContain('チャットボードを開いて返信する')
    expect(email.html).toContain('12月24日(木) まで表示されます')
    expect(email.text).toContain('山田 太郎 様')
    expect(email.text).toContain('校正データをお送りします。\nロゴの位置')
    expect(email.text).toContain(guestPreview.boardUrl)
    expect(email.text).not.toContain('<')
  })

  it('speaks English for English workspaces', async () => {
    const email = await renderEmail({
      template: 'guest-notification',
      props: { ...guestPreview, locale: 'en', workspaceName: 'Sakura Print' },
    })
    expect(email.subject).toBe('Board update [Sakura Print]')
    expect(email.html).toContain('<html dir="ltr" lang="en">')
    expect(email.html).toContain('Open the board and reply')
    expect(guestNotificationSubject({ locale: 'ja', workspaceName: 'A' })).toBe(
      'チャットボード通知【A】',
    )
  })
})

describe('member notification email', () => {
  it('names the board and the customer and links to the staff page', async () => {
    const email = await renderEmail({ template: 'member-notification', props: memberPreview })
    expect(email.subject).toBe('【返信あり】名刺 100枚（両面カラー）（山田 太郎 様）')
    expect(email.html).toContain(
      '<span dir="auto">山田 太郎</span> 様から「<span dir="auto">名刺 100枚（両面カラー）</span>」に返信がありました。',
    )
    expect(email.text).toContain('山田 太郎 様から「名刺 100枚（両面カラー）」に返信がありました。')
    expect(email.html).toContain(`href="${memberPreview.boardUrl}"`)
    expect(email.html).toContain(`href="${memberPreview.settingsUrl}"`)
    expect(email.text).toContain('電話番号の市外局番を 03 から 045 に直していただけますか？')
    expect(
      memberNotificationSubject({ locale: 'en', boardName: 'Cards', customerName: 'Taro' }),
    ).toBe('[Reply] Cards (Taro)')
  })

  it('turns a subject with line breaks into one line', async () => {
    const email = await renderEmail({
      template: 'member-notification',
      props: { ...memberPreview, boardName: 'a\r\nBcc: x@evil.test' },
    })
    expect(email.subject).toBe('【返信あり】a Bcc: x@evil.test（山田 太郎 様）')
    expect(singleLine('a\u2028b\tc\u0000d')).toBe('a b c d')
  })

  it('renders a 20,000-character message whole', async () => {
    const body = 'あ'.repeat(20_000)
    const email = await renderEmail({
      template: 'member-notification',
      props: { ...memberPreview, message: { ...memberPreview.message, body } },
    })
    expect(email.html).toContain(body)
  })
})

describe('mail headers', () => {
  it('builds stable Message-IDs and the board root', () => {
    expect(messageIdHost('https://board.sakura-print.jp/')).toBe('board.sakura-print.jp')
    expect(messageIdHost('not a url')).toBe('orderboard.invalid')
    expect(notificationMessageId('m-1', 'guest', 'h.test')).toBe('<notify.m-1.guest@h.test>')
    expect(boardRootMessageId({ id: 'b-1', thread_message_id: null }, 'h.test')).toBe(
      '<board.b-1@h.test>',
    )
    expect(
      boardRootMessageId({ id: 'b-1', thread_message_id: '<order-9@shop.example>' }, 'h.test'),
    ).toBe('<order-9@shop.example>')
    for (const bad of ['<a@b>\r\nBcc: x@y', 'order-9@shop.example', '<a b@c>', '<a@b><c@d>']) {
      expect(boardRootMessageId({ id: 'b-1', thread_message_id: bad }, 'h.test')).toBe(
        '<board.b-1@h.test>',
      )
    }
    expect(() => notificationMessageId('m>\r\n', 'guest', 'h.test')).toThrow(PermanentMailError)
  })

  it('makes display names safe to quote and parses MAIL_FROM', () => {
    expect(displayName('さくら"印刷" <x@evil.test>\r\nBcc: y')).toBe(
      'さくら 印刷 x@evil.test Bcc: y',
    )
    expect(formatMailbox('さくら印刷', 'no-reply@x.test')).toBe('"さくら印刷" <no-reply@x.test>')
    expect(formatMailbox('', 'no-reply@x.test')).toBe('no-reply@x.test')
    expect(parseMailbox('Orderboard <no-reply@x.test>')).toEqual({
      name: 'Orderboard',
      address: 'no-reply@x.test',
    })
    expect(parseMailbox('"Sakura, Print" <a@x.test>')).toEqual({
      name: 'Sakura, Print',
      address: 'a@x.test',
    })
    expect(parseMailbox('a@x.test')).toEqual({ name: '', address: 'a@x.test' })
    expect(() => formatMailbox('x', 'a@x.test>\r\nBcc: y@z')).toThrow(PermanentMailError)
  })

  it('refuses a mail with a line break anywhere a header is written', () => {
    const mail = {
      from: 'a@x.test',
      to: 'b@x.test',
      subject: 's',
      headers: { 'Message-ID': '<a@b>' },
    }
    expect(() => assertSafeMail(mail)).not.toThrow()
    expect(() => assertSafeMail({ ...mail, subject: 's\r\nBcc: c@x.test' })).toThrow(
      PermanentMailError,
    )
    expect(() => assertSafeMail({ ...mail, to: 'b@x.test\nBcc: c@x.test' })).toThrow(
      PermanentMailError,
    )
    expect(() => assertSafeMail({ ...mail, to: 'b@x.test, c@x.test' })).toThrow(PermanentMailError)
    expect(() => assertSafeMail({ ...mail, headers: { 'X-A': 'v\r\nBcc: c@x.test' } })).toThrow(
      PermanentMailError,
    )
    expect(() => assertSafeMail({ ...mail, headers: { 'Bad Name:': 'v' } })).toThrow(
      PermanentMailError,
    )
  })
})
