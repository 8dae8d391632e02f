import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { Batch, Clock, MailTransport, Random } from '../../deps'
import { withSendRate, sendRateFor } from '../../notifications/send-rate'
import { createDevMailbox } from '../../notifications/transports/dev-mailbox'
import { createResendTransport } from '../../notifications/transports/resend'
import { unconfiguredMailer } from '../../notifications/transports/unconfigured'
import { createSmtpTransport } from './mail-smtp'

/**
 * The mail transport from the environment: Resend when RESEND_API_KEY is set, SMTP when
 * SMTP_URL is, else the dev mailbox (kept in the database, shown at /_dev/mail) when the config
 * allows it, else none: mail waits in the outbox. A real transport sends under the shared
 * send-rate limit (`mailSendRatePerSecond`, else the provider's default), kept in the database.
 */
export function createMailTransport(
  env: NodeJS.ProcessEnv,
  db: Kysely<Database>,
  clock: Clock,
  options: { devMailbox: boolean; mailSendRatePerSecond?: number; random?: Random } = {
    devMailbox: true,
  },
  batch?: Batch,
): MailTransport {
  const limited = (transport: MailTransport) => {
    const ratePerSecond = sendRateFor(transport.name, options.mailSendRatePerSecond)
    return ratePerSecond
      ? withSendRate(transport, { db, batch, ratePerSecond, clock, random: options.random })
      : transport
  }
  if (env.RESEND_API_KEY) {
    return limited(
      createResendTransport({
        apiKey: env.RESEND_API_KEY,
        baseUrl: env.RESEND_BASE_URL || undefined,
      }),
    )
  }
  if (env.SMTP_URL) return limited(createSmtpTransport(env.SMTP_URL))
  return options.devMailbox ? createDevMailbox(db, clock, batch) : unconfiguredMailer
}
