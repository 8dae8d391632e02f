// The search box's text to a list filter, for the members' list and the API alike.
import type { Deps } from '../deps'
import type { BoardSearch } from './search.filter'
import { resolveSearch } from './search.filter'
import { parseSearch, type SearchProblem } from './search.query'

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (char) => `\\${char}`)

/**
 * Parses and resolves a search for one workspace (see search.query.ts for the syntax), looking
 * up `assignee:@name` among the workspace's members (the start of a name or an email).
 * `{ ok: false, problems }` when it can't run; show each problem (`search.*` messages) rather
 * than an empty list.
 */
export async function searchFor(
  deps: Pick<Deps, 'db'>,
  text: string,
  context: Omit<Parameters<typeof resolveSearch>[1], 'assignee'>,
): Promise<{ ok: true; search: BoardSearch } | { ok: false; problems: SearchProblem[] }> {
  const parsed = parseSearch(text)
  if (!parsed.ok) return parsed
  const wanted = parsed.query.assignee
  let assignee: BoardSearch['assignee']
  if (wanted?.kind === 'none') assignee = { kind: 'none' }
  else if (wanted?.kind === 'me') {
    if (!context.memberId)
      return { ok: false, problems: [{ code: 'search.not_here', term: 'assignee:me' }] }
    assignee = { kind: 'members', ids: [context.memberId] }
  } else if (wanted?.kind === 'member') {
    const start = `${escapeLike(wanted.handle)}%`
    const members = await deps.db
      .selectFrom('members')
      .select('id')
      .where('workspace_id', '=', context.workspaceId)
      .where((eb) =>
        eb.or([
          eb('name', 'like', eb.val(start)),
          eb('email', 'like', eb.val(start)),
          // a family name typed without the given name: 佐藤 finds 佐藤 彩
          eb('name', 'like', eb.val(`% ${start}`)),
        ]),
      )
      .limit(20)
      .execute()
    if (members.length === 0)
      return {
        ok: false,
        problems: [{ code: 'search.unknown_member', term: `assignee:@${wanted.handle}` }],
      }
    assignee = { kind: 'members', ids: members.map((member) => member.id) }
  }
  return resolveSearch(parsed.query, { ...context, assignee })
}
