import { describe, expect, it } from 'vitest'
import {
  boardIdFromKey,
  boardKey,
  isValidReplySecret,
  ourThreadIds,
  parseReplyAddress,
  replyAddress,
} from '../../src/inbound/inbound.address'

const config = {
  appSecret: 'test-secret-test-secret-test-secret',
  inboundDomain: 'in.orderboard.test',
}
const board = { id: '3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f', guest_link_version: 1 }

describe('reply address', () => {
  it('is board+<key>.<secret>@domain, lowercase, within the 64-octet local part', async () => {
    const address = (await replyAddress(config, board))!
    expect(address).toMatch(/^board\+[a-z2-7]{26}\.[a-z2-7]{26}@in\.orderboard\.test$/)
    expect(address.split('@')[0]!.length).toBeLessThanOrEqual(64)
  })

  it('is absent without an inbound domain', async () => {
    expect(await replyAddress({ appSecret: config.appSecret }, board)).toBeUndefined()
  })

  it('names the board and verifies, whatever the case the mail system gave it', async () => {
    const address = (await replyAddress(config, board))!
    const parsed = parseReplyAddress(config, address.toUpperCase())!
    expect(parsed.boardId).toBe(board.id)
    expect(await isValidReplySecret(config, board, parsed.secret)).toBe(true)
  })

  it('dies with the link: a bumped version or another secret does not verify', async () => {
    const parsed = parseReplyAddress(config, (await replyAddress(config, board))!)!
    expect(
      await isValidReplySecret(config, { ...board, guest_link_version: 2 }, parsed.secret),
    ).toBe(false)
    expect(
      await isValidReplySecret(
        { appSecret: 'another-secret-another-secret-xx' },
        board,
        parsed.secret,
      ),
    ).toBe(false)
  })

  it('refuses other domains and shapes', () => {
    expect(parseReplyAddress(config, 'board+abc.def@in.orderboard.test')).toBeUndefined()
    expect(
      parseReplyAddress(config, `board+${boardKey(board.id)}.${'a'.repeat(26)}@evil.test`),
    ).toBeUndefined()
    expect(parseReplyAddress(config, 'someone@in.orderboard.test')).toBeUndefined()
  })

  it('round-trips UUID and other board ids', () => {
    expect(boardIdFromKey(boardKey(board.id))).toBe(board.id)
    expect(boardIdFromKey(boardKey('brd_01'))).toBe('brd_01')
  })
})

describe('ourThreadIds', () => {
  it('finds our notification and board Message-IDs only', () => {
    expect(
      ourThreadIds(
        [
          'order-1@shop.example',
          'board.b1@orderboard.test',
          'notify.m1.guest@orderboard.test',
          'notify.m2.guest@other.test',
        ],
        'orderboard.test',
      ),
    ).toEqual({ messageIds: ['m1'], boardIds: ['b1'] })
  })
})

describe('board keys round-trip for every UUID', () => {
  it('never confuses a UUID key with a spelled-out id, whatever its first letter', () => {
    for (let i = 0; i < 5000; i++) {
      const id = crypto.randomUUID()
      expect(boardIdFromKey(boardKey(id))).toBe(id)
    }
    expect(boardIdFromKey(boardKey('demo-board-1'))).toBe('demo-board-1')
  })
})
