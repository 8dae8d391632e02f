// Deleting a board (owners only, issue #16): everything of the board goes in one batch with the
// audit entry; the files' contents leave the blob store; nothing of another board is touched.
import { describe, expect, it } from 'vitest'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { loginAs } from '../helpers/app'
import { apiClient, createApiWorkspace } from './api.helpers'
import { fileBytes, uploadClient } from './attachments.helpers'
import { linkPath, openAsGuest } from './guest.helpers'

async function setup() {
  const { createTestApp } = await import('../helpers/app')
  const testApp = createTestApp()
  const shop = await createApiWorkspace(testApp, { slug: 'delete-shop' })
  const owner = await loginAs(testApp, shop.email, shop.password)
  const slug = shop.workspace.slug
  // a board made through the API under an Idempotency-Key, with a first message
  const created = await shop.api.request(
    'POST',
    '/boards',
    {
      name: '名刺 100枚',
      customer_name: '山田 太郎',
      customer_email: 'yamada@example.jp',
      dedupe_key: 'ORD-1',
      first_message: { body: '校正をお送りします。' },
    },
    { 'Idempotency-Key': 'create-ord-1' },
  )
  expect(created.status).toBe(201)
  const { board } = (await created.json()) as { board: { id: string } }
  const staffUrl = `/w/${slug}/boards/${board.id}`
  // a file sent with a message, and an upload left open
  const uploads = uploadClient(testApp, staffUrl, owner.cookie, owner.csrf)
  const file = await uploads.upload('proof.pdf', fileBytes(2000), 'application/pdf')
  await owner.post(`${staffUrl}/messages`, {
    body: 'No.1 の内容で確定いたしました。',
    decides_no: '1',
    attachment_ids: file.attachmentId,
  })
  const open = (await (
    await uploads.start({ name: 'half.pdf', size: 3000, type: 'application/pdf' })
  ).json()) as { upload_id: string }
  // another board that must stay whole
  const other = await shop.api.request('POST', '/boards', {
    name: 'チラシ',
    customer_name: '佐藤',
    customer_email: 'sato@example.jp',
    first_message: { body: 'ご確認ください。' },
  })
  const otherId = ((await other.json()) as { board: { id: string } }).board.id
  return { testApp, shop, owner, slug, boardId: board.id, staffUrl, file, open, otherId }
}

const count = async (
  testApp: Awaited<ReturnType<typeof setup>>['testApp'],
  table:
    | 'messages'
    | 'attachments'
    | 'uploads'
    | 'decisions'
    | 'outbox'
    | 'board_reads'
    | 'api_idempotency'
    | 'api_idempotency_commits'
    | 'api_first_messages',
  boardId: string,
) => {
  const row = await testApp.deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('board_id', '=', boardId)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

const TABLES = [
  'messages',
  'attachments',
  'uploads',
  'decisions',
  'outbox',
  'board_reads',
  'api_idempotency',
  'api_idempotency_commits',
] as const

describe('deleting a board', () => {
  it('removes the board and all that belongs to it, its files too, and records who did it', async () => {
    const { testApp, owner, slug, boardId, staffUrl, file, otherId } = await setup()
    const guestPath = await linkPath(testApp, boardId)
    const { client: guest } = await openAsGuest(testApp, guestPath)
    for (const table of TABLES)
      expect(await count(testApp, table, boardId), table).toBeGreaterThan(0)
    const blobKey = (
      await testApp.deps.db
        .selectFrom('attachments')
        .select('blob_key')
        .where('id', '=', file.attachmentId)
        .executeTakeFirstOrThrow()
    ).blob_key
    expect(await testApp.blobs.head(blobKey)).not.toBeNull()

    const page = await (await owner.get(staffUrl)).text()
    expect(page).toContain('ボードを削除…')
    expect(page).toContain(`action="${staffUrl}/delete"`)

    const deleted = await owner.post(`${staffUrl}/delete`, { confirm: '1' })
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get('location')).toBe(`/w/${slug}/boards?deleted=1`)
    const list = await (await owner.get(deleted.headers.get('location')!)).text()
    expect(list).toContain('ボードを削除しました。')
    expect(list).not.toContain('名刺 100枚')
    expect(list).toContain('チラシ')

    const boards = await testApp.deps.db.selectFrom('boards').select('id').execute()
    expect(boards.map((b) => b.id)).toEqual([otherId])
    for (const table of TABLES) expect(await count(testApp, table, boardId), table).toBe(0)
    for (const table of ['messages', 'outbox'] as const)
      expect(await count(testApp, table, otherId), table).toBeGreaterThan(0)
    await testApp.drain()
    expect(await testApp.blobs.head(blobKey)).toBeNull()

    // the staff page, the customer's link and the customer's cookie all lead nowhere
    expect((await owner.get(staffUrl)).status).toBe(404)
    expect([404, 410]).toContain((await testApp.app.request(guestPath)).status)
    expect([404, 410]).toContain((await guest.get(`/g/${boardId}`)).status)

    const audit = await testApp.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'board.deleted')
      .execute()
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({ actor_name: 'オーナー', target: '名刺 100枚' })
    expect(JSON.parse(audit[0]!.detail!)).toEqual({ messages: 2, dedupe_key: 'ORD-1' })
    const log = await (await owner.get(`/w/${slug}/settings/audit`)).text()
    expect(log).toContain('チャットボードを削除')
    // the customer's name and address left with the board
    expect(JSON.stringify(audit)).not.toContain('山田')
    expect(JSON.stringify(audit)).not.toContain('yamada@example.jp')

    // deleting again: nothing left, nothing more recorded
    expect((await owner.post(`${staffUrl}/delete`, { confirm: '1' })).status).toBe(404)
    const after = await testApp.deps.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'board.deleted')
      .execute()
    expect(after).toHaveLength(1)
  })

  it('a create retried under the same Idempotency-Key makes a new board, not an answer about the deleted one', async () => {
    const { testApp, shop, owner, staffUrl, boardId } = await setup()
    expect((await owner.post(`${staffUrl}/delete`, { confirm: '1' })).status).toBe(303)
    // the same request under the same Idempotency-Key: its stored answer went with the board
    const again = await apiClient(testApp, shop.key).request(
      'POST',
      '/boards',
      {
        name: '名刺 100枚',
        customer_name: '山田 太郎',
        customer_email: 'yamada@example.jp',
        dedupe_key: 'ORD-1',
        first_message: { body: '校正をお送りします。' },
      },
      { 'Idempotency-Key': 'create-ord-1' },
    )
    expect(again.status).toBe(201)
    expect(again.headers.get('idempotent-replayed')).toBeNull()
    const { board } = (await again.json()) as { board: { id: string } }
    expect(board.id).not.toBe(boardId)
  })

  it('needs the box ticked; nothing changes without it', async () => {
    const { testApp, owner, staffUrl, boardId } = await setup()
    const refused = await owner.post(`${staffUrl}/delete`, {})
    expect(refused.status).toBe(422)
    expect(await refused.text()).toContain('確認のチェックを入れてください。')
    expect(await count(testApp, 'messages', boardId)).toBeGreaterThan(0)
    expect((await owner.get(staffUrl)).status).toBe(200)
  })

  it('is for owners only: admins and members are refused and see no button; another workspace gets 404', async () => {
    const { testApp, shop, slug, staffUrl, boardId } = await setup()
    for (const role of ['admin', 'member'] as const) {
      await createMember({
        deps: testApp.deps,
        workspace: shop.workspace,
        input: { email: `${role}@example.jp`, name: role, password: 'correct horse', role },
      })
      const client = await loginAs(testApp, `${role}@example.jp`, 'correct horse')
      expect(await (await client.get(staffUrl)).text()).not.toContain('/delete"')
      expect((await client.post(`${staffUrl}/delete`, { confirm: '1' })).status).toBe(403)
    }
    const stranger = await createApiWorkspace(testApp, { slug: 'other-shop' })
    const strangerOwner = await loginAs(testApp, stranger.email, stranger.password)
    expect(
      (await strangerOwner.post(`/w/other-shop/boards/${boardId}/delete`, { confirm: '1' })).status,
    ).toBe(404)
    // a cross-site post is refused too
    const owner = await loginAs(testApp, shop.email, shop.password)
    expect(
      (await owner.post(`${staffUrl}/delete`, { confirm: '1' }, { Origin: 'https://evil.example' }))
        .status,
    ).toBe(403)
    expect(await count(testApp, 'messages', boardId)).toBeGreaterThan(0)
    expect(slug).toBe('delete-shop')
  })
})
