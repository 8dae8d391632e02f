import { describe, expect, it } from 'vitest'
import { PermanentMailError } from '../../src/deps'
import { guestUrl } from '../../src/guest/guest.link'
import { createDevMailbox } from '../../src/notifications/transports/dev-mailbox'
import { BASE_URL, createTestApp } from '../helpers/app'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'
import { addMember, messageIdOf, outboxRows } from './notifications.helpers'

describe('the customer email on a staff post', () => {
  it('queues one email in the same write as the post and sends it with the board link', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard({ name: 'さくら印刷' })
    const posted = await member.post(`${staffUrl}/messages`, {
      body: '校正データをお送りします。\nご確認ください。',
    })
    expect(posted.status).toBe(303)

    const [row] = await outboxRows(testApp, boardId)
    const messageId = await messageIdOf(testApp, boardId, 1)
    expect(row).toMatchObject({
      kind: 'email',
      idempotency_key: `notify/${messageId}/guest`,
      message_id: messageId,
    })

    await testApp.drain()
    expect(testApp.mailer.sent).toHaveLength(1)
    const mail = testApp.mailer.sent[0]!
    const board = await findBoard(testApp, boardId)
    expect(mail.to).toBe('yamada@example.jp')
    expect(mail.subject).toBe('チャットボード通知【さくら印刷】')
    expect(mail.from).toBe('"さくら印刷" <no-reply@orderboard.test>')
    expect(mail.idempotencyKey).toBe(`notify/${messageId}/guest`)
    expect(mail.html).toContain('No.1')
    expect(mail.html).toContain('校正データをお送りします。<br/>ご確認ください。')
    expect(mail.html).toContain(await guestUrl(testApp.deps.config, board))
    // 30 days after 2026-11-24, in Tokyo, written as a person writes it (no year: this year)
    expect(mail.html).toContain('12月24日(木) まで表示されます')
    expect(mail.html).toContain('No.1 · ')
    expect(mail.html).toContain('11月24日(火) 10:00')
    expect(mail.html).not.toMatch(/2026-1\d-\d\d|2026\/1\d/)
    expect(mail.text).toContain('校正データをお送りします。\nご確認ください。')
    expect(mail.text).toContain(await guestUrl(testApp.deps.config, board))

    const sent = (await outboxRows(testApp, boardId))[0]!
    expect(sent).toMatchObject({
      status: 'sent',
      provider_id: 'mem-1',
      attempts: 1,
      last_error: null,
    })
  })

  it('threads every email of a board under one generated root', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: '一通目' })
    await member.post(`${staffUrl}/messages`, { body: '二通目' })
    await testApp.drain()
    const [first, second] = testApp.mailer.sent
    const root = `<board.${boardId}@orderboard.test>`
    const firstId = await messageIdOf(testApp, boardId, 1)
    // RFC 3834: no responder answers it; Exchange's out-of-office stays quiet (issue 14).
    expect(first!.headers).toEqual({
      'Auto-Submitted': 'auto-generated',
      'X-Auto-Response-Suppress': 'OOF, AutoReply',
      'Message-ID': `<notify.${firstId}.guest@orderboard.test>`,
      'In-Reply-To': root,
      References: root,
    })
    expect(second!.headers['In-Reply-To']).toBe(root)
    expect(second!.headers['Message-ID']).not.toBe(first!.headers['Message-ID'])
  })

  it('threads under the Message-ID given at creation', async () => {
    const testApp = createTestApp()
    const { member, workspace } = await setupBoard({ testApp })
    const created = await member.post(`/w/${workspace.slug}/boards`, {
      name: '封筒',
      customer_name: '鈴木 花子',
      customer_email: 'suzuki@example.jp',
      message_id: '<order-1234@shop.example>',
    })
    const staffUrl = created.headers.get('location')!
    await member.post(`${staffUrl}/messages`, { body: 'ご注文ありがとうございます。' })
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'suzuki@example.jp')!
    expect(mail.headers['In-Reply-To']).toBe('<order-1234@shop.example>')
    expect(mail.headers.References).toBe('<order-1234@shop.example>')
  })

  it('writes English for an English workspace', async () => {
    const { testApp, member, staffUrl } = await setupBoard({ locale: 'en', name: 'Sakura Print' })
    await member.post(`${staffUrl}/messages`, { body: 'Here is the proof.' })
    await testApp.drain()
    const mail = testApp.mailer.sent[0]!
    expect(mail.subject).toBe('Board update [Sakura Print]')
    expect(mail.html).toContain('Open the board and reply')
    expect(mail.html).toContain('available until Thu, Dec 24')
  })

  it('sends nothing for an internal note or a post marked as a small correction', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    expect(
      (await member.post(`${staffUrl}/messages`, { body: '社内メモです', internal: '1' })).status,
    ).toBe(303)
    expect(
      (await member.post(`${staffUrl}/messages`, { body: '誤字訂正: 10日→11日', silent: '1' }))
        .status,
    ).toBe(303)
    await testApp.drain()
    expect(await outboxRows(testApp, boardId)).toEqual([])
    expect(testApp.mailer.sent).toEqual([])
    const silent = await testApp.deps.db
      .selectFrom('messages')
      .selectAll()
      .where('board_id', '=', boardId)
      .where('no', '=', 1)
      .executeTakeFirstOrThrow()
    expect(silent.notify_guest).toBe(0)
  })

  it('offers the small-correction checkbox in the composer', async () => {
    const { member, staffUrl } = await setupBoard()
    const html = await (await member.get(staffUrl)).text()
    expect(html).toContain('name="silent"')
    expect(html).toContain('お客様にメールしない')
  })
})

describe('member emails on a customer post', () => {
  it('emails every member with notifications on, and nobody else', async () => {
    const { testApp, workspace, staffUrl, boardId, linkPath } = await setupBoard({
      name: 'さくら印刷',
    })
    const aya = await addMember(testApp, workspace.id, {
      name: '佐藤 彩',
      email: 'aya@example.com',
    })
    await addMember(testApp, workspace.id, {
      name: '田中 健',
      email: 'ken@example.com',
      notify: false,
    })
    const english = await addMember(testApp, workspace.id, {
      name: 'Emma',
      email: 'emma@example.com',
      locale: 'en',
    })
    // another workspace's member never hears about this board
    const other = await setupBoard({ testApp, slug: 'other-shop' })
    await addMember(testApp, other.workspace.id, { name: '他社', email: 'other@example.com' })

    const guest = await openAsGuest(testApp, await linkPath())
    const posted = await guest.client.post(`/g/${boardId}/messages`, {
      body: '電話番号を直してください。\nよろしくお願いします。',
    })
    expect(posted.status).toBeLessThan(400)
    await testApp.drain()

    const messageId = await messageIdOf(testApp, boardId, 1)
    const rows = await outboxRows(testApp, boardId)
    const keys = rows.map((row) => row.idempotency_key).sort()
    const ownerId = (
      await testApp.deps.db
        .selectFrom('members')
        .select('id')
        .where('email', '=', `owner-${workspace.slug}@example.com`)
        .executeTakeFirstOrThrow()
    ).id
    expect(keys).toEqual(
      [
        `notify/${messageId}/${aya}`,
        `notify/${messageId}/${english}`,
        `notify/${messageId}/${ownerId}`,
      ].sort(),
    )

    const recipients = testApp.mailer.sent.map((mail) => mail.to).sort()
    expect(recipients).toEqual([
      'aya@example.com',
      'emma@example.com',
      `owner-${workspace.slug}@example.com`,
    ])
    const toAya = testApp.mailer.sent.find((mail) => mail.to === 'aya@example.com')!
    expect(toAya.subject).toBe('【返信あり】名刺 100枚（山田 太郎 様）')
    expect(toAya.html).toContain('<span dir="auto">佐藤 彩</span> さん')
    expect(toAya.html).toContain('電話番号を直してください。<br/>よろしくお願いします。')
    expect(toAya.html).toContain(`${BASE_URL}${staffUrl}`)
    expect(toAya.headers['In-Reply-To']).toBe(`<board.${boardId}@orderboard.test>`)
    expect(toAya.headers['Message-ID']).toBe(`<notify.${messageId}.${aya}@orderboard.test>`)
    const toEmma = testApp.mailer.sent.find((mail) => mail.to === 'emma@example.com')!
    expect(toEmma.subject).toBe('[Reply] 名刺 100枚 (山田 太郎)')
    // the customer's own post never emails the customer
    expect(recipients).not.toContain('yamada@example.jp')
  })

  it('lets each member switch their own emails off and on from the settings page', async () => {
    const { testApp, workspace, member, boardId, linkPath } = await setupBoard()
    const page = await (await member.get(`/w/${workspace.slug}/settings`)).text()
    expect(page).toContain(`action="/w/${workspace.slug}/settings/me"`)
    expect(page).toMatch(/name="notify_email" value="1" checked/)

    const off = await member.post(`/w/${workspace.slug}/settings/me`, {})
    expect(off.status).toBe(303)
    expect(off.headers.get('location')).toBe(`/w/${workspace.slug}/settings?saved=me`)
    const saved = await (await member.get(off.headers.get('location')!)).text()
    expect(saved).toContain('通知設定を保存しました。')
    expect(saved).not.toMatch(/name="notify_email" value="1" checked/)

    const guest = await openAsGuest(testApp, await linkPath())
    await guest.client.post(`/g/${boardId}/messages`, { body: 'こんにちは' })
    await testApp.drain()
    expect(testApp.mailer.sent).toEqual([])

    await member.post(`/w/${workspace.slug}/settings/me`, { notify_email: '1' })
    await guest.client.post(`/g/${boardId}/messages`, { body: 'もう一度' })
    await testApp.drain()
    expect(testApp.mailer.sent.map((mail) => mail.to)).toEqual([
      `owner-${workspace.slug}@example.com`,
    ])
  })
})

describe('the dev mailbox', () => {
  it('keeps mail in the database and shows it as a page and as JSON', async () => {
    const testApp = createTestApp()
    testApp.deps.mailer = createDevMailbox(testApp.deps.db, testApp.clock)
    const { member, staffUrl, boardId } = await setupBoard({ testApp, name: 'さくら印刷' })
    await member.post(`${staffUrl}/messages`, { body: '<script>alert(1)</script> 校正です' })
    await testApp.drain()

    const json = (await (await testApp.app.request('/_dev/mail.json')).json()) as {
      id: number
      to: string
      from: string
      subject: string
      text: string
      html: string
      headers: Record<string, string>
      created_at: number
    }[]
    expect(json).toHaveLength(1)
    const mail = json[0]!
    expect(mail).toMatchObject({
      to: 'yamada@example.jp',
      from: '"さくら印刷" <no-reply@orderboard.test>',
      subject: 'チャットボード通知【さくら印刷】',
    })
    expect(mail.headers['In-Reply-To']).toBe(`<board.${boardId}@orderboard.test>`)
    expect(mail.created_at).toBe(testApp.clock.now().getTime())
    expect(mail.html).not.toContain('<script>')
    expect(mail.html).toContain('&lt;script&gt;')
    const link = /https?:\/\/[^\s"<]+\/g\/[^\s"<]+/.exec(mail.text)?.[0]
    expect(link).toBeTruthy()

    const list = await (await testApp.app.request('/_dev/mail')).text()
    expect(list).toContain('チャットボード通知【さくら印刷】')
    expect(list).toContain(`href="/_dev/mail/${mail.id}"`)
    const view = await (await testApp.app.request(`/_dev/mail/${mail.id}`)).text()
    expect(view).toContain(`/_dev/mail/${mail.id}/html`)
    expect(view).toContain('sandbox=""')
    const raw = await testApp.app.request(`/_dev/mail/${mail.id}/html`)
    expect(raw.headers.get('content-security-policy')).toContain("default-src 'none'")
    expect(raw.headers.get('content-security-policy')).toContain('sandbox')
    expect(await raw.text()).toBe(mail.html)
    expect((await testApp.app.request('/_dev/mail/999')).status).toBe(404)

    // the same idempotency key twice is one mail, like a real provider
    const again = await testApp.deps.mailer.send({
      from: 'a@x.test',
      to: 'b@x.test',
      subject: 's',
      html: '',
      text: '',
      headers: {},
      idempotencyKey: `notify/${'x'}/guest`,
    })
    const twice = await testApp.deps.mailer.send({
      from: 'a@x.test',
      to: 'b@x.test',
      subject: 's',
      html: '',
      text: '',
      headers: {},
      idempotencyKey: `notify/${'x'}/guest`,
    })
    expect(twice.providerId).toBe(again.providerId)
  })
})

describe('delivery problems on the board page', () => {
  it('lists a failed notification and lets a member retry it', async () => {
    const testApp = createTestApp()
    let fail = true
    const memory = testApp.mailer
    testApp.deps.mailer = {
      name: 'flaky',
      async send(mail) {
        if (fail) throw new PermanentMailError('resend 422 validation_error: invalid to')
        return memory.send(mail)
      },
    }
    const { member, staffUrl, boardId } = await setupBoard({ testApp })
    await member.post(`${staffUrl}/messages`, { body: '校正です' })
    await testApp.drain()
    const [row] = await outboxRows(testApp, boardId)
    expect(row).toMatchObject({
      status: 'failed',
      last_error: 'resend 422 validation_error: invalid to',
    })

    const page = await (await member.get(staffUrl)).text()
    expect(page).toContain(`hx-get="${staffUrl}/notifications"`)
    const fragment = await (await member.get(`${staffUrl}/notifications`)).text()
    expect(fragment).toContain('メール通知の問題')
    expect(fragment).toContain('No.1 · お客様へ')
    expect(fragment).toContain('送信できませんでした')
    expect(fragment).toContain('resend 422 validation_error: invalid to')

    fail = false
    const retried = await member.post(
      `${staffUrl}/notifications/${row!.id}/retry`,
      {},
      { 'HX-Request': 'true' },
    )
    expect(retried.status).toBe(200)
    expect(await retried.text()).toContain('再送を予約しました。')
    await testApp.drain()
    expect((await outboxRows(testApp, boardId))[0]).toMatchObject({ status: 'sent', attempts: 1 })
    expect(memory.sent).toHaveLength(1)
    expect(await (await member.get(`${staffUrl}/notifications`)).text()).not.toContain(
      'メール通知の問題',
    )
  })

  it('shows a notification still waiting after ten minutes as stuck', async () => {
    const testApp = createTestApp()
    const { member, staffUrl } = await setupBoard({ testApp })
    // a silent post (no row of its own), then a row whose retry is an hour away
    await member.post(`${staffUrl}/messages`, { body: '校正です', silent: '1' })
    const board = staffUrl.split('/').at(-1)!
    await testApp.deps.db
      .insertInto('outbox')
      .values({
        id: 'stuck-1',
        workspace_id: (await findBoard(testApp, board)).workspace_id,
        kind: 'email',
        idempotency_key: `notify/${await messageIdOf(testApp, board, 1)}/guest`,
        board_id: board,
        message_id: await messageIdOf(testApp, board, 1),
        payload: '{}',
        status: 'pending',
        attempts: 2,
        next_attempt_at: testApp.clock.now().getTime() + 60_000,
        created_at: testApp.clock.now().getTime(),
      })
      .execute()
    expect(await (await member.get(`${staffUrl}/notifications`)).text()).not.toContain(
      '送信待ちのままです',
    )
    testApp.clock.advance(11 * 60_000)
    const fragment = await (await member.get(`${staffUrl}/notifications`)).text()
    expect(fragment).toContain('送信待ちのままです')
    expect(fragment).toContain('2回試行')
    expect(fragment).not.toContain('再送する')
  })
})
