import type { SignedInView } from '../../src/auth/auth.view-model'
import type {
  CustomerEmail,
  NotificationProblem,
} from '../../src/notifications/notifications.usecases'
import { formatDateTime } from '../../src/shared/time'
import type { PageProps } from '../layout'

/**
 * The board page's list of notifications that failed or are stuck. Loaded into the side panel
 * by htmx (GET …/notifications); empty when all is well, so nothing shows.
 */
export function NotificationProblems(
  props: PageProps & {
    auth: SignedInView
    boardId: string
    problems: NotificationProblem[]
    recent?: CustomerEmail[]
    retried?: boolean
  },
) {
  const { t, auth, locale } = props
  const base = `/w/${auth.workspace.slug}/boards/${props.boardId}/notifications`
  return (
    <section
      id="notification-problems"
      class="notification-problems"
      hx-get={base}
      hx-trigger="thread-changed from:body delay:1s"
      hx-swap="outerHTML"
    >
      {props.retried ? (
        <p class="saved small" role="status">
          ✓ {t('notifications.retried')}
        </p>
      ) : null}
      {props.recent?.length ? (
        <div class="customer-emails">
          <h3>{t('notifications.recent_title')}</h3>
          <ul>
            {props.recent.map((email) => (
              <li class={`email-state state-${email.state}`}>
                {email.messageNo !== null ? `No.${email.messageNo} · ` : ''}
                <strong>{t(`notifications.state.${email.state}`)}</strong>
                <span class="muted small">
                  {' '}
                  · {formatDateTime(email.at, auth.workspace.timeZone, locale)}
                </span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {props.problems.length > 0 ? (
        <>
          <h3>⚠ {t('notifications.title')}</h3>
          <ul>
            {props.problems.map((problem) => (
              <li
                class={
                  problem.needsAttention
                    ? 'needs-attention'
                    : problem.status === 'failed'
                      ? 'failed'
                      : 'stuck'
                }
              >
                <strong>
                  {problem.messageNo !== null ? `No.${problem.messageNo} · ` : ''}
                  {problem.recipient === 'guest'
                    ? t('notifications.to_guest')
                    : problem.recipient === 'member'
                      ? t('notifications.to_member')
                      : problem.kind}
                </strong>
                {problem.needsAttention ? (
                  <span class="attention-label">⚠ {t('notifications.needs_attention')}</span>
                ) : null}
                <span class="muted small">
                  {' '}
                  {problem.needsAttention
                    ? ''
                    : problem.status === 'failed'
                      ? `${t('notifications.failed')} · `
                      : `${t('notifications.stuck')} · `}
                  {t('notifications.attempts', { attempts: problem.attempts })} ·{' '}
                  {formatDateTime(problem.createdAt, auth.workspace.timeZone, locale)}
                </span>
                {problem.needsAttention ? (
                  <p class="small attention-hint">{t('notifications.needs_attention_hint')}</p>
                ) : null}
                {problem.lastError ? <code class="error-text">{problem.lastError}</code> : null}
                {problem.status === 'failed' ? (
                  <form
                    method="post"
                    action={`${base}/${problem.id}/retry`}
                    hx-post={`${base}/${problem.id}/retry`}
                    hx-target="#notification-problems"
                    hx-swap="outerHTML"
                  >
                    <input type="hidden" name="_csrf" value={auth.csrfToken} />
                    <button type="submit" class="small">
                      {problem.needsAttention
                        ? t('notifications.resend_anyway')
                        : t('notifications.retry')}
                    </button>
                  </form>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </section>
  )
}

/** The placeholder the side panel carries; htmx fills it once the page has loaded. */
export function NotificationProblemsSlot(props: { slug: string; boardId: string }) {
  return (
    <section
      id="notification-problems"
      class="notification-problems"
      hx-get={`/w/${props.slug}/boards/${props.boardId}/notifications`}
      hx-trigger="load"
      hx-swap="outerHTML"
    />
  )
}
