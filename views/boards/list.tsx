import { withoutBidiControls } from '../../src/shared/validation'
import type { BoardStatus, Locale } from '../../src/db/schema'
import { BOARD_WARNINGS, type BoardWarning } from '../../src/boards/boards.repository'
import { BOARD_STATUSES } from '../../src/boards/boards.rules'
import { boardListItemKey, type BoardListItem } from '../../src/boards/boards.view-model'
import type { SignedInView } from '../../src/auth/auth.view-model'
import { type Translate } from '../../src/shared/i18n'
import { statusLabel } from '../../src/boards/boards.labels'
import { formatCalendarDate, formatDate, formatDateTime } from '../../src/shared/time'
import { Markers, StatusBadge } from '../components'
import { GuestEmailWarningLines } from '../inbound/email-health'
import { MemberLayout, type PageProps } from '../layout'
import { fragmentCache, modelKey } from '../fragments'
import type { SearchProblem } from '../../src/search/search.query'
import { RatingBadge } from '../ratings/rating'
import { TagChips } from '../tags/chips'
import { BulkBar, type BulkOptions } from '../tags/bulk'
import type { MatchSnippet } from '../../src/search/search.snippets'
import type { ViewTab } from '../../src/saved-views/saved-views.usecases'
import { sameQuery, VIEW_NAME_MAX } from '../../src/saved-views/saved-views.rules'
import { roleAtLeast } from '../../src/auth/auth.middleware'
import type { FieldProblem } from '../../src/shared/errors'
import { CsrfField } from '../components'

export interface BoardListFilters {
  status?: BoardStatus
  q?: string
  sort: 'activity' | 'next_contact'
  due: boolean
  warning?: BoardWarning
  cursor?: string
}

interface ListProps extends PageProps {
  auth: SignedInView
  boards: BoardListItem[]
  nextCursor?: string
  today: string
  now: number
  filters: BoardListFilters
  labels: Record<string, string>
  paged: boolean
  /** the owner just deleted a board (?deleted=1) */
  deleted?: boolean
  /** why the search can't run (shown instead of an empty list) */
  problems: SearchProblem[]
  /** for a search with words: each found board's best matching message, by board id */
  snippets?: Map<string, MatchSnippet>
  /** the view tabs with their counts (the full page only) */
  tabs?: ViewTab[]
  /** the "save this search" form reopened with what was wrong */
  viewForm?: ViewFormState
  /** the bulk bar's choices and the last bulk action's summary (absent: no bulk bar) */
  bulk?: BulkOptions
}

/** What the "save this search" form was sent with, and its problems. */
export interface ViewFormState {
  name: string
  shared: boolean
  problems: FieldProblem[]
}

const tabName = (t: Translate, tab: ViewTab) => (tab.kind === 'built-in' ? t(tab.label) : tab.name)

/**
 * The tabs above the list: すべて, the built-in views, shared and personal views, each with its
 * count (— when its search can't run any more). A row of links that scrolls sideways on a phone.
 */
export function ViewTabs(
  props: Pick<ListProps, 't' | 'auth' | 'filters' | 'tabs'> & Partial<ListProps>,
) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}/boards`
  const tabs = props.tabs ?? []
  const plain =
    !props.filters.status && !props.filters.due && !props.filters.warning && !props.filters.cursor
  const active = plain ? tabs.find((tab) => sameQuery(props.filters.q, tab.query)) : undefined
  return (
    <nav
      class="view-tabs"
      aria-label={t('views.label')}
      id="view-tabs"
      {...(tabs.some((tab) => tab.count === undefined)
        ? {
            'hx-get': `/w/${auth.workspace.slug}/views/counts${query(props.filters)}`,
            'hx-trigger': 'load',
            'hx-swap': 'outerHTML',
          }
        : {})}
    >
      <ul>
        <li>
          <a href={base} aria-current={plain && !props.filters.q ? 'page' : undefined}>
            {t('views.all')}
          </a>
        </li>
        {tabs.map((tab) => (
          <li class={tab.kind === 'built-in' ? undefined : `view-${tab.kind}`}>
            <a
              href={`${base}?q=${encodeURIComponent(tab.query)}`}
              aria-current={tab === active ? 'page' : undefined}
              title={tab.query}
            >
              <bdi>{tabName(t, tab)}</bdi>
              {tab.kind === 'shared' ? (
                <span class="view-shared-mark">{t('views.shared_mark')}</span>
              ) : null}
              {tab.count === undefined ? null : (
                <span class="tab-count">
                  {tab.count === null ? '—' : tab.count}
                  <span class="sr-only">{t('views.count_unit')}</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
      {active && active.kind !== 'built-in' && active.canManage ? (
        <ManageView {...props} view={active} />
      ) : null}
    </nav>
  )
}

/** Rename or delete the open saved view (its owner; admins for shared views). */
function ManageView(
  props: Pick<ListProps, 't' | 'auth'> & { view: Extract<ViewTab, { id: string }> },
) {
  const { t, auth, view } = props
  const action = `/w/${auth.workspace.slug}/views/${view.id}`
  return (
    <details class="view-manage">
      <summary>{t('views.manage', { name: view.name })}</summary>
      <form method="post" action={action} class="view-rename">
        <CsrfField token={auth.csrfToken} />
        <label>
          {t('views.name')}
          <input name="name" value={view.name} maxlength={VIEW_NAME_MAX} required />
        </label>
        <button type="submit">{t('views.rename')}</button>
      </form>
      <form method="post" action={`${action}/delete`}>
        <CsrfField token={auth.csrfToken} />
        <button type="submit" class="danger-outline">
          {t('views.delete')}
        </button>
      </form>
    </details>
  )
}

/** "Save this search": under the search, for the search now in the box (it moves with htmx). */
function SaveView(props: ListProps) {
  const { t, auth } = props
  const form = props.viewForm
  const problem = (field: string) => form?.problems.find((p) => p.field === field)
  const nameProblem = problem('name')
  const queryProblem = problem('q')
  return (
    <details class="save-view" open={form ? true : undefined}>
      <summary>{t('views.save')}</summary>
      <form method="post" action={`/w/${auth.workspace.slug}/views`} class="save-view-form">
        <CsrfField token={auth.csrfToken} />
        <input type="hidden" name="q" value={props.filters.q ?? ''} />
        <label>
          {t('views.name')}
          <input
            name="name"
            value={form?.name ?? ''}
            maxlength={VIEW_NAME_MAX}
            required
            aria-invalid={nameProblem ? 'true' : undefined}
            aria-describedby={nameProblem ? 'save-view-name-problem' : undefined}
          />
        </label>
        {nameProblem ? (
          <p id="save-view-name-problem" class="field-error">
            {t(nameProblem.problem, nameProblem.params)}
          </p>
        ) : null}
        {queryProblem ? (
          <p class="field-error">{t(queryProblem.problem, queryProblem.params)}</p>
        ) : null}
        {roleAtLeast(auth.member.role, 'admin') ? (
          <label class="check">
            <input type="checkbox" name="shared" value="1" checked={form?.shared} />{' '}
            {t('views.shared')}
          </label>
        ) : null}
        <button type="submit" class="primary">
          {t('views.save_button')}
        </button>
      </form>
    </details>
  )
}

/**
 * The message that matched, under a found board: who wrote it (No. or 社内メモ) and a window of
 * its text with the words in <mark>. Every part is text, escaped by JSX.
 */
function MatchedMessage({
  t,
  href,
  snippet,
}: {
  t: Translate
  href: string
  snippet: MatchSnippet
}) {
  const label = snippet.internal
    ? t('board.internal_note')
    : snippet.no !== null
      ? `No.${snippet.no}`
      : t('search.snippet_message')
  return (
    <a class={`match-snippet${snippet.internal ? ' is-internal' : ''}`} href={href}>
      <span class="match-who">
        {label} <bdi>{snippet.authorName}</bdi>
        {t('search.snippet_colon')}
      </span>
      <span class="match-text" dir="auto">
        {snippet.parts.map((part) => (part.mark ? <mark>{part.text}</mark> : part.text))}
      </span>
    </a>
  )
}

/** The search's problems, each with its hint, in the member's language. */
function SearchProblems({ t, problems }: { t: Translate; problems: SearchProblem[] }) {
  return (
    <div class="notice error search-problems" role="alert">
      <p>
        <strong>{t('search.problems')}</strong>
      </p>
      <ul>
        {problems.map((problem) => (
          <li>
            {t(problem.code, { term: problem.term, hint: problem.hint ?? '' })}
            {problem.code === 'search.unknown_operator' && problem.hint
              ? ` ${t('search.did_you_mean', { hint: problem.hint })}`
              : ''}
          </li>
        ))}
      </ul>
    </div>
  )
}

/** The syntax, one line per kind of condition (a popover that needs no script). */
function SearchHelp({ t }: { t: Translate }) {
  return (
    <details class="search-help">
      <summary>{t('search.help')}</summary>
      <ul>
        <li>{t('search.help_words')}</li>
        <li>{t('search.help_status')}</li>
        <li>{t('search.help_assignee')}</li>
        <li>{t('search.help_tags')}</li>
        <li>{t('search.help_dates')}</li>
        <li>{t('search.help_is')}</li>
        <li>{t('search.help_views')}</li>
      </ul>
    </details>
  )
}

function query(filters: BoardListFilters, extra: Record<string, string> = {}) {
  const params = new URLSearchParams()
  if (filters.status) params.set('status', filters.status)
  if (filters.q) params.set('q', filters.q)
  if (filters.sort !== 'activity') params.set('sort', filters.sort)
  if (filters.due) params.set('due', '1')
  if (filters.warning) params.set('warning', filters.warning)
  for (const [key, value] of Object.entries(extra)) params.set(key, value)
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** One row of the board list: renders its view model (src/boards/boards.view-model.ts). */
function BoardRow(props: ListProps & { board: BoardListItem; snippet?: MatchSnippet }) {
  const { t, auth, locale, board, snippet } = props
  const base = `/w/${auth.workspace.slug}/boards`
  const tz = auth.workspace.timeZone
  const urgency = board.urgency
  return (
    <tr class={`board-row ${board.unread ? 'is-unread' : ''}`} data-board-id={board.id}>
      <td class="col-markers">
        <input
          type="checkbox"
          class="bulk-pick"
          name="ids"
          value={board.id}
          form="bulk-form"
          aria-label={t('bulk.select', { name: withoutBidiControls(board.name) })}
        />
        <Markers t={t} unread={board.unread} unanswered={board.unanswered} />
      </td>
      <td class="col-status">
        <StatusBadge t={t} status={board.status} labels={props.labels} />
        {board.expired ? (
          <span class="badge badge-expired">{t('boards.warning.expired')}</span>
        ) : null}
        <RatingBadge t={t} locale={locale} score={board.ratingScore} />
      </td>
      <td class="col-name">
        <a href={`${base}/${board.id}`}>
          <bdi>{board.name}</bdi>
        </a>
        {board.dedupeKey ? <bdi class="muted small key">{board.dedupeKey}</bdi> : null}
        <TagChips t={t} tags={board.tags} category={board.categoryName} />
        <GuestEmailWarningLines
          t={t}
          health={{ problem: board.emailProblem, unreadDays: board.unreadDays }}
          compact
        />
        {snippet ? (
          <MatchedMessage t={t} href={`${base}/${board.id}#m-${snippet.seq}`} snippet={snippet} />
        ) : null}
      </td>
      <td class="col-customer">
        <bdi>{board.customerName}</bdi>
        {board.assigneeName ? (
          <span class="muted small assignee">
            {t('boards.assignee_short', { name: '' })}
            <bdi>{board.assigneeName}</bdi>
          </span>
        ) : null}
        <bdi class="muted small">{board.customerEmail}</bdi>
      </td>
      <td
        class={`col-contact contact-${urgency}`}
        data-label={`${t('boards.col.next_contact')}${locale === 'ja' ? '：' : ': '}`}
      >
        {board.nextContactOn ? (
          <>
            {formatCalendarDate(board.nextContactOn, locale as Locale)}
            {board.nextContactTime ? ` ${board.nextContactTime}` : ''}
            {urgency === 'overdue' ? <span class="pill overdue">{t('boards.overdue')}</span> : null}
            {urgency === 'today' ? <span class="pill today">{t('boards.today')}</span> : null}
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="col-expires">{formatDate(board.expiresAt, tz, locale)}</td>
      <td class="col-activity">{formatDateTime(board.lastActivityAt, tz, locale)}</td>
    </tr>
  )
}

/** The table and its paging: the htmx fragment the filters swap in. */
export function BoardTable(props: ListProps) {
  const { t, auth, locale } = props
  const base = `/w/${auth.workspace.slug}/boards`
  const tz = auth.workspace.timeZone
  // the same for every row: worked out once per table
  const statusLabels = modelKey(props.labels)
  return (
    <section id="board-table" class="board-table">
      {props.filters.q &&
      (props.problems.length === 0 || props.viewForm) &&
      !props.tabs?.some(
        (tab) => tab.kind !== 'built-in' && sameQuery(props.filters.q, tab.query),
      ) ? (
        <SaveView {...props} />
      ) : null}
      {props.bulk?.summary ? (
        <p class="alert info bulk-summary" role="status">
          ✓ {props.bulk.summary}
        </p>
      ) : null}
      {props.bulk && props.problems.length === 0 && props.boards.length > 0 ? (
        <BulkBar
          t={t}
          auth={auth}
          bulk={props.bulk}
          filters={query(props.filters).replace(/^\?/, '')}
          labels={props.labels}
        />
      ) : null}
      {props.problems.length > 0 ? (
        <SearchProblems t={t} problems={props.problems} />
      ) : props.boards.length === 0 ? (
        <p class="empty">{t('boards.empty')}</p>
      ) : (
        <table class="boards">
          <thead>
            <tr>
              <th class="col-markers">
                <span class="sr-only">{`${t('bulk.selected')} / ${t('boards.unread')}`}</span>
              </th>
              <th>{t('boards.col.status')}</th>
              <th>{t('boards.col.name')}</th>
              <th>{t('boards.col.customer')}</th>
              <th>{t('boards.col.next_contact')}</th>
              <th>{t('boards.col.expires')}</th>
              <th>{t('boards.col.activity')}</th>
            </tr>
          </thead>
          <tbody>
            {props.boards.map((board) => {
              // a matched message belongs to this search only: such rows are never kept
              const snippet = props.snippets?.get(board.id)
              if (snippet) return <BoardRow {...props} board={board} snippet={snippet} />
              // the view model holds everything the row shows, clock-derived state included
              const key = boardListItemKey(board, {
                locale,
                timeZone: tz,
                base,
                statusLabels,
              })
              return fragmentCache.render(key, () => <BoardRow {...props} board={board} />)
            })}
          </tbody>
        </table>
      )}
      {props.paged || props.nextCursor ? (
        <nav class="pager">
          {props.paged ? (
            <a href={`${base}${query(props.filters)}`}>{t('boards.first_page')}</a>
          ) : (
            <span />
          )}
          {props.nextCursor ? (
            <a href={`${base}${query(props.filters, { cursor: props.nextCursor })}`} rel="next">
              {t('boards.next_page')} →
            </a>
          ) : null}
        </nav>
      ) : null}
    </section>
  )
}

export function BoardListPage(props: ListProps) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}/boards`
  return (
    <MemberLayout t={t} locale={props.locale} auth={auth} title={t('boards.title')} active="boards">
      <div class="page-head">
        <h1>{t('boards.title')}</h1>
        <a class="button primary" href={`${base}/new`}>
          ＋ {t('boards.new')}
        </a>
      </div>
      <ViewTabs {...props} />
      {props.deleted ? (
        <p class="alert info" role="status">
          {t('boards.deleted')}
        </p>
      ) : null}
      <form
        class="filters"
        method="get"
        action={base}
        hx-get={base}
        hx-target="#board-table"
        hx-swap="outerHTML"
        hx-push-url="true"
        hx-trigger="input changed delay:300ms from:input[name=q], change from:select.list-filter, change from:input[name=due]"
      >
        <input
          type="search"
          name="q"
          value={props.filters.q ?? ''}
          placeholder={t('boards.search')}
          aria-label={t('boards.search')}
        />
        <label>
          <span class="sr-only">{t('boards.filter_status')}</span>
          <select name="status" class="list-filter">
            <option value="">{`${t('boards.filter_status')}: ${t('status.all')}`}</option>
            {BOARD_STATUSES.map((status) => (
              <option value={status} selected={props.filters.status === status}>
                {statusLabel(t, status, props.labels)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <span class="sr-only">{t('boards.sort')}</span>
          <select name="sort" class="list-filter">
            <option value="activity" selected={props.filters.sort === 'activity'}>
              {t('boards.sort.activity')}
            </option>
            <option value="next_contact" selected={props.filters.sort === 'next_contact'}>
              {t('boards.sort.next_contact')}
            </option>
          </select>
        </label>
        <label>
          <span class="sr-only">{t('boards.warning')}</span>
          <select name="warning" class="list-filter">
            <option value="">{`${t('boards.warning')}: ${t('boards.warning.all')}`}</option>
            {BOARD_WARNINGS.map((warning) => (
              <option value={warning} selected={props.filters.warning === warning}>
                {`${t('boards.warning')}: ${t(`boards.warning.${warning}`)}`}
              </option>
            ))}
          </select>
        </label>
        <label class="check">
          <input type="checkbox" name="due" value="1" checked={props.filters.due} />{' '}
          {t('boards.due')}
        </label>
        <noscript>
          <button type="submit">{t('boards.search_button')}</button>
        </noscript>
      </form>
      <SearchHelp t={t} />
      <BoardTable {...props} />
    </MemberLayout>
  )
}

export type { Translate }
