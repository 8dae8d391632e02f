// The search box's text to a list filter, for the members' list and the API alike.
import type { Deps } from '../deps'
import type { BoardSearch } from './search.filter'
import { resolveSearch } from './search.filter'
import { parseSearch, type SearchProblem } from './search.query'
import { nameKey } from '../tags/tags.rules'

const escapeLike = (value: string) => value.replace(/[\\%_]/g, (char) => `\\${char}`)

/**
 * Parses and resolves a search for one workspace (see search.query.ts for the syntax), looking
 * up `assignee:@name` among the workspace's members (the start of a name or an email), and
 * `#tag` / `category:` among its tags and categories (NFKC, case-insensitive).
 * `{ ok: false, problems }` when it can't run; show each problem (`search.*` messages) rather
 * than an empty list.
 */
export async function searchFor(
  deps: Pick<Deps, 'db'>,
  text: string,
  context: Omit<Parameters<typeof resolveSearch>[1], 'assignee' | 'tags' | 'category'>,
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
  // #tags and category: name things of this workspace; a name it doesn't have is a problem to
  // show (with the names it has), never a silent empty list
  const problems: SearchProblem[] = []
  let tags: { tagIds: string[]; notTagIds: string[] } | undefined
  if (parsed.query.tags.length + parsed.query.notTags.length > 0) {
    const wantedKeys = [...parsed.query.tags, ...parsed.query.notTags].map(nameKey)
    const found = await deps.db
      .selectFrom('tags')
      .select(['id', 'name_key'])
      .where('workspace_id', '=', context.workspaceId)
      .where('name_key', 'in', wantedKeys)
      .execute()
    const idOf = new Map(found.map((tag) => [tag.name_key, tag.id]))
    const look = (names: string[], sign: string) =>
      names.flatMap((name) => {
        const id = idOf.get(nameKey(name))
        if (!id) problems.push({ code: 'search.unknown_tag', term: `${sign}#${name}` })
        return id ? [id] : []
      })
    tags = { tagIds: look(parsed.query.tags, ''), notTagIds: look(parsed.query.notTags, '-') }
    if (problems.length > 0) {
      const names = await deps.db
        .selectFrom('tags')
        .select('name')
        .where('workspace_id', '=', context.workspaceId)
        .orderBy('name_key')
        .limit(10)
        .execute()
      for (const problem of problems) {
        // none at all: say so, and where they come from, instead of an empty list
        if (names.length === 0) problem.code = 'search.no_tags'
        else problem.hint = names.map((tag) => `#${tag.name}`).join(' ')
      }
    }
  }
  let category: BoardSearch['category']
  const wantedCategory = parsed.query.category
  if (wantedCategory?.kind === 'none') category = { kind: 'none' }
  else if (wantedCategory?.kind === 'name') {
    const all = await deps.db
      .selectFrom('categories')
      .select(['id', 'name', 'name_key'])
      .where('workspace_id', '=', context.workspaceId)
      .orderBy('position')
      .execute()
    const found = all.find((row) => row.name_key === nameKey(wantedCategory.name))
    if (found) category = { kind: 'id', id: found.id }
    else
      problems.push(
        all.length === 0
          ? { code: 'search.no_categories', term: `category:${wantedCategory.name}` }
          : {
              code: 'search.unknown_category',
              term: `category:${wantedCategory.name}`,
              hint: all.map((row) => row.name).join(', '),
            },
      )
  }
  if (problems.length > 0) return { ok: false, problems }
  return resolveSearch(parsed.query, { ...context, assignee, tags, category })
}
