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
