import { lookup } from 'node:dns/promises'
import type { HostResolver } from '../../webhooks/webhooks.address'

/** Every address the system resolver gives for a name (A and AAAA, as fetch would connect). */
export const nodeResolveHost: HostResolver = async (hostname) =>
  (await lookup(hostname, { all: true, verbatim: true })).map((entry) => entry.address)
