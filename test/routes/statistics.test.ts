// The statistics page (統計): every member may read it, charts are server-drawn SVG with a table
// behind 「表で見る」, numbers in the member's locale, the export form for admins only.
import { describe, expect, it } from 'vitest'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { createTestApp, createTestWorkspace, loginAs } from '../helpers/app'
import { translator } from '../../src/shared/i18n'

const ja = translator('ja')
const en = translator('en')

async function setup() {
  const testApp = createTestApp()
  const { workspace, email, password } = await createTestWorkspace(testApp)
  const owner = await loginAs(testApp, email, password)
  for (const name of ['名刺', 'チラシ']) {
    await owner.post(`/w/${workspace.slug}/boards`, {
      name,
      customer_name: '山田',
      customer_email: 'yamada@example.jp',
    })
  }
  await createMember({
    deps: testApp.deps,
    workspace,
    input: { email: 'staff@example.jp', name: '田中', password: 'correct horse', role: 'member' },
  })
  const staff = await loginAs(testApp, 'staff@example.jp', 'correct horse')
  return { testApp, workspace, owner, staff, page: `/w/${workspace.slug}/stats` }
}

describe('statistics page', () => {
  it('a member sees the figures, the charts and their tables, no export form', async () => {
    const { staff, page, workspace } = await setup()
    const response = await staff.get(page)
    expect(response.status).toBe(200)
    const html = await response.text()
    expect(html).toContain(`href="/w/${workspace.slug}/stats" aria-current="page"`)
    expect(html).toContain(ja('stats.title'))
    // This month by default (the test clock is 2026-11-24).
    expect(html).toContain('2026/11/01(日)')
    expect(html).toContain('2026/11/30(月)')
    // Charts: canvases Chart.js draws from /static (no inline script or style), each named for
    // screen readers, with the data table toggle beside it.
    const canvases = html.match(/<canvas[^>]*>/g) ?? []
    // Per day, per status, per member (no ratings yet: no ratings chart).
    expect(canvases.length).toBe(3)
    for (const canvas of canvases) {
      expect(canvas).toContain('role="img"')
      expect(canvas).toMatch(/aria-label="[^"]+"/)
    }
    expect(html).toContain('<script src="/static/chart.umd.min.js" defer=""></script>')
    expect(html).not.toMatch(/<script>|<style|style="/)
    const days = JSON.parse(
      /data-chart="([^"]+)"/
        .exec(html)![1]!
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ) as { labels: string[]; series: { label: string; values: number[] }[] }
    expect(days.labels[23]).toBe('11/24')
    expect(days.series.map((one) => one.label)).toEqual(['作成', '決定', '終了'])
    expect(days.series[0]!.values[23]).toBe(2)
    expect(html.match(/<summary>表で見る<\/summary>/g)?.length).toBe(3)
    expect(html).toContain(ja('stats.ratings_none'))
    // Two boards created today (11/24) in the day table, and 2 new boards now.
    expect(html).toMatch(/2026\/11\/24\(火\)<\/th><td class="num">2<\/td>/)
    expect(html).toContain(ja('stats.basis.calendar'))
    expect(html).not.toContain(ja('export.title'))
  })

  it('the owner gets the export form for the period; English reads English numbers', async () => {
    const { owner, page, workspace } = await setup()
    const html = await (await owner.get(`${page}?period=week`)).text()
    expect(html).toContain(ja('export.title'))
    expect(html).toContain(`action="/w/${workspace.slug}/exports/boards.csv"`)
    expect(html).toContain('name="from" value="2026-11-23"')
    expect(html).toContain('name="to" value="2026-11-29"')
    await owner.post(`/w/${workspace.slug}/me/locale`, { locale: 'en' })
    const english = await (
      await owner.get(`${page}?period=custom&from=2026-11-01&to=2026-11-30`)
    ).text()
    expect(english).toContain(en('stats.show_table'))
    expect(english).toContain('Sun, Nov 1, 2026')
  })

  it('custom dates that are not dates are a clear error', async () => {
    const { staff, page } = await setup()
    const response = await staff.get(`${page}?period=custom&from=2026-13-01&to=x`)
    expect(response.status).toBe(422)
    expect(await response.text()).toContain(ja('field.invalid_date'))
  })

  it('status labels a shop wrote are escaped in the chart and the table', async () => {
    const { testApp, staff, page, workspace } = await setup()
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ status_labels: JSON.stringify({ new: '<b>新規</b>&"' }) })
      .where('id', '=', workspace.id)
      .execute()
    const html = await (await staff.get(page)).text()
    expect(html).not.toContain('<b>新規</b>')
    expect(html).toContain('&lt;b&gt;新規&lt;/b&gt;&amp;&quot;')
  })

  it('per member and ratings, each with its table; the member filter narrows the whole page', async () => {
    const { testApp, staff, page, workspace } = await setup()
    const db = testApp.deps.db
    const tanaka = await db
      .selectFrom('members')
      .select('id')
      .where('email', '=', 'staff@example.jp')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('members')
      .set({ name: '田中 <b>&"' })
      .where('id', '=', tanaka.id)
      .execute()
    const first = await db
      .selectFrom('boards')
      .select('id')
      .where('workspace_id', '=', workspace.id)
      .where('name', '=', '名刺')
      .executeTakeFirstOrThrow()
    await db
      .updateTable('boards')
      .set({
        assignee_member_id: tanaka.id,
        rating_score: 4,
        rated_at: testApp.clock.now().getTime(),
      })
      .where('id', '=', first.id)
      .execute()
    const html = await (await staff.get(page)).text()
    expect(html).toContain(ja('stats.members'))
    expect(html).toContain(
      '<th scope="row"><bdi>田中 &lt;b&gt;&amp;&quot;</bdi></th><td class="num">1</td>',
    )
    expect(html).not.toContain('田中 <b>')
    expect(html).toContain(ja('stats.chart_ratings'))
    expect(html).toMatch(/<th scope="row">4<\/th><td class="num">1<\/td>/)
    expect(html).toContain(`<option value="${tanaka.id}">田中 &lt;b&gt;&amp;&quot;</option>`)

    const narrowed = await staff.get(`${page}?member=${tanaka.id}`)
    expect(narrowed.status).toBe(200)
    const one = await narrowed.text()
    expect(one).toContain(`<option value="${tanaka.id}" selected="">`)
    expect(one).toContain(
      ja('stats.member.filtered', { name: '田中 <b>&"' }).replace('<b>&"', '&lt;b&gt;&amp;&quot;'),
    )
    // One of the two boards created today is assigned to 田中.
    expect(one).toMatch(/2026\/11\/24\(火\)<\/th><td class="num">1<\/td>/)

    // Another workspace's member, or no member at all: 404, nothing shown.
    const other = await createTestWorkspace(testApp, { slug: 'other-stats' })
    expect((await staff.get(`${page}?member=${other.ownerId}`)).status).toBe(404)
    expect((await staff.get(`${page}?member=nobody`)).status).toBe(404)

    // Tags and categories appear as filters once the workspace has some; an unknown one is 404.
    expect(html).not.toContain('name="tag"')
    await db
      .insertInto('tags')
      .values({
        id: 'tag-1',
        workspace_id: workspace.id,
        name: '特急',
        name_key: '特急',
        created_at: testApp.clock.now().getTime(),
      })
      .execute()
    await db
      .insertInto('board_tags')
      .values({
        board_id: first.id,
        tag_id: 'tag-1',
        workspace_id: workspace.id,
        added_at: testApp.clock.now().getTime(),
      })
      .execute()
    expect(await (await staff.get(page)).text()).toContain('<option value="tag-1">特急</option>')
    const tagged = await (await staff.get(`${page}?tag=tag-1`)).text()
    expect(tagged).toContain(ja('stats.tag.filtered', { name: '特急' }))
    expect(tagged).toMatch(/2026\/11\/24\(火\)<\/th><td class="num">1<\/td>/)
    expect((await staff.get(`${page}?tag=nope`)).status).toBe(404)
    expect((await staff.get(`${page}?category=nope`)).status).toBe(404)
  })
})
