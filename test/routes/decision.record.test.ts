import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { loadDecision, shortHash } from '../../src/messages/decision'
import { fileBytes, uploadClient } from './attachments.helpers'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'

// #15.4: the decision both sides can trust. The customer's page shows the text as decided (not
// as it reads now), who decided and when, the SHA-256 short form; an edit afterwards is marked
// on both sides with the original kept; the decided message's files belong to the record; a
// print view for the order file, from the staff board and from the customer's page.

const sha256Hex = (text: string | Uint8Array) => createHash('sha256').update(text).digest('hex')
const PROOF =
  '山田 太郎 様\n\n校正データ v2 です。ロゴは左上、紙はマット 220kg でよろしいでしょうか。'

/** A board whose No.1 (with a file) is decided by No.2, opened by the customer. */
async function decidedBoard(options: { locale?: 'ja' | 'en' } = {}) {
  const setup = await setupBoard({ locale: options.locale, name: 'さくら印刷' })
  const { testApp, member, staffUrl, boardId } = setup
  const files = uploadClient(testApp, staffUrl, member.cookie, member.csrf)
  const bytes = fileBytes(3000, 5)
  const { attachmentId } = await files.upload('proof-v2.pdf', bytes, 'application/pdf')
  expect(
    (await member.post(`${staffUrl}/messages`, { body: PROOF, attachment_ids: attachmentId }))
      .status,
  ).toBe(303)
  testApp.clock.advance(60_000)
  expect(
    (
      await member.post(`${staffUrl}/messages`, {
        body: 'No.1 の内容で確定いたしました。',
        decides_no: '1',
      })
    ).status,
  ).toBe(303)
  const guest = await openAsGuest(testApp, await setup.linkPath())
  return { ...setup, guest, attachmentId, fileSha: sha256Hex(bytes) }
}

async function messageId(setup: Awaited<ReturnType<typeof decidedBoard>>, no: number) {
  const row = await setup.testApp.deps.db
    .selectFrom('messages')
    .select('id')
    .where('board_id', '=', setup.boardId)
    .where('no', '=', no)
    .executeTakeFirstOrThrow()
  return row.id
}

describe('the decision on the customer side', () => {
  it('shows the frozen text, who decided and when, the SHA-256 short form and the files', async () => {
    const setup = await decidedBoard()
    const record = await setup.testApp.deps.db
      .selectFrom('decisions')
      .selectAll()
      .where('board_id', '=', setup.boardId)
      .executeTakeFirstOrThrow()
    // The hash is WebCrypto's SHA-256 of the UTF-8 text, stored with the record.
    expect(record.decided_sha256).toBe(sha256Hex(PROOF))
    expect(JSON.parse(record.decided_files ?? '[]')).toEqual([
      {
        id: setup.attachmentId,
        name: 'proof-v2.pdf',
        size: 3000,
        sha256: setup.fileSha,
        removed: 0,
      },
    ])

    const html = await (await setup.guest.client.get(`/g/${setup.boardId}`)).text()
    const card = html.slice(html.indexOf('id="decision-record"'), html.indexOf('id="guest-thread"'))
    expect(card).toContain('決定記録 · No.1')
    expect(card).toContain('決定した人: <bdi>オーナー</bdi>')
    expect(card).toContain('11月24日(火) 10:01') // 決定日時, written in the workspace's time zone
    expect(card).toContain('確定のメッセージ: No.2')
    expect(card).toContain(PROOF.split('\n')[2])
    expect(card).toContain(`>${shortHash(sha256Hex(PROOF))}<`)
    expect(shortHash(sha256Hex(PROOF))).toHaveLength(12)
    expect(card).toContain('proof-v2.pdf')
    expect(card).toContain(`SHA-256 ${setup.fileSha.slice(0, 12)}`)
    expect(card).toContain(`href="/g/${setup.boardId}/attachments/${setup.attachmentId}"`)
    expect(card).toContain(`href="/g/${setup.boardId}/decision"`)
    expect(card).not.toContain('決定後に編集されています')
  })

  it('after an edit both sides see 「決定後に編集されています」 and the customer still reads the original', async () => {
    const setup = await decidedBoard()
    const { testApp, member, staffUrl, boardId } = setup
    const decidedId = await messageId(setup, 1)
    testApp.clock.advance(60_000)
    const edited = await member.post(`${staffUrl}/messages/${decidedId}`, {
      body: '校正データ v3 です。紙はコート 180kg に変更しました。',
    })
    expect(edited.status).toBe(303)

    const guestHtml = await (await setup.guest.client.get(`/g/${boardId}`)).text()
    const card = guestHtml.slice(
      guestHtml.indexOf('id="decision-record"'),
      guestHtml.indexOf('id="guest-thread"'),
    )
    expect(card).toContain('決定後に編集されています')
    expect(card).toContain('マット 220kg') // the original, kept
    expect(card).not.toContain('コート 180kg')
    expect(card).toContain(`>${shortHash(sha256Hex(PROOF))}<`)
    // the thread shows the message as it reads now, marked, with a way to the original
    const thread = guestHtml.slice(guestHtml.indexOf('id="guest-thread"'))
    expect(thread).toContain('コート 180kg')
    expect(thread).toContain('class="guest-decided-changed" href="#decision-record"')

    const staffHtml = await (await member.get(staffUrl)).text()
    expect(staffHtml).toContain('✔ 決定 · 決定後に編集されています')
    const panel = staffHtml.slice(staffHtml.indexOf('id="decision-record"'))
    expect(panel).toContain('決定後に編集されています')
    expect(panel).toContain('マット 220kg')
    // and who edited it is in the audit log
    const audit = await testApp.deps.db
      .selectFrom('audit_log')
      .select(['action', 'target'])
      .where('action', '=', 'board.decision_edited')
      .execute()
    expect(audit).toEqual([{ action: 'board.decision_edited', target: '名刺 100枚 No.1' }])
  })

  it('speaks English on an English workspace, with ASCII brackets', async () => {
    const setup = await decidedBoard({ locale: 'en' })
    const html = await (await setup.guest.client.get(`/g/${setup.boardId}`)).text()
    expect(html).toContain('Decision record · No.1')
    expect(html).toContain('Decided by: <bdi>オーナー</bdi>')
    expect(html).toContain('Print view')
    const decidedId = await messageId(setup, 1)
    await setup.member.post(`${setup.staffUrl}/messages/${decidedId}`, { body: 'changed' })
    const after = await (await setup.guest.client.get(`/g/${setup.boardId}`)).text()
    expect(after).toContain('Edited after the decision')
    expect(after).toContain('<span class="guest-edited"> (edited)</span>')
    expect(after).not.toContain('（')
  })

  it('a decision while the page is open: the poller brings the record and marks the decided message', async () => {
    const setup = await setupBoard()
    const { testApp, member, staffUrl, boardId } = setup
    await member.post(`${staffUrl}/messages`, { body: PROOF })
    const guest = await openAsGuest(testApp, await setup.linkPath())
    expect(guest.html).toContain('<div id="guest-decision"></div>')
    await member.post(`${staffUrl}/messages`, { body: '確定します。', decides_no: '1' })
    const poll = await (
      await guest.client.get(`/g/${boardId}?after=1`, { 'HX-Request': 'true' })
    ).text()
    expect(poll).toContain('<div id="guest-decision" hx-swap-oob="true">')
    expect(poll).toContain('決定記録 · No.1')
    expect(poll).toContain('hx-swap-oob="outerHTML:#no-1"')
    expect(poll).toMatch(/id="no-1"[^>]*>[\s\S]*✔ 決定/)
  })

  it('a file removed later stays named in the record, without a download link', async () => {
    const setup = await decidedBoard()
    await setup.testApp.deps.db
      .updateTable('attachments')
      .set({ deleted_at: setup.testApp.deps.clock.now().getTime() })
      .where('id', '=', setup.attachmentId)
      .execute()
    const board = await findBoard(setup.testApp, setup.boardId)
    const decision = await loadDecision({ deps: setup.testApp.deps, board })
    expect(decision?.files).toMatchObject([
      { name: 'proof-v2.pdf', sha256: setup.fileSha, removed: true },
    ])
    const html = await (await setup.guest.client.get(`/g/${setup.boardId}`)).text()
    const card = html.slice(html.indexOf('id="decision-record"'), html.indexOf('id="guest-thread"'))
    expect(card).toContain('proof-v2.pdf')
    expect(card).toContain('保存期間の終了により削除済み')
    expect(card).not.toContain(`/attachments/${setup.attachmentId}"`)
  })

  it('a board without a decision shows no record and has no print view', async () => {
    const setup = await setupBoard()
    await setup.member.post(`${setup.staffUrl}/messages`, { body: 'ご確認ください。' })
    const guest = await openAsGuest(setup.testApp, await setup.linkPath())
    expect(guest.html).not.toContain('decision-record')
    expect((await guest.client.get(`/g/${setup.boardId}/decision`)).status).toBe(404)
    expect((await setup.member.get(`${setup.staffUrl}/decision`)).status).toBe(404)
  })
})

describe('the print view of the decision record', () => {
  it('from the customer page: one sheet with the record, in either language', async () => {
    const setup = await decidedBoard()
    const response = await setup.guest.client.get(`/g/${setup.boardId}/decision`)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const html = await response.text()
    expect(html).toContain('<html lang="ja">')
    expect(html).toContain('class="record-sheet"')
    expect(html).toContain('決定記録 · No.1')
    expect(html).toContain('山田 太郎 様')
    expect(html).toContain(sha256Hex(PROOF))
    expect(html).toContain(setup.fileSha)
    expect(html).toContain('data-print')
    expect(html).toContain(`href="/g/${setup.boardId}/decision?lang=en"`)
    // nothing a member alone may see, and never the link's secret
    expect(html).not.toContain('yamada@example.jp')
    expect(html).not.toContain((await setup.linkPath()).split('/').pop())
    const english = await (
      await setup.guest.client.get(`/g/${setup.boardId}/decision?lang=en`)
    ).text()
    expect(english).toContain('<html lang="en">')
    expect(english).toContain('Decision record · No.1')
    expect(english).toContain('Decided by')
  })

  it('from the staff board: the same record; another workspace gets 404', async () => {
    const setup = await decidedBoard()
    const html = await (await setup.member.get(`${setup.staffUrl}/decision`)).text()
    expect(html).toContain('決定記録 · No.1')
    expect(html).toContain(sha256Hex(PROOF))
    expect(html).toContain(`href="${setup.staffUrl}#decision-record"`)
    const other = await setupBoard({ testApp: setup.testApp, slug: 'other-shop' })
    expect((await other.member.get(`/w/other-shop/boards/${setup.boardId}/decision`)).status).toBe(
      404,
    )
  })

  it('without the board cookie the customer print view is 404; after expiry it is the ended page', async () => {
    const setup = await decidedBoard()
    expect((await setup.testApp.app.request(`/g/${setup.boardId}/decision`)).status).toBe(404)
    setup.testApp.clock.advance(400 * 24 * 3600_000)
    const ended = await setup.guest.client.get(`/g/${setup.boardId}/decision`)
    expect(ended.status).toBe(410)
    expect(await ended.text()).not.toContain('マット 220kg')
  })
})
