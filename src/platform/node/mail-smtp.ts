import { PassThrough, type Readable } from 'node:stream'
import nodemailer from 'nodemailer'
import {
  PermanentMailError,
  TransientMailError,
  UncertainMailError,
  type MailTransport,
} from '../../deps'
import { assertSafeMail, parseMailbox } from '../../notifications/mail-headers'

/** A per-send callback the stream plugin below finds on the message's data. */
const ON_HANDED_OVER = 'orderboardOnMessageHandedOver'

/**
 * SMTP through nodemailer (Node only). Nodemailer encodes Japanese names and subjects
 * (RFC 2047) and folds lines. SMTP has no idempotency key: the stable Message-ID is what lets a
 * receiving system recognise a resend after a crash.
 *
 * SMTP's one ambiguous moment: once the whole message and the final "." of DATA are on the wire,
 * the server may accept the mail and then the connection drops (or times out) before its answer
 * arrives. The mail may or may not be on its way, and sending it again may deliver it twice, so
 * that case is an UncertainMailError (the outbox shows it to members as needing attention and
 * never retries it by itself). A failure before the message was handed over is retried; an
 * answer from the server decides: 5xx refused for good, 4xx try again later.
 */
export function createSmtpTransport(
  smtpUrl: string,
  options: { timeoutMs?: number } = {},
): MailTransport & { close(): void } {
  const timeout = options.timeoutMs ?? 20_000
  const transporter = nodemailer.createTransport(smtpUrl, {
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
  } as never)
  // The message stream handed to the SMTP connection is read only after the server said 354 to
  // DATA, and its end is the moment the last byte went to the connection, right before the final
  // ".". Streams further in are read ahead into buffers while the envelope is sent, so only this
  // outermost one tells.
  transporter.use('stream', (mail, done) => {
    const onHandedOver = (mail.data as Record<string, unknown>)[ON_HANDED_OVER]
    if (typeof onHandedOver === 'function' && mail.message) {
      mail.message.processFunc((input: Readable) => {
        const output = new PassThrough()
        output.once('end', () => (onHandedOver as () => void)())
        input.once('error', (error) => output.destroy(error))
        return input.pipe(output)
      })
    }
    done()
  })
  return {
    name: 'smtp',
    close: () => transporter.close(),
    async send(mail) {
      assertSafeMail(mail)
      const {
        'Message-ID': messageId,
        'In-Reply-To': inReplyTo,
        References: references,
        ...rest
      } = mail.headers
      let handedOver = false
      try {
        const info = await transporter.sendMail({
          from: parseMailbox(mail.from),
          to: mail.to,
          subject: mail.subject,
          html: mail.html,
          text: mail.text,
          messageId,
          inReplyTo,
          references,
          headers: rest,
          disableFileAccess: true,
          disableUrlAccess: true,
          [ON_HANDED_OVER]: () => {
            handedOver = true
          },
        } as Parameters<typeof transporter.sendMail>[0])
        return { providerId: info.messageId || messageId || 'smtp' }
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode
        const message = `smtp: ${error instanceof Error ? error.message : String(error)}`.slice(
          0,
          300,
        )
        // An answer from the server decides, even to the final ".".
        if (typeof code === 'number' && code >= 500) throw new PermanentMailError(message)
        if (typeof code === 'number') throw new TransientMailError(message)
        if (handedOver) {
          throw new UncertainMailError(
            `${message} — the connection was lost after the whole message was sent; the server may have accepted it`,
          )
        }
        throw new TransientMailError(message)
      }
    },
  }
}
