import type { BoardStatus } from '../db/schema'
import type { Translate } from '../shared/i18n'

/**
 * A workspace's own names for the statuses (`workspaces.status_labels`, a JSON object from
 * status to label); a missing or unreadable column means the standard names.
 */
export function statusLabels(json: string): Record<string, string> {
  try {
    const parsed = JSON.parse(json) as unknown
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {}
  } catch {
    return {}
  }
}

/**
 * A status's name as people read it: the workspace's own label (`statusLabels`) when it set one,
 * else the standard name in the reader's language (i18n `status.*`).
 */
export function statusLabel(
  t: Translate,
  status: BoardStatus,
  overrides: Record<string, string> = {},
) {
  return overrides[status] ?? t(`status.${status}`)
}
