// Where a webhook may be sent: only to public unicast addresses, so an endpoint can never point
// the sender at the shop's own network, the host itself or a cloud metadata service.
import ipaddr from 'ipaddr.js'
import { isIpAddress } from '../shared/client-address'

/**
 * Resolves a host name to its addresses (A and AAAA). Node uses the system resolver; Workers
 * have none to offer (Cloudflare's outbound fetch refuses private targets itself), and tests
 * inject a table so they never touch the network.
 */
export type HostResolver = (hostname: string) => Promise<string[]>

/**
 * Whether an address is one a webhook may reach: public unicast only. ipaddr.js names every
 * special range (IANA special-purpose registries, RFC 6890): loopback, private (RFC 1918),
 * link-local (169.254/16 with the metadata service, fe80::/10), CGNAT (100.64/10), benchmarking
 * (198.18/15), the IETF protocol block (192.0.0/24), multicast, broadcast, unique local
 * (fc00::/7) … and IPv6 forms that carry an IPv4 address inside (mapped, 6to4, Teredo, NAT64),
 * which are refused rather than unwrapped.
 */
export function isPublicAddress(address: string): boolean {
  if (!isIpAddress(address)) return false
  const ip = ipaddr.parse(address)
  if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) {
    return isPublicAddress((ip as ipaddr.IPv6).toIPv4Address().toString())
  }
  return ip.range() === 'unicast'
}

/** The URL's host as an address when it is a literal (`[::1]` without brackets), else undefined. */
export function literalAddress(hostname: string): string | undefined {
  const bare = hostname.startsWith('[') ? hostname.slice(1, -1) : hostname
  return isIpAddress(bare) ? bare : undefined
}

/**
 * Names refused before any lookup: a trailing dot (`localhost.` escapes a literal comparison),
 * `localhost` and everything under `.localhost` (RFC 6761: always this machine), single-label
 * names, and the special-use suffixes that never reach the public internet.
 */
export function isRefusedName(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host.endsWith('.') || !host.includes('.')) return true
  return /(^|\.)(localhost|local|internal|localdomain|home\.arpa|invalid|test)$/.test(host)
}

/**
 * Checks that `hostname` resolves only to public addresses (every address: a name with one
 * private answer is refused). Returns a reason when it does not, undefined when it may be used.
 * A failed lookup is a reason too (`unresolvable`); the caller decides whether to retry.
 */
export async function resolvedTargetProblem(
  hostname: string,
  resolve: HostResolver,
): Promise<'private_address' | 'unresolvable' | undefined> {
  let addresses: string[]
  try {
    addresses = await resolve(hostname)
  } catch {
    return 'unresolvable'
  }
  if (addresses.length === 0) return 'unresolvable'
  return addresses.every(isPublicAddress) ? undefined : 'private_address'
}
