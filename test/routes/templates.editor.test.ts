import { describe, expect, it } from 'vitest'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { BASE_URL, createTestApp, createTestWorkspace, loginAs } from '../helpers/app'
import { setupBoard } from './guest.helpers'

// Issue 15, point 6: templates read like a person wrote them. The editor shows labelled
// variable chips and a live preview on a sample board; on a board, a template that cannot be
// filled is shown disabled with the reason; 送信 always answers.
// Clock: Tue 2026-11-24 10:00 in Tokyo.

const htmx = { 'HX-Request': 'true' }

/** The button of one template in the composer, with what follows it up to the next one. */
function chip(html: string, label: string) {
  const at = html.indexOf(`>${label}<`)
  if (at < 0) throw new Error(`no template button ${label}`)
  const start = html.lastIndexOf('<button', at)
  const next = html.indexOf('<button', at)
  return html.slice(start, next < 0 ? undefined : next)
}

describe('the template editor (設定 → 定型文)', () => {
  it('shows each variable as a labelled chip that inserts it, and a preview on a sample board', async () => {
    const { member, workspace } = await setupBoard()
    const page = await (await member.get(`/w/${workspace.slug}/templates`)).text()
    for (const [label, variable] of [
      ['お客様名', 'customer_name'],
      ['ボード名', 'board_name'],
      ['ワークスペース名', 'workspace_name'],
      ['送信者名', 'member_name'],
      ['次回連絡予定日', 'next_contact_date'],
      ['コメント番号', 'comment_no'],
    ]) {
      expect(page).toMatch(
        new RegExp(
          `data-insert="\\{\\{${variable}\\}\\}"[^>]*>\\s*<span aria-hidden="true">＋</span> ${label}<`,
        ),
      )
    }
    // every form has its chips, its body and its preview, asked again as the body changes
    const forms = page.split('class="template-body-field"').length - 1
    expect(forms).toBeGreaterThanOrEqual(6) // five templates and the add form
    expect(page.split('class="variable-chips"').length - 1).toBe(forms)
    expect(page).toContain(`hx-post="/w/${workspace.slug}/templates/preview"`)
    expect(page).toContain(
      'hx-trigger="input changed delay:300ms from:closest form target:textarea"',
    )
    // the saved order template, filled for the sample board: the member's own name, the
    // workspace, a sample customer, and a next contact date two business days out, written
    // the Japanese way (Thu 11-26), never ISO
    expect(page).toContain(
      '山田 花子 様\n\nこの度はご注文いただき誠にありがとうございます。テスト印刷のオーナーです。',
    )
    expect(page).toContain('11月26日(木)までにデザイン案をご提示いたします。')
    expect(page).toContain(
      '見本: 山田 花子 様・「名刺 100枚（両面カラー）」・次回連絡予定日 11月26日(木)・No.7',
    )
    expect(page).toContain('No.7 の内容で確定いたしました。')
    expect(page).not.toMatch(/template-preview-text[^>]*>[^<]*2026-11-26/)
  })

  it('previews the body being typed, with the variables that cannot be filled, escaped', async () => {
    const { member, workspace } = await setupBoard()
    const response = await member.post(
      `/w/${workspace.slug}/templates/preview`,
      { body: '{{customer_name}} 様 <b>{{next_contact_date}}</b> {{ typo }} {{comment_no}}' },
      htmx,
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('Cache-Control')).toBe('no-store')
    const html = await response.text()
    expect(html).toContain('山田 花子 様 &lt;b&gt;11月26日(木)&lt;/b&gt; {{ typo }} 7')
    expect(html).toContain('{{typo}} は差し込めない項目です。このままでは送信できません。')
    expect(html).not.toContain('<b>')
    // nothing was written
    const empty = await (
      await member.post(`/w/${workspace.slug}/templates/preview`, { body: '' }, htmx)
    ).text()
    expect(empty).toContain('本文を入力すると、ここに見本のボードでの文面が表示されます。')
  })

  it('writes the sample date in the template’s language and the member’s words in theirs', async () => {
    const { member, workspace } = await setupBoard({ locale: 'en', name: 'Sakura Print' })
    const html = await (
      await member.post(
        `/w/${workspace.slug}/templates/preview`,
        { body: 'We will send a design by {{next_contact_date}}. {{customer_name}}' },
        htmx,
      )
    ).text()
    expect(html).toContain('We will send a design by Thu, Nov 26. Hanako Yamada')
    expect(html).toContain('Preview (sample board)')
    // a Japanese template of an English shop gets a Japanese date
    const ja = await (
      await member.post(
        `/w/${workspace.slug}/templates/preview`,
        { body: '{{next_contact_date}}までにご連絡します' },
        htmx,
      )
    ).text()
    expect(ja).toContain('11月26日(木)までにご連絡します')
    const page = await (await member.get(`/w/${workspace.slug}/templates`)).text()
    expect(page).toContain('<span aria-hidden="true">＋</span> Next contact date<')
  })

  it('refuses a body over the limit with a clear error, and members who may not edit templates', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createTestWorkspace(testApp)
    const owner = await loginAs(testApp, email, password)
    const tooLong = await owner.post(
      `/w/${workspace.slug}/templates/preview`,
      { body: 'あ'.repeat(5001) },
      htmx,
    )
    expect(tooLong.status).toBe(422)
    expect(await tooLong.text()).toContain('5000文字以内で入力してください。')

    await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'staff@example.jp',
        name: '田中',
        password: 'staff password 1',
        role: 'member',
      },
    })
    const staff = await loginAs(testApp, 'staff@example.jp', 'staff password 1')
    const refused = await staff.post(`/w/${workspace.slug}/templates/preview`, { body: 'x' }, htmx)
    expect(refused.status).toBe(403)
    // no CSRF token: refused
    const forged = await testApp.app.request(`/w/${workspace.slug}/templates/preview`, {
      method: 'POST',
      headers: {
        Cookie: owner.cookie,
        Origin: BASE_URL,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'body=x',
    })
    expect(forged.status).toBe(403)
  })
})

describe('templates in the composer', () => {
  it('shows a template this board cannot fill as disabled, with the reason', async () => {
    const { member, staffUrl } = await setupBoard()
    const html = await (await member.get(staffUrl)).text()
    const order = chip(html, 'ご注文受付')
    expect(order).toContain('disabled')
    expect(order).not.toContain('data-body')
    expect(order).toContain('次回連絡予定日が未設定のため使えません')
    const decision = chip(html, '決定')
    expect(decision).toContain('disabled')
    expect(decision).toContain('メッセージの「決定」ボタンから使います')
    // a template with nothing missing is one click away
    const proof = chip(html, '校正のご確認')
    expect(proof).not.toContain('disabled')
    expect(proof).toContain('data-body="山田 太郎 様')
  })

  it('enables it once the side panel sets the date, filled the way a person writes it', async () => {
    const { member, staffUrl } = await setupBoard()
    const saved = await member.post(
      staffUrl,
      {
        status: 'new',
        next_contact_on: '2026-12-07',
        next_contact_time: '',
        expires_on: '2026-12-24',
      },
      htmx,
    )
    expect(saved.status).toBe(200)
    const html = await saved.text()
    expect(html).toContain('id="composer-templates"')
    expect(html).toContain('hx-swap-oob="true"')
    const order = chip(html, 'ご注文受付')
    expect(order).not.toContain('disabled')
    expect(order).toContain('12月7日(月)までにデザイン案をご提示いたします。')
    expect(order).not.toContain('2026-12-07')
    // next year's date carries its year
    const later = await member.post(
      staffUrl,
      {
        status: 'new',
        next_contact_on: '2027-01-08',
        next_contact_time: '',
        expires_on: '2026-12-24',
      },
      htmx,
    )
    expect(chip(await later.text(), 'ご注文受付')).toContain('2027年1月8日(金)までに')
  })

  it('names a variable that does not exist', async () => {
    const { testApp, member, staffUrl, workspace } = await setupBoard()
    const set = await testApp.deps.db
      .selectFrom('template_sets')
      .select('id')
      .where('workspace_id', '=', workspace.id)
      .executeTakeFirstOrThrow()
    await member.post(`/w/${workspace.slug}/templates/sets/${set.id}/templates`, {
      label: '納期のご案内',
      body: '{{customer_name}} 様、納期は {{delivery_date}} です。',
      status: '',
      kind: 'normal',
    })
    const html = await (await member.get(staffUrl)).text()
    expect(chip(html, '納期のご案内')).toContain('{{delivery_date}} は差し込めない項目です')
  })

  it('answers every send: sent, saved as a note, or refused with the reason', async () => {
    const { member, staffUrl } = await setupBoard()
    const sent = await member.post(`${staffUrl}/messages`, { body: '校正をお送りします。' }, htmx)
    expect(sent.status).toBe(200)
    expect(await sent.text()).toMatch(
      /class="send-result" role="status"[^>]*>✓ メッセージを送信しました。</,
    )
    const note = await member.post(
      `${staffUrl}/messages`,
      { body: '色味を確認', internal: '1' },
      htmx,
    )
    expect(await note.text()).toContain('✓ 社内メモを保存しました。')
    const refused = await member.post(`${staffUrl}/messages`, { body: '' }, htmx)
    expect(refused.status).toBe(422)
    const html = await refused.text()
    expect(html).toContain('class="field-error"')
    expect(html).toMatch(/class="send-result" role="status" aria-live="polite" hidden=""/)
    // what the script says when the server could not answer with a form, in the member's words
    const page = await (await member.get(staffUrl)).text()
    expect(page).toContain('data-send-failed="送信できませんでした（{status}）。')
    expect(page).toContain('data-send-offline="送信できませんでした。サーバーにつながりません。')
  })
})

describe('dates that contradict themselves, in the composer’s preview', () => {
  const preview = (
    member: Awaited<ReturnType<typeof setupBoard>>['member'],
    url: string,
    body: string,
  ) =>
    member
      .post(`${url}/next-contact/preview`, { body, next_contact_mode: 'auto' }, htmx)
      .then((r) => r.text())

  it('says 「12月5日(金)」: 12月5日は土曜日です before sending', async () => {
    const { member, staffUrl } = await setupBoard()
    const html = await preview(member, staffUrl, '再校正デザインは12月5日(金)にご提示いたします。')
    expect(html).toContain('class="nc-warnings"')
    expect(html).toContain('「12月5日(金)」: 12月5日は土曜日です。')
    // the date itself is still read as written
    expect(html).toContain('value="2026-12-05"')
    const right = await preview(member, staffUrl, '再校正デザインは12月4日(金)にご提示いたします。')
    expect(right).not.toContain('nc-warning')
  })

  it('speaks the member’s language and reads English weekdays', async () => {
    const { member, staffUrl } = await setupBoard({ locale: 'en', name: 'Sakura Print' })
    const html = await preview(member, staffUrl, 'We will send the proof on Fri, Dec 5.')
    expect(html).toContain('&quot;Fri, Dec 5&quot;: Dec 5 is a Saturday.')
  })

  it('warns about a promise made for a closed day of the shop', async () => {
    const { testApp, member, staffUrl, workspace } = await setupBoard()
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ closed_days: JSON.stringify(['2026-12-03']) })
      .where('id', '=', workspace.id)
      .execute()
    const closedDay = await preview(member, staffUrl, '12月3日(木)に発送いたします。')
    expect(closedDay).toContain('「12月3日(木)」: 12月3日は休業日です。')
    // Saturdays are closed in the default business hours, Sundays too
    const saturday = await preview(member, staffUrl, '12月5日(土)にお届けします。')
    expect(saturday).toContain('「12月5日(土)」: 12月5日は休業日です。')
    expect(saturday).not.toContain('土曜日です')
    const open = await preview(member, staffUrl, '12月4日(金)に発送いたします。')
    expect(open).not.toContain('nc-warning')
  })
})
