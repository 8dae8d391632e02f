import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database, Insertable } from './attachments.types'

/** Who an upload belongs to: one board, and one member (by id) or the board's customer. */
export interface UploadScope {
  workspaceId: string
  boardId: string
  /** a member id, or 'guest' */
  uploader: string
}

export function createAttachmentsRepository({ db }: { db: Kysely<Database> }) {
  return {
    insertUpload(upload: Insertable<'uploads'>) {
      return db.insertInto('uploads').values(upload).execute()
    },

    findUpload(scope: UploadScope, uploadId: string) {
      return db
        .selectFrom('uploads')
        .selectAll()
        .where('id', '=', uploadId)
        .where('workspace_id', '=', scope.workspaceId)
        .where('board_id', '=', scope.boardId)
        .where('uploader', '=', scope.uploader)
        .executeTakeFirst()
    },

    async countOpenUploads(scope: UploadScope) {
      const row = await db
        .selectFrom('uploads')
        .select((eb) => eb.fn.countAll<number>().as('count'))
        .where('board_id', '=', scope.boardId)
        .where('uploader', '=', scope.uploader)
        .executeTakeFirstOrThrow()
      return Number(row.count)
    },

    listParts(uploadId: string) {
      return db
        .selectFrom('upload_parts')
        .select(['part_number', 'size', 'etag'])
        .where('upload_id', '=', uploadId)
        .orderBy('part_number')
        .execute()
    },

    /** Records a stored part (a re-sent one replaces it) and keeps the session alive. */
    partStoredQueries(part: {
      uploadId: string
      partNumber: number
      size: number
      etag: string
      now: number
      expiresAt: number
    }): Compilable[] {
      return [
        db
          .insertInto('upload_parts')
          .values({
            upload_id: part.uploadId,
            part_number: part.partNumber,
            size: part.size,
            etag: part.etag,
            stored_at: part.now,
          })
          .onConflict((oc) =>
            oc
              .columns(['upload_id', 'part_number'])
              .doUpdateSet({ size: part.size, etag: part.etag, stored_at: part.now }),
          ),
        db
          .updateTable('uploads')
          .set({ expires_at: part.expiresAt })
          .where('id', '=', part.uploadId)
          .where('status', '=', 'open'),
      ]
    },

    forgetPart(uploadId: string, partNumber: number) {
      return db
        .deleteFrom('upload_parts')
        .where('upload_id', '=', uploadId)
        .where('part_number', '=', partNumber)
        .execute()
    },

    /** Only one completion may run: the one that moves the session from open to completing. */
    async claimCompletion(uploadId: string) {
      const claimed = await db
        .updateTable('uploads')
        .set({ status: 'completing' })
        .where('id', '=', uploadId)
        .where('status', '=', 'open')
        .returning('id')
        .executeTakeFirst()
      return Boolean(claimed)
    },

    releaseCompletion(uploadId: string) {
      return db
        .updateTable('uploads')
        .set({ status: 'open' })
        .where('id', '=', uploadId)
        .where('status', '=', 'completing')
        .execute()
    },

    /** The finished file becomes an (unsent) attachment and the session goes, in one batch. */
    completedQueries(attachment: Insertable<'attachments'>): Compilable[] {
      return [
        db.insertInto('attachments').values(attachment),
        db.deleteFrom('uploads').where('id', '=', attachment.upload_id),
      ]
    },

    deleteUpload(uploadId: string) {
      return db.deleteFrom('uploads').where('id', '=', uploadId).execute()
    },

    findAttachmentByUpload(scope: UploadScope, uploadId: string) {
      return db
        .selectFrom('attachments')
        .selectAll()
        .where('upload_id', '=', uploadId)
        .where('workspace_id', '=', scope.workspaceId)
        .where('board_id', '=', scope.boardId)
        .where('uploader', '=', scope.uploader)
        .executeTakeFirst()
    },

    findAttachment(workspaceId: string, boardId: string, attachmentId: string) {
      return db
        .selectFrom('attachments')
        .selectAll()
        .where('id', '=', attachmentId)
        .where('workspace_id', '=', workspaceId)
        .where('board_id', '=', boardId)
        .executeTakeFirst()
    },

    deleteAttachment(attachmentId: string) {
      return db
        .deleteFrom('attachments')
        .where('id', '=', attachmentId)
        .where('message_id', 'is', null)
        .execute()
    },

    /** Unsent attachments of this uploader on this board, among `ids`. */
    findSendable(scope: UploadScope, ids: string[]) {
      return db
        .selectFrom('attachments')
        .select('id')
        .where('id', 'in', ids)
        .where('workspace_id', '=', scope.workspaceId)
        .where('board_id', '=', scope.boardId)
        .where('uploader', '=', scope.uploader)
        .where('message_id', 'is', null)
        .where('deleted_at', 'is', null)
        .execute()
    },

    /** Links the files to the message; `message_id IS NULL` keeps a file from moving twice. */
    attachQuery(
      scope: UploadScope,
      ids: string[],
      messageId: string,
      internal: boolean,
    ): Compilable {
      return db
        .updateTable('attachments')
        .set({ message_id: messageId, internal: internal ? 1 : 0 })
        .where('id', 'in', ids)
        .where('workspace_id', '=', scope.workspaceId)
        .where('board_id', '=', scope.boardId)
        .where('uploader', '=', scope.uploader)
        .where('message_id', 'is', null)
    },

    listForBoard(boardId: string, options: { publicOnly: boolean }) {
      let query = db
        .selectFrom('attachments')
        .select(['id', 'message_id', 'name', 'size', 'type', 'deleted_at'])
        .where('board_id', '=', boardId)
        .where('message_id', 'is not', null)
      if (options.publicOnly) query = query.where('internal', '=', 0)
      return query.orderBy('created_at').orderBy('id').execute()
    },

    listForMessage(messageId: string) {
      return db
        .selectFrom('attachments')
        .select(['id', 'board_id', 'name', 'size', 'type', 'deleted_at', 'internal'])
        .where('message_id', '=', messageId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    },

    /**
     * Unfinished uploads that can no longer be resumed: idle past their expiry, or started by a
     * member who has since been removed (nobody can sign in to finish them). With the bytes of
     * their stored parts.
     */
    goneUploads(now: number, limit: number) {
      return db
        .selectFrom('uploads')
        .select((eb) => [
          'uploads.id',
          'uploads.blob_key',
          'uploads.multipart_id',
          eb
            .selectFrom('upload_parts')
            .select(sql<number>`coalesce(sum(upload_parts.size), 0)`.as('bytes'))
            .whereRef('upload_parts.upload_id', '=', 'uploads.id')
            .as('bytes'),
        ])
        .where((eb) =>
          eb.or([
            eb('uploads.expires_at', '<=', now),
            eb.and([
              eb('uploads.uploader', '!=', 'guest'),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('members')
                    .select(sql`1`.as('one'))
                    .whereRef('members.id', '=', 'uploads.uploader')
                    .whereRef('members.workspace_id', '=', 'uploads.workspace_id'),
                ),
              ),
            ]),
          ]),
        )
        .limit(limit)
        .execute()
    },

    /** How many unfinished uploads there are, and the bytes of their stored parts. */
    async unfinishedTotals() {
      const row = await db
        .selectFrom('uploads')
        .select([
          sql<number>`count(*)`.as('uploads'),
          sql<number>`coalesce((SELECT sum(size) FROM upload_parts), 0)`.as('bytes'),
        ])
        .executeTakeFirstOrThrow()
      return { uploads: Number(row.uploads), bytes: Number(row.bytes) }
    },

    /** Which of these blob keys an upload session still names (blob_key is unique: indexed). */
    async sessionBlobKeys(blobKeys: string[]) {
      if (blobKeys.length === 0) return new Set<string>()
      const rows = await db
        .selectFrom('uploads')
        .select('blob_key')
        .where('blob_key', 'in', blobKeys)
        .execute()
      return new Set(rows.map((row) => row.blob_key))
    },

    unsentAttachmentsBefore(createdBefore: number, limit: number) {
      return db
        .selectFrom('attachments')
        .select(['id', 'blob_key'])
        .where('message_id', 'is', null)
        .where('created_at', '<', createdBefore)
        .limit(limit)
        .execute()
    },

    /** Sent files whose board expired more than the workspace's retention days ago. */
    dueForRetention(now: number, limit: number) {
      return db
        .selectFrom('attachments')
        .innerJoin('boards', 'boards.id', 'attachments.board_id')
        .innerJoin('workspaces', 'workspaces.id', 'attachments.workspace_id')
        .select(['attachments.id', 'attachments.board_id', 'attachments.blob_key'])
        .where('workspaces.attachment_retention_days', 'is not', null)
        .where('attachments.deleted_at', 'is', null)
        .where('attachments.message_id', 'is not', null)
        .where(
          sql<boolean>`boards.expires_at + workspaces.attachment_retention_days * ${86_400_000} <= ${now}`,
        )
        .limit(limit)
        .execute()
    },

    /** The "file removed" stub, and a new thread revision for the board that shows it. */
    markRemovedQueries(attachment: { id: string; board_id: string }, now: number): Compilable[] {
      return [
        db
          .updateTable('attachments')
          .set({ deleted_at: now })
          .where('id', '=', attachment.id)
          .where('deleted_at', 'is', null),
        db
          .updateTable('boards')
          .set({ thread_rev: sql`thread_rev + 1` })
          .where('id', '=', attachment.board_id),
      ]
    },
  }
}
