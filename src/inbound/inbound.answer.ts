import type { Locale, OutboxRow } from '../db/schema'
import type { Deps, OutgoingMail } from '../deps'
import {
  AUTO_REPLIED_HEADERS,
  answerMessageId,
  assertAddress,
  formatMailbox,
  headerText,
  isMessageId,
  messageIdHost,
  parseMailbox,
} from '../notifications/mail-headers'
import { PermanentError } from '../notifications/outbox'

/** The outbox kind of the one polite automatic answer to mail that cannot be posted. */
export const INBOUND_ANSWER_KIND = 'inbound-answer'

export interface InboundAnswerPayload {
  to: string
  /** unknown: no board matched; expired / closed: the board no longer takes replies */
  reason: 'unknown' | 'expired' | 'closed'
  /** the answered email's Message-ID, with brackets, when it had a valid one */
  inReplyTo: string | null
  locale: Locale | null
  workspaceName: string | null
  contact: string | null
}

/**
 * At most one automatic answer per address per day (UTC): the outbox's unique idempotency key
 * holds the rule, so two mails racing in still queue one answer. Whatever a robot or a loop does
 * to us, it gets one mail a day.
 */
export const inboundAnswerKey = (address: string, now: number) =>
  `inbound-reply/${address.toLowerCase()}/${new Date(now).toISOString().slice(0, 10)}`

const copy = {
  ja: {
    subject: 'メッセージをお届けできませんでした',
    unknown:
      'このメールの宛先に対応するチャットボードが見つからなかったため、メッセージは投稿されていません。お手数ですが、お店からのメールにあるリンクからチャットボードを開いてご返信ください。',
    expired: (shop: string) =>
      `${shop}とのチャットボードは表示期間が終了したため、このメールは投稿されていません。`,
    closed: (shop: string) =>
      `${shop}とのチャットボードは受付を終了したため、このメールは投稿されていません。`,
    contact: (contact: string) => `ご用件は次の連絡先までお願いいたします: ${contact}`,
    contactShop: 'ご用件はお店まで直接ご連絡ください。',
    auto: 'このメールは自動送信です。',
  },
  en: {
    subject: 'Your message could not be delivered',
    unknown:
      'We could not find the board this email was meant for, so your message was not posted. Please open the board from the link in the shop’s email and reply there.',
    expired: (shop: string) => `Your board with ${shop} has expired, so this email was not posted.`,
    closed: (shop: string) => `Your board with ${shop} is closed, so this email was not posted.`,
    contact: (contact: string) => `Please reach the shop at: ${contact}`,
    contactShop: 'Please contact the shop directly.',
    auto: 'This is an automatic message.',
  },
} as const

function paragraphs(payload: InboundAnswerPayload, locale: Locale): string[] {
  const c = copy[locale]
  const shop = payload.workspaceName ?? ''
  if (payload.reason === 'unknown') return [c.unknown, c.auto]
  return [
    payload.reason === 'expired' ? c.expired(shop) : c.closed(shop),
    payload.contact ? c.contact(payload.contact) : c.contactShop,
    c.auto,
  ]
}

/** Sentences of the answer that, found in an inbound mail, show it quotes our answer. */
export const ANSWER_MARKERS: readonly string[] = [
  copy.ja.auto,
  copy.en.auto,
  copy.ja.subject,
  copy.en.subject,
]

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** Builds the answer: in the shop's language, or both languages when no board was found. */
export function buildInboundAnswer(deps: Deps, row: OutboxRow): OutgoingMail {
  let payload: InboundAnswerPayload
  try {
    payload = JSON.parse(row.payload) as InboundAnswerPayload
  } catch {
    throw new PermanentError('unreadable outbox row')
  }
  const locales: Locale[] = payload.locale ? [payload.locale] : ['ja', 'en']
  const blocks = locales.map((locale) => paragraphs(payload, locale))
  const sender = parseMailbox(deps.config.mailFrom)
  const headers: Record<string, string> = {
    ...AUTO_REPLIED_HEADERS,
    'Message-ID': answerMessageId(row.id, messageIdHost(deps.config.baseUrl)),
  }
  if (isMessageId(payload.inReplyTo)) {
    headers['In-Reply-To'] = payload.inReplyTo
    headers.References = payload.inReplyTo
  }
  return {
    from: formatMailbox(
      payload.workspaceName ? headerText(payload.workspaceName, 80) : sender.name || 'Orderboard',
      sender.address,
    ),
    to: assertAddress(payload.to),
    subject: locales.map((locale) => copy[locale].subject).join(' / '),
    text: blocks.map((block) => block.join('\n\n')).join('\n\n----\n\n'),
    html: blocks.map((block) => block.map((p) => `<p>${escapeHtml(p)}</p>`).join('')).join('<hr>'),
    headers,
    idempotencyKey: row.idempotency_key,
  }
}

/** The outbox handler for `inbound-answer` rows. */
export async function sendInboundAnswer(
  deps: Deps,
  row: OutboxRow,
): Promise<{ providerId: string }> {
  return deps.mailer.send(buildInboundAnswer(deps, row))
}
