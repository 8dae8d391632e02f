import { describe, expect, it } from 'vitest'
import { createTestApp, testConfig } from '../helpers/app'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'

const DAY = 24 * 60 * 60 * 1000

describe('guest link', () => {
  it('trades the secret for a board cookie and redirects to a URL without it', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const path = await linkPath()
    const secret = path.split('/').at(-1)!
    expect(secret.length).toBeGreaterThanOrEqual(43) // 256 bits, base64url

    const response = await testApp.app.request(path)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`/g/${boardId}`)
    expect(response.headers.get('referrer-policy')).toBe('no-referrer')
    expect(response.headers.get('cache-control')).toBe('no-store')
    const cookie = response.headers.get('set-cookie')!
    expect(cookie).toMatch(/^ob_guest=[\w-]{43};/)
    expect(cookie).toContain(`Path=/g/${boardId}`)
    expect(cookie).toContain('HttpOnly')
    expect(cookie).toContain('SameSite=Lax')
    expect(cookie).not.toContain('Secure')
    expect(cookie).not.toContain(secret)
  })

  it('marks the cookie Secure when the app is served over https', async () => {
    const testApp = createTestApp({ config: { ...testConfig, secureCookies: true } })
    const { linkPath } = await setupBoard({ testApp })
    const response = await testApp.app.request(await linkPath())
    expect(response.headers.get('set-cookie')).toContain('Secure')
  })

  it('needs no member session', async () => {
    const { testApp, linkPath } = await setupBoard()
    const { page } = await openAsGuest(testApp, await linkPath())
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(page.headers.get('cache-control')).toBe('no-store')
  })
})

describe('guest board page', () => {
  it('shows the shop, the board, public messages with numbers, the decision and the expiry', async () => {
    const { testApp, member, staffUrl, linkPath } = await setupBoard({ name: 'さくら印刷' })
    await member.post(`${staffUrl}/messages`, { body: 'デザイン案A です' })
    await member.post(`${staffUrl}/messages`, { body: '社内: 単価を確認', internal: '1' })
    await member.post(`${staffUrl}/messages`, { body: 'デザイン案B です' })
    await member.post(`${staffUrl}/messages`, {
      body: 'No.2 の内容で確定いたしました',
      decides_no: '2',
    })

    const { html } = await openAsGuest(testApp, await linkPath())
    expect(html).toContain('<html lang="ja">')
    expect(html).toContain('さくら印刷')
    expect(html).toContain('名刺 100枚')
    expect(html).toContain('<bdi>山田 太郎</bdi> 様')
    expect(html).toContain('No.1')
    expect(html).toContain('No.3')
    expect(html).toContain('デザイン案A です')
    expect(html).toContain('オーナー') // the staff author's name
    expect(html).not.toContain('単価を確認')
    // No.2 is decided; No.3 confirms it.
    expect(html).toMatch(/id="no-2"[^>]*>[\s\S]*?決定[\s\S]*?<\/article>/)
    expect(html).toMatch(/class="guest-msg shop decided"[^>]*id="no-2"/)
    expect(html).toContain('No.2 の内容で決定')
    // Times and the expiry in the workspace time zone (clock: 2026-11-24 10:00 JST, 30 days).
    // Written as a person writes dates (this year's without the year), never ISO.
    expect(html).toContain('11月24日(火) 10:00')
    expect(html).toContain('表示期限')
    expect(html).toContain('12月24日(木)')
    expect(html).not.toContain('2026/')
    expect(html).toContain('name="body"')
  })

  it('speaks English for an English workspace', async () => {
    const { testApp, member, staffUrl, linkPath } = await setupBoard({
      locale: 'en',
      name: 'Sakura Print',
    })
    await member.post(`${staffUrl}/messages`, { body: 'Here is proof A' })
    const { html } = await openAsGuest(testApp, await linkPath())
    expect(html).toContain('<html lang="en">')
    expect(html).toContain('Available until')
    expect(html).toContain('Thu, Dec 24<')
    expect(html).toContain('Tue, Nov 24, 10:00 AM')
    expect(html).toContain('>Send<')
  })
})

describe('guest post', () => {
  it('stores the reply as the customer, sets replied, extends expiry and lights both markers', async () => {
    const { testApp, workspace, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: 'ご確認ください' })
    await member.get(staffUrl) // the member has read everything so far
    const before = await findBoard(testApp, boardId)
    expect(before.status).toBe('waiting')

    const { client } = await openAsGuest(testApp, await linkPath())
    testApp.clock.advance(10 * DAY)
    const posted = await client.post(`/g/${boardId}/messages`, {
      body: 'A案でお願いします\r\n急ぎです',
    })
    expect(posted.status).toBe(303)
    expect(posted.headers.get('location')).toBe(`/g/${boardId}`)

    const message = await testApp.deps.db
      .selectFrom('messages')
      .selectAll()
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'guest')
      .executeTakeFirstOrThrow()
    expect(message).toMatchObject({
      no: 2,
      internal: 0,
      author_name: '山田 太郎',
      body: 'A案でお願いします\n急ぎです',
    })
    const after = await findBoard(testApp, boardId)
    expect(after.status).toBe('replied')
    expect(after.last_public_author).toBe('guest')
    expect(after.last_no).toBe(2)
    expect(after.expires_at).toBe(testApp.clock.now().getTime() + 30 * DAY)

    const list = await (await member.get(`/w/${workspace.slug}/boards`)).text()
    expect(list).toContain('marker mail on')
    expect(list).toContain('marker bubble')
    const staffPage = await (await member.get(staffUrl)).text()
    expect(staffPage).toContain('A案でお願いします')
  })

  it("writes the members' notifications in the same write as the post", async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    await client.post(`/g/${boardId}/messages`, { body: '届きました' })
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('board_id', '=', boardId)
      .executeTakeFirstOrThrow()
    const outbox = await testApp.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('message_id', '=', message.id)
      .execute()
    expect(outbox.length).toBeGreaterThanOrEqual(1)
    expect(outbox.every((row) => row.board_id === boardId)).toBe(true)
  })

  it('reopens a done board as replied', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '案A' })
    await member.post(`${staffUrl}/messages`, { body: 'No.1 で確定', decides_no: '1' })
    expect((await findBoard(testApp, boardId)).status).toBe('done')
    const { client } = await openAsGuest(testApp, await linkPath())
    await client.post(`/g/${boardId}/messages`, { body: '色が違います' })
    expect((await findBoard(testApp, boardId)).status).toBe('replied')
  })

  it('htmx: answers a fresh reply box and asks the poller to fetch at once', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const posted = await client.post(
      `/g/${boardId}/messages`,
      { body: 'よろしくお願いします' },
      { 'HX-Request': 'true', 'X-CSRF-Token': client.csrf },
    )
    expect(posted.status).toBe(200)
    expect(posted.headers.get('hx-trigger')).toBe('thread-changed')
    const fragment = await posted.text()
    expect(fragment).toContain('id="guest-composer"')
    expect(fragment).not.toContain('<html')
    expect(fragment).not.toContain('よろしくお願いします')

    const poll = await client.get(`/g/${boardId}?after=0`, { 'HX-Request': 'true' })
    const html = await poll.text()
    expect(html).toContain('hx-swap-oob="beforeend:#guest-thread"')
    expect(html).toContain('よろしくお願いします')
    expect(html).toContain(`/g/${boardId}?after=1`)
  })

  it('poll: nothing new answers only the next poller', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const poll = await client.get(`/g/${boardId}?after=0`, { 'HX-Request': 'true' })
    const html = await poll.text()
    expect(html).toContain('id="guest-poller"')
    expect(html).not.toContain('guest-msg')
    expect(html).toContain('every 5s')
  })
})

describe('read receipts', () => {
  it('opening and polling record how far the customer read; staff see 既読 up to there', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: 'one' })
    await member.post(`${staffUrl}/messages`, { body: 'note', internal: '1' })
    await member.post(`${staffUrl}/messages`, { body: 'two' })
    expect((await findBoard(testApp, boardId)).guest_read_at).toBeNull()

    const { client } = await openAsGuest(testApp, await linkPath())
    let board = await findBoard(testApp, boardId)
    expect(board.guest_read_no).toBe(2)
    expect(board.guest_read_at).toBe(testApp.clock.now().getTime())

    await member.post(`${staffUrl}/messages`, { body: 'three' })
    let staffPage = await (await member.get(staffUrl)).text()
    expect(readMarks(staffPage)).toEqual({ 1: true, 2: true, 3: false })

    testApp.clock.advance(60_000)
    await client.get(`/g/${boardId}?after=2`, { 'HX-Request': 'true' })
    board = await findBoard(testApp, boardId)
    expect(board.guest_read_no).toBe(3)
    expect(board.guest_read_at).toBe(testApp.clock.now().getTime())
    staffPage = await (await member.get(staffUrl)).text()
    expect(readMarks(staffPage)).toEqual({ 1: true, 2: true, 3: true })

    // An older poll never moves the receipt back.
    await client.get(`/g/${boardId}?after=0`, { 'HX-Request': 'true' })
    expect((await findBoard(testApp, boardId)).guest_read_no).toBe(3)
  })
})

describe('members: customer link', () => {
  it('shows the link to copy in the side panel and reissues it', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    const staffPage = await (await member.get(staffUrl)).text()
    expect(staffPage).toContain(`hx-get="${staffUrl}/guest-link"`)
    expect(staffPage).not.toContain(await linkPath()) // the page itself carries no secret

    const panel = await (
      await member.get(`${staffUrl}/guest-link`, { 'HX-Request': 'true' })
    ).text()
    const oldPath = await linkPath()
    expect(panel).toContain(`value="${testConfig.baseUrl}${oldPath}"`)
    expect(panel).toContain(`data-copy="${testConfig.baseUrl}${oldPath}"`)
    expect(panel).toContain('お客様はまだボードを開いていません')

    const { client: oldGuest } = await openAsGuest(testApp, oldPath)
    const reissued = await member.post(
      `${staffUrl}/guest-link/reissue`,
      {},
      { 'HX-Request': 'true' },
    )
    expect(reissued.status).toBe(200)
    const newPath = await linkPath()
    expect(newPath).not.toBe(oldPath)
    expect(await reissued.text()).toContain(newPath)
    expect((await findBoard(testApp, boardId)).guest_link_version).toBe(2)

    expect((await testApp.app.request(oldPath)).status).toBe(404)
    expect((await oldGuest.get(`/g/${boardId}`)).status).toBe(404)
    const { page } = await openAsGuest(testApp, newPath)
    expect(page.status).toBe(200)

    const withRead = await (
      await member.get(`${staffUrl}/guest-link`, { 'HX-Request': 'true' })
    ).text()
    expect(withRead).toContain('お客様の既読')
  })

  it('reissue without htmx redirects back to the board', async () => {
    const { member, staffUrl } = await setupBoard()
    const reissued = await member.post(`${staffUrl}/guest-link/reissue`, {})
    expect(reissued.status).toBe(303)
    expect(reissued.headers.get('location')).toBe(staffUrl)
  })
})

function readMarks(html: string) {
  const marks: Record<number, boolean> = {}
  for (const match of html.matchAll(/<article[^>]*data-no="(\d+)"[^>]*>([\s\S]*?)<\/article>/g)) {
    marks[Number(match[1])] = match[2]!.includes('class="read-receipt"')
  }
  return marks
}
