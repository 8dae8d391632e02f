import { describe, expect, it } from 'vitest'
import { isValidReplySecret, parseReplyAddress } from '../../src/inbound/inbound.address'
import { findBoard, setupBoard } from './guest.helpers'
import { createInboundApp } from './inbound.helpers'

describe('the customer notification when inbound mail is set up', () => {
  it('carries Reply-To with the board address and the reply-above-this-line separator', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard({ testApp: createInboundApp() })
    await member.post(`${staffUrl}/messages`, { body: '校正データをお送りします。' })
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'yamada@example.jp')!
    const replyTo = mail.headers['Reply-To']!
    const parsed = parseReplyAddress(testApp.deps.config, replyTo)!
    expect(parsed.boardId).toBe(boardId)
    expect(await isValidReplySecret(testApp.deps.config, await findBoard(testApp, boardId), parsed.secret)).toBe(true)
    expect(mail.text).toContain('この線より上にご返信ください / Reply above this line')
    expect(mail.html).toContain('この線より上にご返信ください')
    expect(mail.text).toContain('このメールに返信すると、チャットボードに投稿されます。')
    expect(mail.text.indexOf('この線より上')).toBeLessThan(mail.text.indexOf('校正データ'))
  })

  it('has no Reply-To and keeps the no-reply note without an inbound domain', async () => {
    const { testApp, member, staffUrl } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '校正データをお送りします。' })
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'yamada@example.jp')!
    expect(mail.headers['Reply-To']).toBeUndefined()
    expect(mail.text).not.toContain('この線より上')
  })
})
