import { describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { BASE_URL } from '../helpers/app'
import { apiClient } from './api.helpers'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'
import { boardEvents, boardWithApi } from './board-details.helpers'

const VALID = { name: '名刺 200枚', customer_name: '山田 太郎', customer_email: 'taro@example.jp' }

describe('correcting the details: security', () => {
  it("another workspace's board is 404 from the form and the API, and nothing changes", async () => {
    const a = await boardWithApi({ slug: 'shop-a' })
    const b = await setupBoard({ testApp: a.testApp, slug: 'shop-b' })
    const before = await findBoard(a.testApp, b.boardId)
    // a member of A names B's board under A's slug, and under B's slug
    expect((await a.member.post(`/w/shop-a/boards/${b.boardId}/details`, VALID)).status).toBe(404)
    expect((await a.member.post(`/w/shop-b/boards/${b.boardId}/details`, VALID)).status).toBe(404)
    expect(
      (await a.member.post(`/w/shop-a/boards/${b.boardId}/resend-notification`, { event_id: 'x' }))
        .status,
    ).toBe(404)
    expect((await a.api.request('PATCH', `/boards/${b.boardId}`, VALID)).status).toBe(404)
    expect(await findBoard(a.testApp, b.boardId)).toEqual(before)
    expect(await boardEvents(a.testApp, b.boardId)).toEqual([])
  })

  it('refuses a form without the CSRF token or from another site', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    const before = await findBoard(testApp, boardId)
    const noToken = await testApp.app.request(`${staffUrl}/details`, {
      method: 'POST',
      headers: {
        Cookie: member.cookie,
        Origin: BASE_URL,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(VALID).toString(),
    })
    expect(noToken.status).toBe(403)
    const crossSite = await member.post(`${staffUrl}/details`, VALID, {
      Origin: 'https://evil.example',
    })
    expect(crossSite.status).toBe(403)
    expect(await findBoard(testApp, boardId)).toEqual(before)
  })

  it('markup in a corrected value is text everywhere it is shown', async () => {
    const { member, staffUrl } = await setupBoard()
    const evil = '<img src=x onerror=alert(1)>'
    expect(
      (await member.post(`${staffUrl}/details`, { ...VALID, customer_name: evil })).status,
    ).toBe(303)
    const page = await (await member.get(staffUrl)).text()
    expect(page).not.toContain(evil)
    expect(page).toContain('&lt;img src=x onerror=alert(1)&gt;')
  })

  it('a read-only key cannot correct details', async () => {
    const { testApp, boardId, workspace } = await boardWithApi()
    const row = await testApp.deps.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', workspace.id)
      .executeTakeFirstOrThrow()
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace: row,
      name: 'read',
      scope: 'read',
      createdBy: null,
    })
    const response = await apiClient(testApp, key).request('PATCH', `/boards/${boardId}`, VALID)
    expect(response.status).toBe(403)
    expect(await boardEvents(testApp, boardId)).toEqual([])
  })

  it('the customer never sees system lines, the old address or who changed it', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: 'ご確認ください。' })
    await member.post(`${staffUrl}/details`, VALID)
    const guest = await openAsGuest(testApp, await linkPath())
    expect(guest.html).not.toContain('board-event')
    expect(guest.html).not.toContain('yamada@example.jp')
    expect(guest.html).not.toContain('taro@example.jp')
    const poll = await (
      await guest.client.get(`/g/${boardId}?after=0`, { 'HX-Request': 'true' })
    ).text()
    expect(poll).not.toContain('変更しました')
  })
})
