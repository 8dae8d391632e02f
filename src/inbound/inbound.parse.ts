import PostalMime, { type Address, type Attachment } from 'postal-mime'
import { convert } from 'html-to-text'
import { readTnef } from './inbound.tnef'

/** One file that came with an inbound email. */
export interface InboundAttachment {
  filename: string
  contentType: string
  content: Uint8Array
}

/**
 * What kind of sender wrote the mail:
 * - person: a customer (or anyone) answering by hand;
 * - auto_reply: an out-of-office or vacation responder (RFC 3834 and the de-facto markers);
 * - bounce: a delivery report (RFC 3464) or a mail system's own failure notice (Japanese
 *   carriers send multipart/mixed with the original attached, no DSN part);
 * - bulk: list or bulk mail, never posted and never answered.
 */
export type SenderKind = 'person' | 'auto_reply' | 'bounce' | 'bulk'

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
  /** the text body as sent (HTML-only mail converted), quoted history included (inbound.strip) */
  text: string
  attachments: InboundAttachment[]
  kind: SenderKind
  /** kind !== 'person': never posted on a board, never answered */
  autoSubmitted: boolean
  /**
   * Message-IDs (no brackets) of mails quoted inside this one: attached originals
   * (message/rfc822, text/rfc822-headers) and "Message-ID:" lines in the text. A bounce names
   * the notification it returns this way.
   */
  quotedIds: string[]
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

/**
 * HTML → plain text for mail without a text part (Outlook, some phones), with html-to-text:
 * entities and numeric character references decoded, blocks and <br> as line breaks,
 * <blockquote> as "> " lines (so quote stripping sees the quote), links as "text [url]",
 * images and markup dropped, no wrapping.
 */
export function htmlToText(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'h4', options: { uppercase: false } },
      { selector: 'h5', options: { uppercase: false } },
      { selector: 'h6', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable', options: { uppercaseHeaderCells: false } },
    ],
  })
    .replace(/\u00a0/g, ' ')
    .replace(/[ \t]+$/gm, '')
}

/**
 * Subjects of Exchange/Outlook out-of-office answers that carry no header marker (older
 * Exchange, Outlook rules), in the languages we see, and vacation responders'.
 */
const AUTO_REPLY_WORDS =
  '自動応答|自動返信|自動返答|不在通知|不在のお知らせ|Automatic reply|Auto[- ]?Reply|Auto[- ]?Response|Autoreply|Out of (?:the )?Office(?: AutoReply)?|Abwesenheitsnotiz|Automatische Antwort|Réponse automatique|Respuesta automática|Risposta automatica|Vacation reply|On vacation'
/** "自動応答: …", "Out of Office AutoReply: …", "[自動返信] …" — a colon or brackets, not a word. */
const AUTO_REPLY_SUBJECT = new RegExp(
  `^\\s*(?:[[【(（]\\s*(?:${AUTO_REPLY_WORDS})\\s*[\\]】)）]|(?:${AUTO_REPLY_WORDS})\\s*[:：])`,
  'i',
)
/** "Auto:" alone is only Outlook's when the mail is Outlook's (it sets Thread-Index). */
const AUTO_SUBJECT = /^\s*Auto\s*[:：]/i
const BOUNCE_SUBJECT =
  /undeliver|undelivered|delivery (status notification|failure|has failed)|mail delivery (failed|system|subsystem)|returned mail|failure notice|could not be delivered|delivery problem|配信不能|配送不能|不達|メール(送信|配送|配信)?エラー|メールをお届けできませんでした|送信できませんでした|宛先不明|エラーメール/i
/** Addresses of mail systems, not of people. */
const ROBOT_SENDER =
  /^(mailer-daemon|mail-daemon|maildaemon|postmaster|no-?reply|do-?not-?reply|donotreply|bounces?|mailerror|mail-?error|mdaemon|mail-?admin|mail-?delivery|delivery-?notification)([+._-][^@]*)?@/i
const ROBOT_DOMAIN = /@([^@]*\.)?(mailerror|mailer-daemon|bounce)[^@]*$/i

function classify(
  header: (name: string) => string | undefined,
  from: string | undefined,
  subject: string,
  attachments: Attachment[],
  quotedIds: string[],
): SenderKind {
  const contentType = (header('content-type') ?? '').toLowerCase()
  const robotSender = !!from && (ROBOT_SENDER.test(from) || ROBOT_DOMAIN.test(from))
  const rawReturnPath = header('return-path')
  const nullSender = rawReturnPath !== undefined && /^\s*<?\s*>?\s*$/.test(rawReturnPath)

  // Bounces first: a mail system's report may also say Auto-Submitted.
  if (/multipart\/report/.test(contentType) && /delivery-status/.test(contentType)) return 'bounce'
  if (attachments.some((part) => part.mimeType === 'message/delivery-status')) return 'bounce'
  const carriesOriginal =
    quotedIds.length > 0 ||
    attachments.some((part) => /^(message\/rfc822|text\/rfc822-headers)$/.test(part.mimeType))
  if (
    carriesOriginal &&
    (robotSender || nullSender) &&
    (BOUNCE_SUBJECT.test(subject) || robotSender)
  )
    return 'bounce'
  if (/^(mailer-daemon|mail-daemon|postmaster)@/i.test(from ?? '')) return 'bounce'
  if (carriesOriginal && BOUNCE_SUBJECT.test(subject)) return 'bounce'
  if (nullSender && BOUNCE_SUBJECT.test(subject)) return 'bounce'

  // RFC 3834 and the de-facto markers. X-Auto-Response-Suppress is not one: it asks Exchange
  // not to answer, and a person's Outlook mail carries it.
  const autoSubmitted = header('auto-submitted')?.trim().toLowerCase()
  if (autoSubmitted && !autoSubmitted.startsWith('no')) return 'auto_reply'
  for (const name of ['x-autoreply', 'x-autorespond', 'x-autoresponder', 'x-auto-reply'])
    if (header(name) !== undefined) return 'auto_reply'
  if (/autoreply/i.test(header('x-post-messageclass') ?? '')) return 'auto_reply'
  const precedence = header('precedence')?.trim().toLowerCase()
  // Precedence bulk/junk is also what vacation(1) and its kin send (RFC 3834 §3.1.8).
  if (precedence === 'auto_reply' || precedence === 'bulk' || precedence === 'junk')
    return 'auto_reply'
  if (AUTO_REPLY_SUBJECT.test(subject)) return 'auto_reply'
  if (AUTO_SUBJECT.test(subject) && header('thread-index') !== undefined) return 'auto_reply'
  if (precedence === 'list') return 'bulk'
  if (header('list-id') !== undefined || header('list-unsubscribe') !== undefined) return 'bulk'
  if (nullSender || robotSender) return 'bulk'
  return 'person'
}

const EXTENSIONS: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/pjpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/heic': 'heic',
  'image/heif': 'heif',
  'image/tiff': 'tif',
  'image/bmp': 'bmp',
  'image/svg+xml': 'svg',
  'application/pdf': 'pdf',
  'application/zip': 'zip',
  'application/postscript': 'ai',
  'application/msword': 'doc',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': 'docx',
  'application/vnd.ms-excel': 'xls',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'application/vnd.ms-powerpoint': 'ppt',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': 'pptx',
  'text/plain': 'txt',
  'text/html': 'html',
  'text/csv': 'csv',
  'text/calendar': 'ics',
  'text/vcard': 'vcf',
  'text/x-vcard': 'vcf',
  'message/rfc822': 'eml',
  'audio/mpeg': 'mp3',
  'audio/mp4': 'm4a',
  'video/mp4': 'mp4',
  'video/quicktime': 'mov',
}

/** A file name for a part that has none: "image-1.jpg", "attachment-2.pdf". */
export function nameForType(type: string, index: number): string {
  const lower = type.toLowerCase()
  const ext = EXTENSIONS[lower] ?? (/^[a-z]+\/([a-z0-9]{1,8})$/.exec(lower)?.[1] || 'bin')
  const base = lower.startsWith('image/')
    ? 'image'
    : lower.startsWith('message/')
      ? 'message'
      : 'attachment'
  return `${base}-${index}.${ext}`
}

function bytesOf(content: Attachment['content']): Uint8Array {
  return content instanceof Uint8Array
    ? content
    : typeof content === 'string'
      ? new TextEncoder().encode(content)
      : new Uint8Array(content)
}

/** The header block of an attached mail, unfolded, as text (headers are 7-bit or UTF-8). */
function headerBlock(bytes: Uint8Array): string {
  const text = new TextDecoder('utf-8').decode(bytes.subarray(0, 64 * 1024))
  const end = text.search(/\r?\n\r?\n/)
  return (end >= 0 ? text.slice(0, end) : text).replace(/\r?\n[ \t]+/g, ' ')
}

function headerOf(block: string, name: string): string | undefined {
  return new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(block)?.[1]
}

/** RFC 2047 encoded words in an attached mail's Subject, decoded by postal-mime's own parser. */
async function subjectOf(bytes: Uint8Array): Promise<string> {
  try {
    const inner = await PostalMime.parse(
      new TextEncoder().encode(`${headerBlock(bytes)}\r\n\r\n`) as unknown as ArrayBuffer,
    )
    return inner.subject ?? ''
  } catch {
    return ''
  }
}

function safeName(name: string): string {
  return name
    .replace(/[\u0000-\u001f\u007f\\/:*?"<>|]+/g, '_')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 150)
}

/** The files of the mail: inline images, TNEF contents, attached mails, nameless parts named. */
async function filesOf(parts: Attachment[]): Promise<InboundAttachment[]> {
  const files: InboundAttachment[] = []
  let unnamed = 0
  for (const part of parts) {
    const content = bytesOf(part.content)
    const type = part.mimeType.toLowerCase()
    if (type === 'message/delivery-status' || type === 'text/rfc822-headers') continue
    if (
      type === 'application/ms-tnef' ||
      type === 'application/vnd.ms-tnef' ||
      /^winmail\.dat$/i.test(part.filename ?? '')
    ) {
      try {
        const inner = readTnef(content)
        for (const file of inner) {
          files.push({
            filename:
              safeName(file.filename) ||
              nameForType(file.contentType ?? 'application/octet-stream', ++unnamed),
            contentType: file.contentType ?? typeFromName(file.filename),
            content: file.content,
          })
        }
        continue
      } catch {
        // A damaged winmail.dat is kept as it came: the shop can still open it.
      }
    }
    let filename = safeName(part.filename ?? '')
    if (type === 'message/rfc822' && !filename) {
      const subject = safeName(await subjectOf(content))
      filename = `${subject || 'message'}.eml`
    }
    if (!filename) filename = nameForType(type, ++unnamed)
    files.push({ filename, contentType: type || 'application/octet-stream', content })
  }
  return files
}

/** The MIME type a bare file name stands for (TNEF files often carry no type). */
function typeFromName(name: string): string {
  const ext = /\.([a-z0-9]{1,8})$/i.exec(name)?.[1]?.toLowerCase()
  const found = Object.entries(EXTENSIONS).find(([, value]) => value === ext)
  return found?.[0] ?? 'application/octet-stream'
}

/** Message-IDs named by attached originals and "Message-ID:" lines of the text. */
function quotedIdsOf(parts: Attachment[], text: string): string[] {
  const ids: string[] = []
  for (const part of parts) {
    if (!/^(message\/rfc822|text\/rfc822-headers)$/.test(part.mimeType)) continue
    const block = headerBlock(bytesOf(part.content))
    ids.push(...messageIds(headerOf(block, 'message-id')))
    ids.push(...messageIds(headerOf(block, 'in-reply-to')))
    ids.push(...messageIds(headerOf(block, 'references')))
  }
  for (const match of text.matchAll(/^[ \t>]*Message-ID:\s*<([^<>\s]+)>/gim))
    ids.push(match[1] ?? '')
  return [...new Set(ids.filter(Boolean))]
}

/**
 * Parses one raw email with postal-mime (the same code on Node and Workers). Every
 * message/rfc822 part is kept as an attachment (a forwarded mail is a file the customer sent).
 * Throws when the MIME cannot be read at all; the caller keeps the raw mail then.
 */
export async function parseInboundEmail(
  raw: string | Uint8Array | ArrayBuffer,
): Promise<InboundEmail> {
  const email = await PostalMime.parse(raw as ArrayBuffer, {
    attachmentEncoding: 'arraybuffer',
    forceRfc822Attachments: true,
  })
  const header = (name: string) => email.headers.find((entry) => entry.key === name)?.value
  const sender = flatten(email.from)[0]
  const from = sender?.address.toLowerCase()
  const recipients = [...flatten(email.to), ...flatten(email.cc)].map((entry) =>
    entry.address.toLowerCase(),
  )
  if (email.deliveredTo) recipients.push(email.deliveredTo.toLowerCase())
  const plain = email.text?.trim() ? email.text : undefined
  const text = (plain ?? (email.html ? htmlToText(email.html) : '')).replace(/\r\n?/g, '\n')
  const subject = email.subject ?? ''
  const quotedIds = quotedIdsOf(email.attachments, text)
  const kind = classify(header, from, subject, email.attachments, quotedIds)
  return {
    messageId: messageIds(email.messageId)[0],
    inReplyTo: messageIds(email.inReplyTo),
    references: messageIds(email.references),
    from,
    fromName: sender?.name ?? '',
    to: [...new Set(recipients)],
    subject,
    text,
    attachments: await filesOf(email.attachments),
    kind,
    autoSubmitted: kind !== 'person',
    quotedIds,
  }
}
