import { NamedSelect } from '../components'
import type { Locale } from '../../src/db/schema'
import type { SignedInView } from '../../src/auth/auth.view-model'
import { BOARD_STATUSES } from '../../src/boards/boards.rules'
import { statusLabel } from '../../src/boards/boards.labels'
import { formatCalendarDate } from '../../src/shared/time'
import type { Statistics } from '../../src/statistics/statistics.usecases'
import type { DurationSummary } from '../../src/statistics/statistics.figures'
import { MemberLayout, type PageProps } from '../layout'

/** The per-member chart's two series (open boards assigned now, answers in the period). */
export const MEMBER_SERIES = [
  { key: 'assigned', colour: '#2563eb' },
  { key: 'answers', colour: '#15803d' },
] as const

/** The series of the per-day chart, in stacking order, with colours readable on white. */
export const ACTIVITY_SERIES = [
  { key: 'created', colour: '#2563eb' },
  { key: 'decided', colour: '#15803d' },
  { key: 'closed', colour: '#9a3412' },
] as const

export interface StatisticsPageProps extends PageProps {
  auth: SignedInView
  stats: Statistics
  labels: Record<string, string>
}

/**
 * What views/static/statistics.js draws with Chart.js (served from /static, no inline script):
 * bars per label, one dataset per series, stacked for `days`, horizontal for `categories`.
 */
export interface ChartSpec {
  /** days: vertical, stacked; columns: vertical (one series); categories: horizontal, grouped */
  kind: 'days' | 'columns' | 'categories'
  locale: string
  labels: string[]
  series: { label: string; colour: string; values: number[] }[]
}

function Chart(props: { spec: ChartSpec; label: string; class: string }) {
  return (
    <div class={`chart ${props.class}`}>
      <canvas role="img" aria-label={props.label} data-chart={JSON.stringify(props.spec)}>
        {props.label}
      </canvas>
    </div>
  )
}

/** Numbers in the reader's locale (1,234 in both languages; the locale decides). */
export function numberFormat(locale: Locale) {
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US')
}

/** Milliseconds as hours with one decimal, in the reader's locale: "2.5 時間", "2.5 hr". */
export function hoursText(ms: number, locale: Locale) {
  return new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
    style: 'unit',
    unit: 'hour',
    unitDisplay: locale === 'ja' ? 'long' : 'short',
    maximumFractionDigits: 1,
    minimumFractionDigits: 1,
  }).format(ms / 3_600_000)
}

function Duration(props: {
  t: StatisticsPageProps['t']
  locale: Locale
  title: string
  hint: string
  summary: DurationSummary
}) {
  const { t, summary } = props
  return (
    <section class="card stat-duration">
      <h3>{props.title}</h3>
      <p class="muted small">{props.hint}</p>
      {summary.count === 0 ? (
        <p class="muted">{t('stats.none')}</p>
      ) : (
        <dl class="figures">
          <div>
            <dt>{t('stats.median')}</dt>
            <dd>{hoursText(summary.median!, props.locale)}</dd>
          </div>
          <div>
            <dt>{t('stats.p90')}</dt>
            <dd>{hoursText(summary.p90!, props.locale)}</dd>
          </div>
          <div>
            <dt class="sr-only">{t('stats.boards')}</dt>
            <dd class="muted small">
              {t('stats.count', { count: numberFormat(props.locale).format(summary.count) })}
            </dd>
          </div>
        </dl>
      )}
    </section>
  )
}

export function StatisticsPage(props: StatisticsPageProps) {
  const { t, auth, stats, locale } = props
  const base = `/w/${auth.workspace.slug}`
  const numbers = numberFormat(locale)
  const { period } = stats
  const seriesLabel = {
    created: t('stats.created'),
    decided: t('stats.decided'),
    closed: t('stats.closed'),
  }
  const series = { created: stats.created, decided: stats.decided, closed: stats.closed }
  const isAdmin = auth.member.role !== 'member'
  const intlLocale = locale === 'ja' ? 'ja-JP' : 'en-US'
  const activitySpec: ChartSpec = {
    kind: 'days',
    locale: intlLocale,
    labels: stats.days.map((day) =>
      locale === 'ja' ? `${Number(day.slice(5, 7))}/${Number(day.slice(8))}` : day.slice(5),
    ),
    series: ACTIVITY_SERIES.map((one) => ({
      label: seriesLabel[one.key],
      colour: one.colour,
      values: series[one.key],
    })),
  }
  const statusSpec: ChartSpec = {
    kind: 'categories',
    locale: intlLocale,
    labels: BOARD_STATUSES.map((status) => statusLabel(t, status, props.labels)),
    series: [
      {
        label: t('stats.boards'),
        colour: '#2563eb',
        values: BOARD_STATUSES.map((status) => stats.statusNow[status]),
      },
    ],
  }
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={t('stats.title')} active="statistics">
      <div class="page-head">
        <h1>{t('stats.title')}</h1>
      </div>
      <form class="card stats-period" method="get" action={`${base}/stats`}>
        <fieldset>
          <legend>{t('stats.period')}</legend>
          <div class="choices">
            {(['week', 'month', 'custom'] as const).map((kind) => (
              <label class="check">
                <input type="radio" name="period" value={kind} checked={period.kind === kind} />{' '}
                {t(`stats.period.${kind}`)}
              </label>
            ))}
          </div>
          <div class="dates">
            <label>
              {t('stats.from')}
              <input type="date" name="from" value={period.from} />
            </label>
            <label>
              {t('stats.to')}
              <input type="date" name="to" value={period.to} />
            </label>
            <label>
              {t('stats.member')}
              <NamedSelect
                name="member"
                items={stats.members}
                selected={stats.member?.id}
                none={{ value: '', label: t('stats.member.all') }}
              />
            </label>
            {stats.categories.length > 0 ? (
              <label>
                {t('stats.category')}
                <NamedSelect
                  name="category"
                  items={stats.categories}
                  selected={stats.category?.id}
                  none={{ value: '', label: t('stats.any') }}
                />
              </label>
            ) : null}
            {stats.tags.length > 0 ? (
              <label>
                {t('stats.tag')}
                <NamedSelect
                  name="tag"
                  items={stats.tags}
                  selected={stats.tag?.id}
                  none={{ value: '', label: t('stats.any') }}
                />
              </label>
            ) : null}
            <button type="submit">{t('stats.show')}</button>
          </div>
        </fieldset>
        <p class="stats-range">
          {t('stats.range', {
            from: formatCalendarDate(period.from, locale),
            to: formatCalendarDate(period.to, locale),
          })}
        </p>
        {stats.member ? (
          <p class="stats-filter">{t('stats.member.filtered', { name: stats.member.name })}</p>
        ) : null}
        {stats.category ? (
          <p class="stats-filter">{t('stats.category.filtered', { name: stats.category.name })}</p>
        ) : null}
        {stats.tag ? (
          <p class="stats-filter">{t('stats.tag.filtered', { name: stats.tag.name })}</p>
        ) : null}
      </form>

      <section class="card stats-section" aria-labelledby="stats-activity">
        <h2 id="stats-activity">{t('stats.activity')}</h2>
        <ul class="chart-legend">
          {ACTIVITY_SERIES.map((one) => (
            <li>
              <span class={`swatch swatch-${one.key}`} aria-hidden="true" />
              {seriesLabel[one.key]}{' '}
              <span class="muted">
                ({numbers.format(series[one.key].reduce((sum, count) => sum + count, 0))})
              </span>
            </li>
          ))}
        </ul>
        <Chart spec={activitySpec} label={t('stats.chart_activity')} class="chart-days" />
        <details class="chart-table">
          <summary>{t('stats.show_table')}</summary>
          {/* A long period scrolls inside its box: focusable, so keyboards can scroll it too. */}
          <div
            class="table-scroll"
            tabindex={0}
            role="region"
            aria-label={`${t('stats.activity')}: ${t('stats.show_table')}`}
          >
            <table>
              <caption class="sr-only">{t('stats.activity')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('stats.day')}</th>
                  {ACTIVITY_SERIES.map((one) => (
                    <th scope="col" class="num">
                      {seriesLabel[one.key]}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {stats.days.map((day, index) => (
                  <tr>
                    <th scope="row">{formatCalendarDate(day, locale)}</th>
                    {ACTIVITY_SERIES.map((one) => (
                      <td class="num">{numbers.format(series[one.key][index] ?? 0)}</td>
                    ))}
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('stats.total')}</th>
                  {ACTIVITY_SERIES.map((one) => (
                    <td class="num">
                      {numbers.format(series[one.key].reduce((sum, count) => sum + count, 0))}
                    </td>
                  ))}
                </tr>
              </tfoot>
            </table>
          </div>
        </details>
      </section>

      <section class="stats-section" aria-labelledby="stats-times">
        <h2 id="stats-times">{t('stats.times')}</h2>
        <p class="muted">
          {stats.basis === 'business' ? t('stats.basis.business') : t('stats.basis.calendar')}
        </p>
        <div class="stats-grid">
          <Duration
            t={t}
            locale={locale}
            title={t('stats.first_response')}
            hint={t('stats.first_response_hint')}
            summary={stats.firstResponse}
          />
          <Duration
            t={t}
            locale={locale}
            title={t('stats.time_to_decision')}
            hint={t('stats.time_to_decision_hint')}
            summary={stats.timeToDecision}
          />
        </div>
      </section>

      <section class="stats-section" aria-labelledby="stats-now">
        <h2 id="stats-now">{t('stats.now')}</h2>
        <div class="stats-grid">
          <section class="card">
            <h3>{t('stats.status')}</h3>
            <Chart spec={statusSpec} label={t('stats.chart_status')} class="chart-status" />
            <details class="chart-table">
              <summary>{t('stats.show_table')}</summary>
              <table>
                <caption class="sr-only">{t('stats.now')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('stats.status')}</th>
                    <th scope="col" class="num">
                      {t('stats.boards')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {BOARD_STATUSES.map((status) => (
                    <tr>
                      <th scope="row">
                        <a href={`${base}/boards?status=${status}`}>
                          {statusLabel(t, status, props.labels)}
                        </a>
                      </th>
                      <td class="num">{numbers.format(stats.statusNow[status])}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </details>
          </section>
          <div class="stats-counts">
            <section class="card stat-count">
              <h3>{t('stats.overdue')}</h3>
              <p class="big">{numbers.format(stats.overdueContacts)}</p>
              <a href={`${base}/boards?sort=next_contact&due=1`}>{t('stats.open_list')}</a>
            </section>
            <section class="card stat-count">
              <h3>{t('stats.unread')}</h3>
              {stats.unreadWarnings === null ? (
                <p class="muted">{t('stats.unread_off')}</p>
              ) : (
                <>
                  <p class="big">{numbers.format(stats.unreadWarnings)}</p>
                  <p class="muted small">
                    {t('stats.unread_hint', { days: auth.workspace.unreadWarningDays })}
                  </p>
                  <a href={`${base}/boards?warning=unread`}>{t('stats.open_list')}</a>
                </>
              )}
            </section>
          </div>
        </div>
      </section>

      <MemberBreakdown {...props} />
      <Ratings {...props} />

      {isAdmin ? (
        <form class="card stats-export" method="get" action={`${base}/exports/boards.csv`}>
          <h2>{t('export.title')}</h2>
          <p class="muted">{t('export.hint')}</p>
          <input type="hidden" name="from" value={period.from} />
          <input type="hidden" name="to" value={period.to} />
          <div class="export-options">
            <label>
              {t('export.encoding')}
              <select name="encoding">
                <option value="utf-8">{t('export.utf8')}</option>
                <option value="shift_jis">{t('export.sjis')}</option>
              </select>
            </label>
            <label class="check">
              <input type="checkbox" name="internal" value="1" /> {t('export.internal')}
            </label>
          </div>
          <div class="actions">
            <button type="submit">{t('export.boards')}</button>
            <button type="submit" formaction={`${base}/exports/messages.csv`}>
              {t('export.messages')}
            </button>
          </div>
        </form>
      ) : null}
      <script src="/static/chart.umd.min.js" defer></script>
      <script src="/static/statistics.js" defer></script>
    </MemberLayout>
  )
}

/** 担当者ごと: open boards assigned now, answers in the period, median first response. */
function MemberBreakdown(props: StatisticsPageProps) {
  const { t, stats, locale } = props
  const numbers = numberFormat(locale)
  const label = { assigned: t('stats.assigned_now'), answers: t('stats.answers') }
  const values = {
    assigned: stats.perMember.map((one) => one.assignedNow),
    answers: stats.perMember.map((one) => one.answers),
  }
  const spec: ChartSpec = {
    kind: 'categories',
    locale: locale === 'ja' ? 'ja-JP' : 'en-US',
    labels: stats.perMember.map((one) => one.name),
    series: MEMBER_SERIES.map((one) => ({
      label: label[one.key],
      colour: one.colour,
      values: values[one.key],
    })),
  }
  const rows = stats.perMember.length
  const size = rows <= 3 ? 's' : rows <= 8 ? 'm' : 'l'
  return (
    <section class="card stats-section" aria-labelledby="stats-members">
      <h2 id="stats-members">{t('stats.members')}</h2>
      <p class="muted small">{t('stats.members_hint')}</p>
      {rows === 0 ? (
        <p class="muted">{t('stats.no_members')}</p>
      ) : (
        <>
          <ul class="chart-legend">
            {MEMBER_SERIES.map((one) => (
              <li>
                <span class={`swatch swatch-${one.key}`} aria-hidden="true" />
                {label[one.key]}
              </li>
            ))}
          </ul>
          <Chart spec={spec} label={t('stats.chart_members')} class={`chart-members-${size}`} />
          <details class="chart-table">
            <summary>{t('stats.show_table')}</summary>
            <div
              class="table-scroll"
              tabindex={0}
              role="region"
              aria-label={`${t('stats.members')}: ${t('stats.show_table')}`}
            >
              <table class="members-table">
                <caption class="sr-only">{t('stats.members')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('stats.member')}</th>
                    <th scope="col" class="num">
                      {t('stats.assigned_now')}
                    </th>
                    <th scope="col" class="num">
                      {t('stats.answers')}
                    </th>
                    <th scope="col" class="num">
                      {t('stats.member_first_response')}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {stats.perMember.map((one) => (
                    <tr>
                      <th scope="row">
                        <bdi>{one.name}</bdi>
                      </th>
                      <td class="num">{numbers.format(one.assignedNow)}</td>
                      <td class="num">{numbers.format(one.answers)}</td>
                      <td class="num">
                        {one.firstResponse.median === null
                          ? '—'
                          : `${hoursText(one.firstResponse.median, locale)} (${t('stats.count', {
                              count: numbers.format(one.firstResponse.count),
                            })})`}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </details>
        </>
      )}
    </section>
  )
}

/** 満足度: the period's average rating and how many boards got each score. */
function Ratings(props: StatisticsPageProps) {
  const { t, stats, locale } = props
  const numbers = numberFormat(locale)
  const { ratings } = stats
  const average = new Intl.NumberFormat(locale === 'ja' ? 'ja-JP' : 'en-US', {
    minimumFractionDigits: 2,
    maximumFractionDigits: 2,
  })
  const scores = [1, 2, 3, 4, 5] as const
  const spec: ChartSpec = {
    kind: 'columns',
    locale: locale === 'ja' ? 'ja-JP' : 'en-US',
    labels: scores.map((score) => t('stats.score_n', { score })),
    series: [{ label: t('stats.boards'), colour: '#b45309', values: [...ratings.distribution] }],
  }
  return (
    <section class="card stats-section" aria-labelledby="stats-ratings">
      <h2 id="stats-ratings">{t('stats.ratings')}</h2>
      <p class="muted small">{t('stats.ratings_hint')}</p>
      {ratings.count === 0 ? (
        <p class="muted">{t('stats.ratings_none')}</p>
      ) : (
        <>
          <dl class="figures">
            <div>
              <dt>{t('stats.average')}</dt>
              <dd>{average.format(ratings.average!)}</dd>
            </div>
            <div>
              <dt class="sr-only">{t('stats.boards')}</dt>
              <dd class="muted small">
                {t('stats.count', { count: numbers.format(ratings.count) })}
              </dd>
            </div>
          </dl>
          <Chart spec={spec} label={t('stats.chart_ratings')} class="chart-ratings" />
          <details class="chart-table">
            <summary>{t('stats.show_table')}</summary>
            <table>
              <caption class="sr-only">{t('stats.ratings')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('stats.score')}</th>
                  <th scope="col" class="num">
                    {t('stats.boards')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {scores.map((score, index) => (
                  <tr>
                    <th scope="row">{t('stats.score_n', { score })}</th>
                    <td class="num">{numbers.format(ratings.distribution[index]!)}</td>
                  </tr>
                ))}
              </tbody>
              <tfoot>
                <tr>
                  <th scope="row">{t('stats.total')}</th>
                  <td class="num">{numbers.format(ratings.count)}</td>
                </tr>
              </tfoot>
            </table>
          </details>
        </>
      )}
    </section>
  )
}
