// What a mail server would take as a recipient, beyond the shape zod's `z.email()` checks: the
// length limits of RFC 5321 §4.5.3.1 and domain labels that survive IDNA (RFC 5890/5891).
// The one rule for the member form, the Shop API and inbound mail, so an address stored by one
// path is never refused (or bounced) by another.

const encoder = new TextEncoder()
const octets = (value: string) => encoder.encode(value).byteLength

/** RFC 5321 §4.5.3.1.1: a local part is at most 64 octets. */
export const MAX_LOCAL_PART_OCTETS = 64
/** RFC 5321 §4.5.3.1.3 (a path of 256 octets less the angle brackets): at most 254 octets. */
export const MAX_ADDRESS_OCTETS = 254

const LDH_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/

/**
 * An `xn--` label must decode to a valid U-label. The WHATWG URL parser (the same on Node and
 * Workers) runs UTS #46 ToASCII, which refuses undecodable Punycode (`xn--`, `xn--zz-zz`) and
 * labels that decode to something IDNA forbids; a label that comes back changed was not in
 * its canonical form.
 */
function isValidALabel(label: string): boolean {
  try {
    return new URL(`http://${label}.example/`).hostname === `${label}.example`
  } catch {
    return false
  }
}

/** One DNS label of a mail domain: letters, digits, hyphens; `??--` only as a valid `xn--`. */
function isValidDomainLabel(label: string): boolean {
  if (!LDH_LABEL.test(label)) return false
  if (label.slice(2, 4) !== '--') return true
  return label.startsWith('xn--') && isValidALabel(label)
}

/**
 * Whether an address (already of the shape `local@domain`, ASCII) is one a mail server would
 * accept: local part ≤ 64 octets, whole address ≤ 254 octets, at least two domain labels, each
 * a valid LDH label or a decodable IDNA A-label, and a top-level label that is not all digits.
 */
export function isDeliverableAddress(address: string): boolean {
  const at = address.lastIndexOf('@')
  if (at <= 0 || at === address.length - 1) return false
  if (octets(address) > MAX_ADDRESS_OCTETS) return false
  if (octets(address.slice(0, at)) > MAX_LOCAL_PART_OCTETS) return false
  const labels = address
    .slice(at + 1)
    .toLowerCase()
    .split('.')
  if (labels.length < 2 || /^\d+$/.test(labels[labels.length - 1] ?? '')) return false
  return labels.every(isValidDomainLabel)
}
