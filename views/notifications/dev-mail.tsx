import type { DevMailItem } from '../../src/notifications/dev-mail.view-model'
import { Document } from '../layout'

// Development only (mounted when no real transport is configured): plain, English, no login.

export function DevMailList(props: { mails: DevMailItem[] }) {
  return (
    <Document title="Dev mailbox" locale="en">
      <main class="dev-mail">
        <h1>Dev mailbox</h1>
        <p class="muted small">
          Mail the app would have sent. No real transport is configured (set RESEND_API_KEY or
          SMTP_URL). Also as <a href="/_dev/mail.json">JSON</a>.
        </p>
        {props.mails.length === 0 ? <p class="empty">No mail yet.</p> : null}
        <table class="dev-mail-list">
          <thead>
            <tr>
              <th>#</th>
              <th>When</th>
              <th>To</th>
              <th>Subject</th>
            </tr>
          </thead>
          <tbody>
            {props.mails.map((mail) => (
              <tr>
                <td>{mail.id}</td>
                <td class="nowrap">
                  {new Date(mail.createdAt).toISOString().replace('T', ' ').slice(0, 19)}
                </td>
                <td class="break">
                  <bdi>{mail.to}</bdi>
                </td>
                <td>
                  <a href={`/_dev/mail/${mail.id}`}>
                    <bdi>{mail.subject}</bdi>
                  </a>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </main>
    </Document>
  )
}

export function DevMailView(props: { mail: DevMailItem }) {
  const { mail } = props
  const rows: [string, string][] = [
    ['From', mail.from],
    ['To', mail.to],
    ['Subject', mail.subject],
    ...Object.entries(mail.headers),
    ['Idempotency-Key', mail.idempotencyKey],
  ]
  return (
    <Document title={`Dev mailbox · ${mail.subject}`} locale="en">
      <main class="dev-mail">
        <p>
          <a href="/_dev/mail">← Dev mailbox</a>
        </p>
        <h1>
          <bdi>{mail.subject}</bdi>
        </h1>
        <dl class="facts dev-mail-headers">
          {rows.map(([name, value]) => (
            <>
              <dt>{name}</dt>
              <dd class="break">
                <bdi>{value}</bdi>
              </dd>
            </>
          ))}
        </dl>
        <h2>HTML</h2>
        <iframe
          class="dev-mail-frame"
          src={`/_dev/mail/${mail.id}/html`}
          sandbox=""
          title="HTML part"
        ></iframe>
        <h2>Text</h2>
        <pre class="dev-mail-text">{mail.text}</pre>
      </main>
    </Document>
  )
}
