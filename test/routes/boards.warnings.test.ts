import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

// Issue #15.8: every warning of the list has a badge on its rows and a filter, under any sort.
let testApp: TestApp
let member: Browserish
let slug: string

const DAY = 24 * 3600_000

async function createBoard(name: string) {
  const response = await member.post(`/w/${slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!.split('/').pop()!
}

const setBoard = (id: string, changes: Record<string, unknown>) =>
  testApp.deps.db.updateTable('boards').set(changes).where('id', '=', id).execute()

async function listNames(query: string) {
  const response = await member.get(`/w/${slug}/boards${query}`)
  expect(response.status).toBe(200)
  const html = await response.text()
  return {
    html,
    names: [...html.matchAll(/<a href="[^"]+">(?:<bdi>)?(〔[^<]+)(?:<\/bdi>)?<\/a>/g)].map(
      (m) => m[1],
    ),
  }
}

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
  const now = testApp.clock.now().getTime()
  await createBoard('〔普通〕')
  await setBoard(await createBoard('〔期限切れ〕'), { expires_at: now - DAY })
  await setBoard(await createBoard('〔不達〕'), { guest_email_problem: 'bounced' })
  await setBoard(await createBoard('〔終了〕'), { status: 'closed' })
  // The shop's No.1, unread by the customer for five days (the workspace warns after three).
  await setBoard(await createBoard('〔未読〕'), {
    last_public_author: 'member',
    last_no: 1,
    guest_read_no: 0,
    last_activity_at: now - 5 * DAY,
  })
})

describe('board list warnings', () => {
  it('shows a badge for each warning on the unfiltered list', async () => {
    const { html, names } = await listNames('')
    expect(names).toHaveLength(5)
    expect(html).toContain('badge badge-expired')
    expect(html).toContain('表示期限切れ')
    expect(html).toContain('status-closed')
    expect(html).toContain('メールが届きませんでした')
    expect(html).toContain('最新のメッセージが5日以上お客様に読まれていません')
  })

  for (const [warning, name] of [
    ['expired', '〔期限切れ〕'],
    ['bounced', '〔不達〕'],
    ['closed', '〔終了〕'],
    ['unread', '〔未読〕'],
  ] as const) {
    it(`filters ${warning}, under either sort`, async () => {
      for (const sort of ['activity', 'next_contact']) {
        const { html, names } = await listNames(`?warning=${warning}&sort=${sort}`)
        expect(names).toEqual([name])
        expect(html).toContain(`<option value="${warning}" selected="">`)
      }
    })
  }

  it('turning the unread warning off (0 days) leaves the unread filter empty', async () => {
    await testApp.deps.db.updateTable('workspaces').set({ unread_warning_days: 0 }).execute()
    expect((await listNames('?warning=unread')).names).toEqual([])
  })

  it('refuses an unknown warning in the member’s language, changing nothing', async () => {
    const response = await member.get(`/w/${slug}/boards?warning=everything`)
    expect(response.status).toBe(422)
  })
})
