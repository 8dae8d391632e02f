// Issue #21 point 5: webhook targets are judged by what their names resolve to, at registration
// and at each delivery. The resolver is injected: these tests never touch the network.
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PermanentError, RetryableError } from '../../src/notifications/outbox'
import { deliverWebhook } from '../../src/webhooks/webhooks.deliver'
import { isPublicAddress } from '../../src/webhooks/webhooks.address'
import { createWebhookEndpoint } from '../../src/webhooks/webhooks.usecases'
import { createTestApp, loginAs } from '../helpers/app'
import { createApiWorkspace } from './api.helpers'

afterEach(() => vi.unstubAllGlobals())

function withDns(table: Record<string, string[]>) {
  const asked: string[] = []
  const testApp = createTestApp({
    resolveHost: async (hostname) => {
      asked.push(hostname)
      const addresses = table[hostname]
      if (!addresses) throw new Error(`ENOTFOUND ${hostname}`)
      return addresses
    },
  })
  return { testApp, asked, table }
}

const PRIVATE_ANSWERS = [
  '127.0.0.1',
  '10.1.2.3',
  '172.16.0.1',
  '192.168.0.10',
  '169.254.169.254',
  '100.64.0.1',
  '198.18.0.1',
  '198.19.255.255',
  '192.0.0.170',
  '224.0.0.1',
  '255.255.255.255',
  '0.0.0.0',
  '::1',
  '::',
  'fe80::1',
  'fd00:ec2::254',
  'ff02::1',
  '::ffff:10.0.0.1',
  '64:ff9b::a9fe:a9fe',
  '2002:a00:1::',
]

describe('webhook targets by resolution', () => {
  it.each(PRIVATE_ANSWERS)('%s is never a webhook target', (address) => {
    expect(isPublicAddress(address)).toBe(false)
  })

  it('refuses at registration a name that resolves to any private address', async () => {
    const table: Record<string, string[]> = {
      'hooks.shop.example': ['93.184.215.14', '2606:4700::1111'],
      'mixed.shop.example': ['93.184.215.14', '10.0.0.7'],
    }
    for (const [i, address] of PRIVATE_ANSWERS.entries()) table[`p${i}.evil.example`] = [address]
    const { testApp, asked } = withDns(table)
    const shop = await createApiWorkspace(testApp)
    const owner = await loginAs(testApp, shop.email, shop.password)
    const register = (url: string) =>
      owner.post(`/w/${shop.workspace.slug}/settings/webhooks`, { url, events: 'board.decided' })
    expect((await register('https://hooks.shop.example/h')).status).toBe(201)
    expect((await register('https://mixed.shop.example/h')).status).toBe(422)
    expect((await register('https://nowhere.shop.example/h')).status).toBe(422)
    for (const i of PRIVATE_ANSWERS.keys()) {
      expect((await register(`https://p${i}.evil.example/h`)).status).toBe(422)
    }
    // names that are local by definition are refused without asking the resolver
    for (const url of ['https://localhost./h', 'https://x.localhost/h', 'https://[::1]/h']) {
      expect((await register(url)).status, url).toBe(422)
    }
    expect(asked).not.toContain('localhost.')
    expect(asked).not.toContain('x.localhost')
    const stored = await testApp.deps.db.selectFrom('webhook_endpoints').select('url').execute()
    expect(stored).toEqual([{ url: 'https://hooks.shop.example/h' }])
  })

  it('checks again at each delivery: a name re-pointed at the metadata service is never called', async () => {
    const { testApp, table } = withDns({ 'hooks.shop.example': ['93.184.215.14'] })
    const shop = await createApiWorkspace(testApp)
    await createWebhookEndpoint({
      deps: testApp.deps,
      workspace: shop.workspace,
      createdBy: null,
      input: { url: 'https://hooks.shop.example/h', events: ['board.status_changed'] },
    })
    const calls: string[] = []
    vi.stubGlobal('fetch', async (url: string) => {
      calls.push(String(url))
      return new Response(null, { status: 204 })
    })
    const board = (await (
      await shop.api.request('POST', '/boards', {
        name: '名刺',
        customer_name: '山田',
        customer_email: 'jane@example.com',
      })
    ).json()) as { board: { id: string } }
    await shop.api.request('PATCH', `/boards/${board.board.id}`, { status: 'on_hold' })
    const row = await testApp.deps.db
      .selectFrom('outbox')
      .selectAll()
      .where('kind', '=', 'webhook')
      .executeTakeFirstOrThrow()
    expect(await deliverWebhook(testApp.deps, row)).toEqual({ providerId: 'HTTP 204' })
    table['hooks.shop.example'] = ['169.254.169.254']
    await expect(deliverWebhook(testApp.deps, row)).rejects.toBeInstanceOf(PermanentError)
    delete table['hooks.shop.example']
    await expect(deliverWebhook(testApp.deps, row)).rejects.toBeInstanceOf(RetryableError)
    expect(calls).toEqual(['https://hooks.shop.example/h'])
  })
})

describe('webhook addresses: the form says why', () => {
  it.each([
    ['not a url', 'URLが正しくありません'],
    ['ftp://hooks.shop.example/h', 'https:// で始まるURLを入力してください。'],
    ['http://hooks.shop.example/h', 'https:// で始まるURLを入力してください。'],
    ['https://user:pw@hooks.shop.example/h', 'URLにユーザー名やパスワードは入れられません。'],
    ['https://10.0.0.7/h', 'Webhook はインターネットに公開されたアドレスにだけ送れます。'],
    ['https://intranet/h', 'Webhook はインターネットに公開されたアドレスにだけ送れます。'],
    ['https://p0.evil.example/h', 'Webhook はインターネットに公開されたアドレスにだけ送れます。'],
    ['https://nowhere.shop.example/h', 'このホスト名は見つかりませんでした'],
    // on a development machine, https to this machine: the reason points at http://localhost
    ['https://localhost:3000/h', '手元での試験には http://localhost:ポート/… を使ってください'],
    ['https://127.0.0.1:3000/h', '手元での試験には http://localhost:ポート/… を使ってください'],
    ['https://[::1]/h', '手元での試験には http://localhost:ポート/… を使ってください'],
    ['https://app.localhost/h', '手元での試験には http://localhost:ポート/… を使ってください'],
  ])('%s', async (url, reason) => {
    const { testApp } = withDns({ 'p0.evil.example': ['127.0.0.1'] })
    const shop = await createApiWorkspace(testApp)
    const owner = await loginAs(testApp, shop.email, shop.password)
    const response = await owner.post(`/w/${shop.workspace.slug}/settings/webhooks`, {
      url,
      events: 'board.decided',
    })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain(reason)
    expect(await testApp.deps.db.selectFrom('webhook_endpoints').select('id').execute()).toEqual([])
  })

  it('says the same in English, and http://localhost works on a development machine', async () => {
    const { testApp } = withDns({})
    const shop = await createApiWorkspace(testApp)
    const owner = await loginAs(testApp, shop.email, shop.password)
    await owner.post(`/w/${shop.workspace.slug}/me/locale`, { locale: 'en' })
    const refused = await owner.post(`/w/${shop.workspace.slug}/settings/webhooks`, {
      url: 'https://localhost:3000/h',
      events: 'board.decided',
    })
    expect(await refused.text()).toContain('For local testing use http://localhost:port/…')
    const local = await owner.post(`/w/${shop.workspace.slug}/settings/webhooks`, {
      url: 'http://localhost:3000/h',
      events: 'board.decided',
    })
    expect(local.status).toBe(201)
  })
})
