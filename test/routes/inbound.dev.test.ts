import { describe, expect, it } from 'vitest'
import { createDevMailbox } from '../../src/notifications/transports/dev-mailbox'
import { BASE_URL } from '../helpers/app'
import { setupBoard } from './guest.helpers'
import { createInboundApp } from './inbound.helpers'

describe('dev mailbox: reply as the customer', () => {
  async function notified() {
    const testApp = createInboundApp()
    testApp.deps.mailer = createDevMailbox(testApp.deps.db, testApp.clock)
    const setup = await setupBoard({ testApp })
    await setup.member.post(`${setup.staffUrl}/messages`, { body: '校正データです' })
    await testApp.drain()
    const mail = await testApp.deps.db
      .selectFrom('dev_mail')
      .selectAll()
      .where('to_address', '=', 'yamada@example.jp')
      .executeTakeFirstOrThrow()
    return { ...setup, testApp, mail }
  }

  /** Reads the form's CSRF token first, as the browser has it. */
  const reply = async (
    testApp: ReturnType<typeof createInboundApp>,
    id: number,
    body: string,
    token?: string,
  ) => {
    const page = await (await testApp.app.request(`/_dev/mail/${id}/reply`)).text()
    const _csrf = token ?? /name="_csrf" value="([^"]+)"/.exec(page)?.[1] ?? ''
    return testApp.app.request(`/_dev/mail/${id}/reply`, {
      method: 'POST',
      headers: { Origin: BASE_URL, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ body, _csrf }).toString(),
    })
  }

  it('shows the form and posts the reply through the inbound path, quote stripped', async () => {
    const { testApp, mail, boardId } = await notified()
    const form = await testApp.app.request(`/_dev/mail/${mail.id}/reply`)
    expect(form.status).toBe(200)
    expect(await form.text()).toContain('Reply as the customer')

    const response = await reply(testApp, mail.id, '確認しました。これでお願いします。')
    expect(response.status).toBe(200)
    expect(await response.text()).toContain('posted')
    const posts = await testApp.deps.db
      .selectFrom('messages')
      .select('body')
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'guest')
      .execute()
    expect(posts).toEqual([{ body: '確認しました。これでお願いします。' }])
  })

  it('refuses a cross-site post and an unknown mail', async () => {
    const { testApp, mail } = await notified()
    const crossSite = await testApp.app.request(`/_dev/mail/${mail.id}/reply`, {
      method: 'POST',
      headers: {
        Origin: 'https://evil.example',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'body=x',
    })
    expect(crossSite.status).toBe(403)
    expect((await reply(testApp, 99999, 'x')).status).toBe(404)
  })

  it('refuses a same-origin post without the form’s CSRF token (issue #21)', async () => {
    const { testApp, mail, boardId } = await notified()
    expect((await reply(testApp, mail.id, 'forged', '')).status).toBe(403)
    expect((await reply(testApp, mail.id, 'forged', 'A'.repeat(43))).status).toBe(403)
    const posts = await testApp.deps.db
      .selectFrom('messages')
      .select('body')
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'guest')
      .execute()
    expect(posts).toEqual([])
  })
})
