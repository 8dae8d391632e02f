import { createServer, type IncomingMessage, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'

// A local stand-in for the Resend API (POST /emails), answering the way Resend documents:
// 200 { id }; the same Idempotency-Key with the same body → the first answer again; the same key
// with another body → 409 invalid_idempotent_request; 401 for a wrong key; 422 for a bad body;
// and scripted 429 (with Retry-After) / 500 answers for failure tests.

export interface StandInRequest {
  idempotencyKey: string | undefined
  authorization: string | undefined
  body: Record<string, unknown>
  at: number
}

export interface StandInDelivery {
  id: string
  idempotencyKey: string | undefined
  body: Record<string, unknown>
}

type Scripted = { status: number; headers?: Record<string, string>; body?: unknown }

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    request.on('error', reject)
  })
}

export async function startResendStandIn(
  options: { apiKey?: string; delayMs?: () => number; port?: number } = {},
) {
  const apiKey = options.apiKey ?? 're_test_key'
  const requests: StandInRequest[] = []
  const deliveries: StandInDelivery[] = []
  const byKey = new Map<string, { raw: string; id: string }>()
  const script: Scripted[] = []
  let counter = 0

  const server: Server = createServer(async (request, response) => {
    const raw = await readBody(request)
    const reply = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      response.writeHead(status, { 'Content-Type': 'application/json', ...headers })
      response.end(JSON.stringify(body))
    }
    if (request.method !== 'POST' || request.url !== '/emails')
      return reply(404, { name: 'not_found', message: 'Not found' })
    const key = request.headers['idempotency-key'] as string | undefined
    let body: Record<string, unknown>
    try {
      body = JSON.parse(raw) as Record<string, unknown>
    } catch {
      return reply(400, { name: 'invalid_json', message: 'Invalid JSON' })
    }
    requests.push({
      idempotencyKey: key,
      authorization: request.headers.authorization,
      body,
      at: Date.now(),
    })
    if (request.headers.authorization !== `Bearer ${apiKey}`)
      return reply(401, { name: 'validation_error', message: 'API key is invalid' })
    const scripted = script.shift()
    if (scripted)
      return reply(
        scripted.status,
        scripted.body ?? { name: 'scripted', message: `scripted ${scripted.status}` },
        scripted.headers,
      )
    if (
      typeof body.from !== 'string' ||
      !Array.isArray(body.to) ||
      typeof body.subject !== 'string'
    ) {
      return reply(422, { name: 'validation_error', message: 'Missing `from`, `to` or `subject`' })
    }
    // Accepted (the mail counts as sent from here on, whether or not the caller hears back).
    if (key) {
      const earlier = byKey.get(key)
      if (earlier) {
        if (earlier.raw !== raw)
          return reply(409, {
            name: 'invalid_idempotent_request',
            message: 'Same key, different payload',
          })
        return reply(200, { id: earlier.id })
      }
    }
    counter += 1
    const id = `re_${String(counter).padStart(6, '0')}`
    if (key) byKey.set(key, { raw, id })
    deliveries.push({ id, idempotencyKey: key, body })
    const delay = options.delayMs?.() ?? 0
    if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay))
    return reply(200, { id })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    apiKey,
    requests,
    deliveries,
    /** the next answers, in order, before normal service resumes */
    failNext(...answers: Scripted[]) {
      script.push(...answers)
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
}

export type ResendStandIn = Awaited<ReturnType<typeof startResendStandIn>>
