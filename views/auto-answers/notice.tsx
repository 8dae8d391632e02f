import type { Locale } from '../../src/db/schema'
import type { ShopView } from '../../src/workspaces/workspaces.view-model'
import { formatDateTime, writtenDateTime } from '../../src/shared/time'
import type { AutoAnswerView } from '../../src/auto-answers/auto-answers.usecases'

const LABEL = { ja: '自動応答', en: 'Automatic answer' }

/**
 * The customer's page: the automatic answer under the thread while no person has answered
 * yet (never numbered, not part of the thread). `oob` replaces the one on the page from a
 * poller response. An empty placeholder keeps the target there for later.
 */
export function GuestAutoAnswer(props: {
  locale: Locale
  workspace: Pick<ShopView, 'name' | 'timeZone'>
  answer: AutoAnswerView | null
  /** the moment of rendering: a date in its year is written without the year */
  now: number
  oob?: boolean
}) {
  const oob = props.oob ? { 'hx-swap-oob': 'true' } : {}
  if (!props.answer) return <div id="guest-auto-answer" {...oob} />
  const { answer, locale, workspace } = props
  return (
    <aside id="guest-auto-answer" class="guest-auto" aria-label={LABEL[locale]} {...oob}>
      <p class="guest-auto-head">
        <span class="guest-auto-tag">{LABEL[locale]}</span>
        <bdi class="guest-author">{workspace.name}</bdi>
        <time datetime={new Date(answer.sentAt).toISOString()}>
          {writtenDateTime(answer.sentAt, {
            locale,
            timeZone: workspace.timeZone,
            now: props.now,
          })}
        </time>
      </p>
      <div class="guest-auto-body" dir="auto">
        {answer.body}
      </div>
    </aside>
  )
}

/** The staff board: the board's automatic answers as small system lines, newest first. */
export function StaffAutoAnswers(props: {
  locale: Locale
  timeZone: string
  answers: AutoAnswerView[]
}) {
  if (props.answers.length === 0) return <div id="auto-answers" />
  const ja = props.locale === 'ja'
  return (
    <section id="auto-answers" class="card side-section auto-answers">
      <h2>{ja ? '自動応答' : 'Automatic answers'}</h2>
      <ul class="system-lines">
        {props.answers.map((answer) => (
          <li>
            <details>
              <summary>
                {ja ? '自動応答を送信しました' : 'Automatic answer sent'} ·{' '}
                <time datetime={new Date(answer.sentAt).toISOString()}>
                  {formatDateTime(answer.sentAt, props.timeZone, props.locale)}
                </time>
              </summary>
              <p class="auto-answer-body" dir="auto">
                {answer.body}
              </p>
            </details>
          </li>
        ))}
      </ul>
    </section>
  )
}

/** Where the staff board loads its automatic answers (nothing shows while there are none). */
export function AutoAnswersSlot(props: { slug: string; boardId: string }) {
  return (
    <div
      id="auto-answers"
      hx-get={`/w/${props.slug}/boards/${props.boardId}/auto-answers`}
      hx-trigger="load"
      hx-swap="outerHTML"
    />
  )
}
