import { PermanentMailError } from '../deps'
import { withoutBidiControls } from '../shared/validation'

// Every header value the app emits is built here from validated parts, so nothing typed by a
// customer or a member (board name, customer name, workspace name) can start a new header line.

const CONTROL = /[\u0000-\u001f\u007f\u2028\u2029]/
const CONTROL_RUNS = /[\u0000-\u001f\u007f\u2028\u2029]+/g

/** RFC 5322 msg-id as the app accepts it: `<left@right>`, no spaces, brackets or controls inside. */
const MESSAGE_ID = /^<[^<>\s@\u0000-\u001f\u007f]+@[^<>\s@\u0000-\u001f\u007f]+>$/

/** A plain addr-spec: no display name, comments, quotes, spaces or control characters. */
const ADDRESS = /^[^\s<>()",;:\\[\]@\u0000-\u001f\u007f]+@[^\s<>()",;:\\[\]@\u0000-\u001f\u007f]+$/

export function isMessageId(value: string | null | undefined): value is string {
  return typeof value === 'string' && value.length <= 250 && MESSAGE_ID.test(value)
}

/** One header line: control characters (CR, LF, tab …) become spaces, runs of spaces collapse. */
export function headerText(value: string, max = 200): string {
  return withoutBidiControls(value)
    .replace(CONTROL_RUNS, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, max)
}

/** A display name safe to quote: no quotes, backslashes or angle brackets, one line. */
export function displayName(value: string): string {
  return headerText(value.replace(/["\\<>]/g, ' '), 80)
}

/** Refuses anything that is not a bare address; a bad recipient never becomes a retry loop. */
export function assertAddress(address: string): string {
  if (address.length > 254 || !ADDRESS.test(address))
    throw new PermanentMailError('invalid recipient address')
  return address
}

/** `Name <address>` or a bare address, as written in MAIL_FROM. */
export function parseMailbox(value: string): { name: string; address: string } {
  const match = /^\s*(?:"?([^"<]*?)"?\s*)?<([^<>]+)>\s*$/.exec(value)
  if (match) return { name: displayName(match[1] ?? ''), address: assertAddress(match[2]!.trim()) }
  return { name: '', address: assertAddress(value.trim()) }
}

/** A From header with our address and a display name of our choosing (the shop's name). */
export function formatMailbox(name: string, address: string): string {
  const safe = displayName(name)
  return safe ? `"${safe}" <${assertAddress(address)}>` : assertAddress(address)
}

/** The host part of our Message-IDs: the host of BASE_URL, or a fixed one if it is odd. */
export function messageIdHost(baseUrl: string): string {
  try {
    const host = new URL(baseUrl).hostname.toLowerCase()
    if (/^[a-z0-9.-]+$/.test(host)) return host
  } catch {
    // fall through
  }
  return 'orderboard.invalid'
}

const ID_PART = /^[A-Za-z0-9_-]{1,100}$/

function idPart(value: string): string {
  if (!ID_PART.test(value)) throw new PermanentMailError('invalid id in Message-ID')
  return value
}

/**
 * The root every notification of a board replies to: the Message-ID given at creation (the
 * order confirmation the customer already has) or, without one, a stable one for the board.
 */
export function boardRootMessageId(
  board: { id: string; thread_message_id: string | null },
  host: string,
): string {
  if (isMessageId(board.thread_message_id)) return board.thread_message_id
  return `<board.${idPart(board.id)}@${host}>`
}

/** One stable Message-ID per notification: a resend after a crash carries the same one. */
export function notificationMessageId(messageId: string, recipient: string, host: string): string {
  return `<notify.${idPart(messageId)}.${idPart(recipient)}@${host}>`
}

/**
 * Headers of every mail the product writes on its own (notifications, digests): RFC 3834 §5
 * `Auto-Submitted: auto-generated`, so a well-behaved responder never answers it, and Exchange's
 * `X-Auto-Response-Suppress` ([MS-OXCMAIL] 2.2.3.2.14), so Outlook's out-of-office stays quiet.
 */
export const AUTO_GENERATED_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'OOF, AutoReply',
}

/** Headers of our automatic answer to an inbound mail (RFC 3834 §5: `auto-replied`). */
export const AUTO_REPLIED_HEADERS: Readonly<Record<string, string>> = {
  'Auto-Submitted': 'auto-replied',
  'X-Auto-Response-Suppress': 'OOF, AutoReply',
}

/** The Message-ID of one automatic answer; a mail that names it answers a robot. */
export function answerMessageId(key: string, host: string): string {
  return `<answer.${idPart(key)}@${host}>`
}

export function threadingHeaders(args: {
  messageId: string
  root: string
}): Record<string, string> {
  return { 'Message-ID': args.messageId, 'In-Reply-To': args.root, References: args.root }
}

/** Last check before a transport writes headers: a name, then a value without line breaks. */
export function assertSafeHeaders(headers: Record<string, string>): Record<string, string> {
  for (const [name, value] of Object.entries(headers)) {
    if (!/^[A-Za-z][A-Za-z0-9-]{0,60}$/.test(name) || CONTROL.test(value)) {
      throw new PermanentMailError(`refused header ${JSON.stringify(name)}`)
    }
  }
  return headers
}

/** Every single-line field of an outgoing mail, checked the same way by every transport. */
export function assertSafeMail(mail: {
  from: string
  to: string
  subject: string
  headers: Record<string, string>
}) {
  if (CONTROL.test(mail.from) || CONTROL.test(mail.to) || CONTROL.test(mail.subject)) {
    throw new PermanentMailError('line break in an address or the subject')
  }
  assertAddress(mail.to)
  assertSafeHeaders(mail.headers)
}
