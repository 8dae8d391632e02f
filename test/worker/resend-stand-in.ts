// A local stand-in for Resend's POST /emails, so the worker's real Resend transport (plain fetch
// from workerd) is what delivers mail in the worker tests. Answers like the real API; `failNext`
// makes the next send answer an error the sender must retry.
import { createServer, type Server } from 'node:http'

export interface CapturedEmail {
  id: string
  from: string
  to: string[]
  subject: string
  html: string
  text: string
  headers: Record<string, string>
  idempotencyKey: string | undefined
}

export interface ResendStandIn {
  url: string
  emails: CapturedEmail[]
  /** answers the next `count` sends with this status (429 carries Retry-After: 1) */
  failNext(status: 429 | 500 | 503, count?: number): void
  /** resolves with the first captured email matching `match`, waiting up to `timeoutMs` */
  waitFor(match: (email: CapturedEmail) => boolean, timeoutMs?: number): Promise<CapturedEmail>
  close(): Promise<void>
}

export async function startResendStandIn(): Promise<ResendStandIn> {
  const emails: CapturedEmail[] = []
  const accepted = new Map<string, string>()
  let failures: { status: number; left: number } = { status: 0, left: 0 }

  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
        response.end(JSON.stringify(body))
      }
      if (request.method !== 'POST' || request.url !== '/emails')
        return reply(404, { name: 'not_found', message: 'not found' })
      if (request.headers.authorization !== 'Bearer re_test_key')
        return reply(401, { name: 'missing_api_key', message: 'bad key' })
      if (failures.left > 0) {
        failures.left -= 1
        return reply(
          failures.status,
          { name: 'rate_limit_exceeded', message: 'try later' },
          failures.status === 429 ? { 'Retry-After': '1' } : {},
        )
      }
      const key = request.headers['idempotency-key'] as string | undefined
      const earlier = key ? accepted.get(key) : undefined
      if (earlier) return reply(200, { id: earlier })
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Omit<
        CapturedEmail,
        'id' | 'idempotencyKey'
      >
      const id = `re_${emails.length + 1}`
      emails.push({ ...body, id, idempotencyKey: key })
      if (key) accepted.set(key, id)
      reply(200, { id })
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (!address || typeof address === 'string') throw new Error('stand-in has no port')

  return {
    url: `http://127.0.0.1:${address.port}`,
    emails,
    failNext(status, count = 1) {
      failures = { status, left: count }
    },
    async waitFor(match, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const found = emails.find(match)
        if (found) return found
        if (Date.now() > deadline) {
          throw new Error(
            `no matching email within ${timeoutMs} ms; got: ${emails.map((e) => `${e.to.join(',')} ${e.subject}`).join(' | ') || 'none'}`,
          )
        }
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}
