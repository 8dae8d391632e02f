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
