import { describe, expect, it } from 'vitest'
import { isValidReplySecret, parseReplyAddress } from '../../src/inbound/inbound.address'
import { findBoard, setupBoard } from './guest.helpers'
import { createInboundApp, postRaw, rawEmail } from './inbound.helpers'

describe('the customer notification when inbound mail is set up', () => {
  it('carries Reply-To with the board address and the reply-above-this-line separator', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard({ testApp: createInboundApp() })
    await member.post(`${staffUrl}/messages`, { body: '校正データをお送りします。' })
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'yamada@example.jp')!
    const replyTo = mail.headers['Reply-To']!
    const parsed = parseReplyAddress(testApp.deps.config, replyTo)!
    expect(parsed.boardId).toBe(boardId)
    expect(
      await isValidReplySecret(
        testApp.deps.config,
        await findBoard(testApp, boardId),
        parsed.secret,
      ),
    ).toBe(true)
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

describe('POST /inbound/raw outcomes', () => {
  async function boardAndAddress() {
    const { replyAddress } = await import('../../src/inbound/inbound.address')
    const setup = await setupBoard({ testApp: createInboundApp() })
    const address = (await replyAddress(
      setup.testApp.deps.config,
      await findBoard(setup.testApp, setup.boardId),
    ))!
    return { ...setup, address }
  }

  it('posted: the reply lands on the board and members get their email', async () => {
    const { testApp, address, boardId } = await boardAndAddress()
    const response = await postRaw(
      testApp,
      rawEmail({
        to: address,
        messageId: 'r-1@mail.example',
        body: 'OKです\n\nOn Tue, Nov 24, 2026 at 10:00 AM Shop <x@y> wrote:\n> hi',
      }),
    )
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ outcome: 'posted', messageId: 'r-1@mail.example' })
    const [post] = await testApp.deps.db
      .selectFrom('messages')
      .select('body')
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'guest')
      .execute()
    expect(post?.body).toBe('OKです')
    await testApp.drain()
    expect(
      testApp.mailer.sent.some((m) => m.subject.length > 0 && m.to !== 'yamada@example.jp'),
    ).toBe(true)
  })

  it('duplicate Message-ID: answered, not posted again', async () => {
    const { testApp, address, boardId } = await boardAndAddress()
    const raw = rawEmail({ to: address, messageId: 'r-2@mail.example', body: 'once' })
    await postRaw(testApp, raw)
    const second = await postRaw(testApp, raw)
    expect(await second.json()).toMatchObject({ outcome: 'duplicate' })
    const posts = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'guest')
      .execute()
    expect(posts).toHaveLength(1)
  })

  it('auto-reply recorded, not posted', async () => {
    const { testApp, address } = await boardAndAddress()
    const response = await postRaw(
      testApp,
      rawEmail({ to: address, body: 'Out of office', headers: ['X-Autoreply: yes'] }),
    )
    expect(await response.json()).toMatchObject({ outcome: 'auto_reply' })
  })

  it('expired board: polite answer, no post', async () => {
    const { testApp, address } = await boardAndAddress()
    testApp.clock.advance(90 * 24 * 3600_000)
    const response = await postRaw(testApp, rawEmail({ to: address, body: 'late' }))
    expect(await response.json()).toMatchObject({ outcome: 'expired' })
    await testApp.drain()
    expect(
      testApp.mailer.sent.filter((m) => m.headers['Auto-Submitted'] === 'auto-replied'),
    ).toHaveLength(1)
  })

  it('closed board: polite answer, no post', async () => {
    const { testApp, address, boardId } = await boardAndAddress()
    await testApp.deps.db
      .updateTable('boards')
      .set({ status: 'closed' })
      .where('id', '=', boardId)
      .execute()
    const response = await postRaw(testApp, rawEmail({ to: address, body: 'still there?' }))
    expect(await response.json()).toMatchObject({ outcome: 'closed' })
  })

  it('unknown board: polite answer, no post', async () => {
    const { testApp } = await boardAndAddress()
    const response = await postRaw(
      testApp,
      rawEmail({ to: 'board+nothing.here@in.orderboard.test', body: 'hello?' }),
    )
    expect(await response.json()).toMatchObject({ outcome: 'unknown_board' })
    await testApp.drain()
    expect(
      testApp.mailer.sent.filter((m) => m.headers['Auto-Submitted'] === 'auto-replied'),
    ).toHaveLength(1)
  })
})
