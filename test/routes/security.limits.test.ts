// Issue #21 point 1: limits that can't be spoofed or turned against other people.
import { describe, expect, it } from 'vitest'
import { LOGIN_BACKOFF } from '../../src/auth/auth.usecases'
import { GUEST_LINK_LIMIT } from '../../src/guest/guest.usecases'
import { parseTrustProxy } from '../../src/shared/client-address'
import { BASE_URL, createTestApp, fromPeer, testConfig, type TestApp } from '../helpers/app'
import { setupBoard } from './guest.helpers'

function login(
  testApp: TestApp,
  email: string,
  password: string,
  peer: string,
  headers: Record<string, string> = {},
) {
  return testApp.app.request(
    '/login',
    {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: BASE_URL,
        ...headers,
      },
      body: new URLSearchParams({ email, password }).toString(),
    },
    fromPeer(peer),
  )
}

describe('login throttling', () => {
  it('a new X-Forwarded-For per request does not dodge the limit without TRUST_PROXY', async () => {
    const { testApp, memberEmail } = await setupBoard()
    const statuses: number[] = []
    for (let i = 0; i < 40; i++) {
      const response = await login(testApp, memberEmail, 'wrong', '203.0.113.7', {
        'X-Forwarded-For': `198.51.100.${i}`,
        'CF-Connecting-IP': `192.0.2.${i}`,
      })
      statuses.push(response.status)
    }
    const free = LOGIN_BACKOFF.accountClient.free
    expect(statuses.slice(0, free + 1).every((status) => status === 401)).toBe(true)
    expect(statuses.filter((status) => status === 429)).toHaveLength(40 - free - 1)
  })

  it('never locks the member out from another client, and delays grow instead of a lockout', async () => {
    const { testApp, memberEmail } = await setupBoard()
    const attacker = '203.0.113.66'
    for (let i = 0; i < 30; i++) await login(testApp, memberEmail, 'wrong', attacker)
    // the real member, elsewhere, signs in at once
    const member = await login(testApp, memberEmail, 'correct horse battery', '198.51.100.5')
    expect(member.status).toBe(303)
    // the attacker waits for each next try, and each wait is longer than the one before
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const refused = await login(testApp, memberEmail, 'wrong', attacker)
      expect(refused.status).toBe(429)
      const seconds = Number(refused.headers.get('retry-after'))
      waits.push(seconds)
      testApp.clock.advance(seconds * 1000)
      expect((await login(testApp, memberEmail, 'wrong', attacker)).status).toBe(401)
    }
    for (let i = 1; i < waits.length; i++) expect(waits[i]).toBe(waits[i - 1]! * 2)
    expect(waits.at(-1)! * 1000).toBeLessThanOrEqual(LOGIN_BACKOFF.accountClient.maxMs)
  })

  it('limits one client across many accounts (password spraying)', async () => {
    const { testApp } = await setupBoard()
    const statuses: number[] = []
    for (let i = 0; i < LOGIN_BACKOFF.client.free + 3; i++) {
      statuses.push((await login(testApp, `guess-${i}@example.com`, 'x', '203.0.113.8')).status)
    }
    expect(statuses.at(-1)).toBe(429)
    expect((await login(testApp, 'guess-x@example.com', 'x', '203.0.113.9')).status).toBe(401)
  })

  it('behind a trusted proxy, the address the proxy forwards is the client', async () => {
    const testApp = createTestApp({
      config: { ...testConfig, trustProxy: parseTrustProxy('10.0.0.0/8', '1') },
    })
    const { memberEmail } = await setupBoard({ testApp })
    const viaProxy = (client: string) =>
      login(testApp, memberEmail, 'wrong', '10.0.0.2', {
        'X-Forwarded-For': `6.6.6.6, ${client}`,
      })
    for (let i = 0; i < 10; i++) await viaProxy('203.0.113.7')
    expect((await viaProxy('203.0.113.7')).status).toBe(429)
    // another client through the same proxy is another key
    expect((await viaProxy('203.0.113.8')).status).toBe(401)
    // a peer outside the proxy list cannot pose as a forwarded client
    for (let i = 0; i < 10; i++) {
      await login(testApp, memberEmail, 'wrong', '198.51.100.1', {
        'X-Forwarded-For': `203.0.113.${100 + i}`,
      })
    }
    expect(
      (
        await login(testApp, memberEmail, 'wrong', '198.51.100.1', {
          'X-Forwarded-For': '203.0.113.200',
        })
      ).status,
    ).toBe(429)
  })
})

describe('customer link guessing', () => {
  it('a flood of wrong guesses from one client never blocks another client’s correct link', async () => {
    const { testApp, boardId, linkPath } = await setupBoard()
    const attacker = fromPeer('203.0.113.66')
    for (let i = 0; i < GUEST_LINK_LIMIT.limit * 3; i++) {
      await testApp.app.request(
        `/g/${boardId}/${'x'.repeat(42)}${i % 10}`,
        { headers: { 'X-Forwarded-For': `198.51.100.${i % 250}` } },
        attacker,
      )
    }
    expect((await testApp.app.request(await linkPath(), {}, attacker)).status).toBe(429)
    const customer = await testApp.app.request(await linkPath(), {}, fromPeer('198.51.100.20'))
    expect(customer.status).toBe(303)
    // an IPv6 attacker rotating through its /64 is one client
    for (let i = 0; i < GUEST_LINK_LIMIT.limit; i++) {
      await testApp.app.request(
        `/g/${boardId}/${'y'.repeat(43)}`,
        {},
        fromPeer(`2001:db8:66:1::${(i + 1).toString(16)}`),
      )
    }
    expect(
      (await testApp.app.request(await linkPath(), {}, fromPeer('2001:db8:66:1::ffff'))).status,
    ).toBe(429)
    expect(
      (await testApp.app.request(await linkPath(), {}, fromPeer('2001:db8:66:2::1'))).status,
    ).toBe(303)
  })
})
