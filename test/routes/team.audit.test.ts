import { describe, expect, it } from 'vitest'
import { auditCsv, csvField, pruneAuditLog, recordAudit } from '../../src/team/audit'
import { createTestApp, createTestWorkspace, loginAs, testConfig } from '../helpers/app'

describe('CSV fields', () => {
  it('quotes per RFC 4180 and neutralises formulas', () => {
    expect(csvField('plain')).toBe('plain')
    expect(csvField('a,b')).toBe('"a,b"')
    expect(csvField('say "hi"')).toBe('"say ""hi"""')
    expect(csvField('two\nlines')).toBe('"two\nlines"')
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvField('+1')).toBe("'+1")
    expect(csvField('-2')).toBe("'-2")
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvField(null)).toBe('')
    expect(auditCsv([{ cells: ['x', 1] }], ['a', 'b'])).toBe('\uFEFFa,b\r\nx,1\r\n')
  })
})

describe('audit log', () => {
  it('records sign-ins, invitations and keys; filters; downloads CSV; keeps a year', async () => {
    // behind Cloudflare, so CF-Connecting-IP is the client's address
    const testApp = createTestApp({ config: { ...testConfig, trustProxy: { kind: 'cloudflare' } } })
    const { workspace, email, password } = await createTestWorkspace(testApp, {
      slug: 'audit-shop',
    })
    const owner = await loginAs(testApp, email, password)
    await testApp.app.request('/login', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: 'http://orderboard.test',
        'CF-Connecting-IP': '198.51.100.7',
      },
      body: new URLSearchParams({ email, password: 'wrong password' }).toString(),
    })
    await owner.post(`/w/${workspace.slug}/settings/members/invite`, {
      email: 'new-staff@example.jp',
      role: 'member',
    })
    await owner.post(`/w/${workspace.slug}/settings/api`, {
      name: '=SUM(1+1) 受注システム',
      scope: 'read',
    })

    const page = await (await owner.get(`/w/${workspace.slug}/settings/audit`)).text()
    for (const text of [
      'ログイン',
      'ログイン失敗',
      'メンバーを招待',
      'APIキーを作成',
      '198.51.100.7',
    ])
      expect(page).toContain(text)
    const filtered = await (
      await owner.get(`/w/${workspace.slug}/settings/audit?action=login.failed`)
    ).text()
    expect(filtered).toContain('198.51.100.7')
    expect(filtered).not.toContain('受注システム')
    const bad = await owner.get(`/w/${workspace.slug}/settings/audit?from=yesterday`)
    expect(bad.status).toBe(422)

    const csv = await owner.get(`/w/${workspace.slug}/settings/audit/csv`)
    expect(csv.status).toBe(200)
    expect(csv.headers.get('content-type')).toBe('text/csv; charset=utf-8')
    const bytes = new Uint8Array(await csv.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = new TextDecoder().decode(bytes)
    expect(text).toContain('受注システム')
    expect(text).toContain("'=SUM(1+1) 受注システム")
    expect(text).not.toMatch(/(^|,)=SUM/m)

    await recordAudit(testApp.deps, {
      workspaceId: workspace.id,
      actor: null,
      action: 'login.failed',
    })
    testApp.clock.advance(366 * 24 * 3600_000)
    await recordAudit(testApp.deps, {
      workspaceId: workspace.id,
      actor: null,
      action: 'login.failed',
    })
    expect(await pruneAuditLog(testApp.deps)).toBeGreaterThanOrEqual(5)
    const left = await testApp.deps.db.selectFrom('audit_log').select('id').execute()
    expect(left).toHaveLength(1)
  })
})

describe('audit log: boards', () => {
  it('records a decided message edited afterwards and a reissued customer link, not plain edits', async () => {
    const testApp = createTestApp({ config: { ...testConfig, trustProxy: { kind: 'cloudflare' } } })
    const { workspace, email, password } = await createTestWorkspace(testApp, {
      slug: 'audit-boards',
    })
    const owner = await loginAs(testApp, email, password)
    const boardUrl = (
      await owner.post(`/w/${workspace.slug}/boards`, {
        name: '名刺 100枚',
        customer_name: '山田',
        customer_email: 'yamada@example.jp',
      })
    ).headers.get('location')!
    await owner.post(`${boardUrl}/messages`, { body: '案Aと案Bをお送りします。' })
    await owner.post(`${boardUrl}/messages`, { body: '追加のご案内です。' })
    await owner.post(`${boardUrl}/messages`, {
      body: 'No.1 の内容で確定いたしました。',
      decides_no: '1',
    })
    const messages = await testApp.deps.db
      .selectFrom('messages')
      .select(['id', 'no'])
      .orderBy('seq')
      .execute()
    const [decided, plain, confirming] = messages
    const edit = (id: string, body: string) =>
      owner.post(`${boardUrl}/messages/${id}`, { body }, { 'CF-Connecting-IP': '203.0.113.9' })
    const entries = () =>
      testApp.deps.db
        .selectFrom('audit_log')
        .select(['action', 'target', 'detail', 'ip', 'actor_name'])
        .where('action', 'in', ['board.decision_edited', 'guest_link.reissued'])
        .orderBy('at')
        .execute()

    // an ordinary message edited: nothing recorded; an unchanged text saved again: nothing either
    expect((await edit(plain!.id, '追加のご案内です（訂正）。')).status).toBe(303)
    expect((await edit(decided!.id, '案Aと案Bをお送りします。')).status).toBe(303)
    expect(await entries()).toEqual([])

    // the decided message and the confirming one, edited after the decision
    expect((await edit(decided!.id, '案Aと案Cをお送りします。')).status).toBe(303)
    expect((await edit(confirming!.id, 'No.1 の内容（案C）で確定いたしました。')).status).toBe(303)
    const reissued = await owner.post(
      `${boardUrl}/guest-link/reissue`,
      {},
      { 'CF-Connecting-IP': '203.0.113.9' },
    )
    expect(reissued.status).toBeLessThan(400)
    const rows = await entries()
    expect(rows.map((row) => [row.action, row.target, row.ip, row.actor_name])).toEqual([
      ['board.decision_edited', '名刺 100枚 No.1', '203.0.113.9', 'オーナー'],
      ['board.decision_edited', '名刺 100枚 No.3', '203.0.113.9', 'オーナー'],
      ['guest_link.reissued', '名刺 100枚', '203.0.113.9', 'オーナー'],
    ])
    expect(rows.slice(0, 2).map((row) => JSON.parse(row.detail!))).toEqual([
      { decision_no: 1, message: 'decided' },
      { decision_no: 1, message: 'confirming' },
    ])

    const page = await (await owner.get(`/w/${workspace.slug}/settings/audit`)).text()
    expect(page).toContain('決定事項を事後に編集')
    expect(page).toContain('お客様リンクを再発行')
    const filtered = await (
      await owner.get(`/w/${workspace.slug}/settings/audit?action=board.decision_edited`)
    ).text()
    const rowsOf = (html: string) => html.split('<tbody>')[1]?.split('</tbody>')[0] ?? ''
    expect(rowsOf(filtered)).toContain('決定事項を事後に編集')
    expect(rowsOf(filtered)).not.toContain('お客様リンクを再発行')
    // the search takes LIKE's wildcards as the characters they are
    const byTarget = await (
      await owner.get(`/w/${workspace.slug}/settings/audit?q=${encodeURIComponent('No.3')}`)
    ).text()
    expect(rowsOf(byTarget).match(/<tr>/g)).toHaveLength(1)
    const wildcard = await (
      await owner.get(`/w/${workspace.slug}/settings/audit?q=${encodeURIComponent('_')}`)
    ).text()
    expect(rowsOf(wildcard)).toBe('')
  })
})

describe('audit log: keys and webhooks', () => {
  it('names a revoked key and a changed or deleted webhook as people know them', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createTestWorkspace(testApp, {
      slug: 'audit-keys',
    })
    const owner = await loginAs(testApp, email, password)
    const base = `/w/${workspace.slug}/settings`
    await owner.post(`${base}/api`, { name: '受注システム', scope: 'read' })
    const key = await testApp.deps.db
      .selectFrom('api_keys')
      .select(['id', 'prefix'])
      .executeTakeFirstOrThrow()
    expect((await owner.post(`${base}/api/${key.id}/revoke`, {})).status).toBe(303)
    expect(
      (
        await owner.post(`${base}/webhooks`, {
          url: 'http://localhost:9/hook',
          events: 'message.created',
        })
      ).status,
    ).toBe(201)
    const endpoint = await testApp.deps.db
      .selectFrom('webhook_endpoints')
      .select('id')
      .executeTakeFirstOrThrow()
    expect((await owner.post(`${base}/webhooks/${endpoint.id}/disable`, {})).status).toBe(303)
    expect((await owner.post(`${base}/webhooks/${endpoint.id}/delete`, {})).status).toBe(303)
    const rows = await testApp.deps.db
      .selectFrom('audit_log')
      .select(['action', 'target', 'detail'])
      .where('action', 'in', ['api_key.revoked', 'webhook.changed', 'webhook.deleted'])
      .orderBy('at')
      .execute()
    expect(rows.map((row) => [row.action, row.target])).toEqual([
      ['api_key.revoked', '受注システム'],
      ['webhook.changed', 'http://localhost:9/hook'],
      ['webhook.deleted', 'http://localhost:9/hook'],
    ])
    expect(JSON.parse(rows[0]!.detail!)).toEqual({ key: key.prefix })
  })
})
