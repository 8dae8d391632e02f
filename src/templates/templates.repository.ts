import { sql, type Kysely } from 'kysely'
import type { BoardStatus, Database } from '../db/schema'
import { preparedQuery } from '../db/prepared'

// Every board page shows the workspace's templates: both lists are compiled once.
const listSetsQuery = preparedQuery((db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('template_sets')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('created_at'),
)
const listTemplatesQuery = preparedQuery((db: Kysely<Database>, workspaceId: string) =>
  db
    .selectFrom('templates')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('position')
    .orderBy('created_at'),
)

export function createTemplatesRepository({ db }: { db: Kysely<Database> }) {
  return {
    findTemplate(workspaceId: string, templateId: string) {
      return db
        .selectFrom('templates')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', templateId)
        .executeTakeFirst()
    },

    findSet(workspaceId: string, setId: string) {
      return db
        .selectFrom('template_sets')
        .selectAll()
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', setId)
        .executeTakeFirst()
    },

    listSets(workspaceId: string) {
      return listSetsQuery(db, workspaceId)
    },

    listTemplates(workspaceId: string) {
      return listTemplatesQuery(db, workspaceId)
    },

    /** Appends a set at the end, the position computed in the same statement. */
    insertSet(set: { id: string; workspaceId: string; name: string; now: number }) {
      return db
        .insertInto('template_sets')
        .columns(['id', 'workspace_id', 'name', 'position', 'created_at'])
        .expression(
          db.selectNoFrom([
            sql<string>`${set.id}`.as('id'),
            sql<string>`${set.workspaceId}`.as('workspace_id'),
            sql<string>`${set.name}`.as('name'),
            db
              .selectFrom('template_sets')
              .select(sql<number>`coalesce(max(position), 0) + 1`.as('p'))
              .where('workspace_id', '=', set.workspaceId)
              .as('position'),
            sql<number>`${set.now}`.as('created_at'),
          ]),
        )
    },

    renameSet(workspaceId: string, setId: string, name: string) {
      return db
        .updateTable('template_sets')
        .set({ name })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', setId)
        .executeTakeFirst()
    },

    deleteSet(workspaceId: string, setId: string) {
      return db
        .deleteFrom('template_sets')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', setId)
        .executeTakeFirst()
    },

    insertTemplate(template: {
      id: string
      workspaceId: string
      setId: string
      label: string
      body: string
      status: BoardStatus | null
      kind: 'normal' | 'decision'
      now: number
    }) {
      return db
        .insertInto('templates')
        .columns([
          'id',
          'workspace_id',
          'set_id',
          'label',
          'body',
          'status',
          'kind',
          'position',
          'created_at',
        ])
        .expression(
          db.selectNoFrom([
            sql<string>`${template.id}`.as('id'),
            sql<string>`${template.workspaceId}`.as('workspace_id'),
            sql<string>`${template.setId}`.as('set_id'),
            sql<string>`${template.label}`.as('label'),
            sql<string>`${template.body}`.as('body'),
            sql<string | null>`${template.status}`.as('status'),
            sql<string>`${template.kind}`.as('kind'),
            db
              .selectFrom('templates')
              .select(sql<number>`coalesce(max(position), 0) + 1`.as('p'))
              .where('set_id', '=', template.setId)
              .as('position'),
            sql<number>`${template.now}`.as('created_at'),
          ]),
        )
    },

    updateTemplate(
      workspaceId: string,
      templateId: string,
      changes: {
        label: string
        body: string
        status: BoardStatus | null
        kind: 'normal' | 'decision'
      },
    ) {
      return db
        .updateTable('templates')
        .set(changes)
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', templateId)
        .executeTakeFirst()
    },

    deleteTemplate(workspaceId: string, templateId: string) {
      return db
        .deleteFrom('templates')
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', templateId)
        .executeTakeFirst()
    },

    setPosition(
      table: 'templates' | 'template_sets',
      workspaceId: string,
      id: string,
      position: number,
    ) {
      return db
        .updateTable(table)
        .set({ position })
        .where('workspace_id', '=', workspaceId)
        .where('id', '=', id)
    },
  }
}
