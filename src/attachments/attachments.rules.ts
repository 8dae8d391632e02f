// Pure rules for attachments: limits, part arithmetic, sizes for people, download headers.

/** The largest file a customer or member may attach: 1000 × 1024 × 1024 bytes, shown "1000 MB". */
export const MAX_ATTACHMENT_BYTES = 1000 * 1024 * 1024

/**
 * Bytes per uploaded part. R2 wants every part but the last ≥ 5 MiB; a Workers request body is
 * at most 100 MB; a dropped connection loses at most one part. 8 MiB suits all three.
 */
export const PART_SIZE = 8 * 1024 * 1024

/** An upload session nobody touched for this long is abandoned (every stored part renews it). */
export const UPLOAD_IDLE_TTL_MS = 24 * 60 * 60 * 1000

/** A finished upload never sent with a message is dropped after this long. */
export const UNSENT_ATTACHMENT_TTL_MS = 24 * 60 * 60 * 1000

/** Files one uploader may have in flight on one board. */
export const MAX_OPEN_UPLOADS = 20

/** Files one message may carry. */
export const MAX_ATTACHMENTS_PER_MESSAGE = 20

export const DAY_MS = 24 * 60 * 60 * 1000

export function partCount(size: number, partSize = PART_SIZE) {
  return Math.ceil(size / partSize)
}

/** The exact length part `partNumber` (1-based) must have. */
export function partLength(size: number, partSize: number, partNumber: number) {
  const count = partCount(size, partSize)
  if (partNumber < count) return partSize
  return size - (count - 1) * partSize
}

/** "12.3 MB", "1000 MB", "850 KB" — binary units with the labels people know. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024
    unit += 1
  }
  if (unit === 0) return `${bytes} B`
  const rounded = value < 100 ? Math.round(value * 10) / 10 : Math.round(value)
  return `${rounded} ${units[unit]}`
}

export const MAX_ATTACHMENT_LABEL = formatBytes(MAX_ATTACHMENT_BYTES)

const MIME = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,63}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,127}$/

/** The type the browser announced, kept only when it is a plain `type/subtype`. */
export function cleanMimeType(type: string | undefined): string {
  const lower = (type ?? '').trim().toLowerCase()
  return MIME.test(lower) ? lower : 'application/octet-stream'
}

/** Raster images a browser may show inline as thumbnails; nothing that can carry script. */
const THUMBNAIL_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp'])

/** Thumbnails are the file itself, so only for images small enough to show in a thread. */
export const MAX_THUMBNAIL_BYTES = 20 * 1024 * 1024

export function hasThumbnail(attachment: { type: string; size: number }) {
  return THUMBNAIL_TYPES.has(attachment.type) && attachment.size <= MAX_THUMBNAIL_BYTES
}

export function isThumbnailType(type: string) {
  return THUMBNAIL_TYPES.has(type)
}

/**
 * The Content-Type a download is served with. Markup, scripts and anything the browser might
 * interpret (HTML, SVG, XML, JS …) become opaque bytes; with `attachment` and nosniff the file is
 * saved, never rendered from our origin.
 */
export function downloadContentType(type: string): string {
  if (/(html|xml|svg|script|ecmascript|json|css|xsl|x-shockwave|multipart|message\/)/.test(type)) {
    return 'application/octet-stream'
  }
  if (type.startsWith('text/')) return 'text/plain; charset=utf-8'
  return type
}

// C0, DEL, C1; bidi embeddings, overrides, isolates and marks (a name must read as it is saved);
// characters Windows refuses in a file name.
const UNSAFE_IN_FILE_NAME =
  /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069<>:"|?*]/g
// Windows opens a device, not a file, for these names whatever the extension (CON.txt).
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\.|$)/i

/**
 * The name a downloaded file is saved under: only the last path segment (a name from an email
 * or an old client may carry `../../etc/passwd` or `C:\x`), unsafe characters replaced by `_`,
 * no leading or trailing dots and spaces (`.`, `..`), and Windows device names prefixed with `_`
 * (RFC 6266 §4.3 asks recipients to do this; the sender should not rely on it).
 */
export function downloadName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? ''
  const cleaned = base
    .replace(UNSAFE_IN_FILE_NAME, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '')
    .slice(0, 255)
  if (!cleaned) return 'download'
  return WINDOWS_DEVICE.test(cleaned) ? `_${cleaned}` : cleaned
}

/**
 * `Content-Disposition` per RFC 6266 / RFC 5987: an ASCII fallback for old clients and the
 * exact UTF-8 name (日本語のファイル名.pdf) in `filename*`, both made safe by `downloadName`.
 */
export function contentDisposition(kind: 'attachment' | 'inline', stored: string): string {
  const name = downloadName(stored)
  // Folded to ASCII first, so a full-width ＣＯＮ.txt is caught as the CON.txt it becomes.
  const fallback = downloadName(
    name
      .normalize('NFKD')
      .replace(/[^\x20-\x7e]/g, '_')
      .replace(/["\\%;]/g, '_'),
  )
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `${kind}; filename="${fallback}"; filename*=UTF-8''${encoded}`
}

export type ByteRange =
  { kind: 'whole' } | { kind: 'range'; start: number; end: number } | { kind: 'unsatisfiable' }

/**
 * One `Range: bytes=…` request (RFC 9110 §14). A header we do not understand, or several
 * ranges, is answered with the whole file, as the RFC allows; a range past the end is 416.
 */
export function parseRange(header: string | undefined, size: number): ByteRange {
  if (!header) return { kind: 'whole' }
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim())
  if (!match) return { kind: 'whole' }
  const [, first = '', last = ''] = match
  if (first === '' && last === '') return { kind: 'whole' }
  if (first === '') {
    const suffix = Number(last)
    if (suffix === 0 || size === 0) return { kind: 'unsatisfiable' }
    return { kind: 'range', start: Math.max(0, size - suffix), end: size - 1 }
  }
  const start = Number(first)
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1)
  if (last !== '' && Number(last) < start) return { kind: 'whole' }
  if (start >= size) return { kind: 'unsatisfiable' }
  return { kind: 'range', start, end }
}
