import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { Batch, Clock, MailTransport } from '../../deps'
import { createDevMailbox } from '../../notifications/transports/dev-mailbox'
import { createResendTransport } from '../../notifications/transports/resend'
import { unconfiguredMailer } from '../../notifications/transports/unconfigured'
import { createSmtpTransport } from './mail-smtp'

/**
 * The mail transport from the environment: Resend when RESEND_API_KEY is set, SMTP when
 * SMTP_URL is, else the dev mailbox (kept in the database, shown at /_dev/mail) when the config
 * allows it, else none: mail waits in the outbox.
 */
export function createMailTransport(
  env: NodeJS.ProcessEnv,
  db: Kysely<Database>,
  clock: Clock,
  options: { devMailbox: boolean } = { devMailbox: true },
  batch?: Batch,
): MailTransport {
  if (env.RESEND_API_KEY) {
    return createResendTransport({
      apiKey: env.RESEND_API_KEY,
      baseUrl: env.RESEND_BASE_URL || undefined,
    })
  }
  if (env.SMTP_URL) return createSmtpTransport(env.SMTP_URL)
  return options.devMailbox ? createDevMailbox(db, clock, batch) : unconfiguredMailer
}
