// Tags and categories (issue #17): Kysely queries only. Every query is scoped by workspace.
import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'

export interface TagRef {
  name: string
  key: string
}

export function createTagsRepository({ db }: { db: Kysely<Database> }) {
  return {
    /** The workspace's tags with how many boards carry each, by name. */
    listTags(workspaceId: string) {
      return db
        .selectFrom('tags as t')
        .select(['t.id', 't.name', 't.name_key', 't.colour'])
        .select(
          sql<number>`(SELECT count(*) FROM board_tags bt WHERE bt.tag_id = t.id)`.as('boards'),
        )
        .where('t.workspace_id', '=', workspaceId)
        .orderBy('t.name_key')
        .execute()
    },

    findTag(workspaceId: string, tagId: string) {
      return db
        .selectFrom('tags')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', tagId)
        .executeTakeFirst()
    },

    /** Tags of the workspace by key (the lower-case name). */
    tagsByKeys(workspaceId: string, keys: readonly string[]) {
      if (keys.length === 0) return Promise.resolve([])
      return db
        .selectFrom('tags')
        .select(['id', 'name', 'name_key', 'colour'])
        .where('workspace_id', '=', workspaceId)
        .where('name_key', 'in', keys)
        .execute()
    },

    /** Each board's tags (name and colour, by name), for boards of this workspace. */
    async tagsOfBoards(workspaceId: string, boardIds: readonly string[]) {
      const byBoard = new Map<string, { name: string; key: string; colour: string }[]>()
      for (let at = 0; at < boardIds.length; at += 100) {
        const rows = await db
          .selectFrom('board_tags as bt')
          .innerJoin('tags as t', 't.id', 'bt.tag_id')
          .select(['bt.board_id', 't.name', 't.name_key', 't.colour'])
          .where('bt.workspace_id', '=', workspaceId)
          .where('bt.board_id', 'in', boardIds.slice(at, at + 100))
          .orderBy('t.name_key')
          .execute()
        for (const row of rows) {
          const list = byBoard.get(row.board_id) ?? []
          list.push({ name: row.name, key: row.name_key, colour: row.colour })
          byBoard.set(row.board_id, list)
        }
      }
      return byBoard
    },

    /** Creates the tags that don't exist yet (a concurrent twin loses on the unique index). */
    createTagsQuery(workspaceId: string, tags: readonly (TagRef & { id: string })[], now: number) {
      return db
        .insertInto('tags')
        .values(
          tags.map((tag) => ({
            id: tag.id,
            workspace_id: workspaceId,
            name: tag.name,
            name_key: tag.key,
            created_at: now,
          })),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'name_key']).doNothing())
    },

    /**
     * Puts the tags (by key) on the boards, those of this workspace only; a board that has one
     * already keeps it. Run after createTagsQuery in the same batch.
     */
    addToBoardsQuery(
      workspaceId: string,
      boardIds: readonly string[],
      keys: readonly string[],
      now: number,
    ): Compilable {
      return db
        .insertInto('board_tags')
        .orIgnore()
        .columns(['board_id', 'tag_id', 'workspace_id', 'added_at'])
        .expression((eb) =>
          eb
            .selectFrom('boards as b')
            .innerJoin('tags as t', 't.workspace_id', 'b.workspace_id')
            .select(['b.id', 't.id as tag_id', 'b.workspace_id', sql<number>`${now}`.as('at')])
            .where('b.workspace_id', '=', workspaceId)
            .where('b.id', 'in', boardIds)
            .where('t.name_key', 'in', keys),
        )
    },

    /** Takes the tags (by key) off the boards of this workspace. */
    removeFromBoardsQuery(
      workspaceId: string,
      boardIds: readonly string[],
      keys: readonly string[],
    ) {
      return db
        .deleteFrom('board_tags')
        .where('workspace_id', '=', workspaceId)
        .where('board_id', 'in', boardIds)
        .where('tag_id', 'in', (eb) =>
          eb
            .selectFrom('tags')
            .select('id')
            .where('workspace_id', '=', workspaceId)
            .where('name_key', 'in', keys),
        )
    },

    updateTagQuery(
      workspaceId: string,
      tagId: string,
      changes: { name?: string; name_key?: string; colour?: string },
    ) {
      return db
        .updateTable('tags')
        .set(changes)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', tagId)
        .returningAll()
    },

    deleteTagQuery(workspaceId: string, tagId: string) {
      return db
        .deleteFrom('tags')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', tagId)
        .returning('id')
    },

    /** Moves every board of tag `from` to tag `into` (boards that have both keep one). */
    mergeQueries(workspaceId: string, fromId: string, intoId: string, now: number): Compilable[] {
      return [
        db
          .insertInto('board_tags')
          .orIgnore()
          .columns(['board_id', 'tag_id', 'workspace_id', 'added_at'])
          .expression((eb) =>
            eb
              .selectFrom('board_tags')
              .select(['board_id', sql<string>`${intoId}`.as('tag_id'), 'workspace_id'])
              .select(sql<number>`${now}`.as('added_at'))
              .where('workspace_id', '=', workspaceId)
              .where('tag_id', '=', fromId),
          ),
        db
          .deleteFrom('tags')
          .where('workspace_id', '=', workspaceId)
          .where('id', '=', fromId)
          .returning('id'),
      ]
    },

    listCategories(workspaceId: string) {
      return db
        .selectFrom('categories as c')
        .select(['c.id', 'c.name', 'c.name_key', 'c.position'])
        .select(
          sql<number>`(SELECT count(*) FROM boards b WHERE b.workspace_id = c.workspace_id AND b.category_id = c.id)`.as(
            'boards',
          ),
        )
        .where('c.workspace_id', '=', workspaceId)
        .orderBy('c.position')
        .orderBy('c.name_key')
        .execute()
    },

    findCategory(workspaceId: string, categoryId: string) {
      return db
        .selectFrom('categories')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', categoryId)
        .executeTakeFirst()
    },

    categoryByKey(workspaceId: string, key: string) {
      return db
        .selectFrom('categories')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('name_key', '=', key)
        .executeTakeFirst()
    },

    /** A new category at the end of the list; no row back: the name is taken. */
    createCategoryQuery(category: { id: string; workspaceId: string } & TagRef, now: number) {
      return db
        .insertInto('categories')
        .columns(['id', 'workspace_id', 'name', 'name_key', 'position', 'created_at'])
        .expression(
          db
            .selectNoFrom([
              sql<string>`${category.id}`.as('id'),
              sql<string>`${category.workspaceId}`.as('workspace_id'),
              sql<string>`${category.name}`.as('name'),
              sql<string>`${category.key}`.as('name_key'),
              sql<number>`(SELECT coalesce(max(position), 0) + 1 FROM categories WHERE workspace_id = ${category.workspaceId})`.as(
                'position',
              ),
              sql<number>`${now}`.as('created_at'),
            ])
            .where(sql<boolean>`true`),
        )
        .onConflict((oc) => oc.columns(['workspace_id', 'name_key']).doNothing())
        .returningAll()
    },

    renameCategoryQuery(workspaceId: string, categoryId: string, name: TagRef) {
      return db
        .updateTable('categories')
        .set({ name: name.name, name_key: name.key })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', categoryId)
        .returningAll()
    },

    deleteCategoryQuery(workspaceId: string, categoryId: string) {
      return db
        .deleteFrom('categories')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', categoryId)
        .returning('id')
    },

    /** Sets (or clears) the category of boards of this workspace. */
    setCategoryQuery(
      workspaceId: string,
      boardIds: readonly string[],
      categoryId: string | null,
      now: number,
    ) {
      return db
        .updateTable('boards')
        .set({ category_id: categoryId, updated_at: now })
        .where('workspace_id', '=', workspaceId)
        .where('id', 'in', boardIds)
    },
  }
}
