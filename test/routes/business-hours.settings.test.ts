import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { hashPassword } from '../../src/shared/crypto'
import { getCareSettings } from '../../src/business-hours/business-hours.usecases'
import { addMember } from './notifications.helpers'

let testApp: TestApp
let owner: Browserish
let slug: string
let workspaceId: string

const FORM = {
  hours_mon: '9:00-12:00, 13:00-18:00',
  hours_tue: '9:00-18:00',
  hours_wed: '９：３０〜１８：００',
  hours_thu: '9:00-18:00',
  hours_fri: '9:00-17:00',
  hours_sat: '10:00-15:00',
  hours_sun: '',
  japanese_holidays: '1',
  auto_answer: '1',
  auto_answer_delay_minutes: '15',
  auto_answer_text: '{{shop_name}}です。{{next_opening}}以降にご返信します。',
  welcome: '1',
  welcome_text: '',
  rating: '1',
  rating_question: '今回の対応はいかがでしたか？',
}

const stored = () =>
  testApp.deps.db
    .selectFrom('care_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .executeTakeFirst()

beforeEach(async () => {
  testApp = createTestApp()
  const created = await createTestWorkspace(testApp)
  slug = created.workspace.slug
  workspaceId = created.workspace.id
  owner = await loginAs(testApp, created.email, created.password)
})

describe('設定 → 営業時間と自動応答: happy path', () => {
  it('shows the defaults before anything is saved: Mon–Fri 9–18, holidays closed, all off', async () => {
    const page = await (await owner.get(`/w/${slug}/settings/hours`)).text()
    expect(page).toContain('営業時間と自動応答')
    expect(page).toMatch(/name="hours_mon" value="9:00-18:00"/)
    expect(page).toMatch(/name="hours_sat" value=""/)
    expect(page).toMatch(/name="japanese_holidays" value="1" checked/)
    expect(page).not.toMatch(/name="auto_answer" value="1" checked/)
    const settings = await getCareSettings({ deps: testApp.deps, workspaceId })
    expect(settings.autoAnswer).toBe(false)
    expect(settings.week[1]).toEqual([[540, 1080]])
  })

  it('saves the week, the switches and the texts, and shows them back', async () => {
    const saved = await owner.post(`/w/${slug}/settings/hours`, FORM)
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/w/${slug}/settings/hours?saved=1`)
    const settings = await getCareSettings({ deps: testApp.deps, workspaceId })
    expect(settings.week).toEqual([
      [],
      [
        [540, 720],
        [780, 1080],
      ],
      [[540, 1080]],
      [[570, 1080]],
      [[540, 1080]],
      [[540, 1020]],
      [[600, 900]],
    ])
    expect(settings).toMatchObject({
      japaneseHolidays: true,
      autoAnswer: true,
      autoAnswerDelayMinutes: 15,
      autoAnswerText: '{{shop_name}}です。{{next_opening}}以降にご返信します。',
      welcome: true,
      welcomeText: null,
      rating: true,
      ratingQuestion: '今回の対応はいかがでしたか？',
    })
    const page = await (await owner.get(`/w/${slug}/settings/hours?saved=1`)).text()
    expect(page).toContain('保存しました。')
    expect(page).toMatch(/name="hours_mon" value="9:00-12:00, 13:00-18:00"/)
    expect(page).toMatch(/name="hours_wed" value="9:30-18:00"/)
  })

  it('an unticked box turns a switch off again; an empty delay means never within hours', async () => {
    await owner.post(`/w/${slug}/settings/hours`, FORM)
    const { auto_answer: _a, japanese_holidays: _h, ...rest } = FORM
    await owner.post(`/w/${slug}/settings/hours`, { ...rest, auto_answer_delay_minutes: '' })
    const settings = await getCareSettings({ deps: testApp.deps, workspaceId })
    expect(settings.autoAnswer).toBe(false)
    expect(settings.japaneseHolidays).toBe(false)
    expect(settings.autoAnswerDelayMinutes).toBeNull()
  })
})

describe('設定 → 営業時間と自動応答: errors change nothing', () => {
  it.each([
    ['hours_mon', '18:00-9:00'],
    ['hours_tue', 'いつでも'],
    ['hours_wed', '9:00-25:00'],
    ['auto_answer_delay_minutes', '0'],
    ['auto_answer_delay_minutes', '121'],
    ['auto_answer_delay_minutes', 'soon'],
    ['auto_answer_text', 'x'.repeat(2001)],
    ['rating_question', 'line\nbreak'],
  ])('%s = %j → 422 in Japanese, nothing stored', async (field, value) => {
    const response = await owner.post(`/w/${slug}/settings/hours`, { ...FORM, [field]: value })
    expect(response.status).toBe(422)
    const page = await response.text()
    expect(page).toContain('入力内容を確認してください')
    expect(page).toContain(`id="${field}-error"`)
    expect(await stored()).toBeUndefined()
  })

  it('explains the hours format in English for an English member', async () => {
    await testApp.deps.db
      .updateTable('members')
      .set({ locale: 'en' })
      .where('workspace_id', '=', workspaceId)
      .execute()
    const response = await owner.post(`/w/${slug}/settings/hours`, {
      ...FORM,
      hours_mon: '9-18h',
    })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Enter opening and closing times such as 9:00-18:00')
  })
})

describe('設定 → 営業時間と自動応答: security', () => {
  it('a member (not admin) sees the settings read-only and cannot save them', async () => {
    await addMember(testApp, workspaceId, { name: '田中', email: 'tanaka@example.com' })
    await testApp.deps.db
      .updateTable('members')
      .set({ password_hash: await hashPassword('member password 1') })
      .where('email', '=', 'tanaka@example.com')
      .execute()
    const member = await loginAs(testApp, 'tanaka@example.com', 'member password 1')
    const page = await (await member.get(`/w/${slug}/settings/hours`)).text()
    expect(page).toContain('変更できるのは管理者だけです。')
    const response = await member.post(`/w/${slug}/settings/hours`, FORM)
    expect(response.status).toBe(403)
    expect(await stored()).toBeUndefined()
  })

  it('another workspace is a 404, and a missing CSRF token a 403', async () => {
    const other = await createTestWorkspace(testApp)
    expect((await owner.get(`/w/${other.workspace.slug}/settings/hours`)).status).toBe(404)
    expect((await owner.post(`/w/${other.workspace.slug}/settings/hours`, FORM)).status).toBe(404)
    const forged = await testApp.app.request(`/w/${slug}/settings/hours`, {
      method: 'POST',
      headers: {
        Cookie: owner.cookie,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams(FORM).toString(),
    })
    expect(forged.status).toBe(403)
    expect(await stored()).toBeUndefined()
  })
})
