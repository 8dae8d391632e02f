import { createServer, type AddressInfo, type Socket } from 'node:net'
import { SMTPServer } from 'smtp-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  PermanentMailError,
  TransientMailError,
  UncertainMailError,
  type MailTransport,
  type OutgoingMail,
} from '../../src/deps'
import { createDevMailbox } from '../../src/notifications/transports/dev-mailbox'
import { createResendTransport } from '../../src/notifications/transports/resend'
import { createSmtpTransport } from '../../src/platform/node/mail-smtp'
import { createTestApp } from '../helpers/app'
import { decodeWords, findPart, parseMessage } from './mime'
import { startResendStandIn, type ResendStandIn } from './resend-standin'

// One suite, every transport: what the app relies on from any of them.

interface Received {
  from: string
  to: string
  subject: string
  headers: Record<string, string>
  text: string
  html: string
}

interface Harness {
  transport: MailTransport
  /** the transport itself drops a second send with the same idempotency key */
  dedupes: boolean
  inbox(): Promise<Received[]>
  /** the next send meets a temporary failure (`retryAfterSeconds`: a rate limit) */
  failTemporarily?(retryAfterSeconds?: number): void
  failPermanently?(): void
  /** a transport of the same kind pointed at nothing */
  unreachable?(): MailTransport
  close(): Promise<void>
}

async function devMailboxHarness(): Promise<Harness> {
  const testApp = createTestApp()
  return {
    transport: createDevMailbox(testApp.deps.db, testApp.clock),
    dedupes: true,
    async inbox() {
      const mails = (await (await testApp.app.request('/_dev/mail.json')).json()) as Received[]
      return mails.reverse()
    },
    close: () => testApp.database.close(),
  }
}

async function resendHarness(): Promise<Harness & { standIn: ResendStandIn }> {
  const standIn = await startResendStandIn()
  return {
    standIn,
    transport: createResendTransport({ apiKey: standIn.apiKey, baseUrl: standIn.url }),
    dedupes: true,
    async inbox() {
      return standIn.deliveries.map(({ body }) => ({
        from: body.from as string,
        to: (body.to as string[])[0]!,
        subject: body.subject as string,
        headers: body.headers as Record<string, string>,
        text: body.text as string,
        html: body.html as string,
      }))
    },
    failTemporarily(retryAfterSeconds) {
      standIn.failNext(
        retryAfterSeconds === undefined
          ? { status: 500, body: { name: 'internal_server_error', message: 'Unexpected error' } }
          : {
              status: 429,
              headers: { 'Retry-After': String(retryAfterSeconds) },
              body: { name: 'rate_limit_exceeded', message: 'Too many requests' },
            },
      )
    },
    failPermanently() {
      standIn.failNext({
        status: 422,
        body: { name: 'validation_error', message: 'Invalid `to` field' },
      })
    },
    unreachable: () => createResendTransport({ apiKey: 'k', baseUrl: 'http://127.0.0.1:1' }),
    close: () => standIn.close(),
  }
}

async function smtpHarness(): Promise<Harness> {
  const received: string[] = []
  const script: number[] = []
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      const code = script.shift()
      if (code) {
        const error = Object.assign(
          new Error(code >= 500 ? 'mailbox unavailable' : 'try again later'),
          { responseCode: code },
        )
        return callback(error)
      }
      callback()
    },
    onData(stream, _session, callback) {
      const chunks: Buffer[] = []
      stream.on('data', (chunk: Buffer) => chunks.push(chunk))
      stream.on('end', () => {
        received.push(Buffer.concat(chunks).toString('utf8'))
        callback()
      })
    },
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`, { timeoutMs: 5_000 })
  return {
    transport,
    dedupes: false,
    async inbox() {
      return received.map((raw) => {
        const message = parseMessage(raw)
        const header = (name: string) => decodeWords(message.headers.get(name) ?? '')
        return {
          from: header('from'),
          to: header('to'),
          subject: header('subject'),
          headers: {
            'Message-ID': header('message-id'),
            'In-Reply-To': header('in-reply-to'),
            References: header('references'),
          },
          text: findPart(message, 'text/plain')?.body ?? '',
          html: findPart(message, 'text/html')?.body ?? '',
          raw,
        }
      })
    },
    failTemporarily() {
      script.push(451)
    },
    failPermanently() {
      script.push(550)
    },
    unreachable: () => createSmtpTransport(`smtp://127.0.0.1:1`, { timeoutMs: 2_000 }),
    close: async () => {
      transport.close()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

let sequence = 0
function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  sequence += 1
  return {
    from: '"さくら印刷" <no-reply@orderboard.test>',
    to: 'yamada@example.jp',
    subject: 'チャットボード通知【さくら印刷】',
    html: '<p>校正データをお送りします。<br/>ご確認ください。</p>',
    text: '校正データをお送りします。\nご確認ください。',
    headers: {
      'Message-ID': `<notify.m-${sequence}.guest@orderboard.test>`,
      'In-Reply-To': '<board.b-1@orderboard.test>',
      References: '<board.b-1@orderboard.test>',
    },
    idempotencyKey: `notify/m-${sequence}/guest`,
    ...overrides,
  }
}

const harnesses = {
  'dev mailbox': devMailboxHarness,
  resend: resendHarness,
  smtp: smtpHarness,
} as const

for (const [name, start] of Object.entries(harnesses)) {
  describe(`mail transport contract: ${name}`, () => {
    let harness: Harness
    beforeAll(async () => {
      harness = await start()
    })
    afterAll(async () => {
      await harness.close()
    })

    it('delivers Japanese subject, sender name, threading headers and both parts intact', async () => {
      const outgoing = mail()
      const result = await harness.transport.send(outgoing)
      expect(result.providerId).toBeTruthy()
      const received = (await harness.inbox()).at(-1)!
      expect(received.subject).toBe('チャットボード通知【さくら印刷】')
      expect(received.from).toMatch(/^"?さくら印刷"? <no-reply@orderboard\.test>$/)
      expect(received.to).toBe('yamada@example.jp')
      expect(received.headers['Message-ID']).toBe(outgoing.headers['Message-ID'])
      expect(received.headers['In-Reply-To']).toBe('<board.b-1@orderboard.test>')
      expect(received.headers.References).toBe('<board.b-1@orderboard.test>')
      expect(received.text).toBe(outgoing.text)
      expect(received.html).toContain('校正データをお送りします。<br/>ご確認ください。')
    })

    it('sends a resend with the same key at most once, or with the same Message-ID', async () => {
      const outgoing = mail()
      const before = (await harness.inbox()).length
      const first = await harness.transport.send(outgoing)
      const second = await harness.transport.send(outgoing)
      const after = await harness.inbox()
      if (harness.dedupes) {
        expect(second.providerId).toBe(first.providerId)
        expect(after).toHaveLength(before + 1)
      } else {
        // SMTP has no idempotency key: the stable Message-ID lets the receiver see the duplicate.
        const copies = after.slice(before)
        expect(new Set(copies.map((copy) => copy.headers['Message-ID']))).toEqual(
          new Set([outgoing.headers['Message-ID']]),
        )
      }
    })

    it('refuses a line break in any header before anything goes out', async () => {
      const before = (await harness.inbox()).length
      const attempts = [
        mail({ subject: 'Hello\r\nBcc: attacker@evil.test' }),
        mail({ to: 'yamada@example.jp\r\nBcc: attacker@evil.test' }),
        mail({ from: '"x" <a@b.test>\nBcc: attacker@evil.test' }),
        mail({ headers: { 'In-Reply-To': '<a@b>\r\nBcc: attacker@evil.test' } }),
      ]
      for (const attempt of attempts)
        await expect(harness.transport.send(attempt)).rejects.toBeInstanceOf(PermanentMailError)
      expect(await harness.inbox()).toHaveLength(before)
    })

    it('reports a temporary failure as retryable and a refusal as permanent', async (context) => {
      if (!harness.failTemporarily || !harness.failPermanently) return context.skip()
      harness.failTemporarily()
      await expect(harness.transport.send(mail())).rejects.toBeInstanceOf(TransientMailError)
      harness.failPermanently()
      const refused = harness.transport.send(mail())
      await expect(refused).rejects.toBeInstanceOf(PermanentMailError)
      await expect(refused).rejects.not.toBeInstanceOf(TransientMailError)
    })

    it('reports an unreachable server as retryable', async (context) => {
      if (!harness.unreachable) return context.skip()
      await expect(harness.unreachable().send(mail())).rejects.toBeInstanceOf(TransientMailError)
    })
  })
}

describe('resend specifics', () => {
  let harness: Awaited<ReturnType<typeof resendHarness>>
  beforeAll(async () => {
    harness = await resendHarness()
  })
  afterAll(async () => {
    await harness.close()
  })

  it('sends the idempotency key and the API key', async () => {
    const outgoing = mail()
    await harness.transport.send(outgoing)
    const request = harness.standIn.requests.at(-1)!
    expect(request.idempotencyKey).toBe(outgoing.idempotencyKey)
    expect(request.authorization).toBe(`Bearer ${harness.standIn.apiKey}`)
    expect(request.body).toMatchObject({ to: ['yamada@example.jp'], headers: outgoing.headers })
  })

  it('passes Retry-After of a 429 on to the outbox', async () => {
    harness.failTemporarily!(7)
    const error = await harness.transport.send(mail()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TransientMailError)
    expect((error as TransientMailError).retryAfterMs).toBe(7_000)
  })

  it('409 invalid_idempotent_request (the key was used with another body): cannot tell, never "sent"', async () => {
    const outgoing = mail()
    await harness.transport.send(outgoing)
    const count = harness.standIn.deliveries.length
    const edited = await harness.transport
      .send({ ...outgoing, text: 'edited since' })
      .catch((caught: unknown) => caught)
    expect(edited).toBeInstanceOf(UncertainMailError)
    expect(edited).not.toBeInstanceOf(TransientMailError)
    expect(String((edited as Error).message)).toMatch(/^resend 409 invalid_idempotent_request/)
    expect(harness.standIn.deliveries).toHaveLength(count)
  })

  it('409 concurrent_idempotent_requests (our earlier request still running): retried shortly', async () => {
    harness.standIn.failNext({
      status: 409,
      body: {
        name: 'concurrent_idempotent_requests',
        message: 'Same idempotency key used while original request is still in progress',
      },
    })
    const error = await harness.transport.send(mail()).catch((caught: unknown) => caught)
    expect(error).toBeInstanceOf(TransientMailError)
    expect((error as TransientMailError).retryAfterMs).toBe(1_000)
    // that earlier request may be the one that sends it: if the outbox gives up here, it asks
    expect((error as TransientMailError).outcomeUnknown).toBe(true)
  })

  it('a key Resend refuses as invalid (400 invalid_idempotency_key) is permanent', async () => {
    harness.standIn.failNext({
      status: 400,
      body: { name: 'invalid_idempotency_key', message: 'must be 1-256 characters' },
    })
    await expect(harness.transport.send(mail())).rejects.toBeInstanceOf(PermanentMailError)
  })

  it('a connection refused sent nothing; a timeout may have: both retried, only the timeout is flagged', async () => {
    const closed = createServer()
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
    const closedPort = (closed.address() as AddressInfo).port
    await new Promise<void>((resolve) => closed.close(() => resolve()))
    const refused = await createResendTransport({
      apiKey: 'k',
      baseUrl: `http://127.0.0.1:${closedPort}`,
    })
      .send(mail())
      .catch((caught: unknown) => caught)
    expect(refused).toBeInstanceOf(TransientMailError)
    expect((refused as TransientMailError).outcomeUnknown).toBe(false)

    let slow = true
    const slowStandIn = await startResendStandIn({ delayMs: () => (slow ? 1_000 : 0) })
    try {
      const transport = createResendTransport({
        apiKey: slowStandIn.apiKey,
        baseUrl: slowStandIn.url,
        timeoutMs: 200,
      })
      const outgoing = mail()
      const timedOut = await transport.send(outgoing).catch((caught: unknown) => caught)
      expect(timedOut).toBeInstanceOf(TransientMailError)
      expect((timedOut as TransientMailError).outcomeUnknown).toBe(true)
      // Resend took it before the answer was lost: the retry under the same key is its first answer
      expect(slowStandIn.deliveries).toHaveLength(1)
      slow = false
      const retried = await transport.send(outgoing)
      expect(retried.providerId).toBe(slowStandIn.deliveries[0]!.id)
      expect(slowStandIn.deliveries).toHaveLength(1)
    } finally {
      await slowStandIn.close()
    }
  })

  it('treats a wrong API key as permanent', async () => {
    const transport = createResendTransport({ apiKey: 'wrong', baseUrl: harness.standIn.url })
    await expect(transport.send(mail())).rejects.toBeInstanceOf(PermanentMailError)
  })
})

describe('smtp specifics', () => {
  it('encodes Japanese headers (RFC 2047) on the wire, never raw 8-bit', async () => {
    const harness = await smtpHarness()
    try {
      await harness.transport.send(mail())
      const [received] = (await harness.inbox()) as (Received & { raw: string })[]
      const headerBlock = received!.raw.split(/\r?\n\r?\n/)[0]!
      expect(headerBlock).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/m)
      expect(headerBlock).not.toMatch(/[^\x00-\x7f]/)
    } finally {
      await harness.close()
    }
  })
})

/**
 * An SMTP server that drops the connection at a chosen moment: after RCPT TO (nothing can have
 * been accepted) or after the whole message and its final "." arrived (the server may have
 * accepted it: the client never hears). Or answers the final "." with a code.
 */
async function droppingSmtpServer() {
  const sockets = new Set<Socket>()
  let dropAt: 'rcpt' | 'after-data' | undefined
  let dataAnswer: number | undefined
  let received = 0
  const dropAll = () => {
    for (const socket of sockets) socket.destroy()
  }
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(_address, _session, callback) {
      if (dropAt === 'rcpt') return dropAll()
      callback()
    },
    onData(stream, _session, callback) {
      stream.on('data', () => {})
      stream.on('end', () => {
        received += 1
        if (dropAt === 'after-data') return dropAll()
        if (dataAnswer) {
          const code = dataAnswer
          return callback(
            Object.assign(new Error(code >= 500 ? 'rejected' : 'try later'), {
              responseCode: code,
            }),
          )
        }
        callback()
      })
    },
  })
  server.server.on('connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.server.address() as AddressInfo
  const transport = createSmtpTransport(`smtp://127.0.0.1:${port}`, { timeoutMs: 5_000 })
  return {
    transport,
    received: () => received,
    drop(at: 'rcpt' | 'after-data' | undefined) {
      dropAt = at
    },
    answerData(code: number | undefined) {
      dataAnswer = code
    },
    close: async () => {
      transport.close()
      dropAll()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

describe('smtp: was it accepted?', () => {
  let server: Awaited<ReturnType<typeof droppingSmtpServer>>
  beforeAll(async () => {
    server = await droppingSmtpServer()
  })
  afterAll(async () => {
    await server.close()
  })

  it('connection lost after the final "." of DATA: cannot tell, never retried, never "sent"', async () => {
    server.drop('after-data')
    const before = server.received()
    const error = await server.transport.send(mail()).catch((caught: unknown) => caught)
    expect(server.received()).toBe(before + 1)
    expect(error).toBeInstanceOf(UncertainMailError)
    expect(error).not.toBeInstanceOf(TransientMailError)
    expect((error as Error).message).toMatch(/may have accepted it/)
  })

  it('connection lost before the message was sent (at RCPT TO): retried', async () => {
    server.drop('rcpt')
    const before = server.received()
    const error = await server.transport.send(mail()).catch((caught: unknown) => caught)
    expect(server.received()).toBe(before)
    expect(error).toBeInstanceOf(TransientMailError)
    expect((error as TransientMailError).outcomeUnknown).toBe(false)
  })

  it('an answer to the final "." decides: 4xx retried, 5xx refused, 250 sent', async () => {
    server.drop(undefined)
    server.answerData(451)
    await expect(server.transport.send(mail())).rejects.toBeInstanceOf(TransientMailError)
    server.answerData(554)
    await expect(server.transport.send(mail())).rejects.toBeInstanceOf(PermanentMailError)
    server.answerData(undefined)
    const outgoing = mail()
    expect((await server.transport.send(outgoing)).providerId).toBe(outgoing.headers['Message-ID'])
  })
})
