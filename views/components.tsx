import type { BoardStatus } from '../src/db/schema'
import type { FieldProblem } from '../src/shared/errors'
import { statusLabel, type Translate } from '../src/shared/i18n'

export function StatusBadge(props: { t: Translate; status: BoardStatus; labels?: Record<string, string> }) {
  return <span class={`badge status-${props.status}`}>{statusLabel(props.t, props.status, props.labels)}</span>
}

/** Blue envelope (unread) / grey (read) and the orange bubble (unanswered). */
export function Markers(props: { t: Translate; unread: boolean; unanswered: boolean }) {
  const { t } = props
  return (
    <span class="markers">
      <span
        class={`marker mail ${props.unread ? 'on' : 'off'}`}
        title={props.unread ? t('boards.unread') : t('boards.read')}
        aria-label={props.unread ? t('boards.unread') : t('boards.read')}
      >
        <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
          <rect x="2" y="4" width="16" height="12" rx="2" fill="currentColor" />
          <path d="M3 5.5l7 5 7-5" fill="none" stroke="#fff" stroke-width="1.6" />
        </svg>
      </span>
      {props.unanswered ? (
        <span class="marker bubble" title={t('boards.unanswered')} aria-label={t('boards.unanswered')}>
          <svg viewBox="0 0 20 20" width="18" height="18" aria-hidden="true">
            <path d="M3 4h14a1 1 0 0 1 1 1v8a1 1 0 0 1-1 1H9l-4 3v-3H3a1 1 0 0 1-1-1V5a1 1 0 0 1 1-1z" fill="currentColor" />
          </svg>
        </span>
      ) : null}
    </span>
  )
}

export function FieldError(props: { t: Translate; field: string; problems?: FieldProblem[] }) {
  const problem = props.problems?.find((p) => p.field === props.field)
  if (!problem) return null
  return (
    <p class="field-error" id={`${props.field}-error`} role="alert">
      {props.t(problem.problem, problem.params)}
    </p>
  )
}

export function CsrfField(props: { token: string }) {
  return <input type="hidden" name="_csrf" value={props.token} />
}
