/**
 * Cuts an inbound reply down to what the customer wrote. The mail is modelled as lines, each
 * classified (the customer's text, a quoted line, a quote header, the quoted history below an
 * Outlook header block or our own separator, a signature, a mobile footer), and then only the
 * customer's lines are kept, in order: answers typed above, between or below the quoted lines
 * all survive. Every rule looks at whole lines and, when a line could be either, it stays: a lost
 * answer is worse than a visible quote.
 */

/** The line our notification puts above the quote (emails/guest-notification.tsx). */
export const REPLY_SEPARATOR_EN = 'Reply above this line'
export const REPLY_SEPARATOR_JA = 'この線より上にご返信ください'

export type LineKind =
  /** the customer's own words (kept) */
  | 'text'
  | 'blank'
  /** "> …" (also the full-width "＞" of Japanese mobile mailers) */
  | 'quoted'
  /** "On … wrote:", 「2026年11月30日(月) 10:00 さくら印刷 <…>:」 and their kin, maybe wrapped */
  | 'quote-header'
  /** an Outlook header block or our separator, and everything below it */
  | 'history'
  /** "-- " and the lines after it, up to the next quote */
  | 'signature'
  /** "iPhoneから送信", "Sent from my iPhone", a carrier's footer */
  | 'footer'

export interface ClassifiedLine {
  text: string
  kind: LineKind
}

const SEPARATOR = /reply above this line|この線より上にご返信ください/i
/** Lines of our own notification that a client may quote without ">" (the board link). */
const OUR_LINK = /^\s*https?:\/\/\S+\/g\/[0-9a-f-]{36}\/\S+\s*$/i

const QUOTED = /^\s*[>＞]/

/** The phrase a client ends its quote header with, in the languages our customers write. */
const INTRO_END =
  /(\bwrote|\bwrites|\bschrieb|a écrit|escribió|ha scritto|schreef|написал|写道|寫道|작성|書きました|書き込みました|のメッセージ|からのメッセージ|より)\s*[:：]?\s*$/i
/** Something that looks like a date or a time of day. */
const DATE_OR_TIME =
  /\d{1,2}:\d{2}|\d{4}[/年.-]\s*\d{1,2}[/月.-]\s*\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun|Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\b/i
/** Gmail's Japanese header ends with the sender's address and a colon, without a verb. */
const ADDRESS_COLON = /<\s*[^<>\s]+@[^<>\s]+>\s*[:：]\s*$/

/** A quote header: ends like one and carries a date, or is at least a short "… wrote:" line. */
function isQuoteHeader(line: string): boolean {
  const text = line.trim()
  if (!/[:：]\s*$/.test(text) || text.length > 300) return false
  if (ADDRESS_COLON.test(text) && DATE_OR_TIME.test(text)) return true
  if (!INTRO_END.test(text)) return false
  return DATE_OR_TIME.test(text) || text.length <= 120
}

/** Markers that start the quoted history on their own (Outlook's plain-text reply). */
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(Original Message|元のメッセージ|オリジナルメッセージ|Ursprüngliche Nachricht|Message d'origine)\s*-{2,}\s*$/i
/** Outlook's own rule above its header block: 32 underscores (a customer's rule stays). */
const OUTLOOK_RULE = /^\s*_{30,}\s*$/
const FIELD_FROM = /^\s*\*?(From|差出人|送信者|Von|De)\s*\*?\s*[:：]/i
const FIELD_OTHER =
  /^\s*\*?(Sent|Date|To|Cc|Subject|送信日時|送信日|日時|日付|宛先|件名|CC|Gesendet|An|Betreff|Envoyé|À|Objet)\s*\*?\s*[:：]/i

/**
 * An Outlook header block starts at `i`: From, then at least two more header fields in the same
 * block below it. The block is contiguous: a field may wrap onto the next line (a long To:) and
 * fields may be a blank line apart (some HTML-to-text conversions), but any other line ends it.
 * So a customer's own "De: …" or "From: …" line above their sign-off is never taken for the
 * start of the quoted history.
 */
function outlookBlockAt(lines: string[], i: number): boolean {
  if (!FIELD_FROM.test(lines[i] ?? '')) return false
  let fields = 0
  let previousWasField = true
  for (let j = i + 1; j < Math.min(lines.length, i + 12); j++) {
    const line = lines[j] ?? ''
    if (FIELD_OTHER.test(line)) {
      fields += 1
      previousWasField = true
    } else if (line.trim() === '') {
      const next = lines.slice(j + 1).find((l) => l.trim() !== '') ?? ''
      if (!FIELD_OTHER.test(next)) break
    } else if (previousWasField) {
      previousWasField = false // the wrapped tail of the field above
    } else break
  }
  return fields >= 2
}

/**
 * Footers a phone or a mail app adds under the customer's words, in Japanese and English:
 * "iPhoneから送信", "Sent from my iPhone", "Android から送信", "ドコモメールから送信",
 * "au のスマートフォンから送信", "SoftBank スマートフォンから送信", "Get Outlook for iOS".
 */
const FOOTERS: RegExp[] = [
  /^.{1,40}(から|より)送信(しました|されました)?[。.]?$/,
  /^(Sent|Envoyé|Gesendet|Enviado)\s+(from|with|via|de|von|desde)\s+.{1,60}$/i,
  /^Get Outlook for (iOS|Android)\s*$/i,
  /^Outlook for (iOS|Android)\s*(を入手|から送信)?\s*$/i,
  // Gmail's stand-in for an inline image in the text part (the image itself is attached)
  /^\[(image|画像)\s*[:：][^\]]*\]$/i,
  // carrier names exactly as the carriers write them: "AU" or "Docomo" typed by a person stays
  /^(docomo|au|SoftBank|ソフトバンク|ドコモ|楽天モバイル|Y!mobile|ワイモバイル|UQ mobile)\s*(mail|メール)?\s*$/,
]

const SIGNATURE = /^--\s?$/

function nextNonBlank(kinds: LineKind[], from: number): number {
  for (let i = from; i < kinds.length; i++) if (kinds[i] !== 'blank') return i
  return kinds.length
}

/** Classifies every line of a reply (plain text, any line ending). */
export function classifyLines(text: string): ClassifiedLine[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const kinds: LineKind[] = lines.map((line) =>
    line.trim() === '' ? 'blank' : QUOTED.test(line) ? 'quoted' : 'text',
  )
  const isText = (i: number) => kinds[i] === 'text'
  const notificationBelow = (from: number) =>
    lines.slice(from).some((line) => SEPARATOR.test(line) || OUR_LINK.test(line))

  // 1. The history: an Outlook header block, "-----Original Message-----", or our separator,
  // written without ">", and everything below it (Outlook cannot answer between the lines).
  for (let i = 0; i < lines.length; i++) {
    if (!isText(i)) continue
    const line = lines[i] ?? ''
    const starts = ORIGINAL_MESSAGE.test(line) || SEPARATOR.test(line) || outlookBlockAt(lines, i)
    if (!starts) continue
    // The rule Outlook draws above its block goes with it, not a rule of the customer's.
    let start = i
    let above = i - 1
    while (above >= 0 && kinds[above] === 'blank') above -= 1
    if (above >= 0 && OUTLOOK_RULE.test(lines[above] ?? '') && FIELD_FROM.test(line)) start = above
    for (let j = start; j < lines.length; j++) kinds[j] = 'history'
    break
  }

  // 2. Quote headers, alone or wrapped over two lines, above quoted lines or our own mail.
  for (let i = 0; i < lines.length; i++) {
    if (!isText(i)) continue
    const line = (lines[i] ?? '').trim()
    let span = 0
    if (isQuoteHeader(line)) span = 1
    else if (isText(i + 1) && !/[:：]\s*$/.test(line)) {
      const joined = `${line}${/[\x21-\x3b\x3d-\x7e]$/.test(line) ? ' ' : ''}${(lines[i + 1] ?? '').trim()}`
      if (isQuoteHeader(joined) && (DATE_OR_TIME.test(joined) || joined.length <= 120)) span = 2
    }
    if (span === 0) continue
    const after = nextNonBlank(kinds, i + span)
    const quotedBelow = kinds[after] === 'quoted'
    if (quotedBelow) {
      for (let j = i; j < i + span; j++) kinds[j] = 'quote-header'
      i += span - 1
    } else if (after >= lines.length || kinds[after] === 'history' || notificationBelow(after)) {
      // A client that quotes without ">": the rest is our own notification.
      for (let j = i; j < lines.length; j++) if (kinds[j] !== 'blank') kinds[j] = 'history'
      break
    }
  }

  // 3. The signature: from "-- " down to the next quote (a top-poster's ends at the history).
  for (let i = 0; i < lines.length; i++) {
    if (!isText(i) || !SIGNATURE.test(lines[i] ?? '')) continue
    let j = i
    while (j < lines.length && (kinds[j] === 'text' || kinds[j] === 'blank' || j === i)) {
      if (kinds[j] === 'text' || j === i) kinds[j] = 'signature'
      j += 1
    }
    i = j
  }

  // 4. Mobile footers: only the last words of a block, so a sentence like it in the text stays,
  // and only under words of the customer's own: a reply whose only line looks like a footer keeps
  // it (better shown than dropped).
  let ownTextAbove = false
  for (let i = 0; i < lines.length; i++) {
    if (!isText(i)) continue
    const hadOwnText = ownTextAbove
    ownTextAbove = true
    if (!hadOwnText) continue
    const line = (lines[i] ?? '').trim()
    if (!FOOTERS.some((rule) => rule.test(line))) continue
    if (kinds[nextNonBlank(kinds, i + 1)] !== 'text') kinds[i] = 'footer'
  }

  return lines.map((line, i) => ({ text: line, kind: kinds[i] ?? 'text' }))
}

/**
 * The customer's own words from a reply, or '' when nothing is left. Consecutive kept lines stay
 * together; anything dropped between them (blank lines, a quote) leaves one blank line, so
 * answers typed between quoted questions come back as paragraphs in their order.
 */
export function stripReply(text: string): string {
  const paragraphs: string[][] = []
  let current: string[] = []
  for (const line of classifyLines(text)) {
    if (line.kind === 'text') {
      current.push(line.text.replace(/\s+$/, ''))
      continue
    }
    if (current.length > 0) paragraphs.push(current)
    current = []
  }
  if (current.length > 0) paragraphs.push(current)
  return paragraphs
    .map((lines) => lines.join('\n'))
    .join('\n\n')
    .trim()
}

/** Lines that mark our own automatic answer (inbound.answer.ts), quoted or not. */
export function quotesOurAnswer(text: string, markers: readonly string[]): boolean {
  return text.split(/\r?\n/).some((line) => markers.some((marker) => line.includes(marker)))
}
