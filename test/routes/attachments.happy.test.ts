import { describe, expect, it } from 'vitest'
import { MAX_ATTACHMENT_BYTES, PART_SIZE } from '../../src/attachments/attachments.rules'
import {
  attachmentsForMessage,
  cleanupExpiredUploads,
} from '../../src/attachments/attachments.usecases'
import { openAsGuest, setupBoard } from './guest.helpers'
import { countRows, fileBytes, sha256, uploadClient } from './attachments.helpers'

const DAY = 24 * 60 * 60 * 1000

async function memberSetup(options: Parameters<typeof setupBoard>[0] = {}) {
  const setup = await setupBoard(options)
  const uploads = uploadClient(
    setup.testApp,
    setup.staffUrl,
    setup.member.cookie,
    setup.member.csrf,
  )
  return { ...setup, uploads }
}

describe('upload protocol (member)', () => {
  it('announces the part size and count, stores parts in any order, completes with SHA-256', async () => {
    const { testApp, uploads } = await memberSetup()
    const bytes = fileBytes(PART_SIZE * 2 + 1234)
    const started = await uploads.start({
      name: '入稿データ.pdf',
      size: bytes.byteLength,
      type: 'application/pdf',
    })
    expect(started.status).toBe(201)
    const session = (await started.json()) as {
      upload_id: string
      part_size: number
      parts: number
    }
    expect(session).toMatchObject({ part_size: PART_SIZE, parts: 3 })

    expect((await uploads.part(session.upload_id, 3, bytes.slice(2 * PART_SIZE))).status).toBe(200)
    expect((await uploads.part(session.upload_id, 1, bytes.slice(0, PART_SIZE))).status).toBe(200)

    // resume: the listing says which parts the server holds
    const listing = (await (await uploads.status(session.upload_id)).json()) as {
      stored: { part_number: number; size: number }[]
    }
    expect(listing.stored).toEqual([
      { part_number: 1, size: PART_SIZE },
      { part_number: 3, size: 1234 },
    ])
    expect(
      (await uploads.part(session.upload_id, 2, bytes.slice(PART_SIZE, 2 * PART_SIZE))).status,
    ).toBe(200)

    const completed = await uploads.complete(session.upload_id)
    expect(completed.status).toBe(200)
    const attachment = (await completed.json()) as {
      attachment_id: string
      sha256: string
      size: number
      name: string
    }
    expect(attachment).toMatchObject({
      sha256: sha256(bytes),
      size: bytes.byteLength,
      name: '入稿データ.pdf',
    })
    // the session is gone, the attachment waits (unsent) for its message
    expect(await countRows(testApp, 'uploads')).toBe(0)
    expect(await countRows(testApp, 'upload_parts')).toBe(0)
    const row = await testApp.deps.db
      .selectFrom('attachments')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row).toMatchObject({ message_id: null, sha256: sha256(bytes), type: 'application/pdf' })
    expect(row.blob_key).not.toContain('入稿')

    // completing again answers the same attachment
    const again = (await (await uploads.complete(session.upload_id)).json()) as {
      attachment_id: string
    }
    expect(again.attachment_id).toBe(attachment.attachment_id)
  })

  it('accepts a re-sent part (a retry after a dropped connection)', async () => {
    const { uploads } = await memberSetup()
    const bytes = fileBytes(5000)
    const { upload_id } = (await (await uploads.start({ name: 'a.bin', size: 5000 })).json()) as {
      upload_id: string
    }
    await uploads.part(upload_id, 1, fileBytes(5000, 9))
    await uploads.part(upload_id, 1, bytes)
    const done = (await (await uploads.complete(upload_id)).json()) as { sha256: string }
    expect(done.sha256).toBe(sha256(bytes))
  })

  it('accepts exactly the limit', async () => {
    const { uploads } = await memberSetup()
    const started = await uploads.start({
      name: 'big.mov',
      size: MAX_ATTACHMENT_BYTES,
      type: 'video/quicktime',
    })
    expect(started.status).toBe(201)
    expect(((await started.json()) as { parts: number }).parts).toBe(125)
  })

  it('sends files with a message, shows them in the thread and downloads them with the right headers', async () => {
    const { testApp, uploads, member, staffUrl } = await memberSetup()
    const pdf = fileBytes(3000)
    const png = fileBytes(2000, 3)
    const first = await uploads.upload('見積書 12月.pdf', pdf, 'application/pdf')
    const second = await uploads.upload('photo.png', png, 'image/png')

    const posted = await member.post(`${staffUrl}/messages`, {
      body: '資料をお送りします',
      attachment_ids: `${first.attachmentId},${second.attachmentId}`,
    })
    expect(posted.status).toBe(303)
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select(['id'])
      .executeTakeFirstOrThrow()
    const linked = await testApp.deps.db
      .selectFrom('attachments')
      .select(['message_id', 'internal'])
      .execute()
    expect(linked).toEqual([
      { message_id: message.id, internal: 0 },
      { message_id: message.id, internal: 0 },
    ])

    const page = await (await member.get(staffUrl)).text()
    expect(page).toContain('見積書 12月.pdf')
    expect(page).toContain('2.9 KB')
    expect(page).toContain(`${staffUrl}/attachments/${second.attachmentId}/thumb`)

    const download = await uploads.download(first.attachmentId)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="___ 12_.pdf"; filename*=UTF-8''${encodeURIComponent('見積書 12月.pdf')}`,
    )
    expect(download.headers.get('x-content-type-options')).toBe('nosniff')
    expect(download.headers.get('accept-ranges')).toBe('bytes')
    expect(download.headers.get('content-type')).toBe('application/pdf')
    expect(download.headers.get('content-length')).toBe('3000')
    expect(new Uint8Array(await download.arrayBuffer())).toEqual(pdf)

    const thumb = await uploads.thumb(second.attachmentId)
    expect(thumb.status).toBe(200)
    expect(thumb.headers.get('content-type')).toBe('image/png')
    expect(thumb.headers.get('content-disposition')).toMatch(/^inline;/)
    expect(thumb.headers.get('content-security-policy')).toMatch(/^default-src 'none'/)

    // emails get names and sizes
    const forMail = await attachmentsForMessage(testApp.deps, message.id)
    expect(forMail.map((file) => [file.name, file.sizeLabel]).sort()).toEqual([
      ['photo.png', '2 KB'],
      ['見積書 12月.pdf', '2.9 KB'],
    ])
  })

  it('serves single byte ranges (206) and refuses ranges past the end (416)', async () => {
    const { uploads } = await memberSetup()
    const bytes = fileBytes(1000)
    const { attachmentId } = await uploads.upload('a.bin', bytes)
    const middle = await uploads.download(attachmentId, { Range: 'bytes=100-199' })
    expect(middle.status).toBe(206)
    expect(middle.headers.get('content-range')).toBe('bytes 100-199/1000')
    expect(middle.headers.get('content-length')).toBe('100')
    expect(new Uint8Array(await middle.arrayBuffer())).toEqual(bytes.slice(100, 200))
    const suffix = await uploads.download(attachmentId, { Range: 'bytes=-10' })
    expect(suffix.status).toBe(206)
    expect(new Uint8Array(await suffix.arrayBuffer())).toEqual(bytes.slice(990))
    const open = await uploads.download(attachmentId, { Range: 'bytes=990-' })
    expect(open.headers.get('content-range')).toBe('bytes 990-999/1000')
    const beyond = await uploads.download(attachmentId, { Range: 'bytes=1000-' })
    expect(beyond.status).toBe(416)
    expect(beyond.headers.get('content-range')).toBe('bytes */1000')
    const several = await uploads.download(attachmentId, { Range: 'bytes=0-1,5-6' })
    expect(several.status).toBe(200)
  })

  it('cancels an upload: parts, multipart upload and row are gone', async () => {
    const { testApp, uploads } = await memberSetup()
    const { upload_id } = (await (
      await uploads.start({ name: 'a.bin', size: PART_SIZE + 10 })
    ).json()) as { upload_id: string }
    await uploads.part(upload_id, 1, fileBytes(PART_SIZE))
    expect((await uploads.cancel(upload_id)).status).toBe(204)
    expect(await countRows(testApp, 'uploads')).toBe(0)
    expect(await countRows(testApp, 'upload_parts')).toBe(0)
    expect(testApp.blobs.openUploads()).toBe(0)
    expect((await uploads.status(upload_id)).status).toBe(404)
  })

  it('cleans up abandoned sessions and never-sent files after a day, keeps sent files', async () => {
    const { testApp, uploads, member, staffUrl } = await memberSetup()
    const sent = await uploads.upload('sent.pdf', fileBytes(100))
    await member.post(`${staffUrl}/messages`, {
      body: '送ります',
      attachment_ids: sent.attachmentId,
    })
    await uploads.upload('never-sent.pdf', fileBytes(100))
    const { upload_id } = (await (
      await uploads.start({ name: 'half.bin', size: PART_SIZE + 10 })
    ).json()) as { upload_id: string }
    await uploads.part(upload_id, 1, fileBytes(PART_SIZE))

    expect(await cleanupExpiredUploads({ deps: testApp.deps })).toMatchObject({
      uploads: 0,
      unsent: 0,
      resumable: 1,
      resumableBytes: PART_SIZE,
    })
    testApp.clock.advance(DAY + 1000)
    expect(await cleanupExpiredUploads({ deps: testApp.deps })).toMatchObject({
      uploads: 1,
      bytes: PART_SIZE,
      unsent: 1,
      resumable: 0,
    })
    expect(await countRows(testApp, 'uploads')).toBe(0)
    expect(await countRows(testApp, 'upload_parts')).toBe(0)
    expect(testApp.blobs.openUploads()).toBe(0)
    const left = await testApp.deps.db
      .selectFrom('attachments')
      .select(['name', 'blob_key'])
      .execute()
    expect(left.map((row) => row.name)).toEqual(['sent.pdf'])
    expect(testApp.blobs.keys()).toEqual([left[0]!.blob_key])
  })
})

describe('upload protocol (customer)', () => {
  it('the customer uploads, replies with the file, and both sides can download it', async () => {
    const {
      testApp,
      uploads: memberUploads,
      linkPath,
      boardId,
      staffUrl,
      member,
    } = await memberSetup()
    const { client } = await openAsGuest(testApp, await linkPath())
    const guestUploads = uploadClient(testApp, `/g/${boardId}`, client.cookie, client.csrf)
    const bytes = fileBytes(4321)
    const { attachmentId } = await guestUploads.upload('不具合の写真.jpg', bytes, 'image/jpeg')
    const replied = await client.post(`/g/${boardId}/messages`, {
      body: '写真を送ります',
      attachment_ids: attachmentId,
    })
    expect(replied.status).toBe(303)

    const guestPage = await (await client.get(`/g/${boardId}`)).text()
    expect(guestPage).toContain('不具合の写真.jpg')
    expect(guestPage).toContain('4.2 KB')
    const staffPage = await (await member.get(staffUrl)).text()
    expect(staffPage).toContain('不具合の写真.jpg')

    const byGuest = await guestUploads.download(attachmentId)
    expect(byGuest.status).toBe(200)
    expect(new Uint8Array(await byGuest.arrayBuffer())).toEqual(bytes)
    expect(byGuest.headers.get('cache-control')).toBe('no-store')
    const byMember = await memberUploads.download(attachmentId)
    expect(byMember.status).toBe(200)
  })
})
