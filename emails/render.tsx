/** @jsxImportSource react */
import type { ReactElement } from 'react'
import { render } from '@react-email/render'
import GuestNotification, {
  guestNotificationSubject,
  type GuestNotificationProps,
} from './guest-notification'
import MemberNotification, {
  memberNotificationSubject,
  type MemberNotificationProps,
} from './member-notification'
import DailyDigest, { dailyDigestSubject, type DailyDigestProps } from './daily-digest'
import AccountLink, { accountLinkSubject, type AccountLinkProps } from './account-link'
import AutoAnswer, { autoAnswerSubject, type AutoAnswerProps } from './auto-answer'
import RatingAlert, { ratingAlertSubject, type RatingAlertProps } from './rating-alert'
import TeamNotice, { teamNoticeSubject, type TeamNoticeProps } from './team-notice'

export type EmailSpec =
  | { template: 'guest-notification'; props: GuestNotificationProps }
  | { template: 'member-notification'; props: MemberNotificationProps }
  | { template: 'daily-digest'; props: DailyDigestProps }
  | { template: 'account-link'; props: AccountLinkProps }
  | { template: 'auto-answer'; props: AutoAnswerProps }
  | { template: 'rating-alert'; props: RatingAlertProps }
  | { template: 'team-notice'; props: TeamNoticeProps }

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

/**
 * A subject is one header line: line breaks and other control characters become spaces, and
 * bidi embeddings, overrides and isolates (U+202A–202E, U+2066–2069) go, so a name can't
 * reorder the subject around it in the inbox.
 */
export function singleLine(value: string): string {
  return value
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, '')
    .replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}

/** Renders one email: HTML for mail clients, plain text for the text/plain part. */
export async function renderEmail(spec: EmailSpec): Promise<RenderedEmail> {
  let subject: string
  let email: ReactElement
  switch (spec.template) {
    case 'guest-notification':
      subject = guestNotificationSubject(spec.props)
      email = <GuestNotification {...spec.props} />
      break
    case 'member-notification':
      subject = memberNotificationSubject(spec.props)
      email = <MemberNotification {...spec.props} />
      break
    case 'daily-digest':
      subject = dailyDigestSubject(spec.props)
      email = <DailyDigest {...spec.props} />
      break
    case 'account-link':
      subject = accountLinkSubject(spec.props)
      email = <AccountLink {...spec.props} />
      break
    case 'auto-answer':
      subject = autoAnswerSubject(spec.props)
      email = <AutoAnswer {...spec.props} />
      break
    case 'rating-alert':
      subject = ratingAlertSubject(spec.props)
      email = <RatingAlert {...spec.props} />
      break
    case 'team-notice':
      subject = teamNoticeSubject(spec.props)
      email = <TeamNotice {...spec.props} />
      break
  }
  const html = await render(email)
  // react-email's own HTML-to-text (`unstableTextConversion`) gives the same text as
  // html-to-text for these layouts at about a tenth of the cost. Through render's option, not
  // the `unstableToPlainText` export: only the Node build exports that, and the Workers build
  // (the `workerd` export condition) would fail to bundle.
  const text = await render(email, { plainText: true, unstableTextConversion: true })
  return { subject: singleLine(subject), html, text }
}
