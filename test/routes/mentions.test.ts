// Mentions in internal notes (issue #17): rows in the note's batch, the mentioned member's email
// (their switch applies), the highlighted name, the メンション list with unread state — and never
// anything of it on the customer's side.
import { beforeEach, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { hashPassword } from '../../src/shared/crypto'
import { createTestWorkspace, loginAs, type Browserish, type TestApp } from '../helpers/app'
import { apiClient } from './api.helpers'
import { openAsGuest, setupBoard } from './guest.helpers'
import { addMember } from './notifications.helpers'

let testApp: TestApp
let owner: Browserish
let staffUrl: string
let boardId: string
let slug: string
let workspaceId: string
let sato: string

const PASSWORD = 'correct horse battery'

async function loginMember(id: string, email: string) {
  await testApp.deps.db
    .updateTable('members')
    .set({ password_hash: await hashPassword(PASSWORD) })
    .where('id', '=', id)
    .execute()
  return loginAs(testApp, email, PASSWORD)
}

const mentionRows = () =>
  testApp.deps.db.selectFrom('mentions').selectAll().orderBy('created_at').execute()

const note = (body: string) => owner.post(`${staffUrl}/messages`, { body, internal: '1' })

beforeEach(async () => {
  const setup = await setupBoard({ board: { name: '名刺 100枚' } })
  testApp = setup.testApp
  owner = setup.member
  staffUrl = setup.staffUrl
  boardId = setup.boardId
  slug = setup.workspace.slug
  workspaceId = setup.workspace.id
  sato = await addMember(testApp, workspaceId, { name: '佐藤 彩', email: 'aya@example.jp' })
  await addMember(testApp, workspaceId, { name: '佐藤', email: 'sato2@example.jp' })
})

describe('mentions in internal notes', () => {
  it('records the mention with the note, emails the member and highlights the name', async () => {
    expect((await note('@佐藤 彩 ロゴの色を確認してください')).status).toBe(303)
    const rows = await mentionRows()
    expect(rows).toHaveLength(1)
    expect(rows[0]).toMatchObject({ member_id: sato, board_id: boardId, read_at: null })

    await testApp.drain()
    const mail = testApp.mailer.sent.filter((m) => m.to === 'aya@example.jp')
    expect(mail).toHaveLength(1)
    expect(mail[0]!.subject).toBe('【メンション】名刺 100枚')
    expect(mail[0]!.text).toContain(
      'オーナー さんが「名刺 100枚」の社内メモであなたをメンションしました。',
    )
    expect(mail[0]!.text).toContain('@佐藤 彩 ロゴの色を確認してください')
    expect(mail[0]!.html).toContain(`http://orderboard.test${staffUrl}`)
    // the customer gets nothing for a note
    expect(testApp.mailer.sent.filter((m) => m.to === 'yamada@example.jp')).toEqual([])

    const page = await (await owner.get(staffUrl)).text()
    expect(page).toContain(
      `<mark class="mention" data-member-id="${sato}"><bdi>@佐藤 彩</bdi></mark>`,
    )
    expect(page).toContain('data-mention-members=')
  })

  it('takes the longest name, each member once, by email too; not the author, not a stranger', async () => {
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    await addMember(testApp, other.workspace.id, { name: '鈴木', email: 'suzuki@example.jp' })
    await note(
      '@佐藤 さんと @aya@example.jp さん、@佐藤 彩 さん。@オーナー @鈴木 @suzuki@example.jp',
    )
    const rows = await mentionRows()
    const names = await testApp.deps.db
      .selectFrom('members')
      .select(['id', 'name'])
      .where(
        'id',
        'in',
        rows.map((r) => r.member_id),
      )
      .orderBy('name')
      .execute()
    expect(names.map((n) => n.name).sort()).toEqual(['佐藤', '佐藤 彩'])
  })

  it('reads an edited note again: a new mention is notified once, an old one not again, a new #tag is added', async () => {
    await note('@佐藤 彩 ロゴの色を確認してください')
    const written = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('board_id', '=', boardId)
      .where('internal', '=', 1)
      .executeTakeFirstOrThrow()
    const edit = (body: string) => owner.post(`${staffUrl}/messages/${written.id}`, { body })
    expect(
      (await edit('@佐藤 彩 @sato2@example.jp ロゴの色を確認してください #色校正')).status,
    ).toBeLessThan(400)
    expect(
      (await edit('@佐藤 彩 @sato2@example.jp ロゴの色を確認してください #色校正')).status,
    ).toBeLessThan(400)
    const rows = await mentionRows()
    expect(rows).toHaveLength(2)
    await testApp.drain()
    const mentioned = (to: string) =>
      testApp.mailer.sent.filter((m) => m.to === to && m.subject.startsWith('【メンション】'))
    expect(mentioned('aya@example.jp')).toHaveLength(1)
    expect(mentioned('sato2@example.jp')).toHaveLength(1)
    const tags = await testApp.deps.db
      .selectFrom('board_tags as bt')
      .innerJoin('tags as t', 't.id', 'bt.tag_id')
      .select('t.name')
      .where('bt.board_id', '=', boardId)
      .execute()
    expect(tags).toEqual([{ name: '色校正' }])
    // a tag taken off the board stays off when the note is edited again for something else
    await testApp.deps.db.deleteFrom('board_tags').where('board_id', '=', boardId).execute()
    await edit('@佐藤 彩 @sato2@example.jp ロゴの色を確認しました #色校正')
    expect(
      await testApp.deps.db
        .selectFrom('board_tags')
        .selectAll()
        .where('board_id', '=', boardId)
        .execute(),
    ).toEqual([])
    // and nobody was mentioned twice
    expect(await mentionRows()).toHaveLength(2)
  })

  it('mentions nobody from a public message, and a mention never reaches the customer', async () => {
    await owner.post(`${staffUrl}/messages`, { body: '@佐藤 彩 さんが担当します' })
    expect(await mentionRows()).toEqual([])
    await note('@佐藤 彩 社内だけの話: 値引きは5%まで')
    const guest = await openAsGuest(testApp, await linkOf())
    expect(guest.html).not.toContain('値引きは5%まで')
    expect(guest.html).not.toContain('class="mention"')
    await testApp.drain()
    const toCustomer = testApp.mailer.sent.filter((m) => m.to === 'yamada@example.jp')
    expect(toCustomer.map((m) => m.text).join('\n')).not.toContain('値引き')
  })

  it('is never in the CSV of customer-visible messages; the API marks the note internal', async () => {
    await owner.post(`${staffUrl}/messages`, { body: 'ご注文ありがとうございます' })
    await note('@佐藤 彩 社内だけの話: 原価は300円')
    const csv = await (await owner.get(`/w/${slug}/exports/messages.csv?encoding=utf-8`)).text()
    expect(csv).toContain('ご注文ありがとうございます')
    expect(csv).not.toContain('原価')
    expect(csv).not.toContain('@佐藤 彩')
    const workspace = await testApp.deps.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', workspaceId)
      .executeTakeFirstOrThrow()
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace,
      name: 'shop',
      createdBy: null,
    })
    const api = apiClient(testApp, key)
    const listed = (await (await api.request('GET', `/boards/${boardId}/messages`)).json()) as {
      messages: { internal: boolean; body: string }[]
    }
    const notes = listed.messages.filter((m) => m.body.includes('原価'))
    expect(notes).toHaveLength(1)
    expect(notes[0]!.internal).toBe(true)
  })

  it('emails nobody whose mention switch is off, but still lists the mention', async () => {
    await testApp.deps.db
      .updateTable('members')
      .set({ notify_mention: 0 })
      .where('id', '=', sato)
      .execute()
    await note('@佐藤 彩 見ておいてください')
    await testApp.drain()
    expect(testApp.mailer.sent.filter((m) => m.to === 'aya@example.jp')).toEqual([])
    expect(await mentionRows()).toHaveLength(1)
  })

  it('shows in the member’s メンション list, unread until the board is opened', async () => {
    await note('@佐藤 彩 <b>太字</b> の件')
    const aya = await loginMember(sato, 'aya@example.jp')
    const list = await (await aya.get(`/w/${slug}/mentions`)).text()
    expect(list).toContain('（未読 1）')
    expect(list).toContain('class="card mention-item is-unread"')
    expect(list).toContain(`href="/w/${slug}/boards/${boardId}#m-1"`)
    expect(list).toContain('&lt;b&gt;太字&lt;/b&gt;')
    expect(list).not.toContain('<b>太字</b>')
    // the owner mentioned nobody of theirs
    expect(await (await owner.get(`/w/${slug}/mentions`)).text()).toContain(
      'メンションはまだありません。',
    )

    await aya.get(staffUrl)
    const after = await (await aya.get(`/w/${slug}/mentions`)).text()
    expect(after).not.toContain('is-unread')
    expect(after).not.toContain('（未読')
    expect((await mentionRows())[0]!.read_at).not.toBeNull()
  })

  it('offers members to the composer with their フリガナ, set on the own profile', async () => {
    const aya = await loginMember(sato, 'aya@example.jp')
    expect(
      (await aya.post(`/w/${slug}/me`, { name: '佐藤 彩', name_kana: 'さとう あや', locale: '' }))
        .status,
    ).toBe(303)
    const page = await (await owner.get(staffUrl)).text()
    const data = /data-mention-members="([^"]+)"/.exec(page)![1]!.replaceAll('&quot;', '"')
    expect(JSON.parse(data)).toContainEqual({
      id: sato,
      name: '佐藤 彩',
      kana: 'さとう あや',
      email: 'aya@example.jp',
    })
    // blank clears it
    await aya.post(`/w/${slug}/me`, { name: '佐藤 彩', name_kana: ' ', locale: '' })
    const row = await testApp.deps.db
      .selectFrom('members')
      .select('name_kana')
      .where('id', '=', sato)
      .executeTakeFirstOrThrow()
    expect(row.name_kana).toBeNull()
  })

  it('keeps another workspace out: its mentions page is a 404', async () => {
    await note('@佐藤 彩 確認お願いします')
    const other = await createTestWorkspace(testApp, { slug: 'elsewhere' })
    const stranger = await loginAs(testApp, other.email, other.password)
    expect((await stranger.get(`/w/${slug}/mentions`)).status).toBe(404)
    const own = await (await stranger.get(`/w/elsewhere/mentions`)).text()
    expect(own).not.toContain('確認お願いします')
  })
})

async function linkOf() {
  const { linkPath } = await import('./guest.helpers')
  return linkPath(testApp, boardId)
}
