import type { Child } from 'hono/jsx'
import type { BoardEventView, BoardView } from '../../src/boards/boards.view-model'
import type { SignedInMember } from '../../src/http'
import type { FieldProblem } from '../../src/shared/errors'
import type { MessageKey } from '../../src/shared/i18n'
import { formatDateTime } from '../../src/shared/time'
import { LIMITS } from '../../src/boards/boards.schemas'
import { CsrfField, FieldError } from '../components'
import type { PageProps } from '../layout'

// Correcting a board's details (issue #15.5): the side panel's form, the system lines each
// change leaves in the thread, and the offer to re-send after a bounced address was corrected.

/**
 * A translated sentence with markup in its `{name}` slots (the values stay text, escaped and
 * isolated by the caller's <bdi>): "お客様のメールアドレスを {from} → {to} に変更しました".
 */
export function withSlots(text: string, slots: Record<string, Child>): Child {
  return (
    <>
      {text.split(/(\{\w+\})/).map((part) => {
        const name = /^\{(\w+)\}$/.exec(part)?.[1]
        return name !== undefined && name in slots ? slots[name] : part
      })}
    </>
  )
}

/** The corrected details, each with the limit the board schema applies (LIMITS). */
const DETAIL_FIELDS: {
  name: 'name' | 'customer_name' | 'customer_email'
  /** the board's field the form starts from */
  value: 'name' | 'customerName' | 'customerEmail'
  label: MessageKey
  type: 'text' | 'email'
  maxlength: number
}[] = [
  { name: 'name', value: 'name', label: 'board.name', type: 'text', maxlength: LIMITS.boardName },
  {
    name: 'customer_name',
    value: 'customerName',
    label: 'board.customer_name',
    type: 'text',
    maxlength: LIMITS.customerName,
  },
  {
    name: 'customer_email',
    value: 'customerEmail',
    label: 'board.customer_email',
    type: 'email',
    maxlength: 254,
  },
]

/** The side panel's "correct the details" form (closed until opened, or when it has errors). */
export function BoardDetailsForm(
  props: PageProps & {
    auth: SignedInMember
    board: Pick<BoardView, 'name' | 'customerName' | 'customerEmail'>
    action: string
    values?: Record<string, string>
    problems?: FieldProblem[]
  },
) {
  const { t, board } = props
  const values = props.values ?? {}
  const invalid = (field: string) =>
    props.problems?.some((problem) => problem.field === field) ? 'true' : undefined
  return (
    <details class="details-edit" id="board-details" open={Boolean(props.problems?.length)}>
      <summary>{t('details.edit')}</summary>
      <form method="post" action={props.action} class="details-form">
        <CsrfField token={props.auth.csrfToken} />
        {DETAIL_FIELDS.map((field) => (
          <label>
            {t(field.label)}
            <input
              type={field.type}
              name={field.name}
              value={values[field.name] ?? board[field.value]}
              required
              maxlength={field.maxlength}
              autocomplete="off"
              aria-invalid={invalid(field.name)}
            />
            <FieldError t={t} field={field.name} problems={props.problems} />
          </label>
        ))}
        <p class="hint">{t('details.hint')}</p>
        <button type="submit" class="wide">
          {t('details.save')}
        </button>
      </form>
    </details>
  )
}

const CHANGE_TEXT: Record<string, MessageKey> = {
  name: 'details.changed.name',
  customer_name: 'details.changed.customer_name',
  customer_email: 'details.changed.customer_email',
}

/** One system line in the thread: who corrected what, or a re-sent notification. */
export function BoardEventLine(
  props: PageProps & { event: BoardEventView; timeZone: string; messageNo?: number | null },
) {
  const { t, locale, event } = props
  const actor = event.actorKind === 'api' ? t('details.api_actor', { name: event.actorName }) : null
  const text =
    event.kind === 'notification_resent'
      ? withSlots(t('details.resent', { no: props.messageNo ?? '?' }), {
          to: <bdi class="value">{event.newValue}</bdi>,
        })
      : withSlots(t(CHANGE_TEXT[event.field ?? 'name'] ?? 'details.changed.name'), {
          from: <bdi class="value">{event.oldValue}</bdi>,
          to: <bdi class="value">{event.newValue}</bdi>,
        })
  return (
    <p class="board-event" id={`e-${event.id}`}>
      <span class="board-event-actor">
        {actor ?? <bdi>{event.actorName}</bdi>}
        {': '}
      </span>
      {text}
      <time class="board-event-time" datetime={new Date(event.at).toISOString()}>
        {formatDateTime(event.at, props.timeZone, locale)}
      </time>
    </p>
  )
}

/**
 * At the top of the board after a bounced address was corrected: re-send the last notification
 * to the new address, once, with one click.
 */
export function ResendOffer(
  props: PageProps & {
    auth: SignedInMember
    action: string
    offer: { eventId: string; no: number; to: string }
  },
) {
  const { t, offer } = props
  return (
    <form method="post" action={props.action} class="alert info small resend-offer">
      <CsrfField token={props.auth.csrfToken} />
      <input type="hidden" name="event_id" value={offer.eventId} />
      <span>
        {withSlots(t('details.resend_offer', { no: offer.no }), {
          to: <bdi class="value">{offer.to}</bdi>,
        })}
      </span>{' '}
      <button type="submit" class="small primary">
        {t('details.resend')}
      </button>
    </form>
  )
}
