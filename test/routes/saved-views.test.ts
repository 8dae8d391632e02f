// 保存した検索 (issue #17.5): built-in tabs with counts, personal and shared views saved from the
// list's search, renamed and deleted by whoever may; another workspace's view is a 404.
import { beforeEach, describe, expect, it } from 'vitest'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { openAsGuest, linkPath } from './guest.helpers'
import { translator } from '../../src/shared/i18n'

let testApp: TestApp
let owner: Browserish
let admin: Browserish
let member: Browserish
let slug: string
let workspace: Awaited<ReturnType<typeof createTestWorkspace>>
const t = translator('ja')

async function createBoard(name: string, as = owner) {
  const response = await as.post(`/w/${slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

/** The list page's tabs: name → count (null for —), and which one is open. */
async function tabs(as = owner, q?: string) {
  const search = q ? `?q=${encodeURIComponent(q)}` : ''
  const response = await as.get(`/w/${slug}/boards${search}`)
  expect(response.status).toBe(200)
  // the page shows the tabs at once and asks for their counts after it has loaded
  const page = await response.text()
  expect(page).toContain(`hx-get="/w/${slug}/views/counts${search}"`)
  const counted = await as.get(`/w/${slug}/views/counts${search}`)
  expect(counted.status).toBe(200)
  const fragment = await counted.text()
  const html = page + fragment
  const nav = /<nav[^>]*class="view-tabs"[\s\S]*?<\/ul>/.exec(fragment)?.[0] ?? ''
  const counts: Record<string, number | null> = {}
  let current: string | undefined
  for (const tab of nav.matchAll(
    /<a href="([^"]*)"( aria-current="page")?[^>]*><bdi>([^<]+)<\/bdi>(?:<span class="view-shared-mark">[^<]*<\/span>)?<span class="tab-count">(\d+|—)/g,
  )) {
    counts[tab[3]!] = tab[4] === '—' ? null : Number(tab[4])
    if (tab[2]) current = tab[3]
  }
  return { counts, current, html }
}

const viewRows = () => testApp.deps.db.selectFrom('saved_views').selectAll().execute()

beforeEach(async () => {
  testApp = createTestApp()
  workspace = await createTestWorkspace(testApp)
  slug = workspace.workspace.slug
  owner = await loginAs(testApp, workspace.email, workspace.password)
  for (const role of ['admin', 'member'] as const)
    await createMember({
      deps: testApp.deps,
      workspace: workspace.workspace,
      input: { email: `${role}@example.jp`, name: `${role}さん`, password: 'correct horse', role },
    })
  admin = await loginAs(testApp, 'admin@example.jp', 'correct horse')
  member = await loginAs(testApp, 'member@example.jp', 'correct horse')
})

describe('built-in views', () => {
  it('show 自分の担当, 未割り当て, 要対応 and 今日の連絡 with their counts', async () => {
    const mine = await createBoard('自分の案件')
    expect((await owner.post(mine, { assignee: 'me' })).status).toBeLessThan(400)
    const waiting = await createBoard('お客様の返事')
    const boardId = waiting.split('/').pop()!
    const { client } = await openAsGuest(testApp, await linkPath(testApp, boardId))
    expect(
      (await client.post(`/g/${boardId}/messages`, { body: '確認しました' })).status,
    ).toBeLessThan(400)
    const today = await createBoard('今日連絡')
    await owner.post(today, { next_contact_on: '2026-11-24' })
    const overdue = await createBoard('遅れ')
    await owner.post(overdue, { next_contact_on: '2026-11-20' })
    const later = await createBoard('来月')
    await owner.post(later, { next_contact_on: '2026-12-20' })
    const done = await createBoard('完了済み')
    await owner.post(done, { next_contact_on: '2026-11-20', status: 'done' })

    const { counts, current } = await tabs()
    expect(counts).toEqual({ 自分の担当: 1, 未割り当て: 4, 要対応: 1, 今日の連絡: 2 })
    expect(current).toBeUndefined() // すべて is open
    // assignee:me is whoever looks
    expect((await tabs(member)).counts.自分の担当).toBe(0)

    // a tab is its search: the list it opens holds what it counted
    const opened = await tabs(owner, 'next:due')
    expect(opened.current).toBe('今日の連絡')
    const names = [...opened.html.matchAll(/<td class="col-name"><a href="[^"]*"><bdi>([^<]+)/g)]
    expect(names.map((m) => m[1]).sort()).toEqual(['今日連絡', '遅れ'])
  })
})

describe('saved views', () => {
  it('save the search as a personal tab with its count, rename and delete it', async () => {
    const board = await createBoard('名刺')
    await owner.post(`${board}/messages`, { body: 'ロゴの色を確認' })
    await createBoard('チラシ')
    const page = await (await owner.get(`/w/${slug}/boards?q=ロゴ`)).text()
    expect(page).toContain(t('views.save'))

    const saved = await owner.post(`/w/${slug}/views`, { name: 'ロゴ案件', q: 'ロゴ' })
    expect(saved.status).toBe(303)
    expect(saved.headers.get('location')).toBe(`/w/${slug}/boards?q=${encodeURIComponent('ロゴ')}`)
    const [row] = await viewRows()
    expect(row).toMatchObject({
      name: 'ロゴ案件',
      query: 'ロゴ',
      owner_member_id: workspace.ownerId,
    })

    const { counts, current, html } = await tabs(owner, 'ロゴ')
    expect(counts['ロゴ案件']).toBe(1)
    expect(current).toBe('ロゴ案件')
    expect(html).toContain(t('views.manage', { name: 'ロゴ案件' }))
    // a personal view is its owner's only
    expect((await tabs(admin)).counts['ロゴ案件']).toBeUndefined()

    expect((await owner.post(`/w/${slug}/views/${row!.id}`, { name: 'ロゴ確認' })).status).toBe(303)
    expect((await tabs()).counts['ロゴ確認']).toBe(1)
    expect((await owner.post(`/w/${slug}/views/${row!.id}/delete`, {})).status).toBe(303)
    expect(await viewRows()).toEqual([])
    expect((await tabs()).counts['ロゴ確認']).toBeUndefined()
  })

  it('shared views: admins save, rename and delete them; members see them and may not', async () => {
    await createBoard('冊子')
    expect(
      (await member.post(`/w/${slug}/views`, { name: '共有', q: '冊子', shared: '1' })).status,
    ).toBe(403)
    expect(await viewRows()).toEqual([])
    // a member's save form has no "share" box; an admin's has
    expect(await (await member.get(`/w/${slug}/boards?q=冊子`)).text()).not.toContain(
      'name="shared"',
    )
    expect(await (await admin.get(`/w/${slug}/boards?q=冊子`)).text()).toContain('name="shared"')

    expect(
      (await admin.post(`/w/${slug}/views`, { name: '冊子の案件', q: '冊子', shared: '1' })).status,
    ).toBe(303)
    const [view] = await viewRows()
    expect(view!.owner_member_id).toBeNull()
    const seen = await tabs(member, '冊子')
    expect(seen.counts['冊子の案件']).toBe(1)
    expect(seen.html).toContain(`${t('views.shared_mark')}</span>`)
    expect(seen.html).not.toContain(t('views.manage', { name: '冊子の案件' }))

    expect((await member.post(`/w/${slug}/views/${view!.id}`, { name: '変更' })).status).toBe(403)
    expect((await member.post(`/w/${slug}/views/${view!.id}/delete`, {})).status).toBe(403)
    expect((await viewRows())[0]!.name).toBe('冊子の案件')
    expect((await owner.post(`/w/${slug}/views/${view!.id}`, { name: '冊子' })).status).toBe(303)
    expect((await admin.post(`/w/${slug}/views/${view!.id}/delete`, {})).status).toBe(303)
    expect(await viewRows()).toEqual([])
  })

  it('a member keeps their own views; nobody else can touch them (404)', async () => {
    expect((await member.post(`/w/${slug}/views`, { name: '自分用', q: 'is:unread' })).status).toBe(
      303,
    )
    const [view] = await viewRows()
    expect((await admin.post(`/w/${slug}/views/${view!.id}`, { name: '横取り' })).status).toBe(404)
    expect((await owner.post(`/w/${slug}/views/${view!.id}/delete`, {})).status).toBe(404)
    expect((await viewRows())[0]!.name).toBe('自分用')
    expect((await member.post(`/w/${slug}/views/${view!.id}`, { name: '未読' })).status).toBe(303)
  })
})

describe('saved views: errors', () => {
  it('refuse a search that cannot run, a missing or long name, with the form open and nothing saved', async () => {
    const bad = await owner.post(`/w/${slug}/views`, { name: '誤り', q: 'stauts:waiting' })
    expect(bad.status).toBe(422)
    const html = await bad.text()
    expect(html).toContain(t('search.unknown_operator', { term: 'stauts:waiting' }))
    expect(html).toContain('<details class="save-view" open')
    expect(html).toContain('value="誤り"')

    const empty = await owner.post(`/w/${slug}/views`, { name: '  ', q: 'ロゴ' })
    expect(empty.status).toBe(422)
    expect(await empty.text()).toContain(t('field.required'))
    const long = await owner.post(`/w/${slug}/views`, { name: 'あ'.repeat(41), q: 'ロゴ' })
    expect(long.status).toBe(422)
    expect(await long.text()).toContain(t('field.too_long', { max: 40 }))
    expect((await owner.post(`/w/${slug}/views`, { name: '空', q: '' })).status).toBe(422)
    const renamed = await owner.post(`/w/${slug}/views/nope`, { name: '' })
    expect(renamed.status).toBe(422)
    expect(await viewRows()).toEqual([])
  })

  it('keep at most 30 views per member', async () => {
    for (let i = 0; i < 30; i++)
      expect((await owner.post(`/w/${slug}/views`, { name: `v${i}`, q: `語${i}` })).status).toBe(
        303,
      )
    const refused = await owner.post(`/w/${slug}/views`, { name: 'v31', q: 'ロゴ' })
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain(t('views.too_many', { max: 30 }))
    expect(await viewRows()).toHaveLength(30)
    // another member still may
    expect((await member.post(`/w/${slug}/views`, { name: '私の', q: 'ロゴ' })).status).toBe(303)
  })

  it('show a view whose search no longer runs with — instead of a count', async () => {
    const sato = await createMember({
      deps: testApp.deps,
      workspace: workspace.workspace,
      input: { email: 'sato@example.jp', name: '佐藤', password: 'correct horse', role: 'member' },
    })
    expect(
      (await owner.post(`/w/${slug}/views`, { name: '佐藤さん', q: 'assignee:@佐藤' })).status,
    ).toBe(303)
    expect((await tabs()).counts['佐藤さん']).toBe(0)
    await testApp.deps.db.deleteFrom('members').where('id', '=', sato).execute()
    expect((await tabs()).counts['佐藤さん']).toBeNull()
  })
})

describe('saved views: security', () => {
  it('another workspace’s view is a 404 and is never shown or changed', async () => {
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    const stranger = await loginAs(testApp, other.email, other.password)
    expect(
      (await stranger.post('/w/other/views', { name: '他社', q: 'ロゴ', shared: '1' })).status,
    ).toBe(303)
    const [theirs] = await viewRows()
    expect((await owner.post(`/w/${slug}/views/${theirs!.id}`, { name: '乗っ取り' })).status).toBe(
      404,
    )
    expect((await owner.post(`/w/${slug}/views/${theirs!.id}/delete`, {})).status).toBe(404)
    expect((await viewRows())[0]!.name).toBe('他社')
    expect((await tabs()).counts['他社']).toBeUndefined()
  })

  it('escape a view’s name and search everywhere', async () => {
    const name = '<img src=x onerror=alert(1)>'
    expect((await owner.post(`/w/${slug}/views`, { name, q: '"<script>"' })).status).toBe(303)
    const { html, counts } = await tabs()
    expect(counts['&lt;img src=x onerror=alert(1)&gt;']).toBe(0)
    expect(html).not.toContain('<img src=x')
    expect(html).not.toContain('<script>"')
  })

  it('refuse a save without the CSRF token', async () => {
    const response = await testApp.app.request(`/w/${slug}/views`, {
      method: 'POST',
      headers: {
        Cookie: owner.cookie,
        Origin: 'http://orderboard.test',
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ name: 'x', q: 'ロゴ' }).toString(),
    })
    expect(response.status).toBe(403)
    expect(await viewRows()).toEqual([])
  })
})
