import { describe, expect, it } from 'vitest'
import { setupBoard } from './guest.helpers'

describe('the board shows what became of the customer’s latest emails', () => {
  it('queued, then sent, then what the provider reported', async () => {
    const { testApp, member, staffUrl } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '校正をお送りします。' })
    const panel = () =>
      member.get(`${staffUrl}/notifications`, { 'HX-Request': 'true' }).then((r) => r.text())
    await testApp.drain()
    expect(await panel()).toContain('送信済み')
    await testApp.deps.db.updateTable('outbox').set({ delivery_status: 'bounced' }).execute()
    const html = await panel()
    expect(html).toContain('No.1')
    expect(html).toContain('不達（宛先エラー）')
    expect(html).toContain('state-bounced')
  })
})
