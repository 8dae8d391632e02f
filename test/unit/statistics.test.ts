// Each statistics figure on a hand-built history with known answers, calendar and business
// hours; plus the pure rules (quantiles as Excel computes them, periods, day buckets across DST).
import { describe, expect, it } from 'vitest'
import type { Workspace } from '../../src/db/schema'
import { createBoard, updateBoard } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { postMessageSchema } from '../../src/messages/messages.schemas'
import { postGuestMessage } from '../../src/guest/guest.usecases'
import { parseInput } from '../../src/shared/validation'
import { createCareSettingsRepository } from '../../src/business-hours/business-hours.repository'
import { DEFAULT_WEEK } from '../../src/business-hours/business-hours'
import { getStatistics } from '../../src/statistics/statistics.usecases'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import {
  countPerDay,
  dayBoundaries,
  periodDays,
  quantileSorted,
  resolvePeriod,
  summarizeDurations,
} from '../../src/statistics/statistics.figures'
import { createTestApp, createTestWorkspace, type TestApp } from '../helpers/app'

const HOUR = 3_600_000

describe('figures', () => {
  it('quantiles interpolate like Excel MEDIAN and PERCENTILE.INC (type 7)', () => {
    expect(quantileSorted([], 0.5)).toBeNull()
    expect(quantileSorted([7], 0.9)).toBe(7)
    expect(quantileSorted([1, 2, 40.5], 0.5)).toBe(2)
    // PERCENTILE.INC({1,2,40.5}, 0.9) = 32.8
    expect(quantileSorted([1, 2, 40.5], 0.9)).toBeCloseTo(32.8, 10)
    // MEDIAN({1,2,3,4}) = 2.5; PERCENTILE.INC({1..10}, 0.9) = 9.1
    expect(quantileSorted([1, 2, 3, 4], 0.5)).toBe(2.5)
    expect(quantileSorted([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1, 10)
    expect(summarizeDurations([40.5, 1, 2])).toEqual({ count: 3, median: 2, p90: 2 + 38.5 * 0.8 })
  })

  it('periods: this week is Monday to Sunday, this month whole, custom swapped and capped', () => {
    expect(resolvePeriod({ kind: 'week', today: '2026-11-08' })).toEqual({
      kind: 'week',
      from: '2026-11-02',
      to: '2026-11-08',
    })
    expect(resolvePeriod({ kind: 'week', today: '2026-11-02' }).from).toBe('2026-11-02')
    expect(resolvePeriod({ kind: 'month', today: '2026-02-14' })).toEqual({
      kind: 'month',
      from: '2026-02-01',
      to: '2026-02-28',
    })
    expect(
      resolvePeriod({ kind: 'custom', today: '2026-11-08', from: '2026-11-05', to: '2026-11-01' }),
    ).toEqual({ kind: 'custom', from: '2026-11-01', to: '2026-11-05' })
    expect(
      resolvePeriod({ kind: 'custom', today: '2026-11-08', from: '2020-01-01', to: '2026-11-08' })
        .from,
    ).toBe('2025-11-08')
    // custom without both dates: this month
    expect(resolvePeriod({ kind: 'custom', today: '2026-11-08', from: '2026-11-05' }).kind).toBe(
      'month',
    )
    expect(periodDays({ from: '2026-12-30', to: '2027-01-02' })).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ])
  })

  it('day buckets follow the real local day, 23 hours on the day summer time starts', () => {
    const days = ['2026-03-07', '2026-03-08', '2026-03-09']
    const bounds = dayBoundaries(days, 'America/New_York')
    expect(bounds.map((at, i) => (i ? (at - bounds[i - 1]!) / HOUR : 0))).toEqual([0, 24, 23, 24])
    const tokyo = dayBoundaries(['2026-11-02'], 'Asia/Tokyo')
    expect(new Date(tokyo[0]!).toISOString()).toBe('2026-11-01T15:00:00.000Z')
    const justBefore = bounds[2]! - 1
    expect(
      countPerDay([bounds[0]!, justBefore, bounds[2]!, bounds[3]!, bounds[0]! - 1], bounds),
    ).toEqual([1, 1, 1])
  })
})

/** Moves the clock to a Tokyo wall-clock time, e.g. '11-02 10:00' (2026). */
function at(testApp: TestApp, when: string) {
  const [day, time] = when.split(' ') as [string, string]
  testApp.clock.set(`2026-${day}T${time}:00+09:00`)
}

const input = (fields: Record<string, unknown>) => parseInput(postMessageSchema, fields)
const author = { kind: 'member' as const, memberId: null, name: 'スタッフ' }

async function setHours(testApp: TestApp, workspace: Workspace) {
  await createCareSettingsRepository(testApp.deps).save({
    workspace_id: workspace.id,
    week: JSON.stringify(DEFAULT_WEEK),
    japanese_holidays: 1,
    auto_answer: 0,
    auto_answer_delay_minutes: null,
    auto_answer_text: null,
    welcome: 0,
    welcome_text: null,
    rating: 0,
    rating_question: null,
    updated_at: testApp.clock.now().getTime(),
  })
}

/**
 * The history (Asia/Tokyo, 2026; Mon–Fri 9:00–18:00 when hours are set; Tue 11/3 is 文化の日):
 *   A opened Mon 11/2 9:00, customer 10:00, answer 12:00 (2 h | 2 h), decided Wed 11/4 9:00
 *     (48 h | 9 h);
 *   B opened Mon 11/2 17:00, customer 17:30, answer Wed 11/4 10:00 (40.5 h | 0.5 + 1 = 1.5 h),
 *     decided Thu 11/5 17:00 (72 h | 1 + 9 + 8 = 18 h);
 *   C opened Wed 11/4 9:00, customer 9:30, answer 10:30 (1 h | 1 h), closed Thu 11/5 12:00;
 *   D opened Fri 11/6 9:00, next contact 11/5 (overdue), no posts.
 */
async function buildHistory(testApp: TestApp, workspace: Workspace) {
  const open = async (name: string, when: string) => {
    at(testApp, when)
    const { board } = await createBoard({
      deps: testApp.deps,
      workspace,
      createdBy: null,
      input: { name, customer_name: '山田', customer_email: 'yamada@example.jp' },
    })
    return board.id
  }
  const staff = async (boardId: string, when: string, fields: Record<string, unknown> = {}) => {
    at(testApp, when)
    await postStaffMessage({
      deps: testApp.deps,
      workspace,
      author,
      boardId,
      input: input({ body: 'ご連絡ありがとうございます。', ...fields }),
    })
  }
  const customer = async (boardId: string, when: string) => {
    at(testApp, when)
    const board = await testApp.deps.db
      .selectFrom('boards')
      .selectAll()
      .where('id', '=', boardId)
      .executeTakeFirstOrThrow()
    await postGuestMessage({
      deps: testApp.deps,
      access: { board, workspace },
      input: { body: '確認しました。' },
    })
  }
  const a = await open('A', '11-02 09:00')
  await staff(a, '11-02 09:05', { body: '校正をお送りします。' }) // No.1, before the customer
  await customer(a, '11-02 10:00')
  await staff(a, '11-02 11:00', { body: '社内: 確認中', internal: '1' }) // notes don't answer
  await staff(a, '11-02 12:00')
  await customer(a, '11-03 08:00') // a second customer post changes nothing
  await staff(a, '11-04 09:00', { body: 'No.1 の内容で確定いたしました。', decides_no: '1' })
  const b = await open('B', '11-02 17:00')
  await customer(b, '11-02 17:30')
  await staff(b, '11-04 10:00')
  await staff(b, '11-05 17:00', { body: 'No.1 で確定', decides_no: '1' })
  const c = await open('C', '11-04 09:00')
  await customer(c, '11-04 09:30')
  await staff(c, '11-04 10:30')
  at(testApp, '11-05 12:00')
  await updateBoard({ deps: testApp.deps, workspace, boardId: c, input: { status: 'closed' } })
  const d = await open('D', '11-06 09:00')
  await updateBoard({
    deps: testApp.deps,
    workspace,
    boardId: d,
    input: { next_contact_on: '2026-11-05' },
  })
  // Sunday noon: A's decision (11/4 9:00) is unread by the customer for 3+ days.
  at(testApp, '11-08 12:00')
  return { a, b, c, d }
}

const week = (testApp: TestApp, workspace: Workspace) =>
  getStatistics({ deps: testApp.deps, workspace, kind: 'week' })

describe('statistics on a hand-built history', () => {
  it('calendar hours when the workspace has no business hours', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    await buildHistory(testApp, workspace)
    const stats = await week(testApp, workspace)
    expect(stats.period).toEqual({ kind: 'week', from: '2026-11-02', to: '2026-11-08' })
    expect(stats.days).toHaveLength(7)
    expect(stats.created).toEqual([2, 0, 1, 0, 1, 0, 0])
    expect(stats.decided).toEqual([0, 0, 1, 1, 0, 0, 0])
    expect(stats.closed).toEqual([0, 0, 0, 1, 0, 0, 0])
    expect(stats.basis).toBe('calendar')
    expect(stats.firstResponse.count).toBe(3)
    expect(stats.firstResponse.median).toBe(2 * HOUR)
    expect(stats.firstResponse.p90).toBeCloseTo(32.8 * HOUR, 0)
    expect(stats.timeToDecision).toMatchObject({ count: 2, median: 60 * HOUR })
    expect(stats.timeToDecision.p90).toBeCloseTo(69.6 * HOUR, 0)
    expect(stats.statusNow).toEqual({
      new: 1,
      waiting: 0,
      replied: 0,
      on_hold: 0,
      done: 2,
      closed: 1,
    })
    expect(stats.overdueContacts).toBe(1)
    expect(stats.unreadWarnings).toBe(1)
  })

  it('business hours set before the posts: stored with each event', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    await setHours(testApp, workspace)
    const { a, b, c } = await buildHistory(testApp, workspace)
    const rows = await testApp.deps.db
      .selectFrom('boards')
      .select(['id', 'first_response_ms', 'first_response_business_ms', 'decision_business_ms'])
      .where('id', 'in', [a, b, c])
      .execute()
    const byId = Object.fromEntries(rows.map((row) => [row.id, row]))
    expect(byId[a]).toMatchObject({
      first_response_ms: 2 * HOUR,
      first_response_business_ms: 2 * HOUR,
      decision_business_ms: 9 * HOUR,
    })
    expect(byId[b]).toMatchObject({
      first_response_ms: 40.5 * HOUR,
      first_response_business_ms: 1.5 * HOUR,
      decision_business_ms: 18 * HOUR,
    })
    const stats = await week(testApp, workspace)
    expect(stats.basis).toBe('business')
    expect(stats.firstResponse).toEqual({ count: 3, median: 1.5 * HOUR, p90: 1.9 * HOUR })
    expect(stats.timeToDecision.median).toBe(13.5 * HOUR)
    expect(stats.timeToDecision.p90).toBeCloseTo(17.1 * HOUR, 0)
  })

  it('business hours set afterwards: worked out from the stored moments, same answers', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    await buildHistory(testApp, workspace)
    await setHours(testApp, workspace)
    const stats = await week(testApp, workspace)
    expect(stats.basis).toBe('business')
    expect(stats.firstResponse).toEqual({ count: 3, median: 1.5 * HOUR, p90: 1.9 * HOUR })
    expect(stats.timeToDecision.median).toBe(13.5 * HOUR)
  })

  it('reopening clears the closed moment; the period excludes what lies outside it', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    const { c } = await buildHistory(testApp, workspace)
    await updateBoard({ deps: testApp.deps, workspace, boardId: c, input: { status: 'waiting' } })
    expect((await week(testApp, workspace)).closed).toEqual([0, 0, 0, 0, 0, 0, 0])
    const later = await getStatistics({
      deps: testApp.deps,
      workspace,
      kind: 'custom',
      from: '2026-11-09',
      to: '2026-11-10',
    })
    expect(later.created).toEqual([0, 0])
    expect(later.firstResponse.count).toBe(0)
    expect(later.firstResponse.median).toBeNull()
    // "Now" figures do not depend on the period.
    expect(later.statusNow.done).toBe(2)
  })
})

/**
 * Breakdowns on the same history: 担当者 X has A and B, Y has C and D; X wrote A's public posts
 * (3: No.1, the answer, the decision — the internal note is not an answer), Y wrote B's (2).
 * Ratings: A 5 on Thu 11/5, B 3 on Fri 11/6, C 4 on 11/20 (outside the week).
 */
async function buildBreakdowns(testApp: TestApp, workspace: Workspace) {
  const boards = await buildHistory(testApp, workspace)
  const member = (email: string, name: string) =>
    createMember({
      deps: testApp.deps,
      workspace,
      input: { email, name, password: 'correct horse', role: 'member' },
    })
  const x = await member('x@example.jp', '佐藤')
  const y = await member('y@example.jp', '鈴木')
  const db = testApp.deps.db
  const assign = (ids: string[], memberId: string) =>
    db.updateTable('boards').set({ assignee_member_id: memberId }).where('id', 'in', ids).execute()
  await assign([boards.a, boards.b], x)
  await assign([boards.c, boards.d], y)
  const write = (boardId: string, memberId: string) =>
    db
      .updateTable('messages')
      .set({ author_member_id: memberId })
      .where('board_id', '=', boardId)
      .where('author_kind', '=', 'member')
      .execute()
  await write(boards.a, x)
  await write(boards.b, y)
  const rate = (boardId: string, score: number, when: string) =>
    db
      .updateTable('boards')
      .set({ rating_score: score, rated_at: Date.parse(`2026-${when}:00+09:00`) })
      .where('id', '=', boardId)
      .execute()
  await rate(boards.a, 5, '11-05T10:00')
  await rate(boards.b, 3, '11-06T10:00')
  await rate(boards.c, 4, '11-20T10:00')
  return { ...boards, x, y }
}

describe('breakdowns per member and ratings', () => {
  it('per member: open boards assigned now, answers, median first response (calendar)', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    const { x, y } = await buildBreakdowns(testApp, workspace)
    const stats = await week(testApp, workspace)
    const byId = Object.fromEntries(stats.perMember.map((one) => [one.id, one]))
    // A and B are 完了 (decided): not open. D (new) is Y's; C is closed.
    expect(byId[x]).toMatchObject({ name: '佐藤', assignedNow: 0, answers: 3 })
    expect(byId[x]!.firstResponse).toMatchObject({ count: 2, median: 21.25 * HOUR })
    expect(byId[y]).toMatchObject({ name: '鈴木', assignedNow: 1, answers: 2 })
    expect(byId[y]!.firstResponse).toEqual({ count: 1, median: 1 * HOUR, p90: 1 * HOUR })
    // The owner wrote nothing and has no boards.
    const owner = stats.perMember.find((one) => one.id !== x && one.id !== y)!
    expect(owner).toMatchObject({ assignedNow: 0, answers: 0 })
    expect(owner.firstResponse.count).toBe(0)
    expect(stats.perMember.map((one) => one.name)).toEqual(
      [...stats.perMember.map((one) => one.name)].sort(),
    )
  })

  it('ratings: average and distribution of the period only', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    await buildBreakdowns(testApp, workspace)
    expect((await week(testApp, workspace)).ratings).toEqual({
      count: 2,
      average: 4,
      distribution: [0, 0, 1, 0, 1],
    })
    const month = await getStatistics({ deps: testApp.deps, workspace, kind: 'month' })
    expect(month.ratings).toEqual({ count: 3, average: 4, distribution: [0, 0, 1, 1, 1] })
  })

  it('the whole page narrowed to one member: only the boards assigned to them', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    const { x, y } = await buildBreakdowns(testApp, workspace)
    const stats = await getStatistics({ deps: testApp.deps, workspace, kind: 'week', memberId: x })
    expect(stats.member).toEqual({ id: x, name: '佐藤' })
    expect(stats.created).toEqual([2, 0, 0, 0, 0, 0, 0])
    expect(stats.decided).toEqual([0, 0, 1, 1, 0, 0, 0])
    expect(stats.closed).toEqual([0, 0, 0, 0, 0, 0, 0])
    expect(stats.firstResponse).toMatchObject({ count: 2, median: 21.25 * HOUR })
    expect(stats.firstResponse.p90).toBeCloseTo(36.65 * HOUR, 0)
    expect(stats.timeToDecision).toMatchObject({ count: 2, median: 60 * HOUR })
    expect(stats.statusNow).toMatchObject({ new: 0, done: 2, closed: 0 })
    expect(stats.overdueContacts).toBe(0)
    expect(stats.unreadWarnings).toBe(1)
    expect(stats.ratings).toMatchObject({ count: 2, average: 4 })
    expect(stats.perMember.map((one) => one.id)).toEqual([x])
    const forY = await getStatistics({ deps: testApp.deps, workspace, kind: 'week', memberId: y })
    expect(forY.overdueContacts).toBe(1)
    expect(forY.statusNow).toMatchObject({ new: 1, closed: 1, done: 0 })
    // Someone else's member id (or none at all): not found, nothing shown.
    const elsewhere = await createTestWorkspace(testApp, { slug: 'other-shop' })
    await expect(
      getStatistics({ deps: testApp.deps, workspace, kind: 'week', memberId: elsewhere.ownerId }),
    ).rejects.toMatchObject({ status: 404 })
  })

  it('business hours: stored or worked out afterwards, the same per-member medians', async () => {
    for (const when of ['before', 'after'] as const) {
      const testApp = createTestApp()
      const { workspace } = await createTestWorkspace(testApp)
      if (when === 'before') await setHours(testApp, workspace)
      const { x } = await buildBreakdowns(testApp, workspace)
      if (when === 'after') await setHours(testApp, workspace)
      const stats = await week(testApp, workspace)
      // X: A 2 h and B 1.5 h of business time.
      expect(stats.perMember.find((one) => one.id === x)!.firstResponse.median).toBe(1.75 * HOUR)
      expect(stats.firstResponse).toEqual({ count: 3, median: 1.5 * HOUR, p90: 1.9 * HOUR })
    }
  })
})

describe('quantiles picked in SQL match the ones computed over every value', () => {
  it('n from 1 to 40, with ties', async () => {
    const { summaryFromRanks } = await import('../../src/statistics/statistics.figures')
    for (let n = 1; n <= 40; n++) {
      const values = Array.from({ length: n }, (_, i) => ((i * 7919) % 13) * 1000)
      const sorted = [...values].sort((a, b) => a - b)
      const k50 = Math.floor((n - 1) * 0.5)
      const k90 = Math.floor((n - 1) * 0.9)
      const ranks = [...new Set([k50, k50 + 1, k90, k90 + 1])].filter((rank) => rank < n)
      const ranked = ranks.map((rank) => ({ rank, value: sorted[rank]!, count: n }))
      expect(summaryFromRanks(ranked)).toEqual(summarizeDurations(values))
    }
  })
})

describe('the page narrowed to a category and/or a tag', () => {
  it('counts only the boards in the category / with the tag now; both together intersect', async () => {
    const testApp = createTestApp()
    const { workspace } = await createTestWorkspace(testApp)
    const { a, b, c } = await buildHistory(testApp, workspace)
    const db = testApp.deps.db
    const now = testApp.clock.now().getTime()
    await db
      .insertInto('categories')
      .values({
        id: 'cat-1',
        workspace_id: workspace.id,
        name: '名刺',
        name_key: '名刺',
        created_at: now,
      })
      .execute()
    await db
      .insertInto('tags')
      .values({
        id: 'tag-1',
        workspace_id: workspace.id,
        name: '特急',
        name_key: '特急',
        created_at: now,
      })
      .execute()
    await db.updateTable('boards').set({ category_id: 'cat-1' }).where('id', 'in', [a, c]).execute()
    await db
      .insertInto('board_tags')
      .values(
        [b, c].map((board_id) => ({
          board_id,
          tag_id: 'tag-1',
          workspace_id: workspace.id,
          added_at: now,
        })),
      )
      .execute()
    const narrowed = (filter: { categoryId?: string; tagId?: string }) =>
      getStatistics({ deps: testApp.deps, workspace, kind: 'week', ...filter })

    const category = await narrowed({ categoryId: 'cat-1' })
    expect(category.category).toEqual({ id: 'cat-1', name: '名刺' })
    expect(category.created).toEqual([1, 0, 1, 0, 0, 0, 0])
    expect(category.firstResponse).toEqual({ count: 2, median: 1.5 * HOUR, p90: 1.9 * HOUR })
    expect(category.statusNow).toMatchObject({ done: 1, closed: 1, new: 0 })

    const tag = await narrowed({ tagId: 'tag-1' })
    expect(tag.tag).toEqual({ id: 'tag-1', name: '特急' })
    expect(tag.created).toEqual([1, 0, 1, 0, 0, 0, 0])
    expect(tag.decided).toEqual([0, 0, 0, 1, 0, 0, 0])
    expect(tag.closed).toEqual([0, 0, 0, 1, 0, 0, 0])
    expect(tag.firstResponse).toMatchObject({ count: 2, median: 20.75 * HOUR })

    const both = await narrowed({ categoryId: 'cat-1', tagId: 'tag-1' })
    expect(both.created).toEqual([0, 0, 1, 0, 0, 0, 0])
    expect(both.firstResponse).toEqual({ count: 1, median: 1 * HOUR, p90: 1 * HOUR })

    // Another workspace's tag or category: not found.
    const other = await createTestWorkspace(testApp, { slug: 'other-labels' })
    await db
      .insertInto('tags')
      .values({
        id: 'tag-x',
        workspace_id: other.workspace.id,
        name: 'x',
        name_key: 'x',
        created_at: now,
      })
      .execute()
    await expect(narrowed({ tagId: 'tag-x' })).rejects.toMatchObject({ status: 404 })
    await expect(narrowed({ categoryId: 'nope' })).rejects.toMatchObject({ status: 404 })
  })
})
