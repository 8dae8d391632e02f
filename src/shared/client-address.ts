// Which address a request comes from, for the rate limits. Only what this server can verify
// counts: the socket's peer, or a header set by a proxy the operator says it runs behind
// (TRUST_PROXY). A header anyone can send (X-Forwarded-For from the internet) is never believed.
import ipaddr from 'ipaddr.js'

/**
 * Whom to believe about the client's address:
 * - `none`: the socket's peer address only (Node listening on the internet, the default);
 * - `cloudflare`: Cloudflare's `CF-Connecting-IP` (a Node origin reachable only through
 *   Cloudflare); on Workers that header *is* the peer address, so Workers need no setting;
 * - `proxies`: a reverse proxy at one of these CIDRs appends the address it saw to
 *   `X-Forwarded-For`; up to `hops` such proxies in a row are walked back, right to left.
 */
export type TrustProxy =
  { kind: 'none' } | { kind: 'cloudflare' } | { kind: 'proxies'; cidrs: string[]; hops: number }

export class TrustProxyError extends Error {}

/**
 * Reads TRUST_PROXY (`none`, `cloudflare`, or CIDRs separated by commas or spaces, e.g.
 * `10.0.0.0/8, fd00::/8`; a bare address means that one host) and TRUST_PROXY_HOPS (how many
 * proxies in a row, default 1). Throws TrustProxyError naming the value it could not read.
 */
export function parseTrustProxy(value: string | undefined, hops?: string): TrustProxy {
  const setting = value?.trim() ?? ''
  if (setting === '' || setting.toLowerCase() === 'none') return { kind: 'none' }
  if (setting.toLowerCase() === 'cloudflare') return { kind: 'cloudflare' }
  const cidrs = setting.split(/[\s,]+/).filter(Boolean)
  for (const cidr of cidrs) {
    const valid = cidr.includes('/') ? ipaddr.isValidCIDR(cidr) : isIpAddress(cidr)
    if (!valid) throw new TrustProxyError(`TRUST_PROXY: "${cidr}" is not an address or CIDR`)
  }
  const count = hops === undefined || hops.trim() === '' ? 1 : Number(hops)
  if (!Number.isInteger(count) || count < 1 || count > 10) {
    throw new TrustProxyError('TRUST_PROXY_HOPS must be a whole number from 1 to 10')
  }
  return { kind: 'proxies', cidrs, hops: count }
}

/** A literal IPv4 address in four-part dotted decimal, or an IPv6 address. */
export function isIpAddress(value: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(value) || ipaddr.IPv6.isValid(value)
}

function parsed(value: string | undefined) {
  const candidate = value?.trim()
  if (!candidate || !isIpAddress(candidate)) return undefined
  // ::ffff:203.0.113.7 (an IPv4 client on a dual-stack socket) is that IPv4 address
  return ipaddr.process(candidate)
}

function inAny(address: ipaddr.IPv4 | ipaddr.IPv6, cidrs: string[]) {
  return cidrs.some((cidr) => {
    const [network, bits] = cidr.includes('/')
      ? ipaddr.parseCIDR(cidr)
      : [ipaddr.process(cidr), cidr.includes(':') ? 128 : 32]
    return address.kind() === network.kind() && address.match(network, bits)
  })
}

/**
 * The client's address, or undefined when nothing trustworthy names one. `peer` is the socket's
 * remote address as the runtime reports it; `header` reads a request header.
 */
export function clientAddress({
  peer,
  header,
  trust,
}: {
  peer: string | undefined
  header: (name: string) => string | undefined
  trust: TrustProxy
}): string | undefined {
  if (trust.kind === 'cloudflare') {
    return (parsed(header('CF-Connecting-IP')) ?? parsed(peer))?.toString()
  }
  let address = parsed(peer)
  if (trust.kind === 'none' || !address) return address?.toString()
  const chain = (header('X-Forwarded-For') ?? '').split(',')
  for (let hop = 0; hop < trust.hops && inAny(address, trust.cidrs); hop++) {
    const previous = parsed(chain.pop())
    if (!previous) break
    address = previous
  }
  return address.toString()
}

/**
 * The rate-limit key for an address: IPv4 as it is, IPv6 by its /64 (one subscriber usually
 * holds a whole /64, so counting single IPv6 addresses would let one client rotate forever).
 * Requests whose address is unknown share one key.
 */
export function clientKeyOf(address: string | undefined): string {
  const ip = parsed(address)
  if (!ip) return 'unknown'
  if (ip.kind() === 'ipv4') return ip.toString()
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${ip.toString()}/64`).toString()}/64`
}
