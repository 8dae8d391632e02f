// Tags and categories of boards (issue #17): the workspace's lists, putting them on boards
// (side panel, internal notes, API, bulk) and the webhook that announces a board's tag change.
import { sql, type Compilable } from 'kysely'
import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { AppError, validationError } from '../shared/errors'
import { boardNotFound } from '../boards/boards.errors'
import { categoryNotFound, tagNotFound } from './tags.errors'
import type { PostEffect } from '../messages/messages.post'
import { boardEventRows, subscribedEndpoints } from '../webhooks/webhooks.effects'
import { createTagsRepository, type TagRef } from './tags.repository'
import {
  CATEGORIES_PER_WORKSPACE_MAX,
  cleanName,
  isTagColour,
  nameKey,
  TAGS_PER_WORKSPACE_MAX,
  tagsInNote,
} from './tags.rules'

/**
 * Cleans tag names typed by a person or a client (see cleanName). Errors: 422 on `field` for the
 * first bad one, naming it.
 */
export function cleanTagNames(names: readonly string[], field = 'tag'): TagRef[] {
  const out = new Map<string, string>()
  for (const raw of names) {
    const clean = cleanName(raw, 'tag')
    if (!clean.ok)
      throw validationError([{ field, problem: clean.problem, params: { name: raw.slice(0, 40) } }])
    if (!out.has(clean.key)) out.set(clean.key, clean.name)
  }
  return [...out].map(([key, name]) => ({ name, key }))
}

/**
 * `board.tags_changed` for each board whose tags change: `data.board` (id, name, dedupe_key,
 * status), `data.added` and `data.removed` (tag names). Rows select the board, so a board of
 * another workspace announces nothing.
 */
export async function tagsChangedWebhooks({
  deps,
  workspace,
  changes,
  now,
}: {
  deps: Deps
  workspace: Workspace
  changes: { boardId: string; added: string[]; removed: string[] }[]
  now: number
}): Promise<Compilable[]> {
  const real = changes.filter((change) => change.added.length + change.removed.length > 0)
  if (real.length === 0) return []
  const endpointIds = (await subscribedEndpoints(deps, workspace.id))('board.tags_changed')
  return real.flatMap((change) =>
    boardEventRows({
      deps,
      workspaceId: workspace.id,
      endpointIds,
      boardId: change.boardId,
      type: 'board.tags_changed',
      eventId: deps.ids.id(),
      now,
      data: sql<string>`json_object(
        'board', json_object('id', id, 'name', name, 'dedupe_key', dedupe_key, 'status', status),
        'added', json(${JSON.stringify(change.added)}),
        'removed', json(${JSON.stringify(change.removed)}))`,
    }),
  )
}

/**
 * The statements that add and remove tags on boards of the workspace, with their webhooks: tags
 * not in the workspace's list yet are created (grey). `add` and `remove` are clean (cleanTagNames).
 * What changes is read first (the boards' tags now), so `changed` counts boards that gain or
 * lose a tag. Errors: 422 on `tag` when the workspace would go over TAGS_PER_WORKSPACE_MAX.
 */
export async function tagChangeStatements({
  deps,
  workspace,
  boardIds,
  add,
  remove,
  now,
}: {
  deps: Deps
  workspace: Workspace
  boardIds: readonly string[]
  add: readonly TagRef[]
  remove: readonly TagRef[]
  now: number
}): Promise<{ statements: Compilable[]; changed: number; added: string[]; removed: string[] }> {
  const repository = createTagsRepository(deps)
  const removeKeys = remove.map((tag) => tag.key).filter((key) => !add.some((a) => a.key === key))
  const existing = await repository.tagsByKeys(workspace.id, [...add.map((tag) => tag.key)])
  const known = new Map(existing.map((tag) => [tag.name_key, tag.name]))
  const fresh = add.filter((tag) => !known.has(tag.key))
  if (fresh.length > 0) {
    const count = await deps.db
      .selectFrom('tags')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('workspace_id', '=', workspace.id)
      .executeTakeFirstOrThrow()
    if (Number(count.n) + fresh.length > TAGS_PER_WORKSPACE_MAX)
      throw validationError([
        { field: 'tag', problem: 'tags.too_many', params: { max: TAGS_PER_WORKSPACE_MAX } },
      ])
  }
  const current = await repository.tagsOfBoards(workspace.id, boardIds)
  const changes = boardIds.map((boardId) => {
    const has = new Map((current.get(boardId) ?? []).map((tag) => [tag.key, tag.name]))
    return {
      boardId,
      added: add.filter((tag) => !has.has(tag.key)).map((tag) => known.get(tag.key) ?? tag.name),
      removed: removeKeys.filter((key) => has.has(key)).map((key) => has.get(key)!),
    }
  })
  const statements: Compilable[] = []
  if (fresh.length > 0)
    statements.push(
      repository.createTagsQuery(
        workspace.id,
        fresh.map((tag) => ({ ...tag, id: deps.ids.id() })),
        now,
      ),
    )
  if (add.length > 0 && boardIds.length > 0)
    statements.push(
      repository.addToBoardsQuery(
        workspace.id,
        boardIds,
        add.map((tag) => tag.key),
        now,
      ),
    )
  if (removeKeys.length > 0 && boardIds.length > 0)
    statements.push(repository.removeFromBoardsQuery(workspace.id, boardIds, removeKeys))
  statements.push(...(await tagsChangedWebhooks({ deps, workspace, changes, now })))
  return {
    statements,
    changed: changes.filter((change) => change.added.length + change.removed.length > 0).length,
    added: [...new Set(changes.flatMap((change) => change.added))],
    removed: [...new Set(changes.flatMap((change) => change.removed))],
  }
}

/**
 * Adds and removes tags (names as typed) on one board of the workspace, in one batch with its
 * webhook. Errors: 404 for a board not in the workspace; 422 on `tag` for a bad name.
 */
export async function changeBoardTags({
  deps,
  workspace,
  boardId,
  add = [],
  remove = [],
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  add?: readonly string[]
  remove?: readonly string[]
}) {
  const board = await deps.db
    .selectFrom('boards')
    .select('id')
    .where('workspace_id', '=', workspace.id)
    .where('id', '=', boardId)
    .executeTakeFirst()
  if (!board) throw boardNotFound()
  const now = deps.clock.now().getTime()
  const change = await tagChangeStatements({
    deps,
    workspace,
    boardIds: [boardId],
    add: cleanTagNames(add),
    remove: cleanTagNames(remove),
    now,
  })
  if (change.statements.length > 0) await deps.batch(change.statements)
  return change
}

/** A board's tags (name and colour) by name. */
export async function tagsOfBoard(deps: Pick<Deps, 'db'>, workspaceId: string, boardId: string) {
  return (await createTagsRepository(deps).tagsOfBoards(workspaceId, [boardId])).get(boardId) ?? []
}

/**
 * `#tag` in an internal note puts the tag on the board, in the post's batch (tags created on
 * the fly). Only members' and the API's internal notes: customer text and public posts never
 * tag a board.
 */
export const noteTagsEffect: PostEffect = {
  name: 'note-tags',
  statements: async ({ deps, workspace, board, message }) => {
    if (!message.internal || message.authorKind === 'guest') return []
    const tags = tagsInNote(message.body)
    if (tags.length === 0) return []
    const change = await tagChangeStatements({
      deps,
      workspace,
      boardIds: [board.id],
      add: tags,
      remove: [],
      now: message.now,
    }).catch((error: unknown) => {
      // a full tag list leaves the note as it is (the note itself must still be written)
      if (error instanceof AppError && error.status === 422) return undefined
      throw error
    })
    return change?.statements ?? []
  },
}

// ---- the workspace's lists (設定 → タグ) ----

export async function listTags(deps: Pick<Deps, 'db'>, workspace: Workspace) {
  return createTagsRepository(deps).listTags(workspace.id)
}

export async function listCategories(deps: Pick<Deps, 'db'>, workspace: Workspace) {
  return createTagsRepository(deps).listCategories(workspace.id)
}

const nameTaken = (field: string) => validationError([{ field, problem: 'tags.name_taken' }])

/**
 * Renames a tag and/or sets its colour. Errors: 404 for a tag of another workspace; 422 on
 * `name` (bad, or another tag's name: merge instead) or `colour` (not in the palette).
 */
export async function updateTag({
  deps,
  workspace,
  tagId,
  name,
  colour,
}: {
  deps: Deps
  workspace: Workspace
  tagId: string
  name?: string
  colour?: string
}) {
  const repository = createTagsRepository(deps)
  const tag = await repository.findTag(workspace.id, tagId)
  if (!tag) throw tagNotFound()
  const changes: { name?: string; name_key?: string; colour?: string } = {}
  if (name !== undefined) {
    const clean = cleanName(name, 'tag')
    if (!clean.ok) throw validationError([{ field: 'name', problem: clean.problem }])
    if (clean.key !== tag.name_key) {
      const [other] = await repository.tagsByKeys(workspace.id, [clean.key])
      if (other) throw nameTaken('name')
    }
    changes.name = clean.name
    changes.name_key = clean.key
  }
  if (colour !== undefined) {
    if (!isTagColour(colour))
      throw validationError([{ field: 'colour', problem: 'field.invalid_choice' }])
    changes.colour = colour
  }
  if (Object.keys(changes).length === 0) return tag
  try {
    return (await repository.updateTagQuery(workspace.id, tagId, changes).executeTakeFirst()) ?? tag
  } catch (error) {
    if (/UNIQUE/i.test(String(error))) throw nameTaken('name')
    throw error
  }
}

/**
 * Merges tag `tagId` into tag `intoId` (both of this workspace): every board of the first gets
 * the second, then the first is deleted, in one batch. Errors: 404 for either tag not in the
 * workspace; 422 on `into` when both are the same.
 */
export async function mergeTag({
  deps,
  workspace,
  tagId,
  intoId,
}: {
  deps: Deps
  workspace: Workspace
  tagId: string
  intoId: string
}) {
  const repository = createTagsRepository(deps)
  const [from, into] = await Promise.all([
    repository.findTag(workspace.id, tagId),
    repository.findTag(workspace.id, intoId),
  ])
  if (!from || !into) throw tagNotFound()
  if (from.id === into.id)
    throw validationError([{ field: 'into', problem: 'field.invalid_choice' }])
  const now = deps.clock.now().getTime()
  const boards = await deps.db
    .selectFrom('board_tags')
    .select('board_id')
    .where('workspace_id', '=', workspace.id)
    .where('tag_id', '=', from.id)
    .execute()
  await deps.batch(repository.mergeQueries(workspace.id, from.id, into.id, now))
  return { from, into, boards: boards.length }
}

/** Deletes a tag of the workspace (boards lose it). Errors: 404 for another workspace's tag. */
export async function deleteTag({
  deps,
  workspace,
  tagId,
}: {
  deps: Deps
  workspace: Workspace
  tagId: string
}) {
  const deleted = await createTagsRepository(deps)
    .deleteTagQuery(workspace.id, tagId)
    .executeTakeFirst()
  if (!deleted) throw tagNotFound()
}

/** A new category at the end of the list. Errors: 422 on `name` (bad, taken, too many). */
export async function createCategory({
  deps,
  workspace,
  name,
}: {
  deps: Deps
  workspace: Workspace
  name: string
}) {
  const clean = cleanName(name, 'category')
  if (!clean.ok) throw validationError([{ field: 'name', problem: clean.problem }])
  const repository = createTagsRepository(deps)
  const all = await repository.listCategories(workspace.id)
  if (all.length >= CATEGORIES_PER_WORKSPACE_MAX)
    throw validationError([
      { field: 'name', problem: 'tags.too_many', params: { max: CATEGORIES_PER_WORKSPACE_MAX } },
    ])
  const created = await repository
    .createCategoryQuery(
      { id: deps.ids.id(), workspaceId: workspace.id, ...clean },
      deps.clock.now().getTime(),
    )
    .executeTakeFirst()
  if (!created) throw nameTaken('name')
  return created
}

/** Renames a category. Errors: 404 for another workspace's; 422 on `name` (bad or taken). */
export async function renameCategory({
  deps,
  workspace,
  categoryId,
  name,
}: {
  deps: Deps
  workspace: Workspace
  categoryId: string
  name: string
}) {
  const repository = createTagsRepository(deps)
  const category = await repository.findCategory(workspace.id, categoryId)
  if (!category) throw categoryNotFound()
  const clean = cleanName(name, 'category')
  if (!clean.ok) throw validationError([{ field: 'name', problem: clean.problem }])
  const other = await repository.categoryByKey(workspace.id, clean.key)
  if (other && other.id !== category.id) throw nameTaken('name')
  try {
    return await repository.renameCategoryQuery(workspace.id, categoryId, clean).executeTakeFirst()
  } catch (error) {
    if (/UNIQUE/i.test(String(error))) throw nameTaken('name')
    throw error
  }
}

/** Deletes a category; its boards are left without one. Errors: 404 for another workspace's. */
export async function deleteCategory({
  deps,
  workspace,
  categoryId,
}: {
  deps: Deps
  workspace: Workspace
  categoryId: string
}) {
  const deleted = await createTagsRepository(deps)
    .deleteCategoryQuery(workspace.id, categoryId)
    .executeTakeFirst()
  if (!deleted) throw categoryNotFound()
}

/**
 * The category a value names: `none`/null → null; otherwise a category of the workspace by id
 * (`by: 'id'`, the side panel and the bulk form) or by name (`by: 'name'`, the API and search;
 * NFKC, case-insensitive). Errors: 422 on `field` when there is no such category here.
 */
export async function categoryFor({
  deps,
  workspace,
  value,
  by,
  field = 'category',
}: {
  deps: Pick<Deps, 'db'>
  workspace: Workspace
  value: string | null
  by: 'id' | 'name'
  field?: string
}): Promise<{ id: string; name: string } | null> {
  if (value === null || value === 'none' || value === '') return null
  const repository = createTagsRepository(deps)
  const category =
    by === 'id'
      ? await repository.findCategory(workspace.id, value)
      : await repository.categoryByKey(workspace.id, nameKey(value.trim()))
  if (!category) throw validationError([{ field, problem: 'tags.unknown_category' }])
  return { id: category.id, name: category.name }
}

export interface BoardLabels {
  /** tag names, by name */
  tags: string[]
  /** the category's name, or null */
  category: string | null
}

/** Each board's tag names and category name (boards of this workspace), for the API's JSON. */
export async function labelsOfBoards(
  deps: Pick<Deps, 'db'>,
  workspaceId: string,
  boards: readonly { id: string; category_id: string | null }[],
): Promise<Map<string, BoardLabels>> {
  const repository = createTagsRepository(deps)
  const categoryIds = [...new Set(boards.flatMap((board) => board.category_id ?? []))]
  const [tags, categories] = await Promise.all([
    repository.tagsOfBoards(
      workspaceId,
      boards.map((board) => board.id),
    ),
    categoryIds.length > 0
      ? deps.db
          .selectFrom('categories')
          .select(['id', 'name'])
          .where('workspace_id', '=', workspaceId)
          .where('id', 'in', categoryIds)
          .execute()
      : [],
  ])
  const categoryName = new Map(categories.map((category) => [category.id, category.name]))
  return new Map(
    boards.map((board) => [
      board.id,
      {
        tags: (tags.get(board.id) ?? []).map((tag) => tag.name),
        category: board.category_id ? (categoryName.get(board.category_id) ?? null) : null,
      },
    ]),
  )
}
