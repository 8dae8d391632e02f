import { describe, expect, it } from 'vitest'
import { PART_SIZE } from '../../src/attachments/attachments.rules'
import { openAsGuest, setupBoard } from './guest.helpers'
import { fileBytes, sha256, uploadClient } from './attachments.helpers'

// Issue 15, point 9: an upload survives a reload. The page keeps the upload id and the file's
// name, size and lastModified (views/static/uploads.js); after the reload it asks the server
// which parts it holds and sends only the rest. Errors come in the reader's language.

const DAY = 24 * 60 * 60 * 1000

type Listing = {
  upload_id: string
  status: string
  name: string
  size: number
  part_size: number
  parts: number
  stored: { part_number: number; size: number }[]
  attachment_id: string | null
}

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

describe('resuming an upload after a reload', () => {
  it('lists the stored parts, takes only the missing ones, and completes the same file', async () => {
    const { uploads, testApp } = await memberSetup()
    const bytes = fileBytes(PART_SIZE * 2 + 777)
    const started = (await (
      await uploads.start({ name: '入稿データ.ai', size: bytes.byteLength })
    ).json()) as { upload_id: string; parts: number }
    expect(started.parts).toBe(3)
    // Part 1 arrived; parts 2 and 3 were on their way when the page was reloaded.
    expect((await uploads.part(started.upload_id, 1, bytes.slice(0, PART_SIZE))).status).toBe(200)

    // The reloaded page asks what the server holds (and must not be served from a cache).
    const listed = await uploads.status(started.upload_id)
    expect(listed.status).toBe(200)
    expect(listed.headers.get('Cache-Control')).toBe('no-store')
    const listing = (await listed.json()) as Listing
    expect(listing).toEqual({
      upload_id: started.upload_id,
      status: 'open',
      name: '入稿データ.ai',
      size: bytes.byteLength,
      part_size: PART_SIZE,
      parts: 3,
      stored: [{ part_number: 1, size: PART_SIZE }],
      attachment_id: null,
    })

    // Hours later (within the day an idle upload is kept) the same file is picked again.
    testApp.clock.advance(6 * 60 * 60 * 1000)
    for (const n of [2, 3]) {
      const part = bytes.slice((n - 1) * PART_SIZE, n * PART_SIZE)
      expect((await uploads.part(started.upload_id, n, part)).status).toBe(200)
    }
    const done = (await (await uploads.complete(started.upload_id)).json()) as {
      attachment_id: string
      sha256: string
    }
    expect(done.sha256).toBe(sha256(bytes))
    // Asked again (a second tab, a late reload), the upload says it is finished.
    const after = (await (await uploads.status(started.upload_id)).json()) as Listing
    expect(after).toMatchObject({ status: 'complete', attachment_id: done.attachment_id })
  })

  it('an upload left idle for a day is gone, said in the member’s language', async () => {
    const { uploads, testApp, member, workspace } = await memberSetup()
    const { upload_id } = (await (await uploads.start({ name: 'a.bin', size: 10 })).json()) as {
      upload_id: string
    }
    testApp.clock.advance(DAY + 1000)
    const gone = await uploads.status(upload_id)
    expect(gone.status).toBe(410)
    expect(await gone.json()).toMatchObject({
      error: {
        code: 'upload_gone',
        message:
          'このアップロードは取り消されたか、期限が切れました。もう一度ファイルを選んでください。',
      },
    })
    await member.post(`/w/${workspace.slug}/me/locale`, { locale: 'en' })
    const english = await uploads.status(upload_id)
    expect(((await english.json()) as { error: { message: string } }).error.message).toBe(
      'This upload was cancelled or has expired. Please choose the file again.',
    )
  })

  it('the customer resumes too, and one board’s upload is nobody else’s', async () => {
    const { testApp, boardId, linkPath } = await memberSetup()
    const { client } = await openAsGuest(testApp, await linkPath())
    const guest = uploadClient(testApp, `/g/${boardId}`, client.cookie, client.csrf)
    const bytes = fileBytes(PART_SIZE + 5)
    const { upload_id } = (await (
      await guest.start({ name: '写真.jpg', size: bytes.byteLength })
    ).json()) as { upload_id: string }
    await guest.part(upload_id, 2, bytes.slice(PART_SIZE))
    const listing = (await (await guest.status(upload_id)).json()) as Listing
    expect(listing.stored).toEqual([{ part_number: 2, size: 5 }])

    // Another workspace's member, and the customer of another board, get a plain 404.
    const other = await memberSetup({ testApp, slug: 'other-shop' })
    const stranger = uploadClient(
      testApp,
      `${other.staffUrl}`,
      other.member.cookie,
      other.member.csrf,
    )
    expect((await stranger.status(upload_id)).status).toBe(404)
    const otherGuest = await openAsGuest(testApp, await other.linkPath())
    const strangerGuest = uploadClient(
      testApp,
      `/g/${other.boardId}`,
      otherGuest.client.cookie,
      otherGuest.client.csrf,
    )
    expect((await strangerGuest.status(upload_id)).status).toBe(404)
    expect((await strangerGuest.part(upload_id, 1, bytes.slice(0, PART_SIZE))).status).toBe(404)
  })
})

describe('the upload area of the composer', () => {
  it('carries the stall limit and every message the script needs, in the member’s language', async () => {
    const { member, staffUrl, workspace } = await memberSetup()
    const html = await (await member.get(staffUrl)).text()
    const texts = (page: string) =>
      JSON.parse(
        (/class="upload-zone"[^>]*data-i18n="([^"]*)"/.exec(page)?.[1] ?? '{}').replace(
          /&quot;/g,
          '"',
        ),
      ) as Record<string, string>
    expect(html).toMatch(/class="upload-zone"[^>]*data-stall-seconds="15"/)
    expect(texts(html)).toMatchObject({
      stalled: '止まっています: {seconds}秒間データが送れていません。自動で再試行します…',
      network: '接続が切れました。通信状態を確認して「再開」を押してください。',
      serverError: 'サーバーでエラーが起きました（{status}）。「再開」でやり直せます。',
      resumeOffer:
        '「{name}」のアップロードが途中です（{sent} / {size} 送信済み）。同じファイルを選ぶと続きから再開します。',
      resumeChoose: 'ファイルを選んで再開',
      resumeDiscard: '破棄',
    })
    await member.post(`/w/${workspace.slug}/me/locale`, { locale: 'en' })
    const english = texts(await (await member.get(staffUrl)).text())
    expect(english.stalled).toBe('Stalled: nothing sent for {seconds} s. Retrying…')
    expect(english.network).toBe('The connection dropped. Check your connection and press Resume.')
  })

  it('speaks the workspace’s language to the customer', async () => {
    const { testApp, linkPath } = await memberSetup({ locale: 'en', name: 'Sakura Print' })
    const { html } = await openAsGuest(testApp, await linkPath())
    expect(html).toContain('Choose the file to resume')
    expect(html).not.toContain('ファイルを選んで再開')
  })
})
