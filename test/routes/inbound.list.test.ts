import { describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace, loginAs } from '../helpers/app'

const DAY = 24 * 3600_000

describe('reach the customer another way: warnings on the list, days set per workspace', () => {
  it('warns on the list when the latest staff message stays unread past the workspace setting', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createTestWorkspace(testApp)
    const member = await loginAs(testApp, email, password)
    const url = (
      await member.post(`/w/${workspace.slug}/boards`, {
        name: '名刺',
        customer_name: '山田',
        customer_email: 'y@example.jp',
      })
    ).headers.get('location')!
    await member.post(`${url}/messages`, { body: '校正をお送りします。', silent: '1' })
    const list = () => member.get(`/w/${workspace.slug}/boards`).then((r) => r.text())

    testApp.clock.advance(2 * DAY)
    expect(await list()).not.toContain('guest-email-warnings')
    testApp.clock.advance(2 * DAY)
    expect(await list()).toContain('guest-email-warnings compact')

    const saved = await member.post(`/w/${workspace.slug}/settings`, {
      name: workspace.name,
      time_zone: 'Asia/Tokyo',
      locale: 'ja',
      expiry_days: '30',
      contact_email: '',
      contact_phone: '',
      unread_warning_days: '7',
    })
    expect(saved.status).toBe(303)
    const stored = await testApp.deps.db
      .selectFrom('workspaces')
      .select('unread_warning_days')
      .where('id', '=', workspace.id)
      .executeTakeFirstOrThrow()
    expect(stored.unread_warning_days).toBe(7)
    expect(await list()).not.toContain('guest-email-warnings')

    const refused = await member.post(`/w/${workspace.slug}/settings`, {
      name: workspace.name,
      time_zone: 'Asia/Tokyo',
      locale: 'ja',
      expiry_days: '30',
      contact_email: '',
      contact_phone: '',
      unread_warning_days: '-1',
    })
    expect(refused.status).toBe(422)
  })

  it('flags a bounced customer address on the list', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createTestWorkspace(testApp)
    const member = await loginAs(testApp, email, password)
    const url = (
      await member.post(`/w/${workspace.slug}/boards`, {
        name: '名刺',
        customer_name: '山田',
        customer_email: 'y@example.jp',
      })
    ).headers.get('location')!
    await testApp.deps.db
      .updateTable('boards')
      .set({ guest_email_problem: 'bounced' })
      .where('id', '=', url.split('/').pop()!)
      .execute()
    const html = await (await member.get(`/w/${workspace.slug}/boards`)).text()
    expect(html).toContain('guest-email-warnings compact')
  })
})
