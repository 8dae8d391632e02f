import type { BoardStatus } from '../src/db/schema'
import type { FieldProblem } from '../src/shared/errors'
import type { JSX } from 'hono/jsx/jsx-runtime'
import type { MessageKey, Translate } from '../src/shared/i18n'
import { statusLabel } from '../src/boards/boards.labels'
import { withoutBidiControls } from '../src/shared/validation'

export function StatusBadge(props: {
  t: Translate
  status: BoardStatus
  labels?: Record<string, string>
}) {
  return (
    <span class={`badge status-${props.status}`}>
      {statusLabel(props.t, props.status, props.labels)}
    </span>
  )
}

/** Blue envelope (unread) / grey (read) and the orange bubble (unanswered). */
/**
 * Blue envelope (unread) / grey (read) and the orange bubble (unanswered). The icons are CSS
 * backgrounds: a list page shows a hundred of them, and inline SVG costs a dozen nodes each.
 */
export function Markers(props: { t: Translate; unread: boolean; unanswered: boolean }) {
  const { t } = props
  const mail = props.unread ? t('boards.unread') : t('boards.read')
  return (
    <span class="markers">
      <span
        class={`marker mail ${props.unread ? 'on' : 'off'}`}
        role="img"
        title={mail}
        aria-label={mail}
      />
      {props.unanswered ? (
        <span
          class="marker bubble"
          role="img"
          title={t('boards.unanswered')}
          aria-label={t('boards.unanswered')}
        />
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

/** An aside in brackets: full-width （…） in Japanese, ASCII " (…)" in English. */
export function bracketed(locale: string, text: string): string {
  return locale === 'ja' ? `（${text}）` : ` (${text})`
}

/**
 * A translated sentence whose `{name}` parameters are user text (a shop's or a customer's name):
 * each value is set in its own <bdi>, so bidi characters in it can't reorder the words around
 * it (issue #21). The sentence comes from the dictionary unfilled and is split at its
 * placeholders; a placeholder without a value stays as written.
 */
export function Sentence(props: {
  t: Translate
  k: MessageKey
  names: Record<string, string>
}): JSX.Element {
  const parts = props.t(props.k).split(/\{(\w+)\}/)
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 0 ? part : part in props.names ? <bdi>{props.names[part]}</bdi> : `{${part}}`,
      )}
    </>
  )
}

/**
 * A select of one named item (a member, a category, a tag) or none. An option holds text only
 * (no <bdi>), so names go in without bidi controls.
 */
export function NamedSelect(props: {
  name: string
  items: { id: string; name: string }[]
  selected: string | null | undefined
  /** the "none" option's value and label */
  none: { value: string; label: string }
}) {
  return (
    <select name={props.name}>
      <option value={props.none.value} selected={!props.selected}>
        {props.none.label}
      </option>
      {props.items.map((item) => (
        <option value={item.id} selected={props.selected === item.id}>
          {withoutBidiControls(item.name)}
        </option>
      ))}
    </select>
  )
}
