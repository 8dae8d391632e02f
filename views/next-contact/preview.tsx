import type { Locale } from '../../src/db/schema'
import type { BoardView } from '../../src/boards/boards.view-model'
import type { NextContactPreview } from '../../src/next-contact/next-contact.usecases'
import type { Translate } from '../../src/shared/i18n'
import type { DateContradiction } from '../../src/next-contact/contradictions'
import { formatCalendarDate, weekdayName, writtenMonthDay } from '../../src/shared/time'
import { FieldError } from '../components'

export const nextContactPreviewUrl = (slug: string, boardId: string) =>
  `/w/${slug}/boards/${boardId}/next-contact/preview`

// Every control re-asks the server with the whole composer form (htmx includes the enclosing
// form on a POST); hx-vals switches the mode. No script: CSP forbids inline code and hx-on.
const MODE = {
  auto: '{"next_contact_mode":"auto"}',
  manual: '{"next_contact_mode":"manual"}',
  none: '{"next_contact_mode":"none"}',
} as const

function When(props: { locale: Locale; on: string; time: string | null }) {
  return (
    <strong class="nc-date">
      {formatCalendarDate(props.on, props.locale)}
      {props.time ? ` ${props.time}` : ''}
    </strong>
  )
}

function Current(props: { t: Translate; locale: Locale; preview: NextContactPreview }) {
  const { on, time } = props.preview.current
  return (
    <span class="nc-current muted small">
      {on ? (
        <>
          {props.t('next_contact.keeps')} <When locale={props.locale} on={on} time={time} />
        </>
      ) : (
        props.t('next_contact.keeps_none')
      )}
    </span>
  )
}

function DateInputs(props: { t: Translate; url: string; preview: NextContactPreview }) {
  const { t, url, preview } = props
  return (
    <span class="nc-inputs">
      <label>
        <span class="sr-only">{t('board.next_contact')}</span>
        <input
          type="date"
          name="next_contact_on"
          value={preview.on ?? ''}
          hx-post={url}
          hx-trigger="change"
          hx-vals={MODE.manual}
          aria-label={t('board.next_contact')}
        />
      </label>
      <label>
        <span class="sr-only">{t('board.next_contact_time')}</span>
        <input
          type="time"
          name="next_contact_time"
          value={preview.time ?? ''}
          hx-post={url}
          hx-trigger="change"
          hx-vals={MODE.manual}
          aria-label={t('board.next_contact_time')}
        />
      </label>
    </span>
  )
}

function ModeButton(props: {
  url: string
  mode: keyof typeof MODE
  label: string
  class?: string
}) {
  return (
    <button
      type="button"
      class={`small nc-${props.mode} ${props.class ?? ''}`}
      hx-post={props.url}
      hx-vals={MODE[props.mode]}
    >
      {props.label}
    </button>
  )
}

/**
 * Dates in the text that contradict themselves, said before sending: 「12月5日(金)」: 12月5日は
 * 土曜日です。 / "Fri, Dec 5": Dec 5 is a Saturday. A warning only; the member decides.
 */
export function DateWarnings(props: {
  t: Translate
  locale: Locale
  timeZone: string
  now: number
  contradictions: DateContradiction[]
}) {
  const { t, locale } = props
  if (props.contradictions.length === 0) return null
  const written = { locale, timeZone: props.timeZone, now: props.now }
  return (
    <ul class="nc-warnings" aria-label={t('next_contact.check_dates')}>
      {props.contradictions.map((found) => (
        <li class="nc-warning" data-kind={found.kind}>
          <span aria-hidden="true">⚠</span>{' '}
          {found.kind === 'weekday'
            ? t('next_contact.weekday_mismatch', {
                written: found.text,
                date: writtenMonthDay(found.date, written),
                weekday: weekdayName(found.actual, locale),
              })
            : t('next_contact.closed_day', {
                written: found.text,
                date: writtenMonthDay(found.date, written),
              })}
        </li>
      ))}
    </ul>
  )
}

/**
 * The composer's next contact line: which phrase was understood and the date it gives, with
 * the date and time as editable fields, or "no date", or the member's own choice. The fields
 * named next_contact_* here are what the composer sends.
 */
export function NextContactBox(props: {
  t: Translate
  locale: Locale
  url: string
  preview: NextContactPreview
  /** the workspace's zone and the moment of reading, for the dates the warnings name */
  timeZone: string
  now: number
}) {
  const { t, locale, url, preview } = props
  let content
  if (preview.mode === 'none') {
    content = (
      <p class="nc-line">
        <span class="nc-state">{t('next_contact.cleared')}</span>
        <Current t={t} locale={locale} preview={preview} />
        <ModeButton url={url} mode="auto" label={t('next_contact.undo')} />
      </p>
    )
  } else if (preview.mode === 'manual') {
    content = (
      <p class="nc-line">
        <span class="nc-label">{t('board.next_contact')}</span>
        <DateInputs t={t} url={url} preview={preview} />
        <span class="nc-state muted small">{t('next_contact.manual')}</span>
        <ModeButton url={url} mode="auto" label={t('next_contact.from_text')} />
        <ModeButton url={url} mode="none" label={t('next_contact.clear')} />
      </p>
    )
  } else if (preview.found && preview.on) {
    content = (
      <>
        <p class="nc-line nc-found">
          <span class="nc-understood">
            {locale === 'ja' ? '「' : '“'}
            <mark class="contact-phrase" dir="auto">
              {preview.found.text}
            </mark>
            {locale === 'ja' ? '」' : '”'}→ {t('board.next_contact')}{' '}
            <When locale={locale} on={preview.on} time={preview.time} />
          </span>
        </p>
        <p class="nc-line">
          <DateInputs t={t} url={url} preview={preview} />
          <ModeButton url={url} mode="none" label={t('next_contact.clear')} />
        </p>
        <input type="hidden" name="next_contact_phrase" value={preview.phrase ?? ''} />
      </>
    )
  } else if (preview.hasText) {
    content = (
      <p class="nc-line">
        <span class="nc-state">{t('next_contact.no_date')}</span>
        <Current t={t} locale={locale} preview={preview} />
        <ModeButton url={url} mode="manual" label={t('next_contact.set_by_hand')} />
      </p>
    )
  } else {
    content = (
      <p class="nc-line muted small">
        {t('next_contact.hint')} <Current t={t} locale={locale} preview={preview} />
      </p>
    )
  }
  return (
    <div
      id="next-contact"
      class={`next-contact nc-mode-${preview.mode}${preview.found ? ' nc-has-date' : ''}`}
      hx-post={url}
      hx-trigger="input changed delay:400ms from:(#composer textarea[name=body]), next-contact-refresh from:body"
      hx-target="this"
      hx-swap="outerHTML"
      hx-sync="this:queue last"
      hx-disabled-elt="unset"
      aria-live="polite"
    >
      <input type="hidden" name="next_contact_mode" value={preview.mode} />
      <DateWarnings
        t={t}
        locale={locale}
        timeZone={props.timeZone}
        now={props.now}
        contradictions={preview.contradictions}
      />
      {content}
      <FieldError t={t} field="next_contact_on" problems={preview.problems} />
      <FieldError t={t} field="next_contact_time" problems={preview.problems} />
    </div>
  )
}

/** The box as the composer first renders it (or re-renders it with a refused post's fields). */
export function NextContactField(props: {
  t: Translate
  locale: Locale
  /** the workspace's slug (the preview's address) and time zone (the warnings' dates) */
  slug: string
  timeZone: string
  board: Pick<BoardView, 'id'>
  now: number
  /** composed by the route (composeNextContact), problems left out: the composer shows them */
  preview: NextContactPreview
}) {
  return (
    <NextContactBox
      t={props.t}
      locale={props.locale}
      url={nextContactPreviewUrl(props.slug, props.board.id)}
      preview={props.preview}
      timeZone={props.timeZone}
      now={props.now}
    />
  )
}
