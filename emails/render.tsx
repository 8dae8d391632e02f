/** @jsxImportSource react */
import { render, unstableToPlainText } from '@react-email/render'
import GuestNotification, { guestNotificationSubject, type GuestNotificationProps } from './guest-notification'
import MemberNotification, { memberNotificationSubject, type MemberNotificationProps } from './member-notification'
import DailyDigest, { dailyDigestSubject, type DailyDigestProps } from './daily-digest'

export type EmailSpec =
  | { template: 'guest-notification'; props: GuestNotificationProps }
  | { template: 'member-notification'; props: MemberNotificationProps }
  | { template: 'daily-digest'; props: DailyDigestProps }

export interface RenderedEmail {
  subject: string
  html: string
  text: string
}

/** A subject is one header line: line breaks and other control characters become spaces. */
export function singleLine(value: string): string {
  return value.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').replace(/\s+/g, ' ').trim()
}

/** Renders one email: HTML for mail clients, plain text for the text/plain part. */
export async function renderEmail(spec: EmailSpec): Promise<RenderedEmail> {
  let subject: string
  let html: string
  switch (spec.template) {
    case 'guest-notification':
      subject = guestNotificationSubject(spec.props)
      html = await render(<GuestNotification {...spec.props} />)
      break
    case 'member-notification':
      subject = memberNotificationSubject(spec.props)
      html = await render(<MemberNotification {...spec.props} />)
      break
    case 'daily-digest':
      subject = dailyDigestSubject(spec.props)
      html = await render(<DailyDigest {...spec.props} />)
      break
  }
  // react-email's own HTML-to-text (the `unstableTextConversion` option of render) gives the
  // same text as html-to-text for these layouts at about a tenth of the cost.
  const text = unstableToPlainText(html)
  return { subject: singleLine(subject), html, text }
}
