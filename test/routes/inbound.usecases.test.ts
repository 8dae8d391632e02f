import { describe, expect, it } from 'vitest'
import { replyAddress } from '../../src/inbound/inbound.address'
import { receiveInboundEmail } from '../../src/inbound/inbound.usecases'
import { findBoard, setupBoard } from './guest.helpers'
import { createInboundApp, rawEmail } from './inbound.helpers'
import { messageIdOf } from './notifications.helpers'

async function boardWithAddress() {
  const setup = await setupBoard({ testApp: createInboundApp() })
  const board = await findBoard(setup.testApp, setup.boardId)
  const address = (await replyAddress(setup.testApp.deps.config, board))!
  return { ...setup, address }
}

async function guestMessages(
  testApp: Awaited<ReturnType<typeof boardWithAddress>>['testApp'],
  boardId: string,
) {
  return testApp.deps.db
    .selectFrom('messages')
    .select(['id', 'body', 'author_kind', 'no'])
    .where('board_id', '=', boardId)
    .where('author_kind', '=', 'guest')
    .execute()
}

describe('receiveInboundEmail', () => {
  it('posts the stripped reply as the customer and moves the board to replied', async () => {
    const { testApp, boardId, address } = await boardWithAddress()
    const raw = rawEmail({
      to: address,
      body: 'はい、それで大丈夫です。\n\n2026年11月24日(火) 10:00 テスト印刷 <x@y>:\n> 前のメール\n',
    })
    const result = await receiveInboundEmail({ deps: testApp.deps, raw })
    expect(result.outcome).toBe('posted')
    const [message] = await guestMessages(testApp, boardId)
    expect(message?.body).toBe('はい、それで大丈夫です。')
    const board = await findBoard(testApp, boardId)
    expect(board.status).toBe('replied')
    const row = await testApp.deps.db
      .selectFrom('inbound_emails')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({
      outcome: 'posted',
      board_id: boardId,
      posted_message_id: message?.id,
    })
  })

  it('never posts the same Message-ID twice', async () => {
    const { testApp, boardId, address } = await boardWithAddress()
    const raw = rawEmail({ to: address, messageId: 'same-1@mail.example', body: 'one' })
    const results = await Promise.all([
      receiveInboundEmail({ deps: testApp.deps, raw }),
      receiveInboundEmail({ deps: testApp.deps, raw }),
    ])
    expect(results.map((r) => r.outcome).sort()).toEqual(['duplicate', 'posted'])
    expect((await receiveInboundEmail({ deps: testApp.deps, raw })).outcome).toBe('duplicate')
    expect(await guestMessages(testApp, boardId)).toHaveLength(1)
  })

  it('matches by In-Reply-To when the sender is the customer, not otherwise', async () => {
    const { testApp, boardId, member, staffUrl } = await boardWithAddress()
    await member.post(`${staffUrl}/messages`, { body: '校正です' })
    const notify = `<notify.${await messageIdOf(testApp, boardId, 1)}.guest@orderboard.test>`
    const stranger = await receiveInboundEmail({
      deps: testApp.deps,
      raw: rawEmail({
        to: 'shop@elsewhere.example',
        from: 'x@evil.example',
        inReplyTo: notify,
        body: 'spam',
      }),
    })
    expect(stranger.outcome).toBe('unknown_board')
    const customer = await receiveInboundEmail({
      deps: testApp.deps,
      raw: rawEmail({ to: 'shop@elsewhere.example', inReplyTo: notify, body: '了解です' }),
    })
    expect(customer).toMatchObject({ outcome: 'posted', boardId })
  })

  it('skips auto-replies without answering them', async () => {
    const { testApp, boardId, address } = await boardWithAddress()
    const result = await receiveInboundEmail({
      deps: testApp.deps,
      raw: rawEmail({ to: address, body: '不在です', headers: ['Auto-Submitted: auto-replied'] }),
    })
    expect(result.outcome).toBe('auto_reply')
    expect(await guestMessages(testApp, boardId)).toHaveLength(0)
    await testApp.drain()
    expect(testApp.mailer.sent.filter((m) => m.to === 'yamada@example.jp')).toHaveLength(0)
  })

  it('answers mail to an unknown board once, politely, in both languages, never posting', async () => {
    const { testApp, address } = await boardWithAddress()
    const forged = address.replace(/\.[a-z2-7]{26}@/, `.${'a'.repeat(26)}@`)
    const raw = rawEmail({ to: forged, messageId: 'lost-1@mail.example', body: 'hello' })
    expect((await receiveInboundEmail({ deps: testApp.deps, raw })).outcome).toBe('unknown_board')
    expect((await receiveInboundEmail({ deps: testApp.deps, raw })).outcome).toBe('duplicate')
    await testApp.drain()
    const answers = testApp.mailer.sent.filter((m) => m.to === 'yamada@example.jp')
    expect(answers).toHaveLength(1)
    expect(answers[0]!.idempotencyKey).toBe('inbound-reply/yamada@example.jp/2026-11-24')
    expect(answers[0]!.headers).toMatchObject({
      'Auto-Submitted': 'auto-replied',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
      'In-Reply-To': '<lost-1@mail.example>',
    })
    expect(answers[0]!.text).toContain('チャットボードが見つからなかった')
    expect(answers[0]!.text).toContain('We could not find the board')
    const posts = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('author_kind', '=', 'guest')
      .execute()
    expect(posts).toHaveLength(0)
  })

  it('answers mail to an expired board with the shop contact, never posting', async () => {
    const { testApp, boardId, address, workspace } = await boardWithAddress()
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ contact_email: 'info@shop.example' })
      .where('id', '=', workspace.id)
      .execute()
    testApp.clock.advance(60 * 24 * 3600_000)
    const result = await receiveInboundEmail({
      deps: testApp.deps,
      raw: rawEmail({ to: address, body: 'まだ間に合いますか' }),
    })
    expect(result).toMatchObject({ outcome: 'expired', boardId })
    await testApp.drain()
    const [answer] = testApp.mailer.sent.filter((m) => m.to === 'yamada@example.jp')
    expect(answer?.text).toContain('表示期間が終了した')
    expect(answer?.text).toContain('info@shop.example')
    expect(await guestMessages(testApp, boardId)).toHaveLength(0)
  })

  it('stores attached files like uploads and attaches them to the post', async () => {
    const { testApp, boardId, address } = await boardWithAddress()
    const result = await receiveInboundEmail({
      deps: testApp.deps,
      raw: rawEmail({
        to: address,
        body: '写真を送ります',
        attachment: { name: 'photo.txt', type: 'text/plain', content: 'hello file' },
      }),
    })
    expect(result.outcome).toBe('posted')
    const [file] = await testApp.deps.db
      .selectFrom('attachments')
      .selectAll()
      .where('board_id', '=', boardId)
      .execute()
    expect(file).toMatchObject({
      name: 'photo.txt',
      size: 10,
      message_id: result.postedMessageId,
      uploader: 'guest',
    })
    const blob = await testApp.deps.blobs.get(file!.blob_key)
    expect(await new Response(blob!.body).text()).toBe('hello file')
  })
})
