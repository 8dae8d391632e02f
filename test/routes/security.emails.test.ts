// Issue #21 point 7: one address rule for the member form, the Shop API and inbound mail.
import { describe, expect, it } from 'vitest'
import { createTestApp, loginAs } from '../helpers/app'
import { createApiWorkspace } from './api.helpers'
import { setupBoard } from './guest.helpers'
import { createInboundApp, postRaw, rawEmail } from './inbound.helpers'

const REFUSED = [
  `${'a'.repeat(65)}@example.com`,
  'jane@xn--.com',
  'jane@xn--zz-zz.com',
  'jane@ab--cd.com',
  'jane@a-.example.com',
  `jane@${'b'.repeat(64)}.com`,
  `${'a'.repeat(64)}@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.jp`,
]

describe('customer email addresses', () => {
  it('the form and the API refuse what a mail server would, and store nothing', async () => {
    const testApp = createTestApp()
    const owner = await createApiWorkspace(testApp)
    const member = await loginAs(testApp, owner.email, owner.password)
    for (const address of REFUSED) {
      const form = await member.post(`/w/${owner.workspace.slug}/boards`, {
        name: '名刺',
        customer_name: '山田',
        customer_email: address,
      })
      expect(form.status, address).toBe(422)
      const api = await owner.api.request('POST', '/boards', {
        name: '名刺',
        customer_name: '山田',
        customer_email: address,
      })
      expect(api.status, address).toBe(422)
      const body = (await api.json()) as { error: { details: Array<{ field: string }> } }
      expect(body.error.details[0]?.field).toBe('customer_email')
    }
    const boards = await testApp.deps.db.selectFrom('boards').select('id').execute()
    expect(boards).toHaveLength(0)
    // the same rule still lets the ordinary and the internationalised through
    for (const address of ['hanako+42@example.co.jp', 'jane@xn--bcher-kva.de']) {
      const response = await owner.api.request('POST', '/boards', {
        name: '名刺',
        customer_name: '山田',
        customer_email: address,
      })
      expect(response.status, address).toBe(201)
    }
  })

  it('inbound mail from such an address is neither matched to a customer nor answered', async () => {
    const { testApp } = await setupBoard({ testApp: createInboundApp() })
    for (const from of REFUSED) {
      const response = await postRaw(
        testApp,
        rawEmail({ from, to: 'board+nothing.here@in.orderboard.test', body: 'hello?' }),
      )
      expect(await response.json()).toMatchObject({ outcome: 'unknown_board' })
    }
    await testApp.drain()
    expect(testApp.mailer.sent.filter((m) => m.headers['Auto-Submitted']).map((m) => m.to)).toEqual(
      [],
    )
    // a valid sender still gets the polite answer
    await postRaw(testApp, rawEmail({ to: 'board+nothing.here@in.orderboard.test', body: '?' }))
    await testApp.drain()
    expect(testApp.mailer.sent.filter((m) => m.headers['Auto-Submitted'])).toHaveLength(1)
  })
})
