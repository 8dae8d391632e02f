// Just enough MIME to read back what a real SMTP client sent: unfolded headers, RFC 2047
// encoded words (B and Q), multipart/alternative bodies in base64 or quoted-printable.

export function decodeWords(value: string): string {
  return value
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(
      /=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g,
      (_whole, charset: string, encoding: string, text: string) => {
        const bytes =
          encoding.toUpperCase() === 'B'
            ? Buffer.from(text, 'base64')
            : Buffer.from(
                text
                  .replace(/_/g, ' ')
                  .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) =>
                    String.fromCharCode(parseInt(hex, 16)),
                  ),
                'latin1',
              )
        return new TextDecoder(charset).decode(bytes)
      },
    )
}

function decodeQuotedPrintable(text: string): string {
  const bytes = Buffer.from(
    text
      .replace(/=\r?\n/g, '')
      .replace(/=([0-9A-Fa-f]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))),
    'latin1',
  )
  return new TextDecoder('utf-8').decode(bytes)
}

export interface ParsedPart {
  headers: Map<string, string>
  rawHeaders: string
  body: string
  parts: ParsedPart[]
}

export function parseMessage(raw: string): ParsedPart {
  const split = raw.search(/\r?\n\r?\n/)
  const rawHeaders = split < 0 ? raw : raw.slice(0, split)
  const rest = split < 0 ? '' : raw.slice(split).replace(/^\r?\n\r?\n/, '')
  const headers = new Map<string, string>()
  for (const line of rawHeaders.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':')
    if (colon > 0)
      headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim())
  }
  const type = headers.get('content-type') ?? 'text/plain'
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1]
  if (type.toLowerCase().startsWith('multipart/') && boundary) {
    const parts = rest
      .split(`--${boundary}`)
      .slice(1)
      .filter((chunk) => !chunk.startsWith('--'))
      .map((chunk) => parseMessage(chunk.replace(/^\r?\n/, '')))
    return { headers, rawHeaders, body: '', parts }
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase()
  const body =
    encoding === 'base64'
      ? new TextDecoder('utf-8').decode(Buffer.from(rest.replace(/\s+/g, ''), 'base64'))
      : encoding === 'quoted-printable'
        ? decodeQuotedPrintable(rest)
        : rest
  return { headers, rawHeaders, body: body.replace(/\r\n/g, '\n').replace(/\n$/, ''), parts: [] }
}

export function findPart(part: ParsedPart, mime: string): ParsedPart | undefined {
  if ((part.headers.get('content-type') ?? '').toLowerCase().startsWith(mime)) return part
  for (const child of part.parts) {
    const found = findPart(child, mime)
    if (found) return found
  }
  return undefined
}
