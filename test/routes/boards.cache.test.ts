// Thread messages and list rows are kept as rendered markup (views/fragments.ts). These tests
// look at a page, change what it shows, and look again: the second look must show the change.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

let testApp: TestApp
let member: Browserish
let slug: string

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
})

async function createBoard(name = '名刺 100枚') {
  const response = await member.post(`/w/${slug}/boards`, {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const page = async (url: string) => (await member.get(url)).text()

describe('pages rendered from kept markup show every change', () => {
  it('an edited message, twice in the same millisecond, with bodies of the same length', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データ第1稿です。' })
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .executeTakeFirstOrThrow()
    expect(await page(url)).toContain('校正データ第1稿です。')
    // the test clock stands still: both edits carry the same edited_at
    await member.post(`${url}/messages/${message.id}`, { body: '校正データ第2稿です。' })
    expect(await page(url)).toContain('校正データ第2稿です。')
    await member.post(`${url}/messages/${message.id}`, { body: '校正データ第3稿です。' })
    const html = await page(url)
    expect(html).toContain('校正データ第3稿です。')
    expect(html).not.toContain('第2稿')
  })

  it('the decided mark, the changed-since-decision note and the customer read receipt', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データ第2稿です。' })
    expect(await page(url)).not.toContain('decided-tag')
    await member.post(`${url}/messages`, { body: 'No.1 で確定', decides_no: '1' })
    expect(await page(url)).toContain('decided-tag')
    const decided = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('no', '=', 1)
      .executeTakeFirstOrThrow()
    await member.post(`${url}/messages/${decided.id}`, { body: '校正データ第3稿です。' })
    expect(await page(url)).toContain('決定後に編集されています')

    expect(await page(url)).not.toContain('read-receipt')
    await testApp.deps.db
      .updateTable('boards')
      .set({ guest_read_no: 2 })
      .where('id', '=', url.split('/').pop()!)
      .execute()
    expect(await page(url)).toContain('read-receipt')
  })

  it('the language a member switches to, on the board and in the list', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データです。' })
    expect(await page(url)).toContain('決定')
    expect(await page(`/w/${slug}/boards`)).toContain('新規')
    await member.post(`/w/${slug}/me/locale`, { locale: 'en', back: `/w/${slug}/boards` })
    const board = await page(url)
    expect(board).toMatch(/class="small decide"[^>]*>\s*Decide/)
    const list = await page(`/w/${slug}/boards`)
    expect(list).toContain('New')
    expect(list).not.toContain('新規')
  })

  it('a list row after its status, next contact date, name and unread state change', async () => {
    const url = await createBoard('名刺 100枚')
    const list = () => page(`/w/${slug}/boards`)
    expect(await list()).toContain('新規')
    await member.post(url, {
      status: 'on_hold',
      next_contact_on: '2026-12-07',
      next_contact_time: '',
      expires_on: '',
    })
    const after = await list()
    expect(after).toContain('保留')
    expect(after).toContain('2026/12/07')
    await testApp.deps.db.updateTable('boards').set({ name: '名刺 200枚' }).execute()
    expect(await list()).toContain('名刺 200枚')
    // another member's post makes the board unread again for this member
    await testApp.deps.db
      .updateTable('boards')
      .set((eb) => ({ message_seq: eb('message_seq', '+', 1) }))
      .execute()
    expect(await list()).toContain('is-unread')
  })
})

describe('kept markup is the same for every viewer', () => {
  it("never carries one member's CSRF token or name to another member", async () => {
    const { createMember } = await import('../../src/workspaces/workspaces.usecases')
    const owner = await testApp.deps.db
      .selectFrom('workspaces')
      .selectAll()
      .executeTakeFirstOrThrow()
    await createMember({
      deps: testApp.deps,
      workspace: owner,
      input: {
        email: 'staff@example.jp',
        name: 'スタッフ二号',
        password: 'correct horse battery',
        role: 'member',
      },
    })
    const other = await loginAs(testApp, 'staff@example.jp', 'correct horse battery')
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データです。' })
    const first = await page(url) // the owner's view fills the cache
    await page(`/w/${slug}/boards`)
    for (const path of [url, `/w/${slug}/boards`]) {
      const html = await (await other.get(path)).text()
      expect(html).toContain(other.csrf)
      expect(html).not.toContain(member.csrf)
    }
    expect(first).toContain(member.csrf)
    expect(first).not.toContain(other.csrf)
  })
})
