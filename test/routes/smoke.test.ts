import { describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace, loginAs } from '../helpers/app'

describe('smoke', () => {
  it('logs in, creates a board, posts', async () => {
    const testApp = createTestApp()
    const { workspace, email, password } = await createTestWorkspace(testApp)
    const member = await loginAs(testApp, email, password)
    const created = await member.post(`/w/${workspace.slug}/boards`, {
      name: '名刺',
      customer_name: '山田',
      customer_email: 'y@example.jp',
    })
    expect(created.status).toBe(303)
    const url = created.headers.get('location')!
    const page = await member.get(url)
    expect(page.status).toBe(200)
    const posted = await member.post(`${url}/messages`, { body: 'こんにちは' })
    expect(posted.status).toBe(303)
    const html = await (await member.get(url)).text()
    expect(html).toContain('No.1')
    expect(html).toContain('こんにちは')
  })
})
