import { Secret, TOTP } from 'otpauth'
import { beforeEach, describe, expect, it } from 'vitest'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { sealPlainTotpSecrets } from '../../src/team/two-factor'
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
const password = 'correct horse battery'

const codeAt = (secret: string, at: number) =>
  new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 }).generate({
    timestamp: at,
  })

function form(path: string, values: Record<string, string>, cookie = '') {
  return testApp.app.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: BASE_URL,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(values).toString(),
  })
}

/** Enrols the signed-in client; returns the secret and the recovery codes shown. */
async function enrol(client: Browserish) {
  const page = await (await client.get(`/w/${slug}/me/2fa`)).text()
  expect(page).toContain('data:image/svg+xml;base64,')
  const secret = /class="totp-secret">([A-Z2-7]+)</.exec(page)![1]!
  const wrong = await client.post(`/w/${slug}/me/2fa/enable`, { code: '000000' })
  expect(wrong.status).toBe(422)
  const enabled = await client.post(`/w/${slug}/me/2fa/enable`, {
    code: codeAt(secret, testApp.clock.now().getTime()),
  })
  expect(enabled.status).toBe(200)
  expect(enabled.headers.get('cache-control')).toBe('no-store')
  const codes = [
    ...(await enabled.text()).matchAll(/<code>([a-z0-9]{5}-[a-z0-9]{5})<\/code>/g),
  ].map((m) => m[1]!)
  expect(codes).toHaveLength(10)
  return { secret, codes }
}

/** Password step: returns the challenge cookie. */
async function passwordStep(email = ownerEmail) {
  const response = await form('/login', { email, password })
  expect(response.status).toBe(303)
  expect(response.headers.get('location')).toBe('/login/2fa')
  // no session yet
  expect(response.headers.get('set-cookie')).not.toContain('ob_session')
  return (response.headers.get('set-cookie') ?? '').split(';')[0]!
}

beforeEach(async () => {
  testApp = createTestApp()
  const created = await createTestWorkspace(testApp, { slug: 'totp-shop' })
  slug = created.workspace.slug
  ownerEmail = created.email
  owner = await loginAs(testApp, created.email, created.password)
})

describe('two-step sign-in', () => {
  it('enrols, then asks for a code at sign-in; a code works once; ±1 step only', async () => {
    const { secret } = await enrol(owner)
    // the enrolment code's step is used up; move on three steps
    testApp.clock.advance(90_000)
    const now = testApp.clock.now().getTime()
    let challenge = await passwordStep()
    expect(
      (await testApp.app.request('/login/2fa', { headers: { Cookie: challenge } })).status,
    ).toBe(200)
    // two steps behind: refused
    const old = await form('/login/2fa', { code: codeAt(secret, now - 60_000) }, challenge)
    expect(old.status).toBe(401)
    expect(await old.text()).toContain('確認コードが正しくありません')
    // the previous step (clock drift): accepted
    const ok = await form('/login/2fa', { code: codeAt(secret, now - 30_000) }, challenge)
    expect(ok.status).toBe(303)
    expect(ok.headers.get('location')).toBe(`/w/${slug}/boards`)
    const session = (ok.headers.get('set-cookie') ?? '')
      .split(/,(?=\s*\w+=)/)
      .map((part) => part.trim().split(';')[0]!)
      .find((part) => part.startsWith('ob_session='))!
    expect(
      (await testApp.app.request(`/w/${slug}/boards`, { headers: { Cookie: session } })).status,
    ).toBe(200)
    // the same code again, on a new challenge: refused (never accepted twice)
    challenge = await passwordStep()
    expect(
      (await form('/login/2fa', { code: codeAt(secret, now - 30_000) }, challenge)).status,
    ).toBe(401)
    const audit = await testApp.deps.db
      .selectFrom('audit_log')
      .select(['action', 'detail'])
      .where('action', 'in', ['login.succeeded', 'login.failed', 'member.2fa_enabled'])
      .execute()
    expect(audit.map((a) => a.action)).toContain('member.2fa_enabled')
    expect(audit.filter((a) => a.action === 'login.failed').length).toBeGreaterThanOrEqual(2)
  })

  it('a recovery code works once; five wrong codes end the challenge', async () => {
    const { codes } = await enrol(owner)
    let challenge = await passwordStep()
    expect((await form('/login/2fa', { code: codes[0]! }, challenge)).status).toBe(303)
    challenge = await passwordStep()
    expect((await form('/login/2fa', { code: codes[0]! }, challenge)).status).toBe(401)
    for (let i = 0; i < 3; i++) {
      expect((await form('/login/2fa', { code: '123456' }, challenge)).status).toBe(401)
    }
    // the fifth try would have been allowed; the sixth is past the limit even with a good code
    await form('/login/2fa', { code: '123456' }, challenge)
    const gone = await form('/login/2fa', { code: codes[1]! }, challenge)
    expect(gone.status).toBe(401)
    expect(await gone.text()).toContain('このリンクは使えません')
  })

  it('owners can require it: a member without it can only set it up', async () => {
    const { workspace } = await import('../../src/workspaces/workspaces.usecases').then(
      async (m) => ({ workspace: (await m.findWorkspaceBySlug(testApp.deps, slug))! }),
    )
    await createMember({
      deps: testApp.deps,
      workspace,
      input: { email: 'staff@example.jp', name: 'スタッフ', password, role: 'admin' },
    })
    const staff = await loginAs(testApp, 'staff@example.jp', password).catch(() => undefined)
    expect(staff).toBeDefined()
    expect(
      (await staff!.post(`/w/${slug}/settings/members/require-2fa`, { require_2fa: '1' })).status,
    ).toBe(403)
    expect(
      (await owner.post(`/w/${slug}/settings/members/require-2fa`, { require_2fa: '1' })).status,
    ).toBe(303)
    const blocked = await staff!.get(`/w/${slug}/boards`)
    expect(blocked.status).toBe(303)
    expect(blocked.headers.get('location')).toBe(`/w/${slug}/me/2fa`)
    const setup = await staff!.get(`/w/${slug}/me/2fa`)
    expect(setup.status).toBe(200)
    expect(await setup.text()).toContain('2段階認証が必須です')
    await enrol(staff!)
    expect((await staff!.get(`/w/${slug}/boards`)).status).toBe(200)
    // and it can't be turned off while required
    const off = await staff!.post(`/w/${slug}/me/2fa/disable`, { current_password: password })
    expect(off.status).toBe(409)
  })

  it('keeps the TOTP secret sealed at rest (AES-GCM under APP_SECRET) and recovery codes hashed', async () => {
    const { secret, codes } = await enrol(owner)
    const row = () =>
      testApp.deps.db
        .selectFrom('members')
        .select(['id', 'totp_secret'])
        .where('email', '=', ownerEmail)
        .executeTakeFirstOrThrow()
    const sealed = (await row()).totp_secret!
    expect(sealed).toMatch(/^aes1:[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+$/)
    expect(sealed).not.toContain(secret)
    const hashes = await testApp.deps.db.selectFrom('recovery_codes').select('code_hash').execute()
    expect(hashes).toHaveLength(10)
    for (const { code_hash } of hashes) {
      expect(code_hash).toMatch(/^[0-9a-f]{64}$/)
      expect(codes).not.toContain(code_hash)
    }
    // the sealed value still signs in
    testApp.clock.advance(60_000)
    let challenge = await passwordStep()
    expect(
      (await form('/login/2fa', { code: codeAt(secret, testApp.clock.now().getTime()) }, challenge))
        .status,
    ).toBe(303)

    // a sealed secret copied onto another member's row does not open there
    const { workspace } = await import('../../src/workspaces/workspaces.usecases').then(
      async (m) => ({ workspace: (await m.findWorkspaceBySlug(testApp.deps, slug))! }),
    )
    await createMember({
      deps: testApp.deps,
      workspace,
      input: { email: 'copy@example.jp', name: 'コピー', password, role: 'member' },
    })
    await testApp.deps.db
      .updateTable('members')
      .set({ totp_secret: sealed, totp_enabled_at: 1 })
      .where('email', '=', 'copy@example.jp')
      .execute()
    testApp.clock.advance(60_000)
    challenge = await passwordStep('copy@example.jp')
    expect(
      (await form('/login/2fa', { code: codeAt(secret, testApp.clock.now().getTime()) }, challenge))
        .status,
    ).toBe(401)

    // another APP_SECRET: the code no longer checks out, a recovery code still signs in
    const moved = createTestApp({
      db: testApp.deps.db,
      batch: testApp.deps.batch,
      clock: testApp.clock,
      config: { ...testApp.deps.config, appSecret: 'another-secret-another-secret-0123' },
    })
    testApp.clock.advance(60_000)
    const before = testApp
    testApp = moved
    challenge = await passwordStep()
    expect(
      (await form('/login/2fa', { code: codeAt(secret, testApp.clock.now().getTime()) }, challenge))
        .status,
    ).toBe(401)
    expect((await form('/login/2fa', { code: codes[3]! }, challenge)).status).toBe(303)
    testApp = before
  })

  it('seals a secret stored in clear before sealing existed: on first use, or by the hourly job', async () => {
    const { secret } = await enrol(owner)
    const clear = () =>
      testApp.deps.db
        .updateTable('members')
        .set({ totp_secret: secret })
        .where('email', '=', ownerEmail)
        .execute()
    const stored = async () =>
      (
        await testApp.deps.db
          .selectFrom('members')
          .select('totp_secret')
          .where('email', '=', ownerEmail)
          .executeTakeFirstOrThrow()
      ).totp_secret!
    await clear()
    testApp.clock.advance(60_000)
    const challenge = await passwordStep()
    expect(
      (await form('/login/2fa', { code: codeAt(secret, testApp.clock.now().getTime()) }, challenge))
        .status,
    ).toBe(303)
    expect(await stored()).toMatch(/^aes1:/)

    await clear()
    expect(await sealPlainTotpSecrets(testApp.deps)).toBe(1)
    expect(await stored()).toMatch(/^aes1:/)
    expect(await sealPlainTotpSecrets(testApp.deps)).toBe(0)
    testApp.clock.advance(60_000)
    expect(
      (
        await form(
          '/login/2fa',
          { code: codeAt(secret, testApp.clock.now().getTime()) },
          await passwordStep(),
        )
      ).status,
    ).toBe(303)
  })
})
