// The customer's thread is kept as rendered markup (views/fragments.ts, views/guest/board.tsx).
// These tests look at the page, change what it shows, and look again; and they make sure
// nothing of one customer ever reaches another.
import { describe, expect, it } from 'vitest'
import { fragmentCache } from '../../views/fragments'
import { createTestApp } from '../helpers/app'
import { openAsGuest, setupBoard } from './guest.helpers'

/** The page without the reply form's per-submit key, which is new on every view by design. */
const stable = (html: string) => html.replace(/name="submit_key" value="[^"]*"/g, '')

const csrfOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)?.[1]

describe('customer page from kept markup', () => {
  it('is byte for byte the page rendered afresh, and shows every change', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    for (const body of ['一通目です。', '二通目です。', '三通目です。'])
      await member.post(`${staffUrl}/messages`, { body })
    await member.post(`${staffUrl}/messages`, { body: '社内メモ', internal: '1' })
    const { client, html: first } = await openAsGuest(testApp, await linkPath())
    const hits = fragmentCache.stats().hits
    const second = await (await client.get(`/g/${boardId}`)).text()
    expect(fragmentCache.stats().hits).toBeGreaterThan(hits)
    expect(stable(second)).toBe(stable(first))
    expect(second).toContain(`?after=3`)
    expect(second).toContain('href="#no-3"')
    expect(second).not.toContain('社内メモ')

    // an edit, a decision and a new message each show on the next look
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('board_id', '=', boardId)
      .where('no', '=', 2)
      .executeTakeFirstOrThrow()
    await member.post(`${staffUrl}/messages/${message.id}`, { body: '二通目（直しました）' })
    let html = await (await client.get(`/g/${boardId}`)).text()
    expect(html).toContain('二通目（直しました）')
    expect(html).not.toContain('二通目です。')
    expect(html).not.toContain('guest-decided')

    await member.post(`${staffUrl}/messages`, { body: 'No.1 で確定します', decides_no: '1' })
    html = await (await client.get(`/g/${boardId}`)).text()
    expect(html).toContain('guest-decided')
    expect(html).toContain('No.1 で確定します')
    expect(html).toContain(`?after=4`)
    expect(stable(await (await client.get(`/g/${boardId}`)).text())).toBe(stable(html))
  })

  it('two customers on two boards share nothing of their own', async () => {
    const testApp = createTestApp()
    const a = await setupBoard({
      testApp,
      slug: 'shop-a',
      board: { name: '名刺A', customer_name: '顧客 エー', customer_email: 'a@example.jp' },
    })
    const b = await setupBoard({
      testApp,
      slug: 'shop-b',
      board: { name: '名刺B', customer_name: '顧客 ビー', customer_email: 'b@example.jp' },
    })
    await a.member.post(`${a.staffUrl}/messages`, { body: 'Aさんへの校正です。' })
    await b.member.post(`${b.staffUrl}/messages`, { body: 'Bさんへの校正です。' })
    const guestA = await openAsGuest(testApp, await a.linkPath())
    const guestB = await openAsGuest(testApp, await b.linkPath())

    for (let look = 0; look < 3; look++) {
      const pageA = await (await guestA.client.get(`/g/${a.boardId}`)).text()
      const pageB = await (await guestB.client.get(`/g/${b.boardId}`)).text()
      const [tokenA, tokenB] = [csrfOf(pageA), csrfOf(pageB)]
      expect(tokenA).toBeTruthy()
      expect(tokenB).toBeTruthy()
      expect(tokenA).not.toBe(tokenB)
      expect(pageA).toContain('Aさんへの校正です。')
      expect(pageA).not.toContain('Bさんへの校正です。')
      expect(pageA).not.toContain(tokenB)
      expect(pageA).not.toContain('顧客 ビー')
      expect(pageB).toContain('Bさんへの校正です。')
      expect(pageB).not.toContain('Aさんへの校正です。')
      expect(pageB).not.toContain(tokenA)
      expect(pageB).not.toContain('顧客 エー')
      // each customer's answer lands on their own board only
      const posted = await guestB.client.post(`/g/${b.boardId}/messages`, {
        body: `Bからの返信 ${look}`,
      })
      expect(posted.status).toBe(303)
    }
    const pageA = await (await guestA.client.get(`/g/${a.boardId}`)).text()
    expect(pageA).not.toContain('Bからの返信')
    // A's cookie opens nothing on B's board
    expect((await guestA.client.get(`/g/${b.boardId}`)).status).toBe(404)
    const pageB = await (await guestB.client.get(`/g/${b.boardId}`)).text()
    expect(pageB).toContain('Bからの返信 2')
  })

  it('a page view with nothing new records the visit at most once a minute', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '一通目です。' })
    const { client } = await openAsGuest(testApp, await linkPath())
    const visitAt = async () =>
      (
        await testApp.deps.db
          .selectFrom('boards')
          .select(['guest_read_at', 'guest_read_no'])
          .where('id', '=', boardId)
          .executeTakeFirstOrThrow()
      ).guest_read_at
    const opened = await visitAt()
    testApp.clock.advance(30_000)
    await client.get(`/g/${boardId}`)
    expect(await visitAt()).toBe(opened)
    testApp.clock.advance(30_000)
    await client.get(`/g/${boardId}`)
    expect(await visitAt()).toBe(testApp.clock.now().getTime())
    // something new is recorded at once
    await member.post(`${staffUrl}/messages`, { body: '二通目です。' })
    testApp.clock.advance(1_000)
    await client.get(`/g/${boardId}`)
    expect(await visitAt()).toBe(testApp.clock.now().getTime())
  })
})
