import { describe, expect, it } from 'vitest'
import { isDeliverableAddress } from '../../src/shared/email-address'
import { email } from '../../src/shared/validation'

// Issue #21 point 7: addresses as a mail server takes them (RFC 5321 §4.5.3.1, RFC 5891).
const VALID = [
  'jane@example.com',
  'hanako.yamada+order-42@mail.example.co.jp',
  `${'a'.repeat(64)}@example.com`,
  `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(57)}.jp`, // 254 octets
  'jane@xn--bcher-kva.de',
  'jane@XN--BCHER-KVA.DE',
  'jane@xn--80ak6aa92e.com',
  'jane@xn--ls8h.la',
  'jane@123.example',
]

const INVALID = [
  `${'a'.repeat(65)}@example.com`,
  `a@${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(63)}.${'e'.repeat(58)}.jp`, // 255 octets
  `jane@${'b'.repeat(64)}.com`,
  'jane@xn--.com',
  'jane@xn--zz-zz.com',
  'jane@xn--a.com',
  'jane@ab--cd.com',
  'jane@a-.com',
  'jane@-a.com',
  'jane@a..com',
  'jane@example',
  'jane@example.123',
  'jane@1.2.3.4',
  'jane@exa_mple.com',
  'jane@localhost',
  'jane@',
  '@example.com',
]

describe('email addresses', () => {
  it.each(VALID)('accepts %s', (address) => {
    expect(isDeliverableAddress(address)).toBe(true)
    expect(email.safeParse(address).success).toBe(true)
  })

  it.each(INVALID)('refuses %s', (address) => {
    expect(email.safeParse(address).success).toBe(false)
  })
})
