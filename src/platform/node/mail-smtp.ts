import nodemailer from 'nodemailer'
import { PermanentMailError, TransientMailError, type MailTransport } from '../../deps'
import { assertSafeMail, parseMailbox } from '../../notifications/mail-headers'

/**
 * SMTP through nodemailer (Node only). Nodemailer encodes Japanese names and subjects
 * (RFC 2047) and folds lines. SMTP has no idempotency key: the stable Message-ID is what lets a
 * receiving system recognise a resend after a crash.
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
        })
        return { providerId: info.messageId || messageId || 'smtp' }
      } catch (error) {
        const code = (error as { responseCode?: number }).responseCode
        const message = `smtp: ${error instanceof Error ? error.message : String(error)}`.slice(
          0,
          300,
        )
        // 5xx from the server: the mail is refused for good; 4xx and connection trouble pass.
        if (typeof code === 'number' && code >= 500) throw new PermanentMailError(message)
        throw new TransientMailError(message)
      }
    },
  }
}
