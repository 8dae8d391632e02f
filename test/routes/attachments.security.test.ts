import { describe, expect, it } from 'vitest'
import { applyAttachmentRetention } from '../../src/attachments/attachments.usecases'
import { createTestWorkspace, loginAs } from '../helpers/app'
import { openAsGuest, setupBoard } from './guest.helpers'
import { countRows, fileBytes, uploadClient } from './attachments.helpers'

const DAY = 24 * 60 * 60 * 1000

async function twoSides() {
  const setup = await setupBoard()
  const memberUploads = uploadClient(
    setup.testApp,
    setup.staffUrl,
    setup.member.cookie,
    setup.member.csrf,
  )
  const { client } = await openAsGuest(setup.testApp, await setup.linkPath())
  const guestBase = `/g/${setup.boardId}`
  const guestUploads = uploadClient(setup.testApp, guestBase, client.cookie, client.csrf)
  return { ...setup, memberUploads, guest: client, guestBase, guestUploads }
}

/** A member file sent with a public message and one sent with an internal note. */
async function sentFiles(sides: Awaited<ReturnType<typeof twoSides>>) {
  const publicFile = await sides.memberUploads.upload('proof.pdf', fileBytes(100))
  await sides.member.post(`${sides.staffUrl}/messages`, {
    body: '校正です',
    attachment_ids: publicFile.attachmentId,
  })
  const internalFile = await sides.memberUploads.upload('原価表.xlsx', fileBytes(100))
  await sides.member.post(`${sides.staffUrl}/messages`, {
    body: '社内: 原価',
    internal: '1',
    attachment_ids: internalFile.attachmentId,
  })
  return { publicFile, internalFile }
}

describe('who may reach a file', () => {
  it('never gives an internal note’s file to the customer, neither in the page nor by id', async () => {
    const sides = await twoSides()
    const { publicFile, internalFile } = await sentFiles(sides)
    const page = await (await sides.guest.get(sides.guestBase)).text()
    expect(page).toContain('proof.pdf')
    expect(page).not.toContain('原価表.xlsx')
    expect(page).not.toContain(internalFile.attachmentId)
    expect((await sides.guestUploads.download(publicFile.attachmentId)).status).toBe(200)
    expect((await sides.guestUploads.download(internalFile.attachmentId)).status).toBe(404)
    expect((await sides.memberUploads.download(internalFile.attachmentId)).status).toBe(200)
    const row = await sides.testApp.deps.db
      .selectFrom('attachments')
      .select('internal')
      .where('id', '=', internalFile.attachmentId)
      .executeTakeFirstOrThrow()
    expect(row.internal).toBe(1)
  })

  it('gives the customer nothing unsent, nothing of another board, nothing without the cookie', async () => {
    const sides = await twoSides()
    const unsent = await sides.memberUploads.upload('draft.pdf', fileBytes(10))
    expect((await sides.guestUploads.download(unsent.attachmentId)).status).toBe(404)

    const { publicFile } = await sentFiles(sides)
    const other = await setupBoard({ testApp: sides.testApp, slug: 'other-shop' })
    const { client: otherGuest } = await openAsGuest(sides.testApp, await other.linkPath())
    // the other board's customer, through their own board's URL and through ours
    const viaOwn = uploadClient(
      sides.testApp,
      `/g/${other.boardId}`,
      otherGuest.cookie,
      otherGuest.csrf,
    )
    expect((await viaOwn.download(publicFile.attachmentId)).status).toBe(404)
    const viaOurs = uploadClient(sides.testApp, sides.guestBase, otherGuest.cookie, otherGuest.csrf)
    expect((await viaOurs.download(publicFile.attachmentId)).status).toBe(404)
    const anonymous = await sides.testApp.app.request(
      `${sides.guestBase}/attachments/${publicFile.attachmentId}`,
    )
    expect(anonymous.status).toBe(404)
  })

  it('after expiry the customer can neither download nor upload (410); members still can', async () => {
    const sides = await twoSides()
    const { publicFile } = await sentFiles(sides)
    sides.testApp.clock.advance(31 * DAY)
    expect((await sides.guestUploads.download(publicFile.attachmentId)).status).toBe(410)
    expect((await sides.guestUploads.start({ name: 'late.jpg', size: 10 })).status).toBe(410)
    // (the member's session has run out meanwhile: log in again)
    const member = await loginAs(sides.testApp, sides.memberEmail, 'correct horse battery')
    const memberUploads = uploadClient(sides.testApp, sides.staffUrl, member.cookie, member.csrf)
    expect((await memberUploads.download(publicFile.attachmentId)).status).toBe(200)
  })

  it('a closed board takes no customer uploads but its files stay downloadable until expiry', async () => {
    const sides = await twoSides()
    const { publicFile } = await sentFiles(sides)
    await sides.member.post(`${sides.staffUrl}/close`, {})
    expect((await sides.guestUploads.start({ name: 'late.jpg', size: 10 })).status).toBe(403)
    expect((await sides.guestUploads.download(publicFile.attachmentId)).status).toBe(200)
  })

  it('members of another workspace reach nothing, whatever ids they use', async () => {
    const sides = await twoSides()
    const { publicFile } = await sentFiles(sides)
    const intruder = await createTestWorkspace(sides.testApp, { slug: 'intruder' })
    const login = await loginAs(sides.testApp, intruder.email, intruder.password)
    // our board under their slug, and our slug with their session
    const theirSlug = uploadClient(
      sides.testApp,
      `/w/intruder/boards/${sides.boardId}`,
      login.cookie,
      login.csrf,
    )
    expect((await theirSlug.download(publicFile.attachmentId)).status).toBe(404)
    expect((await theirSlug.start({ name: 'x.bin', size: 10 })).status).toBe(404)
    const ourSlug = uploadClient(sides.testApp, sides.staffUrl, login.cookie, login.csrf)
    expect((await ourSlug.download(publicFile.attachmentId)).status).toBe(404)
  })

  it('a file is only reachable through its own board', async () => {
    const sides = await twoSides()
    const { publicFile } = await sentFiles(sides)
    const created = await sides.member.post(`/w/${sides.workspace.slug}/boards`, {
      name: '別の注文',
      customer_name: '鈴木',
      customer_email: 'suzuki@example.jp',
    })
    const otherBoard = created.headers.get('location')!
    const viaOther = uploadClient(sides.testApp, otherBoard, sides.member.cookie, sides.member.csrf)
    expect((await viaOther.download(publicFile.attachmentId)).status).toBe(404)
  })

  it('another member can neither touch my upload session nor send my file', async () => {
    const sides = await twoSides()
    const { createMember } = await import('../../src/workspaces/workspaces.usecases')
    await createMember({
      deps: sides.testApp.deps,
      workspace: sides.workspace,
      input: {
        email: 'colleague@example.com',
        name: '同僚',
        password: 'correct horse battery',
        role: 'member',
      },
    })
    const colleague = await loginAs(sides.testApp, 'colleague@example.com', 'correct horse battery')
    const theirs = uploadClient(sides.testApp, sides.staffUrl, colleague.cookie, colleague.csrf)
    const session = (await (
      await sides.memberUploads.start({ name: 'a.bin', size: 10 })
    ).json()) as { upload_id: string }
    expect((await theirs.part(session.upload_id, 1, fileBytes(10))).status).toBe(404)
    expect((await theirs.cancel(session.upload_id)).status).toBe(404)
    const mine = await sides.memberUploads.upload('mine.pdf', fileBytes(10))
    const stolen = await colleague.post(`${sides.staffUrl}/messages`, {
      body: 'x',
      attachment_ids: mine.attachmentId,
    })
    expect(stolen.status).toBe(422)
    // and the customer cannot send a member's file either
    const byGuest = await sides.guest.post(`${sides.guestBase}/messages`, {
      body: 'x',
      attachment_ids: mine.attachmentId,
    })
    expect(byGuest.status).toBe(422)
    expect(await countRows(sides.testApp, 'attachments')).toBe(1)
  })

  it('every change needs the CSRF token, for members and for the customer', async () => {
    const sides = await twoSides()
    const noTokenMember = uploadClient(sides.testApp, sides.staffUrl, sides.member.cookie, 'wrong')
    expect((await noTokenMember.start({ name: 'a.bin', size: 10 })).status).toBe(403)
    const noTokenGuest = uploadClient(sides.testApp, sides.guestBase, sides.guest.cookie, 'wrong')
    expect((await noTokenGuest.start({ name: 'a.bin', size: 10 })).status).toBe(403)
    const session = (await (
      await sides.guestUploads.start({ name: 'a.bin', size: 10 })
    ).json()) as { upload_id: string }
    expect((await noTokenGuest.part(session.upload_id, 1, fileBytes(10))).status).toBe(403)
    expect((await noTokenGuest.cancel(session.upload_id)).status).toBe(403)
    expect(await countRows(sides.testApp, 'upload_parts')).toBe(0)
  })
})

describe('what a download can do', () => {
  it('serves HTML and SVG as opaque attachments, never inline; no thumbnail for SVG', async () => {
    const sides = await twoSides()
    const html = await sides.memberUploads.upload(
      'evil.html',
      new TextEncoder().encode('<script>alert(1)</script>'),
      'text/html',
    )
    const svg = await sides.memberUploads.upload(
      'logo.svg',
      new TextEncoder().encode('<svg onload="alert(1)"/>'),
      'image/svg+xml',
    )
    for (const file of [html, svg]) {
      const response = await sides.memberUploads.download(file.attachmentId)
      expect(response.headers.get('content-type')).toBe('application/octet-stream')
      expect(response.headers.get('content-disposition')).toMatch(/^attachment;/)
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('content-security-policy')).toMatch(/^default-src 'none'/)
    }
    expect((await sides.memberUploads.thumb(svg.attachmentId)).status).toBe(404)
    expect((await sides.memberUploads.thumb(html.attachmentId)).status).toBe(404)
  })

  it('never puts the client’s file name into a storage path', async () => {
    const sides = await twoSides()
    await sides.memberUploads.upload('../../../etc/passwd', fileBytes(10))
    const row = await sides.testApp.deps.db
      .selectFrom('attachments')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(row.blob_key).toMatch(/^att\/[\w-]+\/[\w-]+$/)
    const response = await sides.memberUploads.download(row.id)
    // and the browser is offered only the base name (issue #21 point 6)
    expect(response.headers.get('content-disposition')).toBe(
      `attachment; filename="passwd"; filename*=UTF-8''passwd`,
    )
  })

  it('offers hostile names for download only as safe base names', async () => {
    const sides = await twoSides()
    const cases: Array<[string, string]> = [
      ['..\\..\\boot.ini', `filename="boot.ini"; filename*=UTF-8''boot.ini`],
      ['CON.txt', `filename="_CON.txt"; filename*=UTF-8''_CON.txt`],
      ['..', `filename="download"; filename*=UTF-8''download`],
      [
        '請求書\u202Efdp.exe',
        `filename="___fdp.exe"; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8fdp.exe`,
      ],
    ]
    for (const [name, expected] of cases) {
      const { attachmentId } = await sides.memberUploads.upload(name, fileBytes(10))
      const response = await sides.memberUploads.download(attachmentId)
      expect(response.headers.get('content-disposition'), name).toBe(`attachment; ${expected}`)
    }
  })

  it('a header-injection attempt in the name stays inside the quoted filename', async () => {
    const sides = await twoSides()
    const { attachmentId } = await sides.memberUploads.upload('a";\tx=1.pdf', fileBytes(10))
    const disposition = (await sides.memberUploads.download(attachmentId)).headers.get(
      'content-disposition',
    )!
    expect(disposition.startsWith('attachment; filename="a__')).toBe(true)
    expect(disposition.split('"').length).toBe(3)
  })
})

describe('retention', () => {
  it('removes contents N days after the board expires and leaves a stub on both sides', async () => {
    const sides = await twoSides()
    const { publicFile } = await sentFiles(sides)
    await sides.testApp.deps.db
      .updateTable('workspaces')
      .set({ attachment_retention_days: 7 })
      .where('id', '=', sides.workspace.id)
      .execute()
    sides.testApp.clock.advance(30 * DAY + 6 * DAY)
    expect(await applyAttachmentRetention({ deps: sides.testApp.deps })).toEqual({ removed: 0 })
    const member = await loginAs(sides.testApp, sides.memberEmail, 'correct horse battery')
    // the page as seen before: its thread markup is kept, and must not outlive the files
    expect(await (await member.get(sides.staffUrl)).text()).not.toContain(
      'ファイルは削除されました',
    )
    sides.testApp.clock.advance(2 * DAY)
    expect(await applyAttachmentRetention({ deps: sides.testApp.deps })).toEqual({ removed: 2 })
    expect(sides.testApp.blobs.keys()).toEqual([])
    const memberUploads = uploadClient(sides.testApp, sides.staffUrl, member.cookie, member.csrf)
    const response = await memberUploads.download(publicFile.attachmentId)
    expect(response.status).toBe(410)
    const page = await (await member.get(sides.staffUrl)).text()
    expect(page).toContain('ファイルは削除されました')
    expect(page).toContain('proof.pdf')
  })

  it('is set on the settings page; blank turns it off', async () => {
    const sides = await twoSides()
    const base = {
      name: 'テスト印刷',
      time_zone: 'Asia/Tokyo',
      locale: 'ja',
      expiry_days: '30',
      contact_email: '',
      contact_phone: '',
    }
    const page = await (await sides.member.get(`/w/${sides.workspace.slug}/settings`)).text()
    expect(page).toContain('name="attachment_retention_days"')
    const saved = await sides.member.post(`/w/${sides.workspace.slug}/settings`, {
      ...base,
      attachment_retention_days: '14',
    })
    expect(saved.status).toBe(303)
    const read = () =>
      sides.testApp.deps.db
        .selectFrom('workspaces')
        .select('attachment_retention_days')
        .where('id', '=', sides.workspace.id)
        .executeTakeFirstOrThrow()
    expect((await read()).attachment_retention_days).toBe(14)
    expect(
      (
        await sides.member.post(`/w/${sides.workspace.slug}/settings`, {
          ...base,
          attachment_retention_days: '-3',
        })
      ).status,
    ).toBe(422)
    expect((await read()).attachment_retention_days).toBe(14)
    await sides.member.post(`/w/${sides.workspace.slug}/settings`, {
      ...base,
      attachment_retention_days: '',
    })
    expect((await read()).attachment_retention_days).toBeNull()
  })

  it('is off by default', async () => {
    const sides = await twoSides()
    await sentFiles(sides)
    sides.testApp.clock.advance(400 * DAY)
    expect(await applyAttachmentRetention({ deps: sides.testApp.deps })).toEqual({ removed: 0 })
  })
})
