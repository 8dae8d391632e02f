import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { formatClosedDays, parseClosedDaysText } from '../../src/next-contact/closed-days'
import { addMember } from './notifications.helpers'
import { hashPassword } from '../../src/shared/crypto'

let testApp: TestApp
let owner: Browserish
let slug: string
let workspaceId: string
let login: { email: string; password: string }

const BASE_FORM = {
  name: 'テスト印刷',
  time_zone: 'Asia/Tokyo',
  locale: 'ja',
  expiry_days: '30',
  contact_email: '',
  contact_phone: '',
}

const workspaceRow = () =>
  testApp.deps.db
    .selectFrom('workspaces')
    .selectAll()
    .where('id', '=', workspaceId)
    .executeTakeFirstOrThrow()

beforeEach(async () => {
  testApp = createTestApp()
  const created = await createTestWorkspace(testApp)
  slug = created.workspace.slug
  workspaceId = created.workspace.id
  login = { email: created.email, password: created.password }
  owner = await loginAs(testApp, created.email, created.password)
})

describe('closed days and digest time on the settings page', () => {
  it('saves closed days from lines and ranges and shows them back folded', async () => {
    const saved = await owner.post(`/w/${slug}/settings`, {
      ...BASE_FORM,
      closed_days:
        '# 年末年始\n2026-12-29〜2027-01-03\n\n２０２６／８／１３ ~ 2026/8/16\n2026-11-25\n2026-11-25',
      digest_time: '07:30',
    })
    expect(saved.status).toBe(303)
    const row = await workspaceRow()
    expect(JSON.parse(row.closed_days)).toEqual([
      '2026-08-13',
      '2026-08-14',
      '2026-08-15',
      '2026-08-16',
      '2026-11-25',
      '2026-12-29',
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
      '2027-01-03',
    ])
    expect(row.digest_time).toBe('07:30')
    const page = await (await owner.get(`/w/${slug}/settings`)).text()
    expect(page).toContain('2026-08-13〜2026-08-16\n2026-11-25\n2026-12-29〜2027-01-03')
    expect(page).toContain('name="digest_time" value="07:30"')
  })

  it('refuses an unreadable line, names it, and changes nothing', async () => {
    await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, closed_days: '2026-11-25' })
    for (const bad of [
      '2026-12-29\n2026-13-01',
      '12/29',
      '2026-12-31〜2026-12-01',
      '2026-01-01〜2027-06-01',
      '年末年始',
    ]) {
      const refused = await owner.post(`/w/${slug}/settings`, {
        ...BASE_FORM,
        name: '変更しない',
        closed_days: bad,
      })
      expect(refused.status).toBe(422)
      const html = await refused.text()
      expect(html).toMatch(/\d+行目「[^」]*」を日付として読めません/)
      // The member's text comes back as typed.
      expect(html).toContain(bad.split('\n').at(-1)!.slice(0, 4))
    }
    const row = await workspaceRow()
    expect(row.name).toBe('テスト印刷')
    expect(row.closed_days).toBe('["2026-11-25"]')
    const badTime = await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, digest_time: '25:00' })
    expect(badTime.status).toBe(422)
    expect(await badTime.text()).toContain('時刻の形式が正しくありません')
  })

  it('leaves closed days alone when the form does not carry them, and lets only admins change them', async () => {
    await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, closed_days: '2026-11-25' })
    await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, name: '改名' })
    expect((await workspaceRow()).closed_days).toBe('["2026-11-25"]')
    const cleared = await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, closed_days: '' })
    expect(cleared.status).toBe(303)
    expect((await workspaceRow()).closed_days).toBe('[]')

    await addMember(testApp, workspaceId, { name: '一般', email: 'staff@example.jp' })
    // addMember skips hashing; give the member a password we know.
    await testApp.deps.db
      .updateTable('members')
      .set({ password_hash: await hashPassword('correct horse battery') })
      .where('email', '=', 'staff@example.jp')
      .execute()
    const staff = await loginAs(testApp, 'staff@example.jp', 'correct horse battery')
    const forbidden = await staff.post(`/w/${slug}/settings`, {
      ...BASE_FORM,
      closed_days: '2026-11-26',
    })
    expect(forbidden.status).toBe(403)
    expect((await workspaceRow()).closed_days).toBe('[]')
  })

  it('makes business-day counting skip the closed days, in the preview and on send', async () => {
    const board = await owner.post(`/w/${slug}/boards`, {
      name: '名刺',
      customer_name: '山田',
      customer_email: 'y@example.jp',
    })
    const url = board.headers.get('location')!
    const body = 'お見積りは2営業日以内にご連絡いたします。'
    const before = await (await owner.post(`${url}/next-contact/preview`, { body })).text()
    expect(before).toContain('value="2026-11-26"')

    await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, closed_days: '2026-11-25' })
    const after = await (await owner.post(`${url}/next-contact/preview`, { body })).text()
    expect(after).toContain('value="2026-11-27"')

    // Calendar words are not moved by closures: 明日 is still the 25th.
    const tomorrow = await (
      await owner.post(`${url}/next-contact/preview`, { body: '明日ご連絡いたします。' })
    ).text()
    expect(tomorrow).toContain('value="2026-11-25"')

    await owner.post(`${url}/messages`, { body, next_contact_mode: 'auto' })
    const row = await testApp.deps.db
      .selectFrom('boards')
      .select('next_contact_on')
      .where('id', '=', url.split('/').pop()!)
      .executeTakeFirstOrThrow()
    expect(row.next_contact_on).toBe('2026-11-27')

    // Year-end closure over a weekend and New Year's Day.
    await owner.post(`/w/${slug}/settings`, { ...BASE_FORM, closed_days: '2026-12-29〜2027-01-03' })
    testApp.clock.set('2026-12-28T10:00:00+09:00')
    owner = await loginAs(testApp, login.email, login.password)
    const yearEnd = await (
      await owner.post(`${url}/next-contact/preview`, { body: '翌営業日にご連絡いたします。' })
    ).text()
    expect(yearEnd).toContain('value="2027-01-04"')
  })

  it('shows the member digest switch and saves it', async () => {
    const page = await (await owner.get(`/w/${slug}/settings`)).text()
    expect(page).toContain('id="daily-digest"')
    expect(page).toContain('name="digest_enabled" value="1" checked')
    const off = await owner.post(`/w/${slug}/settings/digest`, {})
    expect(off.status).toBe(303)
    expect(off.headers.get('location')).toBe(`/w/${slug}/settings?saved=digest#daily-digest`)
    const row = await testApp.deps.db
      .selectFrom('members')
      .select('digest_enabled')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow()
    expect(row.digest_enabled).toBe(0)
    const saved = await (await owner.get(`/w/${slug}/settings?saved=digest`)).text()
    expect(saved).toContain('ダイジェストの設定を保存しました')
    expect(saved).not.toContain('name="digest_enabled" value="1" checked')
    await owner.post(`/w/${slug}/settings/digest`, { digest_enabled: '1' })
    const on = await testApp.deps.db
      .selectFrom('members')
      .select('digest_enabled')
      .where('workspace_id', '=', workspaceId)
      .executeTakeFirstOrThrow()
    expect(on.digest_enabled).toBe(1)
  })
})

describe('closed days text', () => {
  it('parses and folds', () => {
    expect(parseClosedDaysText('2026-05-01..2026-05-03\n2026-05-05 - 2026-05-05')).toEqual({
      ok: true,
      days: ['2026-05-01', '2026-05-02', '2026-05-03', '2026-05-05'],
    })
    expect(formatClosedDays(['2026-05-05', '2026-05-01', '2026-05-02', '2026-05-03'])).toBe(
      '2026-05-01〜2026-05-03\n2026-05-05',
    )
    expect(parseClosedDaysText('2026-02-30')).toMatchObject({
      ok: false,
      problem: { params: { line: 1 } },
    })
    expect(parseClosedDaysText('2000-01-01〜2002-12-31')).toMatchObject({ ok: false })
  })
})
