import type { OutboxHandlers } from './outbox'
import { sendEmailNotification } from './notifications.mail'

/**
 * Every outbox kind this app sends, by `kind`. Other features register theirs here (webhooks)
 * with the same signature.
 */
export const outboxHandlers: OutboxHandlers = {
  email: sendEmailNotification,
}
