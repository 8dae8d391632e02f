// The upload janitor: unfinished uploads keep their bytes while they can be resumed; once their
// session is gone (idle past expiry, its member removed, or no session row at all after a crash)
// they are counted, logged and removed from the blob store and the database — at start-up (Node)
// and from the periodic job (Node's interval, the Workers' cron).
import { afterEach, describe, expect, it, vi } from 'vitest'
import { PART_SIZE, UPLOAD_IDLE_TTL_MS } from '../../src/attachments/attachments.rules'
import {
  cleanupExpiredUploads,
  ORPHAN_GRACE_MS,
  uploadCleanupLine,
} from '../../src/attachments/attachments.usecases'
import { JOBS } from '../../src/jobs'
import { loginAs } from '../helpers/app'
import { setupBoard } from './guest.helpers'
import { addMember } from './notifications.helpers'
import { countRows, fileBytes, uploadClient } from './attachments.helpers'

const janitor = JOBS.find((job) => job.name === 'expired-uploads')!

async function halfUploaded(options: Parameters<typeof setupBoard>[0] = {}) {
  const setup = await setupBoard(options)
  const uploads = uploadClient(
    setup.testApp,
    setup.staffUrl,
    setup.member.cookie,
    setup.member.csrf,
  )
  const started = await uploads.start({ name: '入稿データ.pdf', size: 2 * PART_SIZE + 10 })
  const { upload_id } = (await started.json()) as { upload_id: string }
  expect((await uploads.part(upload_id, 1, fileBytes(PART_SIZE))).status).toBe(200)
  return { ...setup, uploads, uploadId: upload_id }
}

afterEach(() => {
  vi.restoreAllMocks()
})

describe('unfinished uploads', () => {
  it('are kept, with their bytes, as long as they can be resumed', async () => {
    const { testApp, uploads, uploadId } = await halfUploaded()
    // idle for almost a day: still resumable
    testApp.clock.advance(UPLOAD_IDLE_TTL_MS - 1000)
    expect(await cleanupExpiredUploads({ deps: testApp.deps })).toEqual({
      uploads: 0,
      bytes: 0,
      orphans: 0,
      orphanBytes: 0,
      unsent: 0,
      resumable: 1,
      resumableBytes: PART_SIZE,
    })
    expect(testApp.blobs.openUploads()).toBe(1)
    // …and the browser picks up where it left off
    const status = (await (await uploads.status(uploadId)).json()) as {
      stored: { part_number: number }[]
    }
    expect(status.stored.map((part) => part.part_number)).toEqual([1])
    expect((await uploads.part(uploadId, 2, fileBytes(PART_SIZE, 2))).status).toBe(200)
  })

  it('are counted and removed once their session expired', async () => {
    const { testApp, uploads, uploadId } = await halfUploaded()
    testApp.clock.advance(UPLOAD_IDLE_TTL_MS)
    const result = await cleanupExpiredUploads({ deps: testApp.deps })
    expect(result).toMatchObject({ uploads: 1, bytes: PART_SIZE, resumable: 0, resumableBytes: 0 })
    expect(await countRows(testApp, 'uploads')).toBe(0)
    expect(await countRows(testApp, 'upload_parts')).toBe(0)
    expect(testApp.blobs.openUploads()).toBe(0)
    expect((await uploads.status(uploadId)).status).toBe(404)
    expect(uploadCleanupLine(result)).toBe(
      'unfinished uploads: removed 1 whose session is gone (8388608 bytes, 8 MB), ' +
        'kept 0 that can still be resumed (0 bytes, 0 B)',
    )
  })

  it('of a member who was removed go at once: nobody can sign in to finish them', async () => {
    const { testApp, workspace } = await halfUploaded()
    // a second member (the owner's password, to sign in) starts an upload, then leaves the team
    const staffId = await addMember(testApp, workspace.id, {
      name: '田中',
      email: 'tanaka@example.jp',
    })
    await testApp.deps.db
      .updateTable('members')
      .set({ password_hash: (await ownerHash(testApp, workspace.id))! })
      .where('id', '=', staffId)
      .execute()
    const tanaka = await loginAs(testApp, 'tanaka@example.jp', 'correct horse battery')
    const board = await testApp.deps.db.selectFrom('boards').select('id').executeTakeFirstOrThrow()
    const theirs = uploadClient(
      testApp,
      `/w/${workspace.slug}/boards/${board.id}`,
      tanaka.cookie,
      tanaka.csrf,
    )
    const started = await theirs.start({ name: 'b.bin', size: PART_SIZE + 5 })
    const { upload_id } = (await started.json()) as { upload_id: string }
    await theirs.part(upload_id, 2, fileBytes(5))
    expect(await countRows(testApp, 'uploads')).toBe(2)

    await testApp.deps.db.deleteFrom('sessions').where('member_id', '=', staffId).execute()
    await testApp.deps.db.deleteFrom('members').where('id', '=', staffId).execute()
    expect(await cleanupExpiredUploads({ deps: testApp.deps })).toMatchObject({
      uploads: 1,
      bytes: 5,
      resumable: 1,
      resumableBytes: PART_SIZE,
    })
    expect(testApp.blobs.openUploads()).toBe(1)
  })

  it('the blob store holds without any session row are removed once past the grace period', async () => {
    const { testApp } = await halfUploaded()
    // a crash between creating the multipart upload and writing its session row, or a board
    // deleted with its sessions (ON DELETE CASCADE) — the store still holds the parts
    const key = 'att/ws-gone/upload-gone'
    const orphan = await testApp.blobs.createMultipart(key, { partSize: PART_SIZE })
    const bytes = fileBytes(1234)
    await testApp.blobs.putPart(key, orphan, 1, new Response(bytes).body!, 1234)
    expect(testApp.blobs.openUploads()).toBe(2)

    // too young: it may be a session being opened right now
    expect(await cleanupExpiredUploads({ deps: testApp.deps })).toMatchObject({
      orphans: 0,
      resumable: 1,
    })
    expect(testApp.blobs.openUploads()).toBe(2)

    testApp.clock.advance(ORPHAN_GRACE_MS)
    const result = await cleanupExpiredUploads({ deps: testApp.deps })
    expect(result).toMatchObject({
      uploads: 0,
      orphans: 1,
      orphanBytes: 1234,
      resumable: 1,
      resumableBytes: PART_SIZE,
    })
    expect(testApp.blobs.openUploads()).toBe(1)
    expect(uploadCleanupLine(result)).toBe(
      'unfinished uploads: removed 1 whose session is gone (1234 bytes, 1.2 KB; 1 of them had no ' +
        'session row), kept 1 that can still be resumed (8388608 bytes, 8 MB)',
    )
  })
})

describe('the janitor job (src/jobs.ts)', () => {
  it('runs at start-up on Node and logs a line with the count and bytes, even when nothing went', async () => {
    const { testApp } = await halfUploaded()
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    expect(janitor.atStart).toBeDefined()
    await janitor.atStart!(testApp.deps)
    expect(log.mock.calls.map((call) => String(call[0]))).toEqual([
      'unfinished uploads: removed 0 whose session is gone (0 bytes, 0 B), ' +
        'kept 1 that can still be resumed (8388608 bytes, 8 MB)',
    ])
  })

  it('on its interval (and the Workers cron) logs only when it removed something', async () => {
    const { testApp } = await halfUploaded()
    const log = vi.spyOn(console, 'log').mockImplementation(() => {})
    await janitor.run(testApp.deps)
    expect(log).not.toHaveBeenCalled()
    testApp.clock.advance(UPLOAD_IDLE_TTL_MS)
    expect(await janitor.run(testApp.deps)).toMatchObject({ uploads: 1, bytes: PART_SIZE })
    expect(log.mock.calls.map((call) => String(call[0]))).toEqual([
      expect.stringMatching(/^unfinished uploads: removed 1 whose session is gone \(8388608 bytes/),
    ])
  })
})

async function ownerHash(testApp: Awaited<ReturnType<typeof halfUploaded>>['testApp'], id: string) {
  const owner = await testApp.deps.db
    .selectFrom('members')
    .select('password_hash')
    .where('workspace_id', '=', id)
    .where('role', '=', 'owner')
    .executeTakeFirst()
  return owner?.password_hash
}
