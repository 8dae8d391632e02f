// The built-in views above the board list (issue #17.5). Each is a search in the list's own
// syntax (src/search/search.query.ts), so its tab is just that search, and its count is the
// list's own filter counted.
import type { MessageKey } from '../shared/i18n'

export interface BuiltInView {
  key: 'mine' | 'unassigned' | 'attention' | 'today'
  /** the tab's label */
  label: MessageKey
  /** the search it runs */
  query: string
}

/**
 * 自分の担当 and 未割り当て count open work only (done and closed boards are out); 要対応 is a
 * board whose latest public message is the customer's and no member has answered yet, still
 * open (is:unanswered: the orange marker); 今日の連絡 is a next contact date today or overdue on
 * an open board (next:due, the daily digest's rule).
 */
export const BUILT_IN_VIEWS: readonly BuiltInView[] = [
  { key: 'mine', label: 'views.mine', query: 'assignee:me -status:done -status:closed' },
  {
    key: 'unassigned',
    label: 'views.unassigned',
    query: 'assignee:none -status:done -status:closed',
  },
  { key: 'attention', label: 'views.attention', query: 'is:unanswered' },
  { key: 'today', label: 'views.today', query: 'next:due' },
]

/** How many personal views one member, and how many shared views one workspace, may keep. */
export const MAX_VIEWS = 30

/** Longest view name, in characters. */
export const VIEW_NAME_MAX = 40

/** The same search however it was spaced: tabs compare a list's `q` with a view's query. */
export const sameQuery = (a: string | undefined, b: string) =>
  (a ?? '').normalize('NFKC').trim().split(/\s+/).join(' ') ===
  b.normalize('NFKC').trim().split(/\s+/).join(' ')
