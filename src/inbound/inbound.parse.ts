import PostalMime, { type Address } from 'postal-mime'

/** One file that came with an inbound email. */
export interface InboundAttachment {
  filename: string
  contentType: string
  content: Uint8Array
}

/** What the rest of the app needs from one raw inbound email. */
export interface InboundEmail {
  /** without angle brackets; undefined when the sender gave none */
  messageId: string | undefined
  inReplyTo: string[]
  references: string[]
  /** lowercase address of the sender */
  from: string | undefined
  fromName: string
  /** lowercase addresses of To, Cc and Delivered-To: any of them may be our reply address */
  to: string[]
  subject: string
  /** the text body as sent, quoted history included (see inbound.strip.ts) */
  text: string
  attachments: InboundAttachment[]
  /** an auto-responder, a bounce or bulk mail: never posted on a board */
  autoSubmitted: boolean
}

/** Message ids in a header value, without their angle brackets. */
export function messageIds(value: string | undefined): string[] {
  if (!value) return []
  const bracketed = [...value.matchAll(/<([^<>\s]+)>/g)].map((match) => match[1] ?? '')
  const ids = bracketed.length > 0 ? bracketed : value.split(/\s+/)
  return ids.map((id) => id.trim()).filter((id) => id.length > 0)
}

function flatten(addresses: Address[] | Address | undefined): { name: string; address: string }[] {
  if (!addresses) return []
  const list = Array.isArray(addresses) ? addresses : [addresses]
  return list.flatMap((entry) =>
    entry.group ? entry.group : entry.address ? [{ name: entry.name, address: entry.address }] : [],
  )
}

/** Crude HTML → text for mail that has no text part (some mobile clients). */
export function htmlToText(html: string): string {
  return html
    .replace(/<(style|script)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/(p|div|li|tr|h[1-6]|blockquote)>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&nbsp;/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
}

/**
 * RFC 3834 and the de-facto headers: anything that is not a person answering. A bounce has an
 * empty Return-Path or comes from the mailer daemon, and delivery reports are multipart/report.
 */
function isAutoSubmitted(
  header: (name: string) => string | undefined,
  from: string | undefined,
  returnPath: string | undefined,
): boolean {
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase()
  if (autoSubmitted && autoSubmitted !== 'no') return true
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined) return true
  if (header('x-auto-response-suppress')?.toLowerCase().includes('all')) return true
  const precedence = header('precedence')?.trim().toLowerCase()
  if (
    precedence === 'bulk' ||
    precedence === 'auto_reply' ||
    precedence === 'junk' ||
    precedence === 'list'
  )
    return true
  const rawReturnPath = header('return-path')
  if (rawReturnPath !== undefined && /^\s*<?\s*>?\s*$/.test(rawReturnPath)) return true
  if (returnPath !== undefined && returnPath.trim() === '') return true
  if (from && /^(mailer-daemon|postmaster)@/i.test(from)) return true
  if (/multipart\/report/i.test(header('content-type') ?? '')) return true
  return false
}

/** Parses one raw email with postal-mime (the same code on Node and Workers). */
export async function parseInboundEmail(
  raw: string | Uint8Array | ArrayBuffer,
): Promise<InboundEmail> {
  const email = await PostalMime.parse(raw as ArrayBuffer, { attachmentEncoding: 'arraybuffer' })
  const header = (name: string) => email.headers.find((entry) => entry.key === name)?.value
  const sender = flatten(email.from)[0]
  const from = sender?.address.toLowerCase()
  const recipients = [...flatten(email.to), ...flatten(email.cc)].map((entry) =>
    entry.address.toLowerCase(),
  )
  if (email.deliveredTo) recipients.push(email.deliveredTo.toLowerCase())
  const text = email.text ?? (email.html ? htmlToText(email.html) : '')
  return {
    messageId: messageIds(email.messageId)[0],
    inReplyTo: messageIds(email.inReplyTo),
    references: messageIds(email.references),
    from,
    fromName: sender?.name ?? '',
    to: [...new Set(recipients)],
    subject: email.subject ?? '',
    text: text.replace(/\r\n?/g, '\n'),
    attachments: email.attachments
      .filter((attachment) => !attachment.related)
      .map((attachment) => ({
        filename: attachment.filename ?? 'attachment',
        contentType: attachment.mimeType,
        content:
          attachment.content instanceof Uint8Array
            ? attachment.content
            : typeof attachment.content === 'string'
              ? new TextEncoder().encode(attachment.content)
              : new Uint8Array(attachment.content),
      })),
    autoSubmitted: isAutoSubmitted(header, from, email.returnPath),
  }
}
