import type { BoardStatus, Locale } from '../../src/db/schema'
import {
  BOARD_WARNINGS,
  type BoardListRow,
  type BoardWarning,
} from '../../src/boards/boards.repository'
import {
  BOARD_STATUSES,
  contactUrgency,
  hasUnread,
  isExpired,
  isUnanswered,
} from '../../src/boards/boards.rules'
import type { SignedInMember } from '../../src/http'
import { statusLabel, type Translate } from '../../src/shared/i18n'
import { formatCalendarDate, formatDate, formatDateTime } from '../../src/shared/time'
import { Markers, StatusBadge } from '../components'
import { GuestEmailWarnings } from '../inbound/email-health'
import { MemberLayout, type PageProps } from '../layout'
import { fragmentCache, rowKey } from '../fragments'
import { guestEmailHealth } from '../../src/inbound/inbound.health'
import type { SearchProblem } from '../../src/search/search.query'
import { RatingBadge } from '../ratings/rating'
import { TagChips, tagsFromList } from '../tags/chips'

export interface BoardListFilters {
  status?: BoardStatus
  q?: string
  sort: 'activity' | 'next_contact'
  due: boolean
  warning?: BoardWarning
}

interface ListProps extends PageProps {
  auth: SignedInMember
  boards: BoardListRow[]
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

/** One row of the board list. */
function BoardListItem(props: ListProps & { board: BoardListRow }) {
  const { t, auth, locale, board } = props
  const base = `/w/${auth.workspace.slug}/boards`
  const tz = auth.workspace.time_zone
  const urgency = contactUrgency(board.next_contact_on, board.status, props.today)
  const unread = hasUnread(board.message_seq, board.read_seq)
  return (
    <tr class={`board-row ${unread ? 'is-unread' : ''}`} data-board-id={board.id}>
      <td class="col-markers">
        <Markers t={t} unread={unread} unanswered={isUnanswered(board.last_public_author)} />
      </td>
      <td class="col-status">
        <StatusBadge t={t} status={board.status} labels={props.labels} />
        {isExpired(board.expires_at, props.now) ? (
          <span class="badge badge-expired">{t('boards.warning.expired')}</span>
        ) : null}
        <RatingBadge t={t} locale={locale} score={board.rating_score} />
      </td>
      <td class="col-name">
        <a href={`${base}/${board.id}`}>
          <bdi>{board.name}</bdi>
        </a>
        {board.dedupe_key ? <bdi class="muted small key">{board.dedupe_key}</bdi> : null}
        <TagChips t={t} tags={tagsFromList(board.tag_list)} category={board.category_name} />
        <GuestEmailWarnings
          t={t}
          board={board}
          now={props.now}
          unreadWarningDays={auth.workspace.unread_warning_days}
          compact
        />
      </td>
      <td class="col-customer">
        <bdi>{board.customer_name}</bdi>
        {board.assignee_name ? (
          <span class="muted small assignee">
            {t('boards.assignee_short', { name: '' })}
            <bdi>{board.assignee_name}</bdi>
          </span>
        ) : null}
        <bdi class="muted small">{board.customer_email}</bdi>
      </td>
      <td
        class={`col-contact contact-${urgency}`}
        data-label={`${t('boards.col.next_contact')}${locale === 'ja' ? '：' : ': '}`}
      >
        {board.next_contact_on ? (
          <>
            {formatCalendarDate(board.next_contact_on, locale as Locale)}
            {board.next_contact_time ? ` ${board.next_contact_time}` : ''}
            {urgency === 'overdue' ? <span class="pill overdue">{t('boards.overdue')}</span> : null}
            {urgency === 'today' ? <span class="pill today">{t('boards.today')}</span> : null}
          </>
        ) : (
          <span class="muted">—</span>
        )}
      </td>
      <td class="col-expires">{formatDate(board.expires_at, tz, locale)}</td>
      <td class="col-activity">{formatDateTime(board.last_activity_at, tz, locale)}</td>
    </tr>
  )
}

/** The table and its paging: the htmx fragment the filters swap in. */
export function BoardTable(props: ListProps) {
  const { t, auth, locale } = props
  const base = `/w/${auth.workspace.slug}/boards`
  const tz = auth.workspace.time_zone
  return (
    <section id="board-table" class="board-table">
      {props.problems.length > 0 ? (
        <SearchProblems t={t} problems={props.problems} />
      ) : props.boards.length === 0 ? (
        <p class="empty">{t('boards.empty')}</p>
      ) : (
        <table class="boards">
          <thead>
            <tr>
              <th class="col-markers">
                <span class="sr-only">{t('boards.unread')}</span>
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
              // The row's markup depends on the row, the viewer, today's date and (through the
              // unread-for-days warning) the clock: all of it goes into the key.
              const health = guestEmailHealth(board, props.now, auth.workspace.unread_warning_days)
              const expired = isExpired(board.expires_at, props.now)
              const key = `board-row|${locale}|${tz}|${base}|${props.today}|${auth.workspace.status_labels}|${health.problem}|${health.unreadDays}|${expired}${rowKey(board)}`
              return fragmentCache.render(key, () => <BoardListItem {...props} board={board} />)
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
        hx-trigger="input changed delay:300ms from:input[name=q], change"
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
          <select name="status">
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
          <select name="sort">
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
          <select name="warning">
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
