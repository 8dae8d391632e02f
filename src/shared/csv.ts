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
  const first = value.charCodeAt(0)
  // = + - @ tab CR
  const text =
    first === 0x3d ||
    first === 0x2b ||
    first === 0x2d ||
    first === 0x40 ||
    first === 0x09 ||
    first === 0x0d
      ? `'${value}`
      : value
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

const NEEDS_QUOTES = /[",\r\n]/

/** One CSV record with its CRLF line end (RFC 4180 §2). */
export function csvLine(cells: readonly (string | number | null | undefined)[]): string {
  let line = ''
  for (let i = 0; i < cells.length; i++)
    line += i === 0 ? csvField(cells[i]) : `,${csvField(cells[i])}`
  return `${line}\r\n`
}

export type CsvEncoding = 'utf-8' | 'shift_jis'

/** The UTF-8 byte order mark: Excel on Windows reads a UTF-8 CSV as UTF-8 only with it. */
export const UTF8_BOM = new Uint8Array([0xef, 0xbb, 0xbf])

const utf8 = new TextEncoder()

/** CP932 bytes per UTF-16 code unit, filled as units are met: (lead << 8) | trail, or one byte. */
let cp932: Uint16Array | null = null

/** CP932 code of one UTF-16 code unit (0x80 and above), as encoding-japanese converts it. */
function cp932Of(unit: number): number {
  const table = (cp932 ??= new Uint16Array(0x10000))
  let code = table[unit]!
  if (code === 0) {
    const bytes = Encoding.convert([unit], { to: 'SJIS', from: 'UNICODE' })
    code = bytes.length >= 2 ? (bytes[0]! << 8) | bytes[1]! : (bytes[0] ?? 0x3f)
    table[unit] = code
  }
  return code
}

/**
 * Text as bytes of `encoding`. Shift_JIS is CP932 (NEC and IBM extensions included: ①, 髙, ～);
 * a character it cannot hold (an emoji, é) becomes '?', as Windows' own conversion does. The
 * bytes are encoding-japanese's, looked up once per distinct character and written straight
 * into one buffer (no array of numbers per character), so a chunk of rows costs one allocation.
 */
export function encodeCsvText(text: string, encoding: CsvEncoding): Uint8Array {
  if (encoding === 'utf-8') return utf8.encode(text)
  const out = new Uint8Array(text.length * 2)
  let length = 0
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0x80) {
      out[length++] = unit
      continue
    }
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1)
      if (next >= 0xdc00 && next <= 0xdfff) {
        // A character beyond the BMP (an emoji): CP932 has none, one '?' for the pair.
        out[length++] = 0x3f
        i++
        continue
      }
    }
    const code = cp932Of(unit)
    if (code < 0x100) {
      out[length++] = code
    } else {
      out[length++] = code >> 8
      out[length++] = code & 0xff
    }
  }
  return out.subarray(0, length)
}
