import { describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { BASE_URL } from '../helpers/app'
import { apiClient } from './api.helpers'
import { openAsGuest } from './guest.helpers'
import {
  board,
  customerMails,
  linksFor,
  outboxOf,
  rate,
  ratedSetup,
  ratingLinksIn,
} from './ratings.helpers'

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString()

describe('rating and 「解決しました」: who may, and what a GET may do', () => {
  it('every link a mail scanner opens records nothing: no rating, no alert, no webhook, no status', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId } = setup
    const links = ratingLinksIn(customerMails(testApp).at(-1)!.text)
    const outboxBefore = await testApp.deps.db.selectFrom('outbox').select('id').execute()
    const boardBefore = await board(testApp, boardId)
    for (const link of links) {
      const opened = await testApp.app.request(new URL(link).pathname)
      expect(opened.status).toBe(303)
      const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!
      const page = await testApp.app.request(opened.headers.get('location')!, {
        headers: { Cookie: cookie },
      })
      expect(page.status).toBe(200)
      expect(page.headers.get('referrer-policy')).toBe('no-referrer')
      expect(page.headers.get('cache-control')).toBe('no-store')
      // HEAD too (some scanners only ask for headers)
      expect(
        (
          await testApp.app.request(opened.headers.get('location')!, {
            method: 'HEAD',
            headers: { Cookie: cookie },
          })
        ).status,
      ).toBeLessThan(400)
    }
    const boardAfter = await board(testApp, boardId)
    expect(boardAfter).toEqual(boardBefore)
    expect(await testApp.deps.db.selectFrom('outbox').select('id').execute()).toEqual(outboxBefore)
    expect(await testApp.deps.db.selectFrom('status_changes').selectAll().execute()).toEqual([])
  })

  it('no cookie, a forged one or another board’s: 404 for the form, the rating and 「解決しました」', async () => {
    const setup = await ratedSetup()
    // another workspace in the same app, its own board and customer
    const other = await ratedSetup({ testApp: setup.testApp })
    const { testApp, boardId } = setup
    const otherCookie = other.guest.cookie
    for (const cookie of ['', 'ob_guest=forged', otherCookie]) {
      const headers = { Cookie: cookie, Origin: BASE_URL }
      expect((await testApp.app.request(`/g/${boardId}/rating?score=5`, { headers })).status).toBe(
        404,
      )
      for (const path of ['rating', 'settle']) {
        const response = await testApp.app.request(`/g/${boardId}/${path}`, {
          method: 'POST',
          headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
          body: form({ _csrf: other.guest.csrf, score: '1' }),
        })
        expect(response.status).toBe(404)
      }
    }
    // The other customer's own cookie works only on their own board.
    expect((await rate(other, other.boardId, { score: '5' })).status).toBe(303)
    expect((await board(testApp, boardId)).rating_score).toBeNull()
    expect((await board(testApp, other.boardId)).rating_score).toBe(5)
  })

  it('a wrong or missing form token, or a cross-site form, is refused (403) and nothing changes', async () => {
    const setup = await ratedSetup({ done: false })
    const { testApp, boardId } = setup
    const post = (path: string, fields: Record<string, string>, origin = BASE_URL) =>
      testApp.app.request(`/g/${boardId}/${path}`, {
        method: 'POST',
        headers: {
          Cookie: setup.guest.cookie,
          Origin: origin,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: form(fields),
      })
    expect((await post('settle', {})).status).toBe(403)
    expect((await post('settle', { _csrf: 'nope' })).status).toBe(403)
    expect((await post('settle', { _csrf: setup.guest.csrf }, 'https://evil.example')).status).toBe(
      403,
    )
    expect((await board(testApp, boardId)).status).toBe('waiting')

    await setup.member.post(setup.staffUrl, { status: 'done' })
    expect((await post('rating', { score: '1' })).status).toBe(403)
    expect((await post('rating', { score: '1', _csrf: 'nope' })).status).toBe(403)
    expect(
      (await post('rating', { score: '1', _csrf: setup.guest.csrf }, 'https://evil.example'))
        .status,
    ).toBe(403)
    expect((await board(testApp, boardId)).rating_score).toBeNull()
    expect(await outboxOf(testApp, 'rating-alert')).toEqual([])
  })

  it('a one-click link with a wrong secret or another board’s: 404; one replaced by a reissue: 410', async () => {
    const setup = await ratedSetup()
    const other = await ratedSetup({ testApp: setup.testApp })
    const { testApp, boardId, staffUrl, member } = setup
    const [link] = linksFor(testApp, boardId)
    const path = new URL(link!).pathname // /g/<board>/<secret>/rate/1
    const secret = path.split('/')[3]!
    const otherSecret = new URL(linksFor(testApp, other.boardId)[0]!).pathname.split('/')[3]!
    for (const wrong of ['x'.repeat(43), otherSecret, `${secret}x`]) {
      const response = await testApp.app.request(`/g/${boardId}/${wrong}/rate/1`)
      expect(response.status).toBe(404)
      expect(response.headers.get('set-cookie')).toBeNull()
    }
    expect((await testApp.app.request(path)).status).toBe(303)
    await member.post(`${staffUrl}/guest-link/reissue`, {})
    // the replaced link names the shop instead of opening the board (#15)
    expect((await testApp.app.request(path)).status).toBe(410)
    // the old cookie died with the link, too
    expect((await rate(setup, boardId, { score: '4' })).status).toBe(410)
    expect((await board(testApp, boardId)).rating_score).toBeNull()
  })

  it('a link with a score that is not 1–5 opens the form with nothing chosen', async () => {
    const setup = await ratedSetup()
    const [link] = ratingLinksIn(customerMails(setup.testApp).at(-1)!.text)
    const base = new URL(link!).pathname.replace(/\/1$/, '')
    for (const score of ['0', '6', 'x', '%3Cscript%3E']) {
      const opened = await setup.testApp.app.request(`${base}/${score}`)
      expect(opened.status).toBe(303)
      expect(opened.headers.get('location')).toBe(`/g/${setup.boardId}/rating`)
    }
    const page = await (await setup.guest.get(`/g/${setup.boardId}/rating?score=<b>`)).text()
    expect(page).not.toContain('checked')
    expect(page).not.toContain('<b>')
  })

  it('the comment is text everywhere: the customer page, the staff board and the alert email', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId, staffUrl, member } = setup
    const evil = '<img src=x onerror=alert(1)>&amp;\u202Eevil'
    expect((await rate(setup, boardId, { score: '1', comment: evil })).status).toBe(303)
    const guestPage = await (await setup.guest.get(`/g/${boardId}`)).text()
    expect(guestPage).not.toContain('<img src=x')
    expect(guestPage).toContain('&lt;img src=x onerror=alert(1)&gt;&amp;amp;')
    const staffPage = await (await member.get(staffUrl)).text()
    expect(staffPage).not.toContain('<img src=x')
    expect(staffPage).toContain('&lt;img src=x onerror=alert(1)&gt;')
    await testApp.drain()
    const alert = testApp.mailer.sent.find((mail) => mail.subject.startsWith('【満足度 1/5】'))!
    expect(alert.html).not.toContain('<img src=x')
    expect(alert.text).toContain('<img src=x onerror=alert(1)>') // plain text is plain
  })

  it('another workspace sees nothing: its members get 404, its API keys get 404', async () => {
    const setup = await ratedSetup()
    const other = await ratedSetup({ testApp: setup.testApp })
    await rate(setup, setup.boardId, { score: '2', comment: '社外秘のコメント' })
    expect(
      (
        await other.member.get(
          setup.staffUrl.replace(`/w/${setup.workspace.slug}/`, `/w/${other.workspace.slug}/`),
        )
      ).status,
    ).toBe(404)
    const list = await (await other.member.get(`/w/${other.workspace.slug}/boards`)).text()
    expect(list).not.toContain('社外秘')
    const { key } = await createApiKey({
      deps: setup.testApp.deps,
      workspace: other.workspace,
      name: 'other',
      createdBy: null,
    })
    expect(
      (await apiClient(setup.testApp, key).request('GET', `/boards/${setup.boardId}`)).status,
    ).toBe(404)
    // its members are never alerted about another workspace's rating
    const alerts = await outboxOf(setup.testApp, 'rating-alert')
    expect(alerts.every((row) => row.workspace_id === setup.workspace.id)).toBe(true)
    // the other customer's page never shows this board's rating
    const otherPage = (await openAsGuest(setup.testApp, await other.linkPath())).html
    expect(otherPage).not.toContain('社外秘')
  })
})
