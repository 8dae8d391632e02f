import { beforeEach, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { createMember } from '../../src/workspaces/workspaces.usecases'
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
let workspace: Awaited<ReturnType<typeof createTestWorkspace>>['workspace']

const members = () => `/w/${slug}/settings/members`

/** The link in the last email sent to `to`. */
function lastLink(to: string, path: 'invite' | 'reset' | 'email-change') {
  const mail = [...testApp.mailer.sent].reverse().find((m) => m.to === to)
  if (!mail) throw new Error(`no mail to ${to}`)
  const match = new RegExp(`${BASE_URL}/${path}/([A-Za-z0-9_-]{43})`).exec(mail.text)
  if (!match) throw new Error(`no ${path} link in ${mail.text}`)
  return { mail, path: `/${path}/${match[1]}` }
}

function post(path: string, form: Record<string, string>, cookie = '') {
  return testApp.app.request(path, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Origin: BASE_URL,
      ...(cookie ? { Cookie: cookie } : {}),
    },
    body: new URLSearchParams(form).toString(),
  })
}

async function invite(email: string, role = 'member', as = owner) {
  const response = await as.post(`${members()}/invite`, { email, role })
  await testApp.drain()
  return response
}

beforeEach(async () => {
  testApp = createTestApp()
  const created = await createTestWorkspace(testApp, { slug: 'team-shop', name: 'さくら印刷' })
  slug = created.workspace.slug
  workspace = created.workspace
  owner = await loginAs(testApp, created.email, created.password)
})

describe('inviting a member', () => {
  it('mails a single-use link; accepting sets name and password and signs in', async () => {
    const response = await invite('tanaka@example.jp', 'admin')
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(`${members()}?done=invited`)
    const { mail, path } = lastLink('tanaka@example.jp', 'invite')
    expect(mail.subject).toContain('さくら印刷')
    expect(mail.html).toContain('管理者')
    // only the hash is stored, and the outbox row carries no token
    const row = await testApp.deps.db
      .selectFrom('invitations')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row.token_hash).not.toContain(path.split('/').pop())
    const outbox = await testApp.deps.db
      .selectFrom('outbox')
      .select('payload')
      .where('kind', '=', 'account-mail')
      .executeTakeFirstOrThrow()
    expect(outbox.payload).not.toContain(path.split('/').pop())

    const page = await testApp.app.request(path)
    expect(page.status).toBe(200)
    expect(page.headers.get('referrer-policy')).toBe('no-referrer')
    expect(await page.text()).toContain('tanaka@example.jp')

    const accepted = await post(path, { name: '田中', password: 'tanaka-password' })
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe(`/w/${slug}/boards`)
    const cookie = (accepted.headers.get('set-cookie') ?? '').split(';')[0]!
    expect(
      (await testApp.app.request(`/w/${slug}/boards`, { headers: { Cookie: cookie } })).status,
    ).toBe(200)
    const member = await testApp.deps.db
      .selectFrom('members')
      .selectAll()
      .where('email', '=', 'tanaka@example.jp')
      .executeTakeFirstOrThrow()
    expect(member.role).toBe('admin')
    expect(member.name).toBe('田中')
    // and can sign in with the password chosen
    await loginAs(testApp, 'tanaka@example.jp', 'tanaka-password')

    // single use
    expect((await testApp.app.request(path)).status).toBe(410)
    expect((await post(path, { name: 'x', password: 'another-password' })).status).toBe(410)
    const list = await (await owner.get(members())).text()
    expect(list).toContain('田中')
    expect(list).toContain('招待中の人はいません。')
  })

  it('refuses forged, expired, resent-over and revoked links, changing nothing', async () => {
    await invite('a@example.jp')
    const first = lastLink('a@example.jp', 'invite').path
    expect((await testApp.app.request('/invite/' + 'A'.repeat(43))).status).toBe(410)
    expect((await testApp.app.request('/invite/short')).status).toBe(410)

    const invitation = await testApp.deps.db
      .selectFrom('invitations')
      .select('id')
      .executeTakeFirstOrThrow()
    expect((await owner.post(`${members()}/invitations/${invitation.id}/resend`, {})).status).toBe(
      303,
    )
    await testApp.drain()
    const second = lastLink('a@example.jp', 'invite').path
    expect(second).not.toBe(first)
    expect((await post(first, { name: 'A', password: 'password-a' })).status).toBe(410)

    testApp.clock.advance(7 * 24 * 3600_000 + 1000)
    expect((await post(second, { name: 'A', password: 'password-a' })).status).toBe(410)

    await invite('b@example.jp')
    const third = lastLink('b@example.jp', 'invite').path
    const b = await testApp.deps.db
      .selectFrom('invitations')
      .select('id')
      .where('email', '=', 'b@example.jp')
      .executeTakeFirstOrThrow()
    expect((await owner.post(`${members()}/invitations/${b.id}/revoke`, {})).status).toBe(303)
    expect((await post(third, { name: 'B', password: 'password-b' })).status).toBe(410)
    const count = await testApp.deps.db
      .selectFrom('members')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    expect(Number(count.n)).toBe(1)
  })

  it('answers bad input in the user’s language and refuses an existing member', async () => {
    const bad = await owner.post(`${members()}/invite`, { email: 'not-an-address', role: 'member' })
    expect(bad.status).toBe(422)
    expect(await bad.text()).toContain('入力内容を確認してください')
    const taken = await owner.post(`${members()}/invite`, {
      email: 'owner-team-shop@example.com',
      role: 'member',
    })
    expect(taken.status).toBe(422)
    expect(await taken.text()).toContain('すでに登録されています')
    expect(await testApp.deps.db.selectFrom('invitations').select('id').execute()).toHaveLength(0)
  })
})

describe('roles and removal', () => {
  async function addMember(role: 'owner' | 'admin' | 'member', email: string) {
    const id = await createMember({
      deps: testApp.deps,
      workspace,
      input: { email, name: email.split('@')[0]!, password: 'correct horse', role },
    })
    return { id, client: await loginAs(testApp, email, 'correct horse') }
  }

  it('an admin manages members but never owners, nor grants the owner role', async () => {
    const admin = await addMember('admin', 'admin@example.jp')
    const staff = await addMember('member', 'staff@example.jp')
    const ownerRow = await testApp.deps.db
      .selectFrom('members')
      .select('id')
      .where('role', '=', 'owner')
      .executeTakeFirstOrThrow()
    expect(
      (await admin.client.post(`${members()}/${staff.id}/role`, { role: 'owner' })).status,
    ).toBe(403)
    expect(
      (await admin.client.post(`${members()}/${ownerRow.id}/role`, { role: 'member' })).status,
    ).toBe(403)
    expect((await admin.client.post(`${members()}/${ownerRow.id}/remove`, {})).status).toBe(403)
    expect((await invite('x@example.jp', 'owner', admin.client)).status).toBe(403)
    expect(
      (await admin.client.post(`${members()}/${staff.id}/role`, { role: 'admin' })).status,
    ).toBe(303)
    const changed = await testApp.deps.db
      .selectFrom('members')
      .select('role')
      .where('id', '=', staff.id)
      .executeTakeFirstOrThrow()
    expect(changed.role).toBe('admin')
  })

  it('keeps the last owner', async () => {
    const ownerRow = await testApp.deps.db
      .selectFrom('members')
      .select('id')
      .where('role', '=', 'owner')
      .executeTakeFirstOrThrow()
    const second = await addMember('owner', 'owner2@example.jp')
    // the second owner demotes the first: allowed, one owner is left
    expect(
      (await second.client.post(`${members()}/${ownerRow.id}/role`, { role: 'admin' })).status,
    ).toBe(303)
    // now the second owner is the last one: nobody may demote or remove them, not even themself
    expect(
      (await second.client.post(`${members()}/${second.id}/role`, { role: 'admin' })).status,
    ).toBe(409)
    const admin = await loginAs(testApp, 'owner-team-shop@example.com', 'correct horse battery')
    expect((await admin.post(`${members()}/${second.id}/remove`, {})).status).toBe(403)
    const owners = await testApp.deps.db
      .selectFrom('members')
      .select('id')
      .where('role', '=', 'owner')
      .execute()
    expect(owners).toEqual([{ id: second.id }])
  })

  it('a removed member’s session and API key are refused at once; their posts keep the name', async () => {
    const staff = await addMember('admin', 'leaver@example.jp')
    const board = (
      await staff.client.post(`/w/${slug}/boards`, {
        name: '名刺',
        customer_name: '山田',
        customer_email: 'yamada@example.jp',
      })
    ).headers.get('location')!
    await staff.client.post(`${board}/messages`, { body: 'よろしくお願いします' })
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace,
      name: 'leaver key',
      createdBy: staff.id,
    })
    expect(
      (await testApp.app.request('/api/v1/boards', { headers: { Authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(200)

    expect((await owner.post(`${members()}/${staff.id}/remove`, {})).status).toBe(303)
    const after = await staff.client.get(`/w/${slug}/boards`)
    expect(after.status).toBe(303)
    expect(after.headers.get('location')).toMatch(/^\/login/)
    expect(
      (await testApp.app.request('/api/v1/boards', { headers: { Authorization: `Bearer ${key}` } }))
        .status,
    ).toBe(401)
    const page = await (await owner.get(board)).text()
    expect(page).toContain('leaver')
    expect(page).toContain('よろしくお願いします')
  })
})
