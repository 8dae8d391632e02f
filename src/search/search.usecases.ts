// The search box's text to a list filter, for the members' list and the API alike.
import type { BoardSearch } from './search.filter'
import { resolveSearch } from './search.filter'
import { parseSearch, type SearchProblem } from './search.query'

/**
 * Parses and resolves a search for one workspace (see search.query.ts for the syntax).
 * `{ ok: false, problems }` when it can't run; show each problem (`search.*` messages) rather
 * than an empty list.
 */
export function searchFor(
  text: string,
  context: Parameters<typeof resolveSearch>[1],
): { ok: true; search: BoardSearch } | { ok: false; problems: SearchProblem[] } {
  const parsed = parseSearch(text)
  if (!parsed.ok) return parsed
  return resolveSearch(parsed.query, context)
}
