import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { partOfDayAt } from '../../emails/daily-digest'
import { queueDailyDigests } from '../../src/next-contact/digest'
import { drainOutbox } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { createTestApp, createTestWorkspace, loginAs } from '../helpers/app'
import { boardWithApi } from './board-details.helpers'
import { linkPath, openAsGuest, setupBoard } from './guest.helpers'
import { outboxRows } from './notifications.helpers'

// #15.10: links and small things, each checked.

const FULL_WIDTH = /[（）「」【】]/

async function setContact(testApp: ReturnType<typeof createTestApp>, slug: string) {
  await testApp.deps.db
    .updateTable('workspaces')
    .set({ contact_email: 'info@sakura.example', contact_phone: '03-1234-5678' })
    .where('slug', '=', slug)
    .execute()
}

describe('an old or revoked customer link names the shop and its contact', () => {
  it('the replaced link and its cookie: 410 with the shop, its phone and email', async () => {
    const { testApp, member, staffUrl, workspace, boardId } = await setupBoard({
      name: 'さくら印刷',
    })
    await setContact(testApp, workspace.slug)
    const oldPath = await linkPath(testApp, boardId)
    const { client } = await openAsGuest(testApp, oldPath)
    await member.post(`${staffUrl}/guest-link/reissue`, {})

    for (const response of [
      await testApp.app.request(oldPath),
      await client.get(`/g/${boardId}`),
    ]) {
      expect(response.status).toBe(410)
      expect(response.headers.get('referrer-policy')).toBe('no-referrer')
      const html = await response.text()
      expect(html).toContain('このリンクは使えなくなりました')
      expect(html).toContain(
        '<bdi>さくら印刷</bdi> がこのチャットボードの新しいリンクを発行したため',
      )
      expect(html).toContain('href="tel:0312345678"')
      expect(html).toContain('href="mailto:info@sakura.example"')
      expect(html).not.toContain('名刺 100枚')
    }
  })

  it('speaks the workspace language; links older than the last twenty reissues stay unknown', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard({
      locale: 'en',
      name: 'Sakura',
    })
    const first = await linkPath(testApp, boardId)
    await member.post(`${staffUrl}/guest-link/reissue`, {})
    const english = await (await testApp.app.request(first)).text()
    expect(english).toContain('This link no longer works')
    expect(english).toContain('<bdi>Sakura</bdi> has issued a new link to this board')
    expect(english).toContain('Please reply to an email you received from <bdi>Sakura</bdi>.')
    for (let i = 0; i < 20; i++) await member.post(`${staffUrl}/guest-link/reissue`, {})
    expect((await testApp.app.request(first)).status).toBe(404)
  })

  it('a made-up secret is still the plain 404, naming no shop', async () => {
    const { testApp, boardId } = await setupBoard({ name: 'さくら印刷' })
    const response = await testApp.app.request(`/g/${boardId}/${'A'.repeat(43)}`)
    expect(response.status).toBe(404)
    expect(await response.text()).not.toContain('さくら印刷')
  })
})

describe('the overdue contact date reads 連絡予定日を過ぎています', () => {
  it('on the board list and in the digest', async () => {
    const { testApp, member, staffUrl, workspace, boardId } = await setupBoard()
    await member.post(staffUrl, { next_contact_on: '2026-11-20' })
    const list = await (await member.get(`/w/${workspace.slug}/boards`)).text()
    expect(list).toContain('<span class="pill overdue">連絡予定日を過ぎています</span>')
    expect(list).not.toContain('>期限切れ<')

    await queueDailyDigests({ deps: testApp.deps, now: new Date('2026-11-24T08:00:00+09:00') })
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    const digest = testApp.mailer.sent.find((mail) => mail.idempotencyKey.startsWith('digest/'))!
    expect(digest.text).toContain('連絡予定日を過ぎています')
    expect(digest.text).not.toContain('期限切れ')
    expect(boardId).toBeTruthy()
  })
})

describe('the digest greets by the time of day in the workspace time zone', () => {
  it('partOfDayAt: morning from 4:00, afternoon from 11:00, evening from 18:00', () => {
    expect([0, 3, 4, 10, 11, 17, 18, 23].map(partOfDayAt)).toEqual([
      'evening',
      'evening',
      'morning',
      'morning',
      'afternoon',
      'afternoon',
      'evening',
      'evening',
    ])
  })

  it.each([
    ['07:30', 'Asia/Tokyo', '2026-11-24T07:30:00+09:00', 'おはようございます'],
    ['13:00', 'Asia/Tokyo', '2026-11-24T13:00:00+09:00', 'こんにちは'],
    ['19:00', 'Asia/Tokyo', '2026-11-24T19:00:00+09:00', 'こんばんは'],
    // 08:00 in New York is 22:00 in Tokyo: the workspace's clock decides
    ['08:00', 'America/New_York', '2026-11-24T08:00:00-05:00', 'おはようございます'],
  ])('digest time %s (%s) → %s', async (digestTime, timeZone, now, greeting) => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp, { timeZone })
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ digest_time: digestTime })
      .where('id', '=', workspace.id)
      .execute()
    const owner = await loginAs(
      testApp,
      `owner-${workspace.slug}@example.com`,
      'correct horse battery',
    )
    const created = await owner.post(`/w/${workspace.slug}/boards`, {
      name: 'チラシ',
      customer_name: '鈴木',
      customer_email: 'suzuki@example.jp',
    })
    await owner.post(created.headers.get('location')!, { next_contact_on: '2026-11-20' })
    testApp.clock.set(now)
    expect((await queueDailyDigests({ deps: testApp.deps })).queued).toBe(1)
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    const digest = testApp.mailer.sent.find((mail) => mail.idempotencyKey.startsWith('digest/'))!
    expect(digest.text).toContain(`オーナー さん、${greeting}。`)
  })
})

describe('https:// webhook URLs on loopback give a clear reason', () => {
  const register = async (
    url: string,
    locale: 'ja' | 'en' = 'ja',
    resolveHost?: (host: string) => Promise<string[]>,
  ) => {
    const testApp = createTestApp(resolveHost ? { resolveHost } : {})
    const { workspace, email, password } = await createTestWorkspace(testApp)
    const owner = await loginAs(testApp, email, password)
    if (locale === 'en') await owner.post(`/w/${workspace.slug}/me/locale`, { locale: 'en' })
    const response = await owner.post(`/w/${workspace.slug}/settings/webhooks`, {
      url,
      events: 'message.created',
    })
    return { response, html: await response.text() }
  }
  const SELF = 'このアドレスはこのサーバー自身か社内ネットワークを指しています'

  it.each([
    'https://127.0.0.1/hooks',
    'https://[::1]:8443/hooks',
    'https://localhost/hooks',
    'https://app.localhost/hooks',
    'https://2130706433/hooks',
  ])('%s → says it is this server, not "invalid URL"', async (url) => {
    const { response, html } = await register(url)
    expect(response.status).toBe(422)
    expect(html).toContain(SELF)
    expect(html).not.toContain('URLが正しくありません')
  })

  it('in English, and for a name that resolves to the loopback', async () => {
    const english = await register('https://127.0.0.1/hooks', 'en')
    expect(english.html).toContain('This address points at this server or a private network.')
    const resolved = await register('https://hooks.example.com/x', 'ja', async () => ['127.0.0.1'])
    expect(resolved.response.status).toBe(422)
    expect(resolved.html).toContain(SELF)
  })
})

describe('English uses ASCII brackets', () => {
  it('on the staff board, the customer page and the emails of an English workspace', async () => {
    const { testApp, member, staffUrl, workspace, boardId } = await setupBoard({
      locale: 'en',
      name: 'Sakura Print',
      board: { name: 'Business cards', customer_name: 'Taro Yamada' },
    })
    await member.post(`/w/${workspace.slug}/me/locale`, { locale: 'en' })
    await member.post(`${staffUrl}/messages`, { body: 'Here is the proof.' })
    const staff = await (await member.get(staffUrl)).text()
    expect(staff.replace(/<textarea[\s\S]*?<\/textarea>/g, '')).not.toMatch(FULL_WIDTH)
    expect(staff).toContain('(up to 1000 MB each, several at once)')
    const guest = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(guest.html).not.toMatch(FULL_WIDTH)
    const reply = await guest.client.post(`/g/${boardId}/messages`, { body: 'Looks good.' })
    expect(reply.status).toBe(303)
    await testApp.drain()
    for (const mail of testApp.mailer.sent) {
      expect(`${mail.subject}\n${mail.text}`, mail.subject).not.toMatch(FULL_WIDTH)
    }
    const toMember = testApp.mailer.sent.find((mail) => mail.to.startsWith('owner-'))!
    expect(toMember.text).toContain('Taro Yamada (customer)')
  })
})

describe("the customer page doesn't say drag and drop on touch devices", () => {
  it('the sentence is its own element, hidden under @media (pointer: coarse)', async () => {
    const { testApp, boardId, member, staffUrl } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: 'ご確認ください。' })
    const guest = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(guest.html).toContain(
      '<span class="upload-drag-text">ファイルをここにドラッグ＆ドロップ、または </span>',
    )
    const css = readFileSync('views/static/app.css', 'utf8')
    expect(css).toMatch(/@media \(pointer: coarse\) \{\s*\.upload-drag-text \{\s*display: none;/)
  })
})

describe("a closed board doesn't promise an extension", () => {
  it('on the customer page and in the email of a post to the closed board', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    await member.post(`${staffUrl}/close`, {})
    const guest = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(guest.html).toContain(
      '終了したチャットボードは、表示期限を過ぎると閲覧できなくなります。',
    )
    expect(guest.html).not.toContain('延長')
    await member.post(`${staffUrl}/messages`, { body: '納品書をお送りします。' })
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'yamada@example.jp')!
    expect(mail.text).toContain('このチャットボードは終了しています。')
    expect(mail.text).not.toContain('延長')
    expect(mail.text).not.toContain('返信する')
  })

  it('an open board still says every message extends it', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    await member.post(`${staffUrl}/messages`, { body: 'ご確認ください。' })
    const guest = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(guest.html).toContain('メッセージのやり取りがあるたびに期限は延長されます')
    await testApp.drain()
    expect(testApp.mailer.sent[0]!.text).toContain('自動で延長されます')
  })
})

describe('settings tabs a member may not use are not shown', () => {
  it.each(['', '/hours', '/webhooks'])('on settings%s', async (page) => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createTestWorkspace(testApp)
    await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'staff@example.jp',
        name: 'スタッフ',
        password: 'correct horse',
        role: 'member',
      },
    })
    const member = await loginAs(testApp, 'staff@example.jp', 'correct horse')
    const html = await (await member.get(`/w/${workspace.slug}/settings${page}`)).text()
    const tabs = html.slice(
      html.indexOf('class="settings-tabs"'),
      html.indexOf('</nav>', html.indexOf('class="settings-tabs"')),
    )
    expect(tabs).toContain('営業時間と自動応答')
    expect(tabs).not.toContain('メンバー')
    expect(tabs).not.toContain('APIキー')
    expect(tabs).not.toContain('操作履歴')
    const owner = await loginAs(testApp, email, password)
    const ownerHtml = await (await owner.get(`/w/${workspace.slug}/settings${page}`)).text()
    expect(ownerHtml).toContain(`href="/w/${workspace.slug}/settings/members"`)
  })
})

describe("messages posted through the API show the member's or the shop's name, never the key's", () => {
  it("the shop's name by default; a member's with author_email; the key's name nowhere the customer looks", async () => {
    const { testApp, api, boardId, workspace } = await boardWithApi({ name: 'さくら印刷' })
    await createMember({
      deps: testApp.deps,
      workspace: await testApp.deps.db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', workspace.id)
        .executeTakeFirstOrThrow(),
      input: {
        email: 'aya@sakura.example',
        name: '佐藤 彩',
        password: 'correct horse',
        role: 'member',
      },
    })
    const shop = await api.request('POST', `/boards/${boardId}/messages`, {
      body: '受注を確認しました。',
    })
    expect(((await shop.json()) as { message: { author_name: string } }).message.author_name).toBe(
      'さくら印刷',
    )
    const aya = await api.request('POST', `/boards/${boardId}/messages`, {
      body: '校正をお送りします。',
      author_email: 'AYA@sakura.example',
    })
    expect(((await aya.json()) as { message: { author_name: string } }).message.author_name).toBe(
      '佐藤 彩',
    )
    await api.request('POST', `/boards/${boardId}/messages`, {
      body: 'No.2 の内容で確定しました。',
      decides_no: 2,
    })
    await testApp.drain()
    const guest = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(guest.html).toContain('決定した人: <bdi>さくら印刷</bdi>')
    expect(guest.html).toContain('佐藤 彩')
    expect(guest.html).not.toContain('受注システム')
    const mails = testApp.mailer.sent.filter((mail) => mail.to === 'yamada@example.jp')
    expect(mails).toHaveLength(3)
    for (const mail of mails) expect(mail.text + mail.html).not.toContain('受注システム')
    const rows = await outboxRows(testApp, boardId)
    expect(rows).toHaveLength(3)
  })

  it('a first message with the board is in the shop’s name too', async () => {
    const { api } = await boardWithApi({ name: 'さくら印刷' })
    const created = await api.request('POST', '/boards', {
      name: '封筒',
      customer_name: '佐藤',
      customer_email: 'sato@example.jp',
      first_message: { body: 'ご注文ありがとうございます。' },
    })
    expect(created.status).toBe(201)
    const body = (await created.json()) as { first_message: { author_name: string; body: string } }
    expect(body.first_message).toMatchObject({
      author_name: 'さくら印刷',
      body: 'ご注文ありがとうございます。',
    })
  })
})
