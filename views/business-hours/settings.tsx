import type { Child } from 'hono/jsx'
import type { Translate } from '../../src/shared/i18n'
import type { SignedInView } from '../../src/auth/auth.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { formatDayHours } from '../../src/business-hours/business-hours'
import { WEEKDAY_FIELDS } from '../../src/business-hours/business-hours.schemas'
import type { CareSettings } from '../../src/business-hours/business-hours.usecases'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'
import { SettingsTabs } from '../api/settings-nav'
import { defaultCareTexts } from '../../src/business-hours/care-texts'

// Monday first, as a Japanese shop's calendar and its opening-hours notice list them.
const DISPLAY_ORDER = [1, 2, 3, 4, 5, 6, 0] as const
const WEEKDAY_NAMES = {
  ja: ['日曜日', '月曜日', '火曜日', '水曜日', '木曜日', '金曜日', '土曜日'],
  en: ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'],
}

const LABELS = {
  ja: {
    title: '営業時間と自動応答',
    hours: '営業時間',
    hoursHint:
      '例: 9:00-18:00（9-18 でも可） ／ 昼休みがあれば 9:00-12:00, 13:00-18:00 ／ 空欄は定休日。時刻はワークスペースのタイムゾーン（{tz}）です。',
    holidays: '日本の祝日は休業日とする',
    closedDays: '年末年始などの休業日は「基本設定」の休業日で設定します。',
    autoTitle: '自動応答',
    auto: 'お客様の投稿に自動で応答する（営業時間外はすぐに）',
    delay:
      '営業時間内も、返信がないまま次の分数が過ぎたら自動で応答する（1〜120分、空欄なら営業時間内はしない）',
    autoText: '自動応答の文面',
    autoHint:
      '{{shop_name}} はワークスペース名、{{next_opening}} は次の営業開始日時（例: 12月7日(月) 9:00。営業時間内は「ただいま（営業時間内）」）、{{customer_name}} はお客様名に置き換わります。空欄なら既定の文面を使います。',
    welcomeTitle: 'ウェルカムメッセージ',
    welcome: '新しいチャットボードに、最初のメッセージ（No.1）を自動で投稿する',
    welcomeText: 'ウェルカムメッセージの文面',
    welcomeHint:
      'APIで first_message を指定したボードには投稿しません。{{customer_name}}・{{board_name}}・{{shop_name}} が使えます。',
    ratingTitle: '満足度アンケート',
    rating: 'ボードが「完了」になったら、お客様に満足度（5段階）をうかがう',
    ratingQuestion: '質問文',
    saved: '保存しました。',
    adminOnly: '変更できるのは管理者だけです。',
    save: '保存',
    defaultText: '既定の文面',
  },
  en: {
    title: 'Business hours and automatic answers',
    hours: 'Business hours',
    hoursHint:
      'E.g. 9:00-18:00 or 9-18, or with a lunch break 9:00-12:00, 13:00-18:00; leave empty for a closed day. Times are in the workspace time zone ({tz}).',
    holidays: 'Japanese public holidays are closed days',
    closedDays: 'Closures such as the year-end break are set under General → Closed days.',
    autoTitle: 'Automatic answer',
    auto: 'Answer customer posts automatically (at once outside business hours)',
    delay:
      'Within business hours too, after this many minutes without an answer (1–120; empty: never within hours)',
    autoText: 'Automatic answer text',
    autoHint:
      '{{shop_name}} is the workspace name, {{next_opening}} the next opening (e.g. Mon, Dec 7 9:00; within business hours "now (we are open)"), {{customer_name}} the customer. Leave empty for the built-in text.',
    welcomeTitle: 'Welcome message',
    welcome: 'Post a first message (No.1) on every new board',
    welcomeText: 'Welcome message text',
    welcomeHint:
      'Not posted when the API call carries first_message. {{customer_name}}, {{board_name}} and {{shop_name}} can be used.',
    ratingTitle: 'Rating',
    rating: 'When a board is done, ask the customer to rate it (1–5)',
    ratingQuestion: 'Question',
    saved: 'Saved.',
    adminOnly: 'Only admins can change these.',
    save: 'Save',
    defaultText: 'Built-in text',
  },
}

/** A checkbox switch with its label (value 1 when on). */
function Switch(props: { name: string; checked: boolean; children: Child }) {
  return (
    <label class="check">
      <input type="checkbox" name={props.name} value="1" checked={props.checked} /> {props.children}
    </label>
  )
}

/** A text written for customers: the field, its hint (the variables it takes) and its error. */
function TextBlock(props: {
  t: Translate
  name: string
  label: string
  rows: number
  maxlength: number
  placeholder: string
  value: string
  hint: string
  problems?: FieldProblem[]
}) {
  const hintId = `${props.name}-hint`
  return (
    <label>
      {props.label}
      <textarea
        name={props.name}
        rows={props.rows}
        maxlength={props.maxlength}
        placeholder={props.placeholder}
        aria-describedby={hintId}
      >
        {props.value}
      </textarea>
      <span class="hint" id={hintId}>
        {props.hint}
      </span>
      <FieldError t={props.t} field={props.name} problems={props.problems} />
    </label>
  )
}

/** 設定 → 営業時間と自動応答: the week's hours and what the customer is told automatically. */
export function CareSettingsPage(
  props: PageProps & {
    auth: SignedInView
    settings: CareSettings
    problems?: FieldProblem[]
    values?: Record<string, string>
    saved?: boolean
  },
) {
  const { t, auth, settings } = props
  const w = auth.workspace
  const l = LABELS[props.locale]
  const defaults = defaultCareTexts(w.locale)
  const v = props.values
  const canEdit = auth.member.role !== 'member'
  // A re-shown form keeps what was typed; a checkbox absent from a submitted form was unticked.
  const checked = (field: string, current: boolean) => (v ? v[field] === '1' : current)
  return (
    <MemberLayout t={t} locale={props.locale} auth={auth} title={l.title} active="settings">
      <div class="page-head">
        <h1>{l.title}</h1>
      </div>
      <SettingsTabs locale={props.locale} slug={w.slug} active="hours" role={auth.member.role} />
      <form method="post" action={`/w/${w.slug}/settings/hours`} class="card form">
        <CsrfField token={auth.csrfToken} />
        {props.saved ? (
          <p class="alert info" role="status">
            ✓ {l.saved}
          </p>
        ) : null}
        {props.problems?.length ? (
          <p class="alert error" role="alert">
            {t('error.validation')}
          </p>
        ) : null}
        {!canEdit ? <p class="muted">{l.adminOnly}</p> : null}
        <fieldset disabled={!canEdit}>
          <h2>{l.hours}</h2>
          <p class="hint" id="hours-hint">
            {l.hoursHint.replace('{tz}', w.timeZone)}
          </p>
          <div class="hours-grid">
            {DISPLAY_ORDER.map((day) => {
              const field = WEEKDAY_FIELDS[day]
              return (
                <label class="hours-day">
                  <span>{WEEKDAY_NAMES[props.locale][day]}</span>
                  <input
                    name={field}
                    value={v?.[field] ?? formatDayHours(settings.week[day] ?? [])}
                    placeholder={props.locale === 'ja' ? '定休日' : 'Closed'}
                    maxlength={200}
                    aria-describedby="hours-hint"
                    aria-invalid={
                      props.problems?.some((p) => p.field === field) ? 'true' : undefined
                    }
                  />
                  <FieldError t={t} field={field} problems={props.problems} />
                </label>
              )
            })}
          </div>
          <Switch
            name="japanese_holidays"
            checked={checked('japanese_holidays', settings.japaneseHolidays)}
          >
            {l.holidays}
          </Switch>
          <p class="hint">
            <a href={`/w/${w.slug}/settings#closed_days`}>{l.closedDays}</a>
          </p>

          <h2>{l.autoTitle}</h2>
          <Switch name="auto_answer" checked={checked('auto_answer', settings.autoAnswer)}>
            {l.auto}
          </Switch>
          <label>
            {l.delay}
            <input
              name="auto_answer_delay_minutes"
              type="number"
              class="minutes"
              min={1}
              max={120}
              value={v?.auto_answer_delay_minutes ?? String(settings.autoAnswerDelayMinutes ?? '')}
            />
            <FieldError t={t} field="auto_answer_delay_minutes" problems={props.problems} />
          </label>
          <TextBlock
            t={t}
            name="auto_answer_text"
            label={l.autoText}
            rows={4}
            maxlength={2000}
            placeholder={defaults.autoAnswer}
            value={v?.auto_answer_text ?? settings.autoAnswerText ?? ''}
            hint={l.autoHint}
            problems={props.problems}
          />

          <h2>{l.welcomeTitle}</h2>
          <Switch name="welcome" checked={checked('welcome', settings.welcome)}>
            {l.welcome}
          </Switch>
          <TextBlock
            t={t}
            name="welcome_text"
            label={l.welcomeText}
            rows={5}
            maxlength={5000}
            placeholder={defaults.welcome}
            value={v?.welcome_text ?? settings.welcomeText ?? ''}
            hint={l.welcomeHint}
            problems={props.problems}
          />

          <h2>{l.ratingTitle}</h2>
          <Switch name="rating" checked={checked('rating', settings.rating)}>
            {l.rating}
          </Switch>
          <label>
            {l.ratingQuestion}
            <input
              name="rating_question"
              maxlength={200}
              placeholder={defaults.ratingQuestion}
              value={v?.rating_question ?? settings.ratingQuestion ?? ''}
            />
            <FieldError t={t} field="rating_question" problems={props.problems} />
          </label>
          <div class="actions">
            <button type="submit" class="primary">
              {l.save}
            </button>
          </div>
        </fieldset>
      </form>
    </MemberLayout>
  )
}
