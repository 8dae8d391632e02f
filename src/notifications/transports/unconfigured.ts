import { MailNotConfiguredError, type MailTransport } from '../../deps'

/**
 * The transport when none is configured and the dev mailbox is off (a public deployment that
 * has not set up mail yet): it refuses every send, so rows stay pending in the outbox and go out
 * once a real transport is configured.
 */
export const unconfiguredMailer: MailTransport = {
  name: 'unconfigured',
  async send() {
    throw new MailNotConfiguredError(
      'no mail transport is configured; the mail waits in the outbox',
    )
  },
}
