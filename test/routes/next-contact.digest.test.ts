import { beforeEach, describe, expect, it } from 'vitest'
import { BASE_URL, createTestApp, createTestWorkspace, type TestApp } from '../helpers/app'
import { digestKey, queueDailyDigests, DIGEST_MAX_BOARDS } from '../../src/next-contact/digest'
import { drainOutbox } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import type { BoardStatus } from '../../src/db/schema'
import { addMember } from './notifications.helpers'

let testApp: TestApp
let workspace: Awaited<ReturnType<typeof createTestWorkspace>>['workspace']
let ownerId: string

async function addBoard(
  workspaceId: string,
  name: string,
  nextContactOn: string | null,
  options: { status?: BoardStatus; time?: string } = {},
) {
  const id = testApp.deps.ids.id()
  const now = testApp.deps.clock.now().getTime()
  await testApp.deps.db
    .insertInto('boards')
    .values({
      id,
      workspace_id: workspaceId,
      name,
      customer_name: `${name}のお客様`,
      customer_email: 'customer@example.jp',
      status: options.status ?? 'waiting',
      next_contact_on: nextContactOn,
      next_contact_time: options.time ?? null,
      expires_at: now + 30 * 86_400_000,
      last_activity_at: now,
      created_at: now,
      updated_at: now,
    })
    .execute()
  return id
}

const digestRows = () =>
  testApp.deps.db
    .selectFrom('outbox')
    .selectAll()
    .where('idempotency_key', 'like', 'digest/%')
    .orderBy('idempotency_key')
    .execute()

const at = (iso: string) => new Date(iso)

beforeEach(async () => {
  testApp = createTestApp()
  const created = await createTestWorkspace(testApp)
  workspace = created.workspace
  ownerId = created.ownerId
})

describe('daily digest', () => {
  it('queues one email per member at digest time listing only today and overdue open boards', async () => {
    const overdue = await addBoard(workspace.id, 'チラシ 期限切れ', '2026-11-20')
    const today = await addBoard(workspace.id, 'ポスター 今日', '2026-11-24', { time: '15:00' })
    await addBoard(workspace.id, 'Tシャツ 明日', '2026-11-25')
    await addBoard(workspace.id, '封筒 完了', '2026-11-19', { status: 'done' })
    await addBoard(workspace.id, '看板 終了', '2026-11-24', { status: 'closed' })
    await addBoard(workspace.id, 'のぼり 未定', null)
    const colleague = await addMember(testApp, workspace.id, {
      name: '佐藤 彩',
      email: 'aya@example.jp',
    })
    const quiet = await addMember(testApp, workspace.id, {
      name: '鈴木',
      email: 'suzuki@example.jp',
    })
    await testApp.deps.db
      .updateTable('members')
      .set({ digest_enabled: 0 })
      .where('id', '=', quiet)
      .execute()

    // Before 08:00 in Tokyo: nothing.
    expect(
      await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T07:59:00+09:00') }),
    ).toEqual({ queued: 0, workspaces: 0 })
    expect(await digestRows()).toEqual([])

    const first = await queueDailyDigests({
      deps: testApp.deps,
      now: at('2026-11-24T08:00:00+09:00'),
    })
    expect(first.queued).toBe(2)
    const rows = await digestRows()
    expect(rows.map((row) => row.idempotency_key).sort()).toEqual(
      [digestKey(ownerId, '2026-11-24'), digestKey(colleague, '2026-11-24')].sort(),
    )
    expect(
      rows.every(
        (row) => row.kind === 'email' && row.status === 'pending' && row.board_id === null,
      ),
    ).toBe(true)
    const payload = JSON.parse(rows[0]!.payload)
    expect(payload.boards.map((board: { id: string }) => board.id)).toEqual([overdue, today])
    expect(payload.more).toBe(0)

    // Every later minute (and a restart) finds today's rows and adds nothing.
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T08:01:00+09:00') }))
        .queued,
    ).toBe(0)
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T09:30:00+09:00') }))
        .queued,
    ).toBe(0)
    expect(await digestRows()).toHaveLength(2)

    // The outbox sender delivers them as email.
    testApp.clock.set('2026-11-24T08:00:05+09:00')
    const drained = await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(drained).toEqual({ sent: 2, retried: 0, failed: 0 })
    const mails = testApp.mailer.sent.filter((mail) => mail.idempotencyKey.startsWith('digest/'))
    expect(mails.map((mail) => mail.to).sort()).toEqual(
      ['aya@example.jp', `owner-${workspace.slug}@example.com`].sort(),
    )
    const mail = mails.find((m) => m.to === 'aya@example.jp')!
    expect(mail.subject).toBe(`【次回連絡】今日 1件・期限切れ 1件（${workspace.name}）`)
    expect(mail.html).toContain('チラシ 期限切れ')
    expect(mail.html).toContain('ポスター 今日')
    expect(mail.html).toContain('11月24日(火) 15:00')
    expect(mail.html).toContain(`${BASE_URL}/w/${workspace.slug}/boards/${overdue}`)
    expect(mail.html).toContain(
      `${BASE_URL}/w/${workspace.slug}/boards?due=1&amp;sort=next_contact`,
    )
    expect(mail.html).not.toContain('Tシャツ 明日')
    expect(mail.html).not.toContain('封筒 完了')
    expect(mail.html).not.toContain('看板 終了')
    expect(mail.text).toContain('期限切れ')
    expect(mail.headers['Message-ID']).toBe(`<digest.${colleague}.2026-11-24@orderboard.test>`)
    expect(mail.idempotencyKey).toBe(digestKey(colleague, '2026-11-24'))

    // The next morning is a new day: one more each.
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-25T08:00:00+09:00') }))
        .queued,
    ).toBe(2)
    expect(await digestRows()).toHaveLength(4)
  })

  it('sends nothing when nothing is due', async () => {
    await addBoard(workspace.id, 'Tシャツ 明日', '2026-11-25')
    await addBoard(workspace.id, '封筒 完了', '2026-11-19', { status: 'done' })
    const result = await queueDailyDigests({
      deps: testApp.deps,
      now: at('2026-11-24T08:00:00+09:00'),
    })
    expect(result).toEqual({ queued: 0, workspaces: 1 })
    expect(await digestRows()).toEqual([])
  })

  it('writes each member once even when runners race', async () => {
    await addBoard(workspace.id, 'チラシ', '2026-11-24')
    for (let i = 0; i < 11; i++)
      await addMember(testApp, workspace.id, { name: `m${i}`, email: `m${i}@example.jp` })
    const now = at('2026-11-24T08:03:00+09:00')
    const results = await Promise.all(
      [1, 2, 3].map(() => queueDailyDigests({ deps: testApp.deps, now })),
    )
    expect(results.reduce((sum, result) => sum + result.queued, 0)).toBe(12)
    expect(await digestRows()).toHaveLength(12)
  })

  it('follows the workspace time zone and digest time, and stops catching up after the morning', async () => {
    const la = await createTestWorkspace(testApp, {
      slug: 'la-shop',
      timeZone: 'America/Los_Angeles',
      locale: 'en',
    })
    await testApp.deps.db
      .updateTable('workspaces')
      .set({ digest_time: '07:30' })
      .where('id', '=', la.workspace.id)
      .execute()
    await addBoard(la.workspace.id, 'Banner', '2026-11-23')
    await addBoard(workspace.id, 'チラシ', '2026-11-24')

    // 08:00 in Tokyo is 15:00 the day before in Los Angeles: only Tokyo is due.
    await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T08:00:00+09:00') })
    expect((await digestRows()).map((row) => row.workspace_id)).toEqual([workspace.id])

    // 07:29 and 07:30 in Los Angeles (PST, UTC-8).
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T07:29:00-08:00') }))
        .queued,
    ).toBe(0)
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T07:30:00-08:00') }))
        .queued,
    ).toBe(1)
    const laRow = (await digestRows()).find((row) => row.workspace_id === la.workspace.id)!
    expect(laRow.idempotency_key).toBe(digestKey(la.ownerId, '2026-11-24'))

    // A server that was down at 07:30 still sends a little later …
    await addBoard(la.workspace.id, 'Mug', '2026-11-25')
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-25T10:29:00-08:00') }))
        .queued,
    ).toBe(1)
    // … but no "morning" digest in the afternoon.
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-26T10:30:00-08:00') }))
        .queued,
    ).toBe(0)

    testApp.clock.set('2026-11-27T00:00:00Z')
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    const english = testApp.mailer.sent.find(
      (mail) => mail.idempotencyKey === digestKey(la.ownerId, '2026-11-24'),
    )!
    expect(english.subject).toBe('[Next contacts] 0 today, 1 overdue (テスト印刷)')
    expect(english.html).toContain('Banner')
    expect(english.html).toContain('Mon, Nov 23')
  })

  it('respects the member switch, also when it is turned off after queueing', async () => {
    await addBoard(workspace.id, 'チラシ', '2026-11-24')
    await testApp.deps.db
      .updateTable('members')
      .set({ digest_enabled: 0 })
      .where('id', '=', ownerId)
      .execute()
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T08:00:00+09:00') }))
        .queued,
    ).toBe(0)

    await testApp.deps.db
      .updateTable('members')
      .set({ digest_enabled: 1 })
      .where('id', '=', ownerId)
      .execute()
    expect(
      (await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T08:10:00+09:00') }))
        .queued,
    ).toBe(1)
    await testApp.deps.db
      .updateTable('members')
      .set({ digest_enabled: 0 })
      .where('id', '=', ownerId)
      .execute()
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(testApp.mailer.sent).toHaveLength(0)
    const [row] = await digestRows()
    expect(row).toMatchObject({ status: 'sent', provider_id: 'skipped:digest-off' })
  })

  it('lists at most a page of boards and counts the rest', async () => {
    for (let i = 0; i < DIGEST_MAX_BOARDS + 3; i++)
      await addBoard(workspace.id, `ボード${i}`, '2026-11-24')
    await queueDailyDigests({ deps: testApp.deps, now: at('2026-11-24T08:00:00+09:00') })
    const [row] = await digestRows()
    const payload = JSON.parse(row!.payload)
    expect(payload.boards).toHaveLength(DIGEST_MAX_BOARDS)
    expect(payload.more).toBe(3)
    await drainOutbox({ deps: testApp.deps, handlers: outboxHandlers })
    expect(testApp.mailer.sent[0]!.subject).toContain(`今日 ${DIGEST_MAX_BOARDS + 3}件`)
    expect(testApp.mailer.sent[0]!.html).toContain('ほか 3件')
  })
})
