import { createServer, type IncomingMessage } from 'node:http'
import type { AddressInfo } from 'node:net'
import { describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { createWebhookEndpoint } from '../../src/webhooks/webhooks.usecases'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { apiClient } from './api.helpers'
import { openAsGuest } from './guest.helpers'
import {
  board,
  customerMails,
  DAY,
  outboxOf,
  rate,
  ratedSetup,
  ratingLinksIn,
} from './ratings.helpers'

const text = (response: Response) => response.text()

describe('rating when a board is done (happy path)', () => {
  it('the done email carries five one-click links; a link only shows the form; the POST records it', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId } = setup
    const mail = customerMails(testApp).find((m) => m.text.includes('確定いたしました'))!
    expect(mail.text).toContain('ご対応はいかがでしたか？')
    const links = ratingLinksIn(mail.text)
    expect(links).toHaveLength(5)
    expect(links.map((link) => link.slice(-1))).toEqual(['1', '2', '3', '4', '5'])
    for (const words of ['1 とても不満', '2 不満', '3 ふつう', '4 満足', '5 とても満足'])
      expect(mail.html).toContain(words)
    // the earlier post (not done yet) asked nothing
    const first = customerMails(testApp).find((m) => m.text.includes('校正データ'))!
    expect(ratingLinksIn(first.text)).toEqual([])

    // A mail scanner (or the customer) opens "4": cookie, then the confirmation form.
    const outboxBefore = await outboxOf(testApp, 'webhook')
    const opened = await testApp.app.request(new URL(links[3]!).pathname)
    expect(opened.status).toBe(303)
    expect(opened.headers.get('location')).toBe(`/g/${boardId}/rating?score=4`)
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!
    const form = await testApp.app.request(`/g/${boardId}/rating?score=4`, {
      headers: { Cookie: cookie },
    })
    expect(form.status).toBe(200)
    expect(form.headers.get('cache-control')).toBe('no-store')
    const html = await text(form)
    expect(html).toContain('<legend class="rating-question">ご対応はいかがでしたか？</legend>')
    expect(html).toContain('<input type="radio" name="score" value="4" checked="" required=""/>')
    expect(html).not.toMatch(/value="3" checked/)
    expect(html).toContain('送信するまで記録されません')
    // GET never writes
    expect((await board(testApp, boardId)).rating_score).toBeNull()
    expect((await board(testApp, boardId)).rated_at).toBeNull()
    expect(await outboxOf(testApp, 'webhook')).toEqual(outboxBefore)

    const now = testApp.clock.now().getTime()
    const posted = await rate(setup, boardId, { score: '4', comment: 'とても丁寧でした。' })
    expect(posted.status).toBe(303)
    expect(posted.headers.get('location')).toBe(`/g/${boardId}#rating`)
    expect(await board(testApp, boardId)).toMatchObject({
      rating_score: 4,
      rating_comment: 'とても丁寧でした。',
      rated_at: now,
      first_rated_at: now,
      status: 'done',
    })

    // The customer's page thanks them and shows what they gave.
    const page = await text(await setup.guest.get(`/g/${boardId}`))
    expect(page).toContain('ご評価ありがとうございました。')
    expect(page).toContain('4 満足')
    expect(page).toContain('とても丁寧でした。')
    expect(page).toContain('評価を変更する')
  })

  it('shows the rating on the staff board, as a badge on the list, and in the API', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId, staffUrl, member, workspace } = setup
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace,
      name: '受注',
      scope: 'read',
      createdBy: null,
    })
    const api = apiClient(testApp, key)
    const before = (await (await api.request('GET', `/boards/${boardId}`)).json()) as {
      board: { rating: unknown }
    }
    expect(before.board.rating).toBeNull()

    await rate(setup, boardId, { score: '5', comment: '助かりました' })
    const staff = await text(await member.get(staffUrl))
    expect(staff).toContain('お客様の満足度')
    expect(staff).toContain('5/5 とても満足')
    expect(staff).toContain('助かりました')
    const list = await text(await member.get(`/w/${workspace.slug}/boards`))
    expect(list).toContain('満足度 5/5')

    const rated = (await (await api.request('GET', `/boards/${boardId}`)).json()) as {
      board: { rating: unknown }
    }
    expect(rated.board.rating).toEqual({
      score: 5,
      comment: '助かりました',
      rated_at: testApp.clock.now().toISOString(),
    })
    const listed = (await (await api.request('GET', '/boards')).json()) as {
      boards: { id: string; rating: unknown }[]
    }
    expect(listed.boards.find((b) => b.id === boardId)?.rating).toMatchObject({ score: 5 })

    // The OpenAPI document describes the field.
    const doc = (await (await testApp.app.request('/api/v1/openapi.json')).json()) as {
      components: { schemas: { Board: { properties: Record<string, unknown> } } }
    }
    const rating = JSON.stringify(doc.components.schemas.Board.properties.rating)
    expect(rating).toContain('"score"')
    expect(rating).toContain('"rated_at"')
    expect(rating).toContain('null')
  })

  it('may be changed for 7 days after the first rating, then it is refused with a clear message', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId } = setup
    const first = testApp.clock.now().getTime()
    expect((await rate(setup, boardId, { score: '3' })).status).toBe(303)
    testApp.clock.advance(7 * DAY - 60_000)
    expect(
      (await rate(setup, boardId, { score: '5', comment: '後から届いた品も良かった' })).status,
    ).toBe(303)
    expect(await board(testApp, boardId)).toMatchObject({
      rating_score: 5,
      rating_comment: '後から届いた品も良かった',
      first_rated_at: first,
      rated_at: first + 7 * DAY - 60_000,
    })
    const page = await text(await setup.guest.get(`/g/${boardId}`))
    expect(page).toContain('まで変更できます')

    testApp.clock.advance(60_000) // exactly 7 days after the first rating
    const refused = await rate(setup, boardId, { score: '1', comment: 'やっぱり' })
    expect(refused.status).toBe(409)
    const html = await text(refused)
    expect(html).toContain(
      'ご評価を変更できるのは、最初にご評価いただいてから7日間です。期間を過ぎたため変更できません。',
    )
    expect(html).toContain('5 とても満足') // what stays recorded
    expect(await board(testApp, boardId)).toMatchObject({ rating_score: 5 })
    const locked = await text(await setup.guest.get(`/g/${boardId}`))
    expect(locked).toContain('評価の変更の受付は終了しました。')
    expect(locked).not.toContain('name="score"')
  })

  it('asks on the customer page with the workspace question, five labelled radios and a comment', async () => {
    const setup = await ratedSetup({ done: false, question: '今回の対応はいかがでしたか？' })
    const { testApp, boardId, staffUrl, member } = setup
    const before = await text(await setup.guest.get(`/g/${boardId}`))
    expect(before).not.toContain('rating-question')
    expect(before).toContain('解決しました') // the customer may end it themselves

    await member.post(staffUrl, { status: 'done' }) // the side panel, no email
    const page = await text(await setup.guest.get(`/g/${boardId}`))
    expect(page).toContain('<fieldset class="rating-scale"')
    expect(page).toContain('<legend class="rating-question">今回の対応はいかがでしたか？</legend>')
    for (const score of [1, 2, 3, 4, 5])
      expect(page).toContain(`<input type="radio" name="score" value="${score}" required=""/>`)
    expect(page).toContain('<span class="sr-only">4 </span>満足')
    expect(page).toContain('name="comment"')
    expect(page).toContain('コメント（任意）')
    expect(page).not.toContain('解決しました</button>') // already done
    expect((await rate(setup, boardId, { score: '4' })).status).toBe(303)
    expect(await board(testApp, boardId)).toMatchObject({ rating_score: 4, rating_comment: null })
  })

  it('a low rating (1–2) alerts every member who takes customer-post emails, once, through the outbox', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId, workspace } = setup
    await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'aya@example.jp',
        name: '佐藤 彩',
        password: 'correct horse',
        role: 'member',
      },
    })
    const quietId = await createMember({
      deps: testApp.deps,
      workspace,
      input: { email: 'quiet@example.jp', name: '静か', password: 'correct horse', role: 'member' },
    })
    await testApp.deps.db
      .updateTable('members')
      .set({ notify_email: 0 })
      .where('id', '=', quietId)
      .execute()

    expect((await rate(setup, boardId, { score: '2', comment: '返信が遅かったです' })).status).toBe(
      303,
    )
    // written with the rating itself (one batch): waiting in the outbox before any send
    const alerts = await outboxOf(testApp, 'rating-alert')
    expect(alerts).toHaveLength(2)
    expect(alerts.map((row) => row.idempotency_key).sort()).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^rating-alert/${boardId}/`))]),
    )
    await testApp.drain()
    const sent = testApp.mailer.sent.filter((mail) => mail.subject.startsWith('【満足度 2/5】'))
    expect(sent.map((mail) => mail.to).sort()).toEqual(['aya@example.jp', setup.memberEmail].sort())
    expect(sent[0]!.subject).toBe('【満足度 2/5】名刺 100枚')
    expect(sent[0]!.text).toContain('返信が遅かったです')
    expect(sent[0]!.text).toContain(`/w/${workspace.slug}/boards/${boardId}`)
    expect(sent[0]!.headers['Auto-Submitted']).toBe('auto-generated')

    // Changed to 1, sent twice (double tap): nobody is alerted again.
    await rate(setup, boardId, { score: '1' })
    await rate(setup, boardId, { score: '1' })
    await testApp.drain()
    expect(await outboxOf(testApp, 'rating-alert')).toHaveLength(2)
    expect(testApp.mailer.sent.filter((mail) => mail.subject.includes('満足度'))).toHaveLength(2)
    expect((await outboxOf(testApp, 'rating-alert')).every((row) => row.status === 'sent')).toBe(
      true,
    )
  })

  it('a board with an assignee alerts the assignee alone, whatever their email setting', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId, workspace, staffUrl, member } = setup
    const ayaId = await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'aya@example.jp',
        name: '佐藤 彩',
        password: 'correct horse',
        role: 'member',
      },
    })
    await testApp.deps.db
      .updateTable('members')
      .set({ notify_email: 0 })
      .where('id', '=', ayaId)
      .execute()
    expect((await member.post(staffUrl, { assignee: ayaId })).status).toBeLessThan(400)
    expect((await board(testApp, boardId)).assignee_member_id).toBe(ayaId)
    await rate(setup, boardId, { score: '1', comment: '連絡がありませんでした' })
    const alerts = await outboxOf(testApp, 'rating-alert')
    expect(alerts.map((row) => row.idempotency_key)).toEqual([`rating-alert/${boardId}/${ayaId}`])
    await testApp.drain()
    expect(
      testApp.mailer.sent.filter((mail) => mail.subject.startsWith('【満足度')).map((m) => m.to),
    ).toEqual(['aya@example.jp'])
  })

  it('a good rating alerts nobody; a later change down to 2 does', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId } = setup
    await rate(setup, boardId, { score: '4' })
    expect(await outboxOf(testApp, 'rating-alert')).toEqual([])
    await rate(setup, boardId, { score: '2', comment: '追記: 梱包が雑でした' })
    const [alert] = await outboxOf(testApp, 'rating-alert')
    expect(JSON.parse(alert!.payload)).toMatchObject({ score: 2, comment: '追記: 梱包が雑でした' })
  })

  it('board.rated goes to webhooks with the rating (and the score before a change), signed', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId, workspace } = setup
    const received: { headers: IncomingMessage['headers']; body: string }[] = []
    const server = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk) => (body += chunk))
      request.on('end', () => {
        received.push({ headers: request.headers, body })
        response.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`
      await createWebhookEndpoint({
        deps: testApp.deps,
        workspace,
        createdBy: null,
        input: { url, events: ['board.rated'] },
      })
      await rate(setup, boardId, { score: '4', comment: '満足です' })
      testApp.clock.advance(60_000)
      await rate(setup, boardId, { score: '2' })
      await testApp.drain()
      const rows = await outboxOf(testApp, 'webhook')
      expect(rows).toHaveLength(2)
      // the sender runs after the rating's own send; deliver what is due
      const { drainOutbox } = await import('../../src/notifications/outbox')
      const { outboxHandlers } = await import('../../src/notifications/outbox.handlers')
      await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
      const events = received.map(
        (r) =>
          JSON.parse(r.body) as {
            id: string
            type: string
            data: {
              board: { id: string; status: string }
              rating: unknown
              previous_score: unknown
            }
          },
      )
      expect(events.map((event) => event.type)).toEqual(['board.rated', 'board.rated'])
      expect(events[0]!.data).toEqual({
        board: { id: boardId, name: '名刺 100枚', dedupe_key: null, status: 'done' },
        rating: { score: 4, comment: '満足です', rated_at: expect.any(String) },
        previous_score: null,
      })
      expect(events[1]!.data).toMatchObject({
        rating: { score: 2, comment: null },
        previous_score: 4,
      })
      expect(received[0]!.headers['orderboard-event']).toBe('board.rated')
      expect(received[0]!.headers['orderboard-signature']).toMatch(/^t=\d+,v1=/)
      expect(new Set(events.map((event) => event.id)).size).toBe(2)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})

describe('「解決しました」: the customer ends the board', () => {
  it('moves it to 完了 through the status change staff use, says who did, then asks for the rating', async () => {
    const setup = await ratedSetup({ done: false })
    const { testApp, boardId, staffUrl, member } = setup
    const page = await text(await setup.guest.get(`/g/${boardId}`))
    expect(page).toContain('ご依頼の件は解決しましたか？')
    expect(page).toContain(`action="/g/${boardId}/settle"`)

    const settled = await setup.guest.post(`/g/${boardId}/settle`, {})
    expect(settled.status).toBe(303)
    expect(settled.headers.get('location')).toBe(`/g/${boardId}?settled=1#rating`)
    expect((await board(testApp, boardId)).status).toBe('done')
    const history = await testApp.deps.db.selectFrom('status_changes').selectAll().execute()
    expect(history).toMatchObject([
      {
        board_id: boardId,
        status: 'done',
        previous_status: 'waiting',
        actor_kind: 'guest',
        actor_name: '山田 太郎',
      },
    ])

    const after = await text(await setup.guest.get(`/g/${boardId}?settled=1`))
    expect(after).toContain('チャットボードを「完了」にしました。')
    expect(after).toContain('<legend class="rating-question">ご対応はいかがでしたか？</legend>')
    expect(after).not.toContain(`action="/g/${boardId}/settle"`)
    // pressing it again changes nothing
    expect((await setup.guest.post(`/g/${boardId}/settle`, {})).status).toBe(303)
    expect(await testApp.deps.db.selectFrom('status_changes').selectAll().execute()).toHaveLength(1)

    // Staff see who ended it.
    const staff = await text(await member.get(staffUrl))
    expect(staff).toContain('お客様が完了にしました')

    // The customer writes again: the board is theirs to answer (要対応) and the line goes.
    await setup.guest.post(`/g/${boardId}/messages`, { body: 'もう一点だけ質問です' })
    expect((await board(testApp, boardId)).status).toBe('replied')
    expect(await text(await member.get(staffUrl))).not.toContain('お客様が完了にしました')
  })

  it('works with ratings off too (no prompt), and cancels an automatic answer still waiting', async () => {
    const setup = await ratedSetup({ done: false, rating: false })
    const { testApp, boardId, workspace } = setup
    const { setRating } = await import('./ratings.helpers')
    await setRating(testApp, workspace.id, { on: false, autoAnswer: true })
    await setup.guest.post(`/g/${boardId}/messages`, { body: '届きました、ありがとうございます' })
    const [waiting] = await testApp.deps.db.selectFrom('auto_answers').selectAll().execute()
    expect(waiting?.state).toBe('pending')

    expect((await setup.guest.post(`/g/${boardId}/settle`, {})).status).toBe(303)
    expect((await board(testApp, boardId)).status).toBe('done')
    const [cancelled] = await testApp.deps.db.selectFrom('auto_answers').selectAll().execute()
    expect(cancelled?.state).toBe('cancelled')
    const page = await text(await setup.guest.get(`/g/${boardId}?settled=1`))
    expect(page).toContain('チャットボードを「完了」にしました。')
    expect(page).not.toContain('rating-question')
  })

  it('members and API keys who set a status are named too', async () => {
    const setup = await ratedSetup({ done: false })
    const { testApp, boardId, staffUrl, member, workspace } = setup
    await member.post(staffUrl, { status: 'done' })
    expect(await text(await member.get(staffUrl))).toContain('オーナーが完了にしました')
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace,
      name: '受注システム',
      createdBy: null,
    })
    await apiClient(testApp, key).request('PATCH', `/boards/${boardId}`, { closed: true })
    expect(await text(await member.get(staffUrl))).toContain('API（受注システム）が終了にしました')
    const history = await testApp.deps.db
      .selectFrom('status_changes')
      .select(['actor_kind', 'status'])
      .orderBy('at')
      .execute()
    expect(history).toEqual([
      { actor_kind: 'member', status: 'done' },
      { actor_kind: 'api', status: 'closed' },
    ])
    // the guest link still opens (closed boards stay readable)
    expect((await openAsGuest(testApp, await setup.linkPath())).page.status).toBe(200)
  })
})
