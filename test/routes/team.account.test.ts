import { beforeEach, describe, expect, it } from 'vitest'
import {
  BASE_URL,
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

let testApp: TestApp
let owner: Browserish
let slug: string
let ownerEmail: string

function lastLink(to: string, path: 'reset' | 'email-change') {
  const mail = [...testApp.mailer.sent].reverse().find((m) => m.to === to)
  if (!mail) throw new Error(`no mail to ${to}`)
  const match = new RegExp(`${BASE_URL}/${path}/([A-Za-z0-9_-]{43})`).exec(mail.text)
  if (!match) throw new Error(`no ${path} link`)
  return { mail, path: `/${path}/${match[1]}` }
}

function post(path: string, form: Record<string, string>, headers: Record<string, string> = {}) {
  return testApp.app.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: BASE_URL,
      ...headers,
    },
    body: new URLSearchParams(form).toString(),
  })
}

beforeEach(async () => {
  testApp = createTestApp()
  const created = await createTestWorkspace(testApp, { slug: 'acct-shop' })
  slug = created.workspace.slug
  ownerEmail = created.email
  owner = await loginAs(testApp, created.email, created.password)
})

describe('forgotten password', () => {
  it('answers the same for a known and an unknown address; only the known one gets mail', async () => {
    const known = await post('/password/forgot', { email: ownerEmail })
    const unknown = await post('/password/forgot', { email: 'nobody@example.jp' })
    expect(known.status).toBe(200)
    expect(unknown.status).toBe(200)
    const strip = (html: string) => html.replace(/value="[^"]*"/g, '')
    expect(strip(await known.text())).toBe(strip(await unknown.text()))
    await testApp.drain()
    expect(testApp.mailer.sent.map((m) => m.to)).toEqual([ownerEmail])
  })

  it('a reset link works once within the hour and ends every session', async () => {
    await post('/password/forgot', { email: ownerEmail })
    await testApp.drain()
    const { mail, path } = lastLink(ownerEmail, 'reset')
    expect(mail.subject).toContain('パスワードの再設定')
    expect((await testApp.app.request(path)).status).toBe(200)
    const short = await post(path, { password: 'short' })
    expect(short.status).toBe(422)
    const done = await post(path, { password: 'a brand new password' })
    expect(done.status).toBe(303)
    expect(done.headers.get('location')).toBe('/login?reset=1')
    // the old session is gone, the new password works, the old one does not
    expect((await owner.get(`/w/${slug}/boards`)).status).toBe(303)
    await loginAs(testApp, ownerEmail, 'a brand new password')
    await expect(loginAs(testApp, ownerEmail, 'correct horse battery')).rejects.toThrow()
    // single use
    expect((await post(path, { password: 'yet another password' })).status).toBe(410)
  })

  it('refuses an expired or forged link', async () => {
    await post('/password/forgot', { email: ownerEmail })
    await testApp.drain()
    const { path } = lastLink(ownerEmail, 'reset')
    expect((await testApp.app.request('/reset/' + 'x'.repeat(43))).status).toBe(410)
    expect((await testApp.app.request('/reset/not-a-token')).status).toBe(410)
    testApp.clock.advance(60 * 60_000 + 1000)
    expect((await post(path, { password: 'a brand new password' })).status).toBe(410)
    await loginAs(testApp, ownerEmail, 'correct horse battery')
  })

  it('is rate-limited per address and per client, known or not', async () => {
    for (let i = 0; i < 3; i++) {
      expect((await post('/password/forgot', { email: 'nobody@example.jp' })).status).toBe(200)
    }
    const limited = await post('/password/forgot', { email: 'nobody@example.jp' })
    expect(limited.status).toBe(429)
    expect(limited.headers.get('retry-after')).toMatch(/^\d+$/)
    const headers = { 'CF-Connecting-IP': '203.0.113.9' }
    let last = 200
    for (let i = 0; i < 21; i++) {
      last = (await post('/password/forgot', { email: `n${i}@example.jp` }, headers)).status
    }
    expect(last).toBe(429)
  })
})

describe('own profile', () => {
  it('changes name and language', async () => {
    const response = await owner.post(`/w/${slug}/me`, { name: '佐藤 彩', locale: 'en' })
    expect(response.status).toBe(303)
    const page = await (await owner.get(`/w/${slug}/me`)).text()
    expect(page).toContain('佐藤 彩')
    expect(page).toContain('Change password')
    const bad = await owner.post(`/w/${slug}/me`, { name: '', locale: 'xx' })
    expect(bad.status).toBe(422)
  })

  it('changes the password with the current one; other sessions end, this one stays', async () => {
    const other = await loginAs(testApp, ownerEmail, 'correct horse battery')
    const wrong = await owner.post(`/w/${slug}/me/password`, {
      current_password: 'nope nope',
      new_password: 'a second password',
    })
    expect(wrong.status).toBe(422)
    expect(await wrong.text()).toContain('現在のパスワードが正しくありません')
    const ok = await owner.post(`/w/${slug}/me/password`, {
      current_password: 'correct horse battery',
      new_password: 'a second password',
    })
    expect(ok.status).toBe(303)
    expect((await owner.get(`/w/${slug}/boards`)).status).toBe(200)
    expect((await other.get(`/w/${slug}/boards`)).status).toBe(303)
    await loginAs(testApp, ownerEmail, 'a second password')
  })

  it('changes the email only when the link sent to the new address is opened', async () => {
    const response = await owner.post(`/w/${slug}/me/email`, {
      email: 'new-address@example.jp',
      current_password: 'correct horse battery',
    })
    expect(response.status).toBe(303)
    await testApp.drain()
    const { path } = lastLink('new-address@example.jp', 'email-change')
    await loginAs(testApp, ownerEmail, 'correct horse battery')
    const confirmed = await testApp.app.request(path)
    expect(confirmed.status).toBe(200)
    expect(await confirmed.text()).toContain('new-address@example.jp')
    await loginAs(testApp, 'new-address@example.jp', 'correct horse battery')
    expect((await testApp.app.request(path)).status).toBe(410)
  })
})
