import { beforeEach, describe, expect, it } from 'vitest'
import {
  BASE_URL,
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { linkPath, openAsGuest } from './guest.helpers'

let testApp: TestApp
let member: Browserish
let slug: string

async function createBoard(client: Browserish, workspaceSlug: string) {
  const response = await client.post(`/w/${workspaceSlug}/boards`, {
    name: '名刺 100枚',
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  const url = response.headers.get('location')!
  return { url, id: url.split('/').pop()! }
}

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('next contact: security', () => {
  it('escapes hostile text in the preview', async () => {
    const { url } = await createBoard(member, slug)
    const body =
      '<script>alert(1)</script><b onmouseover="x()">12月7日</b>にご連絡します"><img src=x onerror=alert(2)>'
    const html = await (
      await member.post(`${url}/next-contact/preview`, { body }, { 'HX-Request': 'true' })
    ).text()
    expect(html).toContain('<mark class="contact-phrase" dir="auto">12月7日</mark>')
    expect(html).not.toContain('<script>')
    expect(html).not.toContain('<img')
    expect(html).not.toContain('<b ')
    // A phrase that is itself markup stays text, in the mark and in the hidden field.
    const sneaky = await (
      await member.post(`${url}/next-contact/preview`, { body: '"><i>明日</i>ご連絡します' })
    ).text()
    expect(sneaky).not.toContain('<i>')
    expect(sneaky).toContain('value="明日"')
  })

  it('escapes a hostile phrase on the board page and never shows it to the customer', async () => {
    const { url, id } = await createBoard(member, slug)
    // A script posting fields directly (no mode): the phrase is kept as given, and it is text.
    const body = 'お届けは<script>alert(1)</script>12月7日です'
    await member.post(`${url}/messages`, {
      body,
      next_contact_on: '2026-12-07',
      next_contact_phrase: '<script>alert(1)</script>12月7日',
    })
    const staff = await (await member.get(url)).text()
    expect(staff).toContain(
      '<mark class="contact-phrase">&lt;script&gt;alert(1)&lt;/script&gt;12月7日</mark>',
    )
    expect(staff).not.toContain('<script>alert(1)')
    const guest = await openAsGuest(testApp, await linkPath(testApp, id))
    expect(guest.html).not.toContain('contact-phrase')
    expect(guest.html).not.toContain('<script>alert(1)')
  })

  it('never previews a board of another workspace', async () => {
    const other = await createTestWorkspace(testApp)
    const otherMember = await loginAs(testApp, other.email, other.password)
    const foreign = await createBoard(otherMember, other.workspace.slug)
    const viaOwnSlug = await member.post(`/w/${slug}/boards/${foreign.id}/next-contact/preview`, {
      body: '明日ご連絡します',
    })
    expect(viaOwnSlug.status).toBe(404)
    const viaTheirSlug = await member.post(
      `/w/${other.workspace.slug}/boards/${foreign.id}/next-contact/preview`,
      { body: '明日ご連絡します' },
    )
    expect(viaTheirSlug.status).toBe(404)
  })

  it('needs a session, the CSRF token and a same-origin request', async () => {
    const { url } = await createBoard(member, slug)
    const anonymous = await testApp.app.request(`${url}/next-contact/preview`, {
      method: 'POST',
      headers: { Origin: BASE_URL, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'body=明日',
    })
    expect(anonymous.status).toBe(303)
    expect(anonymous.headers.get('location')).toContain('/login')
    const noToken = await testApp.app.request(`${url}/next-contact/preview`, {
      method: 'POST',
      headers: {
        Cookie: member.cookie,
        Origin: BASE_URL,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'body=明日',
    })
    expect(noToken.status).toBe(403)
    const crossSite = await member.post(
      `${url}/next-contact/preview`,
      { body: '明日' },
      { Origin: 'https://evil.example' },
    )
    expect(crossSite.status).toBe(403)
  })

  it('lets a member switch only their own digest, with the CSRF token', async () => {
    const forged = await testApp.app.request(`/w/${slug}/settings/digest`, {
      method: 'POST',
      headers: {
        Cookie: member.cookie,
        Origin: BASE_URL,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: '',
    })
    expect(forged.status).toBe(403)
    const row = await testApp.deps.db
      .selectFrom('members')
      .select('digest_enabled')
      .executeTakeFirstOrThrow()
    expect(row.digest_enabled).toBe(1)
  })
})
