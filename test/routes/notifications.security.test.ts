import { describe, expect, it } from 'vitest'
import { createApp } from '../../src/app'
import { PermanentMailError } from '../../src/deps'
import { createTestApp, testConfig } from '../helpers/app'
import { openAsGuest, setupBoard } from './guest.helpers'
import { outboxRows } from './notifications.helpers'

const CRLF_BCC = 'さくら\r\nBcc: attacker@evil.test'

describe('header injection', () => {
  it('refuses line breaks in board and customer names at the door', async () => {
    const { testApp, member, workspace } = await setupBoard()
    const before = await testApp.deps.db.selectFrom('boards').select('id').execute()
    for (const field of ['name', 'customer_name'] as const) {
      const form = {
        name: '名刺',
        customer_name: '山田',
        customer_email: 'y@example.jp',
        [field]: CRLF_BCC,
      }
      const response = await member.post(`/w/${workspace.slug}/boards`, form)
      expect(response.status).toBe(422)
    }
    const bad = await member.post(`/w/${workspace.slug}/boards`, {
      name: '名刺',
      customer_name: '山田',
      customer_email: 'y@example.jp\r\nBcc: attacker@evil.test',
    })
    expect(bad.status).toBe(422)
    expect(await testApp.deps.db.selectFrom('boards').select('id').execute()).toEqual(before)
  })

  it('keeps every header one line even when stored names carry CR/LF (old data, other writers)', async () => {
    const { testApp, member, staffUrl, boardId, workspace, linkPath } = await setupBoard()
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ name: `${CRLF_BCC}" <attacker@evil.test>` })
      .where('id', '=', workspace.id)
      .execute()
    await testApp.deps.db
      .updateTable('boards')
      .set({
        name: CRLF_BCC,
        customer_name: '山田\nX-Evil: 1',
        thread_message_id: '<a@b>\r\nBcc: attacker@evil.test',
      })
      .where('id', '=', boardId)
      .execute()
    await member.post(`${staffUrl}/messages`, { body: '校正です' })
    const guest = await openAsGuest(testApp, await linkPath())
    await guest.client.post(`/g/${boardId}/messages`, { body: 'ありがとうございます' })
    await testApp.drain()

    expect(testApp.mailer.sent).toHaveLength(2)
    for (const mail of testApp.mailer.sent) {
      for (const value of [
        mail.from,
        mail.to,
        mail.subject,
        ...Object.keys(mail.headers),
        ...Object.values(mail.headers),
      ]) {
        expect(value).not.toMatch(/[\r\n]/)
      }
      expect(Object.keys(mail.headers).sort()).toEqual([
        'Auto-Submitted',
        'In-Reply-To',
        'Message-ID',
        'References',
        'X-Auto-Response-Suppress',
      ])
      expect(mail.headers['In-Reply-To']).toBe(`<board.${boardId}@orderboard.test>`)
      expect(mail.to).not.toContain('evil')
    }
    const toGuest = testApp.mailer.sent.find((mail) => mail.to === 'yamada@example.jp')!
    expect(toGuest.subject).toBe(
      'チャットボード通知【さくら Bcc: attacker@evil.test" <attacker@evil.test>】',
    )
    // the shop's name is a display name only: quotes and brackets cannot change the address
    expect(toGuest.from).toBe(
      '"さくら Bcc: attacker@evil.test attacker@evil.test" <no-reply@orderboard.test>',
    )
    const toMember = testApp.mailer.sent.find((mail) => mail.to !== 'yamada@example.jp')!
    expect(toMember.subject).toBe('【返信あり】さくら Bcc: attacker@evil.test（山田 X-Evil: 1 様）')
  })

  it('escapes markup in messages and names inside the email', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    await testApp.deps.db
      .updateTable('boards')
      .set({ name: '<img src=x onerror=alert(1)>' })
      .where('id', '=', boardId)
      .execute()
    await member.post(`${staffUrl}/messages`, {
      body: '<script>alert(1)</script><a hx-get="/x">x</a>',
    })
    await testApp.drain()
    const mail = testApp.mailer.sent[0]!
    expect(mail.html).not.toContain('<script>')
    expect(mail.html).not.toContain('<img src=x')
    expect(mail.html).not.toContain('<a hx-get')
    expect(mail.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(mail.text).toContain('<script>alert(1)</script>') // plain text is text
  })
})

describe('the dev mailbox', () => {
  it('is not mounted when a real transport is configured', async () => {
    const testApp = createTestApp()
    const app = createApp({ ...testApp.deps, config: { ...testConfig, devMailbox: false } })
    for (const path of ['/_dev/mail', '/_dev/mail.json', '/_dev/mail/1', '/_dev/mail/1/html']) {
      expect((await app.request(path)).status).toBe(404)
    }
    expect((await testApp.app.request('/_dev/mail.json')).status).toBe(200)
  })
})

describe('delivery problems and settings are scoped', () => {
  it("never shows or retries another workspace's notifications", async () => {
    const testApp = createTestApp()
    testApp.deps.mailer = {
      name: 'refusing',
      send: () => Promise.reject(new PermanentMailError('nope')),
    }
    const mine = await setupBoard({ testApp, slug: 'mine' })
    const theirs = await setupBoard({ testApp, slug: 'theirs' })
    await theirs.member.post(`${theirs.staffUrl}/messages`, { body: '校正です' })
    await testApp.drain()
    const [row] = await outboxRows(testApp, theirs.boardId)
    expect(row!.status).toBe('failed')

    // their board id under my workspace, and my slug with their board
    expect((await mine.member.get(`/w/mine/boards/${theirs.boardId}/notifications`)).status).toBe(
      404,
    )
    expect((await mine.member.get(`/w/theirs/boards/${theirs.boardId}/notifications`)).status).toBe(
      404,
    )
    const retry = await mine.member.post(
      `/w/mine/boards/${theirs.boardId}/notifications/${row!.id}/retry`,
      {},
    )
    expect(retry.status).toBe(404)
    const crossed = await mine.member.post(
      `/w/mine/boards/${mine.boardId}/notifications/${row!.id}/retry`,
      {},
    )
    expect(crossed.status).toBe(404)
    expect((await outboxRows(testApp, theirs.boardId))[0]!.status).toBe('failed')
  })

  it('changes only the signed-in member, and only with a CSRF token and same-origin form', async () => {
    const { testApp, workspace, member } = await setupBoard()
    const other = await setupBoard({ testApp, slug: 'other' })
    const noToken = await testApp.app.request(`/w/${workspace.slug}/settings/me`, {
      method: 'POST',
      headers: {
        Cookie: member.cookie,
        Origin: 'http://orderboard.test',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'notify_email=',
    })
    expect(noToken.status).toBe(403)
    const crossSite = await testApp.app.request(`/w/${workspace.slug}/settings/me`, {
      method: 'POST',
      headers: {
        Cookie: member.cookie,
        Origin: 'https://evil.test',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: member.csrf }).toString(),
    })
    expect(crossSite.status).toBe(403)
    expect((await member.post(`/w/${other.workspace.slug}/settings/me`, {})).status).toBe(404)

    expect((await member.post(`/w/${workspace.slug}/settings/me`, {})).status).toBe(303)
    const flags = await testApp.deps.db
      .selectFrom('members')
      .select(['email', 'notify_email'])
      .orderBy('email')
      .execute()
    expect(flags).toEqual([
      { email: `owner-${other.workspace.slug}@example.com`, notify_email: 1 },
      { email: `owner-${workspace.slug}@example.com`, notify_email: 0 },
    ])
  })
})
