import { describe, expect, it } from 'vitest'
import { guestEmailHealth } from '../../src/inbound/inbound.health'
import { setupBoard } from './guest.helpers'

const DAY = 24 * 3600_000

describe('board warnings that the customer is not reached by email', () => {
  it('shows a bounce at the top of the board, above the thread (#15.5)', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    expect(await (await member.get(staffUrl)).text()).not.toContain('メールが届きませんでした')
    await testApp.deps.db
      .updateTable('boards')
      .set({ guest_email_problem: 'bounced' })
      .where('id', '=', boardId)
      .execute()
    const html = await (await member.get(staffUrl)).text()
    const warning = html.indexOf('お客様のメールアドレスにメールが届きませんでした')
    expect(warning).toBeGreaterThan(html.indexOf('id="board-alerts"'))
    expect(warning).toBeLessThan(html.indexOf('id="thread"'))
    expect(html.indexOf('id="board-alerts"')).toBeGreaterThan(0)
  })

  it('warns when the latest staff message stays unread for three days, not before, not once read', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '校正です' })
    testApp.clock.advance(2 * DAY)
    expect(await (await member.get(staffUrl)).text()).not.toContain('読まれていません')
    testApp.clock.advance(1 * DAY)
    expect(await (await member.get(staffUrl)).text()).toContain(
      '最新のメッセージが3日以上お客様に読まれていません',
    )
    await testApp.deps.db
      .updateTable('boards')
      .set({ guest_read_no: 1 })
      .where('id', '=', boardId)
      .execute()
    expect(await (await member.get(staffUrl)).text()).not.toContain('読まれていません')
  })

  it('does not warn when the customer spoke last or the board is closed', () => {
    const base = {
      guest_email_problem: null,
      guest_read_no: 0,
      last_no: 2,
      last_activity_at: 0,
      status: 'waiting' as const,
    }
    expect(
      guestEmailHealth({ ...base, last_public_author: 'guest' }, 10 * DAY).unreadDays,
    ).toBeNull()
    expect(
      guestEmailHealth({ ...base, last_public_author: 'member', status: 'closed' }, 10 * DAY)
        .unreadDays,
    ).toBeNull()
    expect(guestEmailHealth({ ...base, last_public_author: 'member' }, 10 * DAY).unreadDays).toBe(
      10,
    )
    expect(
      guestEmailHealth({ ...base, last_public_author: 'member' }, 10 * DAY, 14).unreadDays,
    ).toBeNull()
  })
})
