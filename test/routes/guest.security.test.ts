import { afterEach, describe, expect, it, vi } from 'vitest'
import { guestCookieValue, guestLinkSecret } from '../../src/guest/guest.link'
import { GUEST_LINK_LIMIT } from '../../src/guest/guest.usecases'
import { createTestApp, fromPeer } from '../helpers/app'
import { countMessages, findBoard, guestClient, openAsGuest, setupBoard } from './guest.helpers'

const HOSTILE =
  '<script>alert(1)</script><img src=x onerror=alert(2)><div hx-get="/evil" hx-trigger="load">x</div>'

afterEach(() => {
  vi.restoreAllMocks()
})

describe('hostile input is escaped on both pages', () => {
  it('script tags and hx-* attributes in messages, board and customer names', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard({
      name: '<b hx-post="/x">Shop</b>',
      board: { name: HOSTILE.slice(0, 190), customer_name: '<script>x</script>' },
    })
    await member.post(`${staffUrl}/messages`, { body: HOSTILE })
    const { html, client } = await openAsGuest(testApp, await linkPath())
    await client.post(`/g/${boardId}/messages`, {
      body: `${HOSTILE}\n<a href="javascript:alert(3)">x</a>`,
    })
    const guestPage = await (await client.get(`/g/${boardId}`)).text()
    const poll = await (await client.get(`/g/${boardId}?after=0`, { 'HX-Request': 'true' })).text()
    const staffPage = await (await member.get(staffUrl)).text()

    for (const page of [html, guestPage, poll, staffPage]) {
      expect(page).not.toContain('<script>alert')
      expect(page).not.toContain('<script>x')
      expect(page).not.toContain('<img src=x')
      expect(page).not.toContain('<div hx-get="/evil"')
      expect(page).not.toContain('<b hx-post')
      expect(page).not.toContain('href="javascript:')
      expect(page).toContain('&lt;script&gt;')
    }
    expect(guestPage).toContain('&lt;div hx-get=&quot;/evil&quot;')
  })

  it('CRLF in names is refused when the board is made; in a reply it is just a line break', async () => {
    const { testApp, workspace, member, boardId, linkPath } = await setupBoard()
    const created = await member.post(`/w/${workspace.slug}/boards`, {
      name: 'A\r\nBcc: evil@example.com',
      customer_name: 'B\r\nX-Injected: 1',
      customer_email: 'c@example.com',
    })
    expect(created.status).toBe(422)
    const { client } = await openAsGuest(testApp, await linkPath())
    await client.post(`/g/${boardId}/messages`, { body: 'line1\r\nBcc: evil@example.com' })
    const stored = await testApp.deps.db
      .selectFrom('messages')
      .select('body')
      .where('board_id', '=', boardId)
      .executeTakeFirstOrThrow()
    expect(stored.body).toBe('line1\nBcc: evil@example.com')
  })
})

describe('only the right link or cookie opens a board', () => {
  it('a foreign board id with a valid-looking secret is 404, the same page as an unknown board', async () => {
    const { testApp, boardId: boardA, linkPath } = await setupBoard()
    const { boardId: boardB } = await setupBoard({ testApp })
    const secretA = (await linkPath()).split('/').at(-1)!
    const foreign = await testApp.app.request(`/g/${boardB}/${secretA}`)
    expect(foreign.status).toBe(404)
    expect(foreign.headers.get('set-cookie')).toBeNull()
    const unknown = await testApp.app.request('/g/00000000-0000-4000-8000-000000000000')
    expect(await foreign.text()).toBe(await unknown.text())
    // A one-character change of the right secret fails too.
    const flipped = secretA.slice(0, -1) + (secretA.endsWith('A') ? 'B' : 'A')
    expect((await testApp.app.request(`/g/${boardA}/${flipped}`)).status).toBe(404)
  })

  it('another board’s cookie (or a forged one) does not open this board', async () => {
    const { testApp, linkPath } = await setupBoard()
    const { boardId: boardB } = await setupBoard({ testApp })
    const { client: guestA } = await openAsGuest(testApp, await linkPath())
    const cookieValue = guestA.cookie.split('=')[1]!
    const onB = guestClient(testApp, `ob_guest=${cookieValue}`, guestA.csrf)
    expect((await onB.get(`/g/${boardB}`)).status).toBe(404)
    expect((await onB.post(`/g/${boardB}/messages`, { body: 'hi' })).status).toBe(404)
    expect(await countMessages(testApp, boardB)).toBe(0)
    // The secret link itself is not a cookie, and a cookie made under another label is not valid.
    const board = await findBoard(testApp, boardB)
    const linkAsCookie = await guestLinkSecret(
      testApp.deps.config,
      boardB,
      board.guest_link_version,
    )
    expect(
      (await guestClient(testApp, `ob_guest=${linkAsCookie}`).get(`/g/${boardB}`)).status,
    ).toBe(404)
    const otherSecret = await guestCookieValue({ appSecret: 'another-secret' }, board)
    expect((await guestClient(testApp, `ob_guest=${otherSecret}`).get(`/g/${boardB}`)).status).toBe(
      404,
    )
  })

  it('a revoked link and the cookies it gave open nothing on the next request (410, the shop named)', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    const oldPath = await linkPath()
    const { client } = await openAsGuest(testApp, oldPath)
    await member.post(`${staffUrl}/guest-link/reissue`, {})
    const opened = await testApp.app.request(oldPath)
    expect(opened.status).toBe(410)
    expect(opened.headers.get('set-cookie')).toBeNull()
    const page = await client.get(`/g/${boardId}`)
    expect(page.status).toBe(410)
    const html = await page.text()
    expect(html).toContain('このリンクは使えなくなりました')
    expect(html).not.toContain('名刺 100枚')
    expect(html).not.toContain('guest-composer')
    expect((await client.post(`/g/${boardId}/messages`, { body: 'hi' })).status).toBe(410)
    expect(await countMessages(testApp, boardId)).toBe(0)
  })

  it('a member session alone does not open the customer page; the guest cookie opens no staff page', async () => {
    const { testApp, workspace, member, boardId, staffUrl, linkPath } = await setupBoard()
    expect((await member.get(`/g/${boardId}`)).status).toBe(404)
    const { client } = await openAsGuest(testApp, await linkPath())
    const staff = await client.get(staffUrl)
    expect(staff.status).toBe(303)
    expect(staff.headers.get('location')).toContain('/login')
    expect((await client.get(`/w/${workspace.slug}/boards`)).status).toBe(303)
    // Only members reissue links.
    const reissue = await client.post(`${staffUrl}/guest-link/reissue`, {})
    expect(reissue.status).toBe(303)
    expect((await findBoard(testApp, boardId)).guest_link_version).toBe(1)
  })

  it('members of another workspace cannot read or reissue the link', async () => {
    const { testApp, staffUrl, boardId } = await setupBoard()
    const { member: stranger, workspace: theirs } = await setupBoard({ testApp })
    const foreign = staffUrl.replace(/\/w\/[^/]+\//, `/w/${theirs.slug}/`)
    expect((await stranger.get(`${foreign}/guest-link`)).status).toBe(404)
    expect((await stranger.post(`${foreign}/guest-link/reissue`, {})).status).toBe(404)
    expect((await findBoard(testApp, boardId)).guest_link_version).toBe(1)
  })
})

describe('CSRF', () => {
  it('a post needs the board token, and a same-origin Origin', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const { client } = await openAsGuest(testApp, await linkPath())
    const noToken = guestClient(testApp, client.cookie, '')
    expect((await noToken.post(`/g/${boardId}/messages`, { body: 'x' })).status).toBe(403)
    const wrongToken = guestClient(testApp, client.cookie, 'A'.repeat(43))
    expect((await wrongToken.post(`/g/${boardId}/messages`, { body: 'x' })).status).toBe(403)
    expect(
      (
        await client.post(
          `/g/${boardId}/messages`,
          { body: 'x' },
          { Origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403)
    expect(await countMessages(testApp, boardId)).toBe(0)
    // The header form (htmx) works like the field.
    const viaHeader = guestClient(testApp, client.cookie, '')
    const ok = await viaHeader.post(
      `/g/${boardId}/messages`,
      { body: 'x' },
      { 'X-CSRF-Token': client.csrf },
    )
    expect(ok.status).toBe(303)
  })

  it('one board’s token does not work on another', async () => {
    const { testApp, linkPath } = await setupBoard()
    const second = await setupBoard({ testApp })
    const { client: guestA } = await openAsGuest(testApp, await linkPath())
    const { client: guestB } = await openAsGuest(testApp, await second.linkPath())
    const mixed = guestClient(testApp, guestB.cookie, guestA.csrf)
    expect((await mixed.post(`/g/${second.boardId}/messages`, { body: 'x' })).status).toBe(403)
  })
})

describe('what the customer never sees', () => {
  it('internal notes, member emails, other boards and templates stay out of the page and the poll', async () => {
    const { testApp, member, memberEmail, staffUrl, boardId, linkPath } = await setupBoard()
    const other = await setupBoard({ testApp, board: { name: 'ほかのお客様の注文' } })
    await other.member.post(`${other.staffUrl}/messages`, { body: 'ほかのボードの内容' })
    await member.post(`${staffUrl}/messages`, { body: '公開メッセージ' })
    await member.post(`${staffUrl}/messages`, { body: '社内メモ: 原価 1200円', internal: '1' })
    const { html, client } = await openAsGuest(testApp, await linkPath())
    await member.post(`${staffUrl}/messages`, { body: '社内メモ2: 値引き可', internal: '1' })
    await member.post(`${staffUrl}/messages`, { body: '公開2' })
    const poll = await (await client.get(`/g/${boardId}?after=1`, { 'HX-Request': 'true' })).text()

    for (const page of [html, poll]) {
      expect(page).not.toContain('原価')
      expect(page).not.toContain('値引き')
      expect(page).not.toContain('社内メモ')
      expect(page).not.toContain(memberEmail)
      expect(page).not.toContain('yamada@example.jp') // the customer's own email is not needed either
      expect(page).not.toContain('ほかのお客様')
      expect(page).not.toContain('ほかのボード')
      expect(page).not.toContain('定型文')
      expect(page).not.toContain('data-template-id')
    }
    expect(html).toContain('公開メッセージ')
    expect(poll).toContain('公開2')
    // Public numbers only: the poll cursor never reveals the internal sequence.
    expect(poll).toContain(`?after=2`)
  })
})

describe('guessing is throttled', () => {
  it('link opens past the limit answer 429 with Retry-After, per client address', async () => {
    const testApp = createTestApp()
    const { boardId, linkPath } = await setupBoard({ testApp })
    const from = fromPeer('203.0.113.7')
    for (let i = 0; i < GUEST_LINK_LIMIT.limit; i++) {
      const guess = await testApp.app.request(
        `/g/${boardId}/${'x'.repeat(42)}${i % 10}`,
        // a forwarded-for header of its own choosing changes nothing without TRUST_PROXY
        { headers: { 'X-Forwarded-For': `198.51.100.${i}` } },
        from,
      )
      expect(guess.status).toBe(404)
    }
    const limited = await testApp.app.request(await linkPath(), {}, from)
    expect(limited.status).toBe(429)
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(limited.headers.get('set-cookie')).toBeNull()
    // Another address is not affected; the window passes.
    expect((await testApp.app.request(await linkPath(), {}, fromPeer('198.51.100.2'))).status).toBe(
      303,
    )
    testApp.clock.advance(GUEST_LINK_LIMIT.windowMs)
    expect((await testApp.app.request(await linkPath(), {}, from)).status).toBe(303)
  })

  it('wrong cookies count as guesses too', async () => {
    const { testApp, boardId } = await setupBoard()
    const from = fromPeer('203.0.113.9')
    const forged = { headers: { Cookie: `ob_guest=${'A'.repeat(43)}` } }
    for (let i = 0; i < GUEST_LINK_LIMIT.limit; i++) {
      expect((await testApp.app.request(`/g/${boardId}`, forged, from)).status).toBe(404)
    }
    expect((await testApp.app.request(`/g/${boardId}`, forged, from)).status).toBe(429)
  })
})

describe('the secret stays out of logs and URLs', () => {
  it('no console output carries it, and no page or redirect repeats it', async () => {
    const logged: string[] = []
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        logged.push(args.map(String).join(' '))
      })
    }
    const { testApp, boardId, linkPath } = await setupBoard()
    const path = await linkPath()
    const secret = path.split('/').at(-1)!
    const opened = await testApp.app.request(path)
    expect(opened.headers.get('location')).not.toContain(secret)
    const { html, client } = await openAsGuest(testApp, path)
    expect(html).not.toContain(secret)
    await client.post(`/g/${boardId}/messages`, { body: 'hi' })
    await testApp.app.request(`${path}x`)
    expect(logged.join('\n')).not.toContain(secret)
  })
})
