import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { MAX_ATTACHMENT_BYTES, PART_SIZE } from '../../src/attachments/attachments.rules'
import { cleanupExpiredUploads } from '../../src/attachments/attachments.usecases'
import { createDiskBlobStore } from '../../src/platform/node/blobs-disk'
import { BlobStoreError } from '../../src/attachments/blob-errors'
import { createTestApp } from '../helpers/app'
import { setupBoard } from './guest.helpers'
import { countRows, fileBytes, uploadClient } from './attachments.helpers'

const DAY = 24 * 60 * 60 * 1000
const temporary: string[] = []
afterAll(() => {
  for (const dir of temporary) {
    try {
      execFileSync('umount', [dir], { stdio: 'ignore' })
    } catch {
      // not a mount point
    }
    rmSync(dir, { recursive: true, force: true })
  }
})

function tempDir(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  temporary.push(dir)
  return dir
}

function filesUnder(dir: string) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
}

async function memberSetup(options: Parameters<typeof setupBoard>[0] = {}) {
  const setup = await setupBoard(options)
  return {
    ...setup,
    uploads: uploadClient(setup.testApp, setup.staffUrl, setup.member.cookie, setup.member.csrf),
  }
}

async function errorOf(response: Response) {
  return ((await response.json()) as { error: { code: string; message: string } }).error
}

async function started(response: Response) {
  if (response.status !== 201) throw new Error(`start answered ${response.status}`)
  return (await response.json()) as { upload_id: string; parts: number }
}

describe('upload limits', () => {
  it('refuses the limit + 1 byte with 413 before any byte is sent, in the user’s language', async () => {
    const { testApp, uploads } = await memberSetup()
    const refused = await uploads.start({ name: 'huge.mov', size: MAX_ATTACHMENT_BYTES + 1 })
    expect(refused.status).toBe(413)
    const error = await errorOf(refused)
    expect(error.code).toBe('file_too_large')
    expect(error.message).toBe('ファイルが大きすぎます。1ファイル 1000 MB までです。')
    expect(await countRows(testApp, 'uploads')).toBe(0)

    const english = await memberSetup({ locale: 'en' })
    const refusedEn = await english.uploads.start({
      name: 'huge.mov',
      size: MAX_ATTACHMENT_BYTES + 1,
    })
    expect(refusedEn.status).toBe(413)
    expect((await errorOf(refusedEn)).message).toBe(
      'This file is too large. Each file can be up to 1000 MB.',
    )
  })

  it('refuses empty files and bad announcements with 422', async () => {
    const { uploads } = await memberSetup()
    expect((await uploads.start({ name: 'empty.txt', size: 0 })).status).toBe(422)
    expect((await uploads.start({ name: '', size: 10 })).status).toBe(422)
    expect((await uploads.start({ name: 'a\u0000b', size: 10 })).status).toBe(422)
    expect((await uploads.start({ name: 'a.bin', size: 1.5 })).status).toBe(422)
    expect((await uploads.start({ name: 'a.bin', size: -1 })).status).toBe(422)
  })

  it('refuses a part longer than its share with 413 as soon as it passes the limit, and keeps nothing of it', async () => {
    const { testApp, uploads } = await memberSetup()
    const { upload_id } = await started(
      await uploads.start({ name: 'a.bin', size: PART_SIZE + 100 }),
    )
    // no Content-Length: the body is cut off while streaming
    const tooLong = await uploads.part(upload_id, 2, fileBytes(101))
    expect(tooLong.status).toBe(413)
    expect((await errorOf(tooLong)).message).toContain('100')
    const declared = await uploads.part(upload_id, 1, fileBytes(10), {
      'Content-Length': String(PART_SIZE + 1),
    })
    expect([413, 422]).toContain(declared.status)
    expect(await countRows(testApp, 'upload_parts')).toBe(0)
  })

  it('refuses a short part with 422 and does not list it', async () => {
    const { uploads } = await memberSetup()
    const { upload_id } = await started(
      await uploads.start({ name: 'a.bin', size: PART_SIZE + 100 }),
    )
    const short = await uploads.part(upload_id, 1, fileBytes(PART_SIZE - 1))
    expect(short.status).toBe(422)
    expect((await errorOf(short)).code).toBe('part_size')
    const listing = (await (await uploads.status(upload_id)).json()) as { stored: unknown[] }
    expect(listing.stored).toEqual([])
  })

  it('refuses part numbers outside 1…parts', async () => {
    const { uploads } = await memberSetup()
    const { upload_id } = await started(await uploads.start({ name: 'a.bin', size: 100 }))
    expect((await uploads.part(upload_id, 0, fileBytes(100))).status).toBe(422)
    expect((await uploads.part(upload_id, 2, fileBytes(100))).status).toBe(422)
  })

  it('refuses to complete while parts are missing, naming them', async () => {
    const { testApp, uploads } = await memberSetup()
    const { upload_id } = await started(
      await uploads.start({ name: 'a.bin', size: 2 * PART_SIZE + 5 }),
    )
    await uploads.part(upload_id, 2, fileBytes(PART_SIZE))
    const refused = await uploads.complete(upload_id)
    expect(refused.status).toBe(409)
    expect((await errorOf(refused)).message).toContain('1, 3')
    expect(await countRows(testApp, 'attachments')).toBe(0)
  })

  it('answers 410 for an expired session and 404 for a cancelled one', async () => {
    const { testApp, uploads } = await memberSetup()
    const first = await started(await uploads.start({ name: 'a.bin', size: 100 }))
    const second = await started(await uploads.start({ name: 'b.bin', size: 100 }))
    await uploads.cancel(second.upload_id)
    expect((await uploads.part(second.upload_id, 1, fileBytes(100))).status).toBe(404)
    testApp.clock.advance(DAY + 1)
    expect((await uploads.part(first.upload_id, 1, fileBytes(100))).status).toBe(410)
    expect((await uploads.status(first.upload_id)).status).toBe(410)
  })

  it('limits the files in flight per uploader and board', async () => {
    const { uploads } = await memberSetup()
    for (let i = 0; i < 20; i++)
      expect((await uploads.start({ name: `f${i}.bin`, size: 10 })).status).toBe(201)
    const refused = await uploads.start({ name: 'one-more.bin', size: 10 })
    expect(refused.status).toBe(429)
    expect(refused.headers.get('retry-after')).toBe('60')
  })

  it('posts nothing when an attachment id is unknown or already sent', async () => {
    const { testApp, uploads, member, staffUrl } = await memberSetup()
    const { attachmentId } = await uploads.upload('a.pdf', fileBytes(10))
    const unknown = await member.post(
      `${staffUrl}/messages`,
      { body: 'x', attachment_ids: 'no-such-file' },
      { 'HX-Request': 'true' },
    )
    expect(unknown.status).toBe(422)
    expect(await unknown.text()).toContain('添付ファイルが見つからないか')
    expect(await countRows(testApp, 'attachments')).toBe(1)
    expect(
      (await member.post(`${staffUrl}/messages`, { body: 'first', attachment_ids: attachmentId }))
        .status,
    ).toBe(303)
    const again = await member.post(`${staffUrl}/messages`, {
      body: 'second',
      attachment_ids: attachmentId,
    })
    expect(again.status).toBe(422)
    const messages = await testApp.deps.db.selectFrom('messages').select('body').execute()
    expect(messages.map((m) => m.body)).toEqual(['first'])
  })
})

describe('disk store failures', () => {
  /** A tiny tmpfs where the kernel allows mounting one, else a store that fails writes past N bytes. */
  function fullDisk(bytes: number, injected: boolean) {
    const root = tempDir('ob-full-')
    try {
      if (injected) throw new Error('asked for the injected failure')
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', root], {
        stdio: 'ignore',
      })
      console.info(`disk-full test: real tmpfs of ${bytes} bytes at ${root}`)
      return { root, store: createDiskBlobStore({ root }), real: true }
    } catch {
      console.info(
        `disk-full test: injected ENOSPC after ${bytes} bytes (asked for, or mounting not permitted)`,
      )
      return { root, store: createDiskBlobStore({ root, failAfterBytes: bytes }), real: false }
    }
  }

  for (const injected of [false, true]) {
    it(`a full disk (${injected ? 'injected ENOSPC' : 'tmpfs where permitted'}) answers 507, leaves no partial file and no dangling row`, async () => {
      const disk = fullDisk(PART_SIZE + PART_SIZE / 2, injected)
      const testApp = createTestApp({ blobs: disk.store })
      const { uploads } = await memberSetup({ testApp })
      const { upload_id } = await started(
        await uploads.start({ name: 'big.bin', size: 3 * PART_SIZE }),
      )
      expect((await uploads.part(upload_id, 1, fileBytes(PART_SIZE))).status).toBe(200)
      const full = await uploads.part(upload_id, 2, fileBytes(PART_SIZE))
      expect(full.status).toBe(507)
      expect((await errorOf(full)).message).toContain('保存領域が不足')
      // only part 1 counts; no part row for the failed one; no object visible
      const listing = (await (await uploads.status(upload_id)).json()) as {
        stored: { part_number: number }[]
      }
      expect(listing.stored.map((part) => part.part_number)).toEqual([1])
      expect(await countRows(testApp, 'attachments')).toBe(0)
      expect(filesUnder(disk.root).filter((file) => file.includes('/objects/'))).toEqual([])

      expect((await uploads.cancel(upload_id)).status).toBe(204)
      expect(await countRows(testApp, 'uploads')).toBe(0)
      expect(await countRows(testApp, 'upload_parts')).toBe(0)
      expect(filesUnder(disk.root)).toEqual([])
    })
  }

  it('a store that fails while completing creates no attachment, and the session can complete later', async () => {
    const root = tempDir('ob-complete-')
    let failing = false
    const healthy = createDiskBlobStore({ root })
    const store = {
      ...healthy,
      completeMultipart: async (...args: Parameters<typeof healthy.completeMultipart>) => {
        if (failing) throw new BlobStoreError('no_space', 'the disk is full')
        return healthy.completeMultipart(...args)
      },
    }
    const testApp = createTestApp({ blobs: store })
    const { uploads } = await memberSetup({ testApp })
    const { upload_id } = await started(await uploads.start({ name: 'a.bin', size: 1000 }))
    await uploads.part(upload_id, 1, fileBytes(1000))
    failing = true
    expect((await uploads.complete(upload_id)).status).toBe(507)
    expect(await countRows(testApp, 'attachments')).toBe(0)
    expect(filesUnder(root).filter((file) => file.includes('/objects/'))).toEqual([])
    failing = false
    expect((await uploads.complete(upload_id)).status).toBe(200)
    expect(filesUnder(root).map((file) => file.slice(root.length))).toEqual([
      expect.stringMatching(/^\/objects\/att\//),
    ])
  })

  it('an abandoned upload leaves no file and no row once cleanup has run', async () => {
    const root = tempDir('ob-abandon-')
    const testApp = createTestApp({ blobs: createDiskBlobStore({ root }) })
    const { uploads } = await memberSetup({ testApp })
    const { upload_id } = await started(await uploads.start({ name: 'a.bin', size: 2 * PART_SIZE }))
    await uploads.part(upload_id, 1, fileBytes(PART_SIZE))
    await uploads.upload('finished-never-sent.bin', fileBytes(500))
    expect(filesUnder(root).length).toBeGreaterThan(0)
    testApp.clock.advance(DAY + 1)
    await cleanupExpiredUploads({ deps: testApp.deps })
    expect(filesUnder(root)).toEqual([])
    expect(await countRows(testApp, 'uploads')).toBe(0)
    expect(await countRows(testApp, 'upload_parts')).toBe(0)
    expect(await countRows(testApp, 'attachments')).toBe(0)
  })
})
