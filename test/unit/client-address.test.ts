import { describe, expect, it } from 'vitest'
import {
  clientAddress,
  clientKeyOf,
  parseTrustProxy,
  TrustProxyError,
  type TrustProxy,
} from '../../src/shared/client-address'

// Issue #21 point 1: only a socket or a proxy the operator names can say who the client is.
const headers =
  (values: Record<string, string>) =>
  (name: string): string | undefined =>
    Object.entries(values).find(([key]) => key.toLowerCase() === name.toLowerCase())?.[1]

const resolve = (peer: string | undefined, values: Record<string, string>, trust: TrustProxy) =>
  clientAddress({ peer, header: headers(values), trust })

describe('TRUST_PROXY', () => {
  it('reads none, cloudflare and CIDR lists with a hop count', () => {
    expect(parseTrustProxy(undefined)).toEqual({ kind: 'none' })
    expect(parseTrustProxy(' none ')).toEqual({ kind: 'none' })
    expect(parseTrustProxy('Cloudflare')).toEqual({ kind: 'cloudflare' })
    expect(parseTrustProxy('10.0.0.0/8, fd00::/8 192.0.2.10', '2')).toEqual({
      kind: 'proxies',
      cidrs: ['10.0.0.0/8', 'fd00::/8', '192.0.2.10'],
      hops: 2,
    })
    for (const [value, hops] of [
      ['10.0.0.0/33', undefined],
      ['proxy.internal', undefined],
      ['10.0.0.1', '0'],
      ['10.0.0.1', 'two'],
    ] as const) {
      expect(() => parseTrustProxy(value, hops)).toThrow(TrustProxyError)
    }
  })

  it('without it, only the socket counts, whatever the headers say', () => {
    const spoofed = { 'X-Forwarded-For': '198.51.100.1', 'CF-Connecting-IP': '198.51.100.2' }
    expect(resolve('203.0.113.7', spoofed, { kind: 'none' })).toBe('203.0.113.7')
    expect(resolve('::ffff:203.0.113.7', spoofed, { kind: 'none' })).toBe('203.0.113.7')
    expect(resolve(undefined, spoofed, { kind: 'none' })).toBeUndefined()
  })

  it('cloudflare: CF-Connecting-IP, never X-Forwarded-For', () => {
    const trust = { kind: 'cloudflare' } as const
    expect(
      resolve(
        '172.68.1.1',
        { 'CF-Connecting-IP': '203.0.113.7', 'X-Forwarded-For': '1.1.1.1' },
        trust,
      ),
    ).toBe('203.0.113.7')
    expect(resolve('172.68.1.1', { 'CF-Connecting-IP': 'garbage' }, trust)).toBe('172.68.1.1')
  })

  it('proxies: walks X-Forwarded-For back from the right, only through trusted hops', () => {
    const one: TrustProxy = { kind: 'proxies', cidrs: ['10.0.0.0/8'], hops: 1 }
    const two: TrustProxy = { kind: 'proxies', cidrs: ['10.0.0.0/8'], hops: 2 }
    const chain = { 'X-Forwarded-For': '198.51.100.66, 203.0.113.7, 10.1.1.1' }
    // one proxy: the entry it appended (the client's own entries to the left are ignored)
    expect(resolve('10.0.0.2', chain, one)).toBe('10.1.1.1')
    expect(resolve('10.0.0.2', chain, two)).toBe('203.0.113.7')
    // a peer outside the list is the client, whatever it forwards
    expect(resolve('203.0.113.9', chain, two)).toBe('203.0.113.9')
    // a proxy that forwarded nothing usable
    expect(resolve('10.0.0.2', { 'X-Forwarded-For': 'unknown' }, one)).toBe('10.0.0.2')
    expect(resolve('10.0.0.2', {}, one)).toBe('10.0.0.2')
    expect(
      resolve(
        'fd00::1',
        { 'X-Forwarded-For': '2001:db8::7' },
        {
          kind: 'proxies',
          cidrs: ['fd00::/8'],
          hops: 1,
        },
      ),
    ).toBe('2001:db8::7')
  })

  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(clientKeyOf('203.0.113.7')).toBe('203.0.113.7')
    expect(clientKeyOf('2001:db8:1:2:aaaa::1')).toBe(clientKeyOf('2001:db8:1:2:bbbb::2'))
    expect(clientKeyOf('2001:db8:1:2::1')).not.toBe(clientKeyOf('2001:db8:1:3::1'))
    expect(clientKeyOf(undefined)).toBe('unknown')
  })
})
