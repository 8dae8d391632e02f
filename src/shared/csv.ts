// CSV as spreadsheets read it: RFC 4180 fields and lines, CSV-injection-safe cells, and the two
// encodings Japanese Excel opens — UTF-8 with a byte order mark, and Shift_JIS (Windows code page
// 932) for older versions. The Shift_JIS table is encoding-japanese's (pure JavaScript, so it runs
// on Workers as on Node; iconv-lite needs Node's Buffer).
import Encoding from 'encoding-japanese'

/**
 * One CSV field per RFC 4180: quoted when it holds a comma, quote or line break, quotes doubled.
 * A text that a spreadsheet would run as a formula (=, +, -, @, tab or CR first: CSV injection,
 * OWASP) gets a leading apostrophe so it stays text. Numbers are written as they are.
 */
export function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return String(value)
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** One CSV record with its CRLF line end (RFC 4180 §2). */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  return `${cells.map(csvField).join(',')}\r\n`
}

export type CsvEncoding = 'utf-8' | 'shift_jis'

/** The UTF-8 byte order mark: Excel on Windows reads a UTF-8 CSV as UTF-8 only with it. */
export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf])

const utf8 = new TextEncoder()

/**
 * Text as bytes of `encoding`. Shift_JIS is CP932 (NEC and IBM extensions included: ①, 髙, ～);
 * a character it cannot hold (an emoji, é) becomes '?', as Windows' own conversion does.
 */
export function encodeCsvText(text: string, encoding: CsvEncoding): Uint8Array {
  if (encoding === 'utf-8') return utf8.encode(text)
  const codes = Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' })
  return Uint8Array.from(codes)
}
