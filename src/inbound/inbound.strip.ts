/**
 * Cuts an inbound reply down to what the customer wrote: the quoted history (our own separator,
 * and the header line each mail client puts above the quote) and the signature go. Works on
 * plain text; every rule looks at whole lines so a sentence that merely mentions "wrote" stays.
 */

/** The line our notification puts above the quote (emails/guest-notification.tsx). */
export const REPLY_SEPARATOR_EN = 'Reply above this line'
export const REPLY_SEPARATOR_JA = 'この線より上にご返信ください'

const SEPARATOR = /reply above this line|この線より上にご返信ください/i

/** Lines that start the quoted history on their own, wherever they appear. */
const HISTORY_STARTS: RegExp[] = [
  // Gmail, Apple Mail and Thunderbird in English: "On Tue, Dec 1, 2026 at 10:00 AM Shop <a@b> wrote:"
  /^On\s.+\swrote:\s*$/i,
  // Outlook (both languages), including the Japanese "元のメッセージ"
  /^-{2,}\s*(Original Message|元のメッセージ|Forwarded message|転送メッセージ)\s*-{2,}\s*$/i,
  // Gmail ja: 「2026年12月1日(火) 10:00 店名 <shop@example.com>:」
  /^\d{4}年\s*\d{1,2}月\s*\d{1,2}日\s*[(（][^)）]+[)）]\s*\d{1,2}:\d{2}\s+.*[:：]\s*$/,
  // Apple Mail ja: 「2026/12/01 10:00、店名 <shop@example.com>のメッセージ:」
  /のメッセージ\s*[:：]\s*$/,
  // Thunderbird ja: 「2026/12/01 10:00 に 店名 さんは書きました:」
  /さんは書きました\s*[:：]\s*$/,
  /が書きました\s*[:：]\s*$/,
]

/** "… wrote:" without "On": history only when quoted lines follow. */
const WROTE = /\swrote:\s*$/i

const OUTLOOK_RULE = /^_{10,}\s*$/
const OUTLOOK_FROM = /^\*?(From|差出人|送信者)\s*\*?\s*[:：]/i
const OUTLOOK_SENT = /^\*?(Sent|Date|送信日時|日時|日付)\s*\*?\s*[:：]/i

function nextNonBlank(lines: string[], from: number): string | undefined {
  for (let i = from; i < lines.length; i++) {
    const line = lines[i]?.trim()
    if (line) return line
  }
  return undefined
}

/** Where the history starts: index of the first line of it, or lines.length. */
function historyStart(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? '').trim()
    // Clients wrap a long header line: try the line joined with the next one as well.
    const joined = `${line} ${(lines[i + 1] ?? '').trim()}`.trim()
    if (SEPARATOR.test(line)) return i
    if (HISTORY_STARTS.some((rule) => rule.test(line))) return i
    if (line && !/[:：]\s*$/.test(line) && HISTORY_STARTS.some((rule) => rule.test(joined)))
      return i
    if (WROTE.test(line) && nextNonBlank(lines, i + 1)?.startsWith('>')) return i
    if (OUTLOOK_RULE.test(line)) return i
    if (OUTLOOK_FROM.test(line)) {
      const window = lines.slice(i + 1, i + 5).map((next) => next.trim())
      if (window.some((next) => OUTLOOK_SENT.test(next))) return i
    }
  }
  return lines.length
}

/** The customer's own words from a reply, or '' when nothing is left. */
export function stripReply(text: string): string {
  let lines = text.replace(/\r\n?/g, '\n').split('\n')
  lines = lines.slice(0, historyStart(lines))
  // The signature: everything after the "-- " delimiter line.
  const signature = lines.findIndex((line) => /^--\s?$/.test(line))
  if (signature >= 0) lines = lines.slice(0, signature)
  // Interleaved quotes that survived (a reply written between quoted lines).
  lines = lines.filter((line) => !/^\s*>/.test(line))
  return lines
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()
}
