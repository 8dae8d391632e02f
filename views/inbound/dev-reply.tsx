import { Document } from '../layout'

/** Dev mailbox: answer a customer notification as the customer would, by email. */
export function DevReplyForm(props: {
  mailId: number
  subject: string
  to: string
  from: string
  csrfToken: string
  outcome?: string
}) {
  return (
    <Document title={`Reply as the customer · ${props.subject}`} locale="en">
      <main class="dev-mail">
        <p>
          <a href={`/_dev/mail/${props.mailId}`}>← Back to the email</a>
        </p>
        <h1>Reply as the customer</h1>
        <p class="muted small">
          From {props.from} to {props.to}. The reply goes through the same inbound path as real mail
          (parse, strip the quote, match the board, post).
        </p>
        {props.outcome ? (
          <p class="saved" role="status">
            Result: <strong>{props.outcome}</strong>
          </p>
        ) : null}
        <form method="post" action={`/_dev/mail/${props.mailId}/reply`} class="panel-form">
          <input type="hidden" name="_csrf" value={props.csrfToken} />
          <label>
            Reply
            <textarea name="body" rows={6} required></textarea>
          </label>
          <button type="submit" class="primary">
            Send reply
          </button>
        </form>
      </main>
    </Document>
  )
}
