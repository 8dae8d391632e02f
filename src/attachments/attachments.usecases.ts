import type { Compilable } from 'kysely'
import type { Deps } from '../deps'
import type { PostEffect } from '../messages/messages.post'
import { notFound } from '../shared/errors'
import { parseInput } from '../shared/validation'
import { BlobStoreError } from './blob-errors'
import {
  attachmentRemoved,
  emptyFile,
  fileTooLarge,
  invalidAttachmentIds,
  noSpace,
  partsMissing,
  partTooLarge,
  sizeMismatch,
  tooManyUploads,
  uploadBusy,
  uploadGone,
  wrongPartNumber,
  wrongPartSize,
} from './attachments.errors'
import { createAttachmentsRepository, type UploadScope } from './attachments.repository'
import {
  cleanMimeType,
  formatBytes,
  hasThumbnail,
  MAX_ATTACHMENT_BYTES,
  MAX_OPEN_UPLOADS,
  PART_SIZE,
  partCount,
  partLength,
  UNSENT_ATTACHMENT_TTL_MS,
  UPLOAD_IDLE_TTL_MS,
} from './attachments.rules'
import { startUploadSchema } from './attachments.schemas'

export type { UploadScope }

const blobKeyFor = (workspaceId: string, uploadId: string) => `att/${workspaceId}/${uploadId}`

/** A blob store failure in the words of the upload protocol. */
function storeFailure(error: unknown): never {
  if (error instanceof BlobStoreError) {
    if (error.failure === 'no_space') throw noSpace()
    if (error.failure === 'no_upload') throw uploadGone()
  }
  throw error
}

/**
 * Opens an upload session for one file: checks the declared size against the limit before a
 * byte is sent, starts the blob store's multipart upload and tells the browser how to cut the
 * file (`part_size`, `parts`).
 */
export async function startUpload({
  deps,
  scope,
  input,
}: {
  deps: Deps
  scope: UploadScope
  input: unknown
}) {
  const { name, size, type } = parseInput(startUploadSchema, input)
  if (size > MAX_ATTACHMENT_BYTES) throw fileTooLarge()
  if (size === 0) throw emptyFile()
  const repository = createAttachmentsRepository(deps)
  if ((await repository.countOpenUploads(scope)) >= MAX_OPEN_UPLOADS) throw tooManyUploads()

  const now = deps.clock.now().getTime()
  const id = deps.ids.id()
  const blobKey = blobKeyFor(scope.workspaceId, id)
  const multipartId = await deps.blobs
    .createMultipart(blobKey, { partSize: PART_SIZE })
    .catch(storeFailure)
  const parts = partCount(size)
  try {
    await repository.insertUpload({
      id,
      workspace_id: scope.workspaceId,
      board_id: scope.boardId,
      uploader: scope.uploader,
      name,
      size,
      type: cleanMimeType(type),
      part_size: PART_SIZE,
      part_count: parts,
      blob_key: blobKey,
      multipart_id: multipartId,
      created_at: now,
      expires_at: now + UPLOAD_IDLE_TTL_MS,
    })
  } catch (error) {
    await deps.blobs.abortMultipart(blobKey, multipartId).catch(() => {})
    throw error
  }
  return { upload_id: id, part_size: PART_SIZE, parts, size }
}

async function openUpload(deps: Deps, scope: UploadScope, uploadId: string) {
  const upload = await createAttachmentsRepository(deps).findUpload(scope, uploadId)
  if (!upload) throw notFound()
  if (upload.expires_at <= deps.clock.now().getTime()) throw uploadGone()
  return upload
}

/**
 * Streams one part to the blob store. The body is never buffered: a Content-Length above the
 * part's length is refused before reading, and a body that runs longer is cut off the moment it
 * passes the limit (413). Parts may come in any order and be sent again.
 */
export async function storePart({
  deps,
  scope,
  uploadId,
  partNumber,
  body,
  contentLength,
}: {
  deps: Deps
  scope: UploadScope
  uploadId: string
  partNumber: number
  body: ReadableStream<Uint8Array> | null
  contentLength: number | undefined
}) {
  const discard = () => body?.cancel().catch(() => {})
  let upload
  try {
    upload = await openUpload(deps, scope, uploadId)
    if (upload.status !== 'open') throw uploadGone()
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > upload.part_count)
      throw wrongPartNumber(upload.part_count)
  } catch (error) {
    await discard()
    throw error
  }
  const expected = partLength(upload.size, upload.part_size, partNumber)
  if (contentLength !== undefined && contentLength > expected) {
    await discard()
    throw partTooLarge(expected)
  }
  if (contentLength !== undefined && contentLength < expected) {
    await discard()
    throw wrongPartSize(expected, contentLength)
  }
  if (!body) throw wrongPartSize(expected, 0)

  const repository = createAttachmentsRepository(deps)
  let stored: { etag: string; size: number }
  try {
    stored = await deps.blobs.putPart(
      upload.blob_key,
      upload.multipart_id,
      partNumber,
      body,
      expected,
    )
  } catch (error) {
    // Whatever was there before is overwritten in part: the part has to come again.
    await repository.forgetPart(upload.id, partNumber)
    // Every store stops reading the moment a part runs past its length (disk, memory) or
    // refuses a wrong length (R2's FixedLengthStream); the body is never held whole.
    if (error instanceof BlobStoreError && error.failure === 'part_too_long')
      throw partTooLarge(expected)
    if (error instanceof BlobStoreError && error.failure === 'part_size') {
      throw wrongPartSize(expected, contentLength ?? /after (\d+)/.exec(error.message)?.[1] ?? '?')
    }
    storeFailure(error)
  }
  const now = deps.clock.now().getTime()
  try {
    await deps.batch(
      repository.partStoredQueries({
        uploadId: upload.id,
        partNumber,
        size: stored.size,
        etag: stored.etag,
        now,
        expiresAt: now + UPLOAD_IDLE_TTL_MS,
      }),
      // The bytes are durable already; a lost row only means the browser sends the part again.
      { relaxed: true },
    )
  } catch (error) {
    // The session was cancelled while the part was on its way (the row is gone).
    if (!(await repository.findUpload(scope, upload.id))) throw uploadGone()
    throw error
  }
  return { part_number: partNumber, size: stored.size }
}

/** What the server holds of an upload: the browser resumes by sending the parts not listed. */
export async function describeUpload({
  deps,
  scope,
  uploadId,
}: {
  deps: Deps
  scope: UploadScope
  uploadId: string
}) {
  const repository = createAttachmentsRepository(deps)
  const upload = await repository.findUpload(scope, uploadId)
  if (!upload) {
    const attachment = await repository.findAttachmentByUpload(scope, uploadId)
    if (!attachment) throw notFound()
    return {
      upload_id: uploadId,
      status: 'complete' as const,
      name: attachment.name,
      size: attachment.size,
      part_size: PART_SIZE,
      parts: partCount(attachment.size),
      stored: [],
      attachment_id: attachment.id,
    }
  }
  if (upload.expires_at <= deps.clock.now().getTime()) throw uploadGone()
  const parts = await repository.listParts(upload.id)
  return {
    upload_id: upload.id,
    status: upload.status,
    name: upload.name,
    size: upload.size,
    part_size: upload.part_size,
    parts: upload.part_count,
    stored: parts.map((part) => ({ part_number: part.part_number, size: part.size })),
    attachment_id: null,
  }
}

/**
 * Joins the parts into the file once every part is there and the sizes add up to the declared
 * size. The SHA-256 is computed by the blob store while completing (disk: reading the joined
 * file from the page cache while it is fsynced; R2: reading the object back once). Calling it
 * again after success answers the same attachment.
 */
export async function completeUpload({
  deps,
  scope,
  uploadId,
}: {
  deps: Deps
  scope: UploadScope
  uploadId: string
}) {
  const repository = createAttachmentsRepository(deps)
  const upload = await repository.findUpload(scope, uploadId)
  if (!upload) {
    const done = await repository.findAttachmentByUpload(scope, uploadId)
    if (!done) throw notFound()
    return attachmentSummary(done)
  }
  if (upload.expires_at <= deps.clock.now().getTime()) throw uploadGone()
  const parts = await repository.listParts(upload.id)
  const have = new Set(parts.map((part) => part.part_number))
  const missing: number[] = []
  for (let n = 1; n <= upload.part_count; n++) if (!have.has(n)) missing.push(n)
  if (missing.length > 0) throw partsMissing(missing)
  if (parts.reduce((sum, part) => sum + part.size, 0) !== upload.size) throw sizeMismatch()
  if (!(await repository.claimCompletion(upload.id))) throw uploadBusy()

  let result: { size: number; sha256: string }
  try {
    result = await deps.blobs.completeMultipart(
      upload.blob_key,
      upload.multipart_id,
      parts.map((part) => ({ partNumber: part.part_number, etag: part.etag })),
    )
  } catch (error) {
    await repository.releaseCompletion(upload.id)
    if (error instanceof BlobStoreError && error.failure === 'missing_part') throw partsMissing([])
    storeFailure(error)
  }
  if (result.size !== upload.size) {
    await deps.blobs.delete(upload.blob_key)
    await repository.deleteUpload(upload.id)
    throw sizeMismatch()
  }
  const attachment = {
    id: deps.ids.id(),
    workspace_id: upload.workspace_id,
    board_id: upload.board_id,
    message_id: null,
    upload_id: upload.id,
    uploader: upload.uploader,
    name: upload.name,
    size: result.size,
    type: upload.type,
    sha256: result.sha256,
    blob_key: upload.blob_key,
    internal: 0,
    created_at: deps.clock.now().getTime(),
    deleted_at: null,
  }
  await deps.batch(repository.completedQueries(attachment))
  return attachmentSummary(attachment)
}

function attachmentSummary(attachment: {
  id: string
  name: string
  size: number
  type: string
  sha256: string
}) {
  return {
    attachment_id: attachment.id,
    name: attachment.name,
    size: attachment.size,
    type: attachment.type,
    sha256: attachment.sha256,
  }
}

/**
 * The uploader cancels: an unfinished upload is aborted (its parts dropped); a finished file
 * not sent yet is deleted. A file already sent with a message stays.
 */
export async function cancelUpload({
  deps,
  scope,
  uploadId,
}: {
  deps: Deps
  scope: UploadScope
  uploadId: string
}) {
  const repository = createAttachmentsRepository(deps)
  const upload = await repository.findUpload(scope, uploadId)
  if (upload) {
    await deps.blobs.abortMultipart(upload.blob_key, upload.multipart_id)
    await repository.deleteUpload(upload.id)
    return
  }
  const attachment = await repository.findAttachmentByUpload(scope, uploadId)
  if (!attachment) throw notFound()
  if (attachment.message_id !== null) return
  await deps.blobs.delete(attachment.blob_key)
  await repository.deleteAttachment(attachment.id)
}

/** What one run of the upload janitor did (counts of uploads; bytes of their stored parts). */
export interface UploadCleanup {
  /** unfinished uploads removed because their session expired or its member was removed */
  uploads: number
  bytes: number
  /** unfinished uploads the blob store held that no session named any more (a crash, a board gone) */
  orphans: number
  orphanBytes: number
  /** finished files never sent with a message */
  unsent: number
  /** unfinished uploads kept: they can still be resumed */
  resumable: number
  resumableBytes: number
}

/**
 * A blob store's unfinished upload with no session is only removed once it is this old: a session
 * row is written a moment after its multipart upload is created, and a request may be between the
 * two right now.
 */
export const ORPHAN_GRACE_MS = 60 * 60_000

/**
 * The upload janitor. Unfinished uploads keep their bytes as long as they can be resumed; the
 * ones whose session is gone — idle past its expiry, its member removed, or (stores that can list
 * their multipart uploads, i.e. not R2, which drops them itself after seven days) no session row
 * at all — are removed from the blob store and the database, and counted with their bytes. Also
 * drops finished files never sent. Blob first, row second: a crash in between leaves a row the
 * next run removes, never a file nothing points to. Node runs it at start-up and on an interval;
 * Workers from a cron trigger.
 */
export async function cleanupExpiredUploads({
  deps,
  batchSize = 200,
  orphanGraceMs = ORPHAN_GRACE_MS,
}: {
  deps: Deps
  batchSize?: number
  orphanGraceMs?: number
}): Promise<UploadCleanup> {
  const repository = createAttachmentsRepository(deps)
  const now = deps.clock.now().getTime()
  let uploads = 0
  let bytes = 0
  let unsent = 0
  for (;;) {
    const gone = await repository.goneUploads(now, batchSize)
    for (const upload of gone) {
      await deps.blobs.abortMultipart(upload.blob_key, upload.multipart_id)
      // a completion that crashed after joining the file may have left the object behind
      await deps.blobs.delete(upload.blob_key)
      await repository.deleteUpload(upload.id)
      uploads += 1
      bytes += Number(upload.bytes ?? 0)
    }
    if (gone.length < batchSize) break
  }
  let orphans = 0
  let orphanBytes = 0
  if (deps.blobs.listMultipart) {
    const unfinished = (await deps.blobs.listMultipart()).filter(
      (upload) => upload.startedAt <= now - orphanGraceMs,
    )
    for (let at = 0; at < unfinished.length; at += 100) {
      const chunk = unfinished.slice(at, at + 100)
      const named = await repository.sessionBlobKeys(chunk.map((upload) => upload.key))
      for (const upload of chunk) {
        if (named.has(upload.key)) continue
        await deps.blobs.abortMultipart(upload.key, upload.uploadId)
        orphans += 1
        orphanBytes += upload.bytes
      }
    }
  }
  for (;;) {
    const stale = await repository.unsentAttachmentsBefore(
      now - UNSENT_ATTACHMENT_TTL_MS,
      batchSize,
    )
    for (const attachment of stale) {
      await deps.blobs.delete(attachment.blob_key)
      await repository.deleteAttachment(attachment.id)
      unsent += 1
    }
    if (stale.length < batchSize) break
  }
  const kept = await repository.unfinishedTotals()
  return {
    uploads,
    bytes,
    orphans,
    orphanBytes,
    unsent,
    resumable: kept.uploads,
    resumableBytes: kept.bytes,
  }
}

/** The janitor's log line: what it removed and what it kept, in counts and bytes. */
export function uploadCleanupLine(result: UploadCleanup): string {
  const removed = result.uploads + result.orphans
  const removedBytes = result.bytes + result.orphanBytes
  return (
    `unfinished uploads: removed ${removed} whose session is gone ` +
    `(${removedBytes} bytes, ${formatBytes(removedBytes)}` +
    `${result.orphans > 0 ? `; ${result.orphans} of them had no session row` : ''}), ` +
    `kept ${result.resumable} that can still be resumed ` +
    `(${result.resumableBytes} bytes, ${formatBytes(result.resumableBytes)})` +
    `${result.unsent > 0 ? `; removed ${result.unsent} finished files never sent` : ''}`
  )
}

/**
 * The statements that link finished files to a message being posted, to run in the post's own
 * batch. Every id must be an unsent file this uploader finished on this board, else 422 and
 * nothing is posted. An internal note's files are marked internal: never shown to the customer.
 */
export async function attachQueries({
  deps,
  scope,
  messageId,
  internal,
  attachmentIds,
}: {
  deps: Deps
  scope: UploadScope
  messageId: string
  internal: boolean
  attachmentIds: string[] | undefined
}): Promise<Compilable[]> {
  if (!attachmentIds || attachmentIds.length === 0) return []
  const repository = createAttachmentsRepository(deps)
  const found = await repository.findSendable(scope, attachmentIds)
  if (found.length !== attachmentIds.length) throw invalidAttachmentIds()
  return [repository.attachQuery(scope, attachmentIds, messageId, internal)]
}

/**
 * Post effect: the files finished for this message go with it in the same batch; an internal
 * note's files stay internal. The uploader is the member, else the author kind ('api', 'guest').
 */
export const attachFilesEffect: PostEffect = {
  name: 'attachments',
  statements: ({ deps, workspace, board, message, attachmentIds }) =>
    attachQueries({
      deps,
      scope: {
        workspaceId: workspace.id,
        boardId: board.id,
        uploader: message.authorMemberId ?? message.authorKind,
      },
      messageId: message.id,
      internal: message.internal,
      attachmentIds,
    }),
}

export interface AttachmentView {
  id: string
  name: string
  size: number
  /** "12.3 MB" */
  sizeLabel: string
  type: string
  thumbnail: boolean
  /** contents deleted by the retention setting: only the stub remains */
  removed: boolean
}

function toView(row: {
  id: string
  name: string
  size: number
  type: string
  deleted_at: number | null
}): AttachmentView {
  return {
    id: row.id,
    name: row.name,
    size: row.size,
    sizeLabel: formatBytes(row.size),
    type: row.type,
    thumbnail: row.deleted_at === null && hasThumbnail(row),
    removed: row.deleted_at !== null,
  }
}

/** Files of a board's sent messages, by message id. The customer never gets internal ones. */
export async function listBoardAttachments({
  deps,
  boardId,
  audience,
}: {
  deps: Deps
  boardId: string
  audience: 'member' | 'guest'
}): Promise<Record<string, AttachmentView[]>> {
  const rows = await createAttachmentsRepository(deps).listForBoard(boardId, {
    publicOnly: audience === 'guest',
  })
  const byMessage: Record<string, AttachmentView[]> = {}
  for (const row of rows) {
    if (!row.message_id) continue
    ;(byMessage[row.message_id] ??= []).push(toView(row))
  }
  return byMessage
}

/**
 * For notification emails: the files of one message by name and size (emails mention files,
 * they never carry them). Internal files are left out whatever the caller asks for.
 */
export async function attachmentsForMessage(
  deps: Pick<Deps, 'db'>,
  messageId: string,
): Promise<AttachmentView[]> {
  const rows = await createAttachmentsRepository(deps).listForMessage(messageId)
  return rows.filter((row) => row.internal === 0).map(toView)
}

/**
 * Who may download: members of the workspace always; the board's customer only sent, public
 * files (the caller has checked the board is open to them: link valid, not expired).
 */
export async function findDownload({
  deps,
  workspaceId,
  boardId,
  attachmentId,
  audience,
}: {
  deps: Deps
  workspaceId: string
  boardId: string
  attachmentId: string
  audience: 'member' | 'guest'
}) {
  const attachment = await createAttachmentsRepository(deps).findAttachment(
    workspaceId,
    boardId,
    attachmentId,
  )
  if (!attachment) throw notFound()
  if (audience === 'guest' && (attachment.message_id === null || attachment.internal !== 0))
    throw notFound()
  if (attachment.deleted_at !== null) throw attachmentRemoved()
  return attachment
}

/**
 * Retention: N days (workspace setting, off by default) after a board expires, its files'
 * contents are deleted; the rows stay so the thread shows "file removed".
 */
export async function applyAttachmentRetention({
  deps,
  batchSize = 200,
}: {
  deps: Deps
  batchSize?: number
}) {
  const repository = createAttachmentsRepository(deps)
  const now = deps.clock.now().getTime()
  let removed = 0
  for (;;) {
    const due = await repository.dueForRetention(now, batchSize)
    for (const attachment of due) {
      await deps.blobs.delete(attachment.blob_key)
      await deps.batch(repository.markRemovedQueries(attachment, now))
      removed += 1
    }
    if (due.length < batchSize) break
  }
  return { removed }
}
