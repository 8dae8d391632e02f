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
let workspaceId: string

async function createBoard(fields: Record<string, string> = {}) {
  const response = await member.post(`/w/${slug}/boards`, {
    name: '名刺 100枚',
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
    ...fields,
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const boardRow = (url: string) =>
  testApp.deps.db
    .selectFrom('boards')
    .selectAll()
    .where('id', '=', url.split('/').pop()!)
    .executeTakeFirstOrThrow()

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  workspaceId = owner.workspace.id
  member = await loginAs(testApp, owner.email, owner.password)
})

describe('boards: happy paths', () => {
  it('creates a board with expiry 30 days out and status new', async () => {
    const url = await createBoard({ dedupe_key: 'ORD-1', message_id: '<order-1@shop.example>' })
    const board = await boardRow(url)
    expect(board).toMatchObject({
      status: 'new',
      dedupe_key: 'ORD-1',
      thread_message_id: '<order-1@shop.example>',
      workspace_id: workspaceId,
    })
    expect(board.expires_at - board.created_at).toBe(30 * 24 * 3600 * 1000)
    const page = await (await member.get(url)).text()
    expect(page).toContain('名刺 100枚')
    expect(page).toContain('新規')
  })

  it('numbers public messages, keeps internal notes unnumbered, and moves the status', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '最初のご連絡です' })
    await member.post(`${url}/messages`, { body: '社内向けメモ', internal: '1' })
    await member.post(`${url}/messages`, { body: '二通目です' })
    const messages = await testApp.deps.db
      .selectFrom('messages')
      .select(['no', 'internal', 'seq'])
      .orderBy('seq')
      .execute()
    expect(messages).toEqual([
      { no: 1, internal: 0, seq: 1 },
      { no: null, internal: 1, seq: 2 },
      { no: 2, internal: 0, seq: 3 },
    ])
    const board = await boardRow(url)
    expect(board.status).toBe('waiting')
    expect(board.last_no).toBe(2)
    const html = await (await member.get(url)).text()
    expect(html).toContain('No.1')
    expect(html).toContain('No.2')
    expect(html).not.toContain('No.3')
    expect(html).toContain('社内メモ')
  })

  it('an internal note changes no status and extends nothing', async () => {
    const url = await createBoard()
    const before = await boardRow(url)
    testApp.clock.advance(5 * 24 * 3600 * 1000)
    await member.post(`${url}/messages`, { body: 'メモ', internal: '1' })
    const after = await boardRow(url)
    expect(after.status).toBe('new')
    expect(after.expires_at).toBe(before.expires_at)
  })

  it('a public post pushes the expiry to post time + 30 days', async () => {
    const url = await createBoard()
    testApp.clock.advance(10 * 24 * 3600 * 1000)
    await member.post(`${url}/messages`, { body: 'ご確認ください' })
    const board = await boardRow(url)
    expect(board.expires_at).toBe(testApp.clock.now().getTime() + 30 * 24 * 3600 * 1000)
  })

  it('applies a template’s status on send', async () => {
    const url = await createBoard()
    const template = await testApp.deps.db
      .selectFrom('templates')
      .selectAll()
      .where('status', '=', 'on_hold')
      .executeTakeFirstOrThrow()
    const response = await member.post(`${url}/messages`, {
      body: '確認しております。12月1日までにご連絡いたします。',
      template_id: template.id,
    })
    expect(response.status).toBe(303)
    expect((await boardRow(url)).status).toBe('on_hold')
  })

  it('renders template buttons filled with the board’s values', async () => {
    const url = await createBoard()
    const html = await (await member.get(url)).text()
    expect(html).toContain('山田 花子 様')
    expect(html).toContain('data-template-id=')
    expect(html).toContain('data-decision-parts=')
  })

  it('records a decision: status done, decision_no, frozen text and SHA-256', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データ第2稿です。' })
    const response = await member.post(`${url}/messages`, {
      body: 'No.1 の内容で確定いたしました。',
      decides_no: '1',
    })
    expect(response.status).toBe(303)
    const board = await boardRow(url)
    expect(board.status).toBe('done')
    expect(board.decision_no).toBe(1)
    const decision = await testApp.deps.db
      .selectFrom('decisions')
      .selectAll()
      .executeTakeFirstOrThrow()
    expect(decision.decided_body).toBe('校正データ第2稿です。')
    expect(decision.decided_sha256).toMatch(/^[0-9a-f]{64}$/)
    const html = await (await member.get(url)).text()
    expect(html).toContain('decided-tag')
    expect(html).not.toContain('決定後に編集されています')
  })

  it('shows that a decided message changed after the decision', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データ第2稿です。' })
    await member.post(`${url}/messages`, { body: 'No.1 で確定', decides_no: '1' })
    const decided = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('no', '=', 1)
      .executeTakeFirstOrThrow()
    const edit = await member.post(`${url}/messages/${decided.id}`, {
      body: '校正データ第3稿です。',
    })
    expect(edit.status).toBe(303)
    const html = await (await member.get(url)).text()
    expect(html).toContain('決定後に編集されています')
    const decision = await testApp.deps.db
      .selectFrom('decisions')
      .select('decided_body')
      .executeTakeFirstOrThrow()
    expect(decision.decided_body).toBe('校正データ第2稿です。')
  })

  it('marks a board read when opened, and writes nothing when it is opened again', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データです。' })
    const reads = () =>
      testApp.deps.db
        .selectFrom('board_reads')
        .select(['seq', 'read_at'])
        .where('board_id', '=', url.split('/').pop()!)
        .execute()
    await member.get(url)
    const first = await reads()
    expect(first).toEqual([{ seq: 1, read_at: expect.any(Number) }])
    testApp.clock.advance(60_000)
    await member.get(url)
    expect(await reads()).toEqual(first)
    await member.post(`${url}/messages`, { body: '第2稿です。' })
    await member.get(url)
    expect(await reads()).toEqual([{ seq: 2, read_at: first[0]!.read_at + 60_000 }])
  })

  it('fetches the edit form on demand, only for staff messages', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正データです。' })
    const message = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .executeTakeFirstOrThrow()
    const form = await member.get(`${url}/messages/${message.id}/edit`, { 'HX-Request': 'true' })
    expect(form.status).toBe(200)
    const html = await form.text()
    expect(html).toContain('<textarea')
    expect(html).toContain('校正データです。')
    expect(html).not.toContain('<html')
    expect((await member.get(`${url}/messages/nope/edit`)).status).toBe(404)
  })

  it('a later staff post keeps a done board done', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '校正です' })
    await member.post(`${url}/messages`, { body: 'No.1 で確定', decides_no: '1' })
    await member.post(`${url}/messages`, { body: '発送準備中です' })
    expect((await boardRow(url)).status).toBe('done')
  })

  it('updates status, next contact and expiry from the side panel, in place for htmx', async () => {
    const url = await createBoard()
    const response = await member.post(
      url,
      {
        status: 'on_hold',
        next_contact_on: '2026-12-07',
        next_contact_time: '15:00',
        expires_on: '2027-01-31',
      },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(200)
    const fragment = await response.text()
    expect(fragment).toContain('id="board-panel"')
    expect(fragment).not.toContain('<html')
    const board = await boardRow(url)
    expect(board).toMatchObject({
      status: 'on_hold',
      next_contact_on: '2026-12-07',
      next_contact_time: '15:00',
    })
    // expiry is kept to the end of that day in the workspace time zone (Asia/Tokyo)
    expect(new Date(board.expires_at).toISOString()).toBe('2027-01-31T14:59:59.999Z')
    const cleared = await member.post(url, { next_contact_on: '' })
    expect(cleared.status).toBe(303)
    expect((await boardRow(url)).next_contact_on).toBeNull()
  })

  it('closes and reopens a board', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: 'ご確認ください' })
    expect((await member.post(`${url}/close`, {})).status).toBe(303)
    expect((await boardRow(url)).status).toBe('closed')
    await member.post(`${url}/messages`, { body: '追記です' })
    expect((await boardRow(url)).status).toBe('closed')
    await member.post(`${url}/reopen`, {})
    expect((await boardRow(url)).status).toBe('waiting')
  })

  it('the poller returns only newer messages as an htmx fragment', async () => {
    const url = await createBoard()
    await member.post(`${url}/messages`, { body: '一通目' })
    const idle = await (await member.get(`${url}?after=1`, { 'HX-Request': 'true' })).text()
    expect(idle).toContain('id="poller"')
    expect(idle).not.toContain('一通目')
    await member.post(`${url}/messages`, { body: '二通目' })
    const fresh = await (await member.get(`${url}?after=1`, { 'HX-Request': 'true' })).text()
    expect(fresh).toContain('二通目')
    expect(fresh).not.toContain('一通目')
    expect(fresh).toContain('hx-swap-oob="beforeend:#thread"')
    expect(fresh).toContain('after=2')
  })

  it('htmx post answers with a fresh composer and triggers the thread refresh', async () => {
    const url = await createBoard()
    const response = await member.post(
      `${url}/messages`,
      { body: 'htmx から' },
      { 'HX-Request': 'true' },
    )
    expect(response.status).toBe(200)
    expect(response.headers.get('HX-Trigger')).toBe('thread-changed')
    expect(await response.text()).toContain('id="composer"')
  })
})

describe('board list', () => {
  it('lists, filters by status, searches and sorts by next contact date', async () => {
    const a = await createBoard({
      name: 'Tシャツ',
      customer_name: '鈴木',
      customer_email: 'suzuki@example.jp',
      dedupe_key: 'ORD-77',
    })
    const b = await createBoard({
      name: 'チラシ',
      customer_name: '高橋',
      customer_email: 'taka@example.jp',
    })
    await member.post(a, { next_contact_on: '2026-12-10' })
    await member.post(b, { next_contact_on: '2026-11-20', status: 'on_hold' })
    const list = await (await member.get(`/w/${slug}/boards`)).text()
    expect(list).toContain('Tシャツ')
    expect(list).toContain('チラシ')
    const held = await (await member.get(`/w/${slug}/boards?status=on_hold`)).text()
    expect(held).toContain('チラシ')
    expect(held).not.toContain('Tシャツ')
    for (const q of ['鈴木', 'suzuki@', 'ORD-77', 'シャツ']) {
      const found = await (await member.get(`/w/${slug}/boards?q=${encodeURIComponent(q)}`)).text()
      expect(found, q).toContain('Tシャツ')
      expect(found, q).not.toContain('チラシ')
    }
    const sorted = await (await member.get(`/w/${slug}/boards?sort=next_contact`)).text()
    expect(sorted.indexOf('チラシ')).toBeLessThan(sorted.indexOf('Tシャツ'))
    expect(sorted).toContain('contact-overdue')
    const due = await (await member.get(`/w/${slug}/boards?due=1`)).text()
    expect(due).toContain('チラシ')
    expect(due).not.toContain('Tシャツ')
  })

  it('treats % and _ in a search literally', async () => {
    await createBoard({ name: '100% コットン' })
    await createBoard({ name: '綿 100' })
    const found = await (
      await member.get(`/w/${slug}/boards?q=${encodeURIComponent('100%')}`)
    ).text()
    expect(found).toContain('100% コットン')
    expect(found).not.toContain('綿 100')
  })

  it('pages with a cursor and returns the table alone for htmx', async () => {
    for (let i = 0; i < 55; i++) {
      testApp.clock.advance(1000)
      await testApp.deps.db
        .insertInto('boards')
        .values({
          id: `b-${String(i).padStart(3, '0')}`,
          workspace_id: workspaceId,
          name: `ボード${i}`,
          customer_name: 'x',
          customer_email: 'x@example.jp',
          expires_at: 0,
          last_activity_at: i,
          created_at: i,
          updated_at: i,
        })
        .execute()
    }
    const first = await (await member.get(`/w/${slug}/boards`)).text()
    expect(first).toContain('ボード54')
    expect(first).not.toContain('>ボード4<')
    const cursor = /cursor=([\w-]+)/.exec(first)?.[1]
    expect(cursor).toBeTruthy()
    const second = await (
      await member.get(`/w/${slug}/boards?cursor=${cursor}`, {
        'HX-Request': 'true',
        'HX-Target': 'board-table',
      })
    ).text()
    expect(second).not.toContain('<html')
    expect(second).toContain('>ボード4<')
    expect(second).not.toContain('ボード54')
  })

  it('lights the unread and unanswered markers and turns unread grey once opened', async () => {
    const url = await createBoard()
    const boardId = url.split('/').pop()!
    // A customer post, written the way the guest side writes it.
    await testApp.deps.db
      .updateTable('boards')
      .set({ message_seq: 5, last_public_author: 'guest' })
      .where('id', '=', boardId)
      .execute()
    const before = await (await member.get(`/w/${slug}/boards`)).text()
    expect(before).toContain('marker mail on')
    expect(before).toContain('marker bubble')
    await member.get(url)
    const after = await (await member.get(`/w/${slug}/boards`)).text()
    expect(after).toContain('marker mail off')
    expect(after).toContain('marker bubble')
  })
})

describe('templates page', () => {
  it('creates, renames, reorders and deletes sets and templates', async () => {
    const base = `/w/${slug}/templates`
    expect((await member.post(`${base}/sets`, { name: '納品' })).status).toBe(303)
    const set = await testApp.deps.db
      .selectFrom('template_sets')
      .selectAll()
      .where('name', '=', '納品')
      .executeTakeFirstOrThrow()
    expect((await member.post(`${base}/sets/${set.id}`, { name: '納品・発送' })).status).toBe(303)
    await member.post(`${base}/sets/${set.id}/templates`, {
      label: 'A',
      body: '本文A',
      status: 'done',
      kind: 'normal',
    })
    await member.post(`${base}/sets/${set.id}/templates`, {
      label: 'B',
      body: '本文B',
      status: '',
      kind: 'decision',
    })
    const [a, b] = await testApp.deps.db
      .selectFrom('templates')
      .selectAll()
      .where('set_id', '=', set.id)
      .orderBy('position')
      .execute()
    expect(a).toMatchObject({ label: 'A', status: 'done', kind: 'normal' })
    expect(b).toMatchObject({ label: 'B', status: null, kind: 'decision' })
    await member.post(`${base}/templates/${b!.id}/move`, { direction: 'up' })
    const order = await testApp.deps.db
      .selectFrom('templates')
      .select('label')
      .where('set_id', '=', set.id)
      .orderBy('position')
      .execute()
    expect(order.map((row) => row.label)).toEqual(['B', 'A'])
    await member.post(`${base}/sets/${set.id}/move`, { direction: 'up' })
    const sets = await testApp.deps.db
      .selectFrom('template_sets')
      .select('name')
      .orderBy('position')
      .execute()
    expect(sets.map((row) => row.name)).toEqual(['納品・発送', '基本'])
    await member.post(`${base}/templates/${a!.id}`, {
      label: 'A2',
      body: '本文A2',
      status: 'waiting',
      kind: 'normal',
    })
    expect(
      (
        await testApp.deps.db
          .selectFrom('templates')
          .select('label')
          .where('id', '=', a!.id)
          .executeTakeFirstOrThrow()
      ).label,
    ).toBe('A2')
    await member.post(`${base}/templates/${a!.id}/delete`, {})
    await member.post(`${base}/sets/${set.id}/delete`, {})
    expect(
      await testApp.deps.db
        .selectFrom('templates')
        .select('id')
        .where('set_id', '=', set.id)
        .execute(),
    ).toEqual([])
    const page = await (await member.get(base)).text()
    expect(page).not.toContain('納品・発送')
  })
})

describe('language', () => {
  it('is Japanese by default and English once the member switches', async () => {
    expect(await (await member.get(`/w/${slug}/boards`)).text()).toContain('チャットボード一覧')
    const switched = await member.post(`/w/${slug}/me/locale`, {
      locale: 'en',
      back: `/w/${slug}/boards`,
    })
    expect(switched.status).toBe(303)
    const html = await (await member.get(`/w/${slug}/boards`)).text()
    expect(html).toContain('<html lang="en"')
    expect(html).toContain('Boards')
  })
})
