import { describe, expect, it } from 'vitest'
import { loginAs } from '../helpers/app'
import { countMessages, findBoard, openAsGuest, setupBoard } from './guest.helpers'

const DAY = 24 * 60 * 60 * 1000

describe('guest reply validation', () => {
  it('refuses an empty reply with a clear Japanese error and stores nothing', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const before = await findBoard(testApp, boardId)
    const response = await client.post(`/g/${boardId}/messages`, { body: '   \n ' })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('入力してください。')
    expect(html).toContain('id="guest-composer"')
    expect(await countMessages(testApp, boardId)).toBe(0)
    expect(await findBoard(testApp, boardId)).toEqual(before)
  })

  it('refuses a 100,000-character message with 422, keeps the text, stores nothing', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const before = await findBoard(testApp, boardId)
    const response = await client.post(`/g/${boardId}/messages`, { body: 'あ'.repeat(100_000) })
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain('20000文字以内で入力してください。')
    expect(html).toContain('aria-invalid="true"')
    expect(await countMessages(testApp, boardId)).toBe(0)
    expect(await findBoard(testApp, boardId)).toEqual(before)
    expect(
      await testApp.deps.db
        .selectFrom('outbox')
        .select('id')
        .where('board_id', '=', boardId)
        .execute(),
    ).toEqual([])
  })

  it('accepts exactly 20,000 characters', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const response = await client.post(`/g/${boardId}/messages`, { body: 'a'.repeat(20_000) })
    expect(response.status).toBe(303)
    expect(await countMessages(testApp, boardId)).toBe(1)
  })

  it('refuses control characters', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const response = await client.post(`/g/${boardId}/messages`, {
      body: 'hello\u0000world\u001b[31m',
    })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('値が正しくありません。')
    expect(await countMessages(testApp, boardId)).toBe(0)
  })

  it('htmx: answers the reply box with its error, which htmx swaps in', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const response = await client.post(
      `/g/${boardId}/messages`,
      { body: '' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).not.toContain('<html')
    expect(html).toContain('id="guest-composer"')
    expect(html).toContain('入力してください。')
  })

  it('English workspaces get the error in English', async () => {
    const { testApp, boardId, linkPath } = await setupBoard({ locale: 'en' })
    const { client } = await openAsGuest(testApp, await linkPath())
    const response = await client.post(`/g/${boardId}/messages`, { body: '' })
    expect(response.status).toBe(422)
    expect(await response.text()).not.toContain('入力してください')
  })
})

describe('closed board', () => {
  it('is read-only for the customer: a notice, no reply box, posts refused with 403', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '納品しました' })
    const { client } = await openAsGuest(testApp, await linkPath())
    expect((await member.post(`${staffUrl}/close`, {})).status).toBe(303)

    const page = await client.get(`/g/${boardId}`)
    expect(page.status).toBe(200)
    const html = await page.text()
    expect(html).toContain('納品しました')
    expect(html).toContain('このチャットボードは終了しました')
    expect(html).not.toContain('id="guest-composer"')

    const response = await client.post(`/g/${boardId}/messages`, { body: 'まだ届いていません' })
    expect(response.status).toBe(403)
    expect(await response.text()).toContain('このボードは終了しています。')
    expect(await countMessages(testApp, boardId)).toBe(1)
    expect((await findBoard(testApp, boardId)).status).toBe('closed')
    const outbox = await testApp.deps.db
      .selectFrom('outbox')
      .select('message_id')
      .where('board_id', '=', boardId)
      .execute()
    expect(outbox.every((row) => row.message_id !== null)).toBe(true)
    expect(
      await testApp.deps.db
        .selectFrom('messages')
        .select('id')
        .where('author_kind', '=', 'guest')
        .execute(),
    ).toEqual([])
  })

  it('an open page learns of it: the htmx post answers 403 and asks for a reload', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    await member.post(`${staffUrl}/close`, {})
    const response = await client.post(
      `/g/${boardId}/messages`,
      { body: 'x' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(403)
    expect(response.headers.get('hx-refresh')).toBe('true')
    expect(await countMessages(testApp, boardId)).toBe(0)
  })

  it('members keep full access: the staff page still works and can post', async () => {
    const { member, staffUrl } = await setupBoard()
    await member.post(`${staffUrl}/close`, {})
    expect((await member.get(staffUrl)).status).toBe(200)
    expect((await member.post(`${staffUrl}/messages`, { body: '補足です' })).status).toBe(303)
  })
})

describe('expired board', () => {
  it('answers 410 with the shop name and how to reach it, on the link, the page and posts', async () => {
    const { testApp, workspace, memberEmail, staffUrl, boardId, linkPath } = await setupBoard({
      name: 'さくら印刷',
    })
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ contact_email: 'info@sakura.example', contact_phone: '03-1234-5678' })
      .where('id', '=', workspace.id)
      .execute()
    const { client } = await openAsGuest(testApp, await linkPath())
    testApp.clock.advance(31 * DAY)

    const viaLink = await testApp.app.request(await linkPath())
    expect(viaLink.status).toBe(410)
    expect(viaLink.headers.get('set-cookie')).toBeNull()
    const html = await viaLink.text()
    expect(html).toContain('このチャットボードは表示期限を過ぎました')
    expect(html).toContain('さくら印刷')
    expect(html).toContain('info@sakura.example')
    expect(html).toContain('href="tel:0312345678"')
    expect(html).not.toContain('名刺 100枚')

    const viaCookie = await client.get(`/g/${boardId}`)
    expect(viaCookie.status).toBe(410)
    expect(viaCookie.headers.get('cache-control')).toBe('no-store')

    const poll = await client.get(`/g/${boardId}?after=0`, { 'HX-Request': 'true' })
    expect(poll.status).toBe(410)
    expect(poll.headers.get('hx-refresh')).toBe('true')

    const post = await client.post(`/g/${boardId}/messages`, { body: 'まだ見られますか' })
    expect(post.status).toBe(410)
    expect(await countMessages(testApp, boardId)).toBe(0)

    // Members still open the board (a fresh login: the old session has aged out by now).
    const again = await loginAs(testApp, memberEmail, 'correct horse battery')
    const staffPage = await again.get(staffUrl)
    expect(staffPage.status).toBe(200)
    expect(await staffPage.text()).toContain('名刺 100枚')
  })

  it('without contact details, tells the customer to answer the shop email', async () => {
    const { testApp, linkPath } = await setupBoard({ name: 'さくら印刷' })
    testApp.clock.advance(30 * DAY)
    const response = await testApp.app.request(await linkPath())
    expect(response.status).toBe(410)
    expect(await response.text()).toContain(
      '<bdi>さくら印刷</bdi> から届いたメールへご返信ください',
    )
  })
})

describe('not found', () => {
  it('an unknown board, with or without a secret, is the plain 404 page', async () => {
    const { testApp } = await setupBoard()
    const unknown = await testApp.app.request('/g/00000000-0000-4000-8000-000000000000')
    expect(unknown.status).toBe(404)
    const withSecret = await testApp.app.request(
      `/g/00000000-0000-4000-8000-000000000000/${'A'.repeat(43)}`,
    )
    expect(withSecret.status).toBe(404)
    const odd = await testApp.app.request('/g/..%2F..%2Fetc/x')
    expect(odd.status).toBe(404)
  })
})
