/**
 * The files inside Outlook's `winmail.dat` (TNEF, application/ms-tnef), read with plain
 * DataView so the same code runs on Node and Workers. The one maintained npm package
 * (node-tnef) needs fs, path and bunyan, which a Worker cannot load.
 *
 * Format: [MS-OXTNEF] — a 4-byte signature 0x223E9F78, a 2-byte key, then attributes of
 * level (1 byte), id (4), length (4), data, checksum (2). An attachment starts with
 * attAttachRendData; attAttachTitle names it (8.3 on old Outlook), attAttachData holds its bytes,
 * and attAttachment carries MAPI properties with the long file name (PR_ATTACH_LONG_FILENAME)
 * and the MIME type (PR_ATTACH_MIME_TAG).
 */

export interface TnefFile {
  filename: string
  contentType: string | undefined
  content: Uint8Array
}

const SIGNATURE = 0x223e9f78
const ATT_ATTACH_REND_DATA = 0x9002
const ATT_ATTACH_TITLE = 0x8010
const ATT_ATTACH_DATA = 0x800f
const ATT_ATTACHMENT = 0x9005

const PR_ATTACH_LONG_FILENAME = 0x3707
const PR_ATTACH_FILENAME = 0x3704
const PR_DISPLAY_NAME = 0x3001
const PR_ATTACH_MIME_TAG = 0x370e
const PR_ATTACH_DATA_BIN = 0x3701

const FIXED_SIZE: Record<number, number> = {
  0x0001: 0, // PT_NULL
  0x0002: 2, // PT_SHORT
  0x0003: 4, // PT_LONG
  0x0004: 4, // PT_FLOAT
  0x0005: 8, // PT_DOUBLE
  0x0006: 8, // PT_CURRENCY
  0x0007: 8, // PT_APPTIME
  0x000a: 4, // PT_ERROR
  0x000b: 2, // PT_BOOLEAN
  0x0014: 8, // PT_I8
  0x0040: 8, // PT_SYSTIME
  0x0048: 16, // PT_CLSID
}
const PT_STRING8 = 0x001e
const PT_UNICODE = 0x001f
const PT_BINARY = 0x0102
const PT_OBJECT = 0x000d
const MV_FLAG = 0x1000

const pad4 = (n: number) => (n + 3) & ~3

function cString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0)
  const slice = end >= 0 ? bytes.subarray(0, end) : bytes
  // 8-bit names are in the sender's code page; UTF-8 first, Shift_JIS for Japanese Outlook.
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(slice)
  } catch {
    return new TextDecoder('shift_jis').decode(slice)
  }
}

function utf16(bytes: Uint8Array): string {
  return new TextDecoder('utf-16le').decode(bytes).replace(/\0+$/, '')
}

/** The MAPI properties of one attAttachment attribute, only the ones we need. */
function readProps(data: Uint8Array): Map<number, string | Uint8Array> {
  const props = new Map<number, string | Uint8Array>()
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength)
  let at = 0
  const need = (n: number) => {
    if (at + n > data.byteLength) throw new RangeError('truncated MAPI properties')
  }
  need(4)
  const count = view.getUint32(at, true)
  at += 4
  for (let p = 0; p < count; p++) {
    need(4)
    const type = view.getUint16(at, true)
    const id = view.getUint16(at + 2, true)
    at += 4
    if (id >= 0x8000) {
      // a named property: GUID, then a number or a name
      need(20)
      const kind = view.getUint32(at + 16, true)
      at += 20
      if (kind === 0) at += 4
      else {
        need(4)
        const length = view.getUint32(at, true)
        at += 4 + pad4(length)
      }
    }
    const base = type & ~MV_FLAG
    const multi = (type & MV_FLAG) !== 0
    const fixed = FIXED_SIZE[base]
    if (fixed !== undefined) {
      let values = 1
      if (multi) {
        need(4)
        values = view.getUint32(at, true)
        at += 4
      }
      at += values * pad4(fixed)
      continue
    }
    if (base !== PT_STRING8 && base !== PT_UNICODE && base !== PT_BINARY && base !== PT_OBJECT)
      throw new RangeError(`unknown MAPI type ${type}`)
    need(4)
    const values = view.getUint32(at, true)
    at += 4
    for (let v = 0; v < values; v++) {
      need(4)
      const length = view.getUint32(at, true)
      at += 4
      need(length)
      const bytes = data.subarray(at, at + length)
      at += pad4(length)
      if (v > 0) continue
      if (base === PT_UNICODE) props.set(id, utf16(bytes))
      else if (base === PT_STRING8) props.set(id, cString(bytes))
      else props.set(id, bytes)
    }
  }
  return props
}

/**
 * The files in a winmail.dat, in order. Throws a RangeError on a damaged stream (the caller
 * keeps the winmail.dat itself then, so nothing is lost).
 */
export function readTnef(bytes: Uint8Array): TnefFile[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.byteLength < 6 || view.getUint32(0, true) !== SIGNATURE)
    throw new RangeError('not a TNEF stream')
  const files: { title?: string; long?: string; type?: string; content?: Uint8Array }[] = []
  let at = 6
  while (at + 9 <= bytes.byteLength) {
    const id = view.getUint32(at + 1, true) & 0xffff
    const length = view.getUint32(at + 5, true)
    at += 9
    if (at + length > bytes.byteLength) throw new RangeError('truncated TNEF attribute')
    const data = bytes.subarray(at, at + length)
    at += length + 2 // the checksum is not worth refusing a file over
    if (id === ATT_ATTACH_REND_DATA) files.push({})
    const file = files[files.length - 1]
    if (!file) continue
    if (id === ATT_ATTACH_TITLE) file.title = cString(data)
    else if (id === ATT_ATTACH_DATA) file.content = data
    else if (id === ATT_ATTACHMENT) {
      let props: Map<number, string | Uint8Array>
      try {
        props = readProps(data)
      } catch {
        // a property we cannot read costs the long name, not the file
        continue
      }
      const name = props.get(PR_ATTACH_LONG_FILENAME) ?? props.get(PR_ATTACH_FILENAME)
      if (typeof name === 'string' && name) file.long = name
      else if (!file.title) {
        const display = props.get(PR_DISPLAY_NAME)
        if (typeof display === 'string') file.long = display
      }
      const type = props.get(PR_ATTACH_MIME_TAG)
      if (typeof type === 'string' && type) file.type = type
      const content = props.get(PR_ATTACH_DATA_BIN)
      if (!file.content && content instanceof Uint8Array) file.content = content
    }
  }
  return files
    .filter((file): file is typeof file & { content: Uint8Array } => file.content !== undefined)
    .map((file) => ({
      filename: file.long ?? file.title ?? '',
      contentType: file.type,
      content: file.content,
    }))
}
