import type { Kysely, Updateable } from 'kysely'
import type { Database, Role } from '../db/schema'

export interface NewMember {
  id: string
  workspaceId: string
  /** stored lower-cased by the caller */
  email: string
  name: string
  passwordHash: string
  role: Role
  now: number
}

export function createWorkspacesRepository({ db }: { db: Kysely<Database> }) {
  const insertMember = (member: NewMember) =>
    db.insertInto('members').values({
      id: member.id,
      workspace_id: member.workspaceId,
      email: member.email,
      name: member.name,
      password_hash: member.passwordHash,
      role: member.role,
      created_at: member.now,
    })

  return {
    findById(workspaceId: string) {
      return db
        .selectFrom('workspaces')
        .selectAll()
        .where('id', '=', workspaceId)
        .executeTakeFirst()
    },

    findBySlug(slug: string) {
      return db.selectFrom('workspaces').selectAll().where('slug', '=', slug).executeTakeFirst()
    },

    async slugTaken(slug: string) {
      const row = await db
        .selectFrom('workspaces')
        .select('id')
        .where('slug', '=', slug)
        .executeTakeFirst()
      return Boolean(row)
    },

    /** Any workspace's member with this (lower-cased) email. */
    async emailTaken(email: string) {
      const row = await db
        .selectFrom('members')
        .select('id')
        .where('email', '=', email)
        .executeTakeFirst()
      return Boolean(row)
    },

    /** The workspace row, for a batch with its owner and default templates. */
    insertWorkspaceQuery(workspace: {
      id: string
      name: string
      slug: string
      timeZone: string
      locale: 'ja' | 'en'
      now: number
    }) {
      return db.insertInto('workspaces').values({
        id: workspace.id,
        name: workspace.name,
        slug: workspace.slug,
        time_zone: workspace.timeZone,
        locale: workspace.locale,
        created_at: workspace.now,
      })
    },

    /** A member row, for a batch (the owner with their workspace). */
    insertMemberQuery: insertMember,

    /** Adds a member; false when the email is already taken (unique index, nothing written). */
    async addMember(member: NewMember) {
      const inserted = await insertMember(member)
        .onConflict((oc) => oc.doNothing())
        .returning('id')
        .executeTakeFirst()
      return Boolean(inserted)
    },

    updateSettings(workspaceId: string, changes: Updateable<Database['workspaces']>) {
      return db.updateTable('workspaces').set(changes).where('id', '=', workspaceId).execute()
    },
  }
}
