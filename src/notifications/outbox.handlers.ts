import type { OutboxHandlers } from './outbox'
import { sendEmailNotification } from './notifications.mail'
import { deliverWebhook } from '../webhooks/webhooks.deliver'
import { INBOUND_ANSWER_KIND, sendInboundAnswer } from '../inbound/inbound.answer'
import { ACCOUNT_MAIL_KIND, sendAccountMail } from '../team/team.mail'
import { AUTO_ANSWER_KIND } from '../auto-answers/auto-answers.repository'
import { sendAutoAnswer } from '../auto-answers/auto-answers.mail'
import { RATING_ALERT_KIND } from '../ratings/ratings.repository'
import { sendRatingAlert } from '../ratings/ratings.mail'
import { TEAM_NOTICE_KIND, sendTeamNotice } from '../assignee/team-notice.mail'

/**
 * Every outbox kind this app sends, by `kind`. Other features register theirs here (webhooks)
 * with the same signature.
 */
export const outboxHandlers: OutboxHandlers = {
  email: sendEmailNotification,
  webhook: deliverWebhook,
  [INBOUND_ANSWER_KIND]: sendInboundAnswer,
  [ACCOUNT_MAIL_KIND]: sendAccountMail,
  [AUTO_ANSWER_KIND]: sendAutoAnswer,
  [RATING_ALERT_KIND]: sendRatingAlert,
  [TEAM_NOTICE_KIND]: sendTeamNotice,
}
