// Issue #21 point 8: a `{{…}}` inside a name the shop sent is a name, not a hole in a template.
import { beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, loginAs, type Browserish, type TestApp } from '../helpers/app'
import { createApiWorkspace, type ApiClient } from './api.helpers'

let testApp: TestApp
let member: Browserish
let api: ApiClient
let slug: string

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createApiWorkspace(testApp)
  slug = owner.workspace.slug
  api = owner.api
  member = await loginAs(testApp, owner.email, owner.password)
})

const FORGED_NAMES = [
  '{{VIP}} 山田',
  '{{customer_name}}',
  '{{ comment_no }}様',
  '名刺 {{board_name}}',
]

describe('template variables cannot be forged by names', () => {
  it('accepts a first message that quotes a name holding {{…}}', async () => {
    for (const [i, customerName] of FORGED_NAMES.entries()) {
      const response = await api.request('POST', '/boards', {
        name: `注文 {{order}} ${i}`,
        customer_name: customerName,
        customer_email: 'jane@example.com',
        first_message: { body: `${customerName} 様、注文 {{order}} ${i} の校正です。` },
      })
      expect(response.status, customerName).toBe(201)
    }
    // a real hole is still refused
    const refused = await api.request('POST', '/boards', {
      name: '注文',
      customer_name: '{{VIP}} 山田',
      customer_email: 'jane@example.com',
      first_message: { body: '{{VIP}} 山田 様 {{next_contact_date}} に' },
    })
    expect(refused.status).toBe(422)
    expect(JSON.stringify(await refused.json())).toContain('{{next_contact_date}}')
  })

  it('lets a member send a template filled with such a name, and edit it', async () => {
    const created = await member.post(`/w/${slug}/boards`, {
      name: '名刺 {{board_name}}',
      customer_name: '{{VIP}} 山田',
      customer_email: 'jane@example.com',
    })
    expect(created.status).toBe(303)
    const url = created.headers.get('location')!
    const page = await (await member.get(url)).text()
    // the template button carries the filled text, the composer the names to skip
    expect(page).toContain('{{VIP}} 山田 様')
    expect(page).toContain('data-filled-values=')
    const body = '{{VIP}} 山田 様、名刺 {{board_name}} の校正データです。'
    const posted = await member.post(`${url}/messages`, { body })
    expect(posted.status).toBe(303)
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select(['id', 'body'])
      .where('board_id', '=', url.split('/').pop()!)
      .executeTakeFirstOrThrow()
    expect(message.body).toBe(body)
    const edited = await member.post(`${url}/messages/${message.id}`, { body: `${body} 再送` })
    expect(edited.status).toBe(303)
    const stillHole = await member.post(`${url}/messages`, { body: `${body} {{VIP}}` })
    expect(stillHole.status).toBe(422)
  })
})
