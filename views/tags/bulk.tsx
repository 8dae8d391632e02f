import type { SignedInView } from '../../src/auth/auth.view-model'
import type { Translate } from '../../src/shared/i18n'
import { BOARD_STATUSES } from '../../src/boards/boards.rules'
import { statusLabel } from '../../src/boards/boards.labels'
import { withoutBidiControls } from '../../src/shared/validation'
import { CsrfField } from '../components'

/** What the list's bulk form offers (src/boards/boards.routes.tsx, bulkOptions). */
export interface BulkOptions {
  members: { id: string; name: string }[]
  categories: { id: string; name: string }[]
  tagNames: string[]
  /**
   * whether "all N matching" is offered (some filter is on): the bar asks
   * GET /w/:slug/boards/matching for it once the list has loaded
   */
  countable: boolean
  max: number
  /** what the last bulk action changed */
  summary?: string
}

/**
 * "All N matching" for the bulk bar (nothing when no board matches): every board the list's
 * filters match, counted up to `max` + 1.
 */
export function BulkAllMatching(props: { t: Translate; count: number; max: number }) {
  if (props.count === 0) return <span />
  return (
    <label class="check">
      <input type="checkbox" name="all" value="1" />{' '}
      {props.count === 1
        ? props.t('bulk.all_matching_one')
        : props.t('bulk.all_matching', {
            n: props.count > props.max ? `${props.max}+` : props.count,
          })}
    </label>
  )
}

/**
 * The bulk bar above the list (issue #17.6): rows are ticked with their own checkboxes (which
 * belong to this form through `form="bulk-form"`), or "all N matching" takes every board the
 * filters match. One action with its value, then 実行する. No script needed.
 */
export function BulkBar(props: {
  t: Translate
  auth: SignedInView
  bulk: BulkOptions
  /** the list's filters as a query string (without cursor) */
  filters: string
  labels: Record<string, string>
}) {
  const { t, auth, bulk } = props
  return (
    <form
      id="bulk-form"
      class="bulk-bar"
      method="post"
      action={`/w/${auth.workspace.slug}/boards/bulk`}
      aria-labelledby="bulk-title"
    >
      <CsrfField token={auth.csrfToken} />
      <input type="hidden" name="filters" value={props.filters} />
      <p id="bulk-title" class="bulk-title">
        {t('bulk.action')}
      </p>
      {bulk.countable ? (
        <span
          hx-get={`/w/${auth.workspace.slug}/boards/matching?${props.filters}`}
          hx-trigger="load"
          hx-swap="outerHTML"
        />
      ) : null}
      <label>
        <span class="sr-only">{t('bulk.action')}</span>
        <select name="action">
          <option value="assign">{t('bulk.assign')}</option>
          <option value="status">{t('bulk.status')}</option>
          <option value="add_tag">{t('bulk.add_tag')}</option>
          <option value="remove_tag">{t('bulk.remove_tag')}</option>
          <option value="category">{t('bulk.category')}</option>
          <option value="close">{t('bulk.close')}</option>
        </select>
      </label>
      <label>
        <span class="bulk-field-label">{t('board.assignee')}</span>
        <select name="assignee">
          <option value="me">{t('board.assign_me')}</option>
          <option value="none">{t('board.assignee_none')}</option>
          {bulk.members.map((member) => (
            <option value={member.id}>{withoutBidiControls(member.name)}</option>
          ))}
        </select>
      </label>
      <label>
        <span class="bulk-field-label">{t('board.status')}</span>
        <select name="status_to">
          {BOARD_STATUSES.map((status) => (
            <option value={status}>{statusLabel(t, status, props.labels)}</option>
          ))}
        </select>
      </label>
      <label>
        <span class="bulk-field-label">{t('bulk.tag_name')}</span>
        <input name="tag" list="bulk-tag-suggestions" maxlength={200} autocomplete="off" />
        <datalist id="bulk-tag-suggestions">
          {bulk.tagNames.map((name) => (
            <option value={name} />
          ))}
        </datalist>
      </label>
      <label>
        <span class="bulk-field-label">{t('board.category')}</span>
        <select name="category">
          <option value="none">{t('board.category_none')}</option>
          {bulk.categories.map((category) => (
            <option value={category.id}>{withoutBidiControls(category.name)}</option>
          ))}
        </select>
      </label>
      <button type="submit" class="primary small">
        {t('bulk.apply')}
      </button>
    </form>
  )
}
