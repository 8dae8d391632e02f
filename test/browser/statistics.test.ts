import { describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace, type TestApp } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  logInThroughForm,
  openStaffPage,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { createBoard, updateBoard } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { postMessageSchema } from '../../src/messages/messages.schemas'
import { parseInput } from '../../src/shared/validation'
import type { Workspace } from '../../src/db/schema'
import { createMember } from '../../src/workspaces/workspaces.usecases'

/**
 * A month with something every few days: boards opened, answered, decided, closed; assigned in
 * turn to two members (or none), who write the posts; decided boards rated.
 */
async function seedMonth(testApp: TestApp, workspace: Workspace) {
  const members = [
    await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'sato@example.jp',
        name: '佐藤 花子',
        password: 'correct horse',
        role: 'member',
      },
    }),
    await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'suzuki@example.jp',
        name: '鈴木',
        password: 'correct horse',
        role: 'member',
      },
    }),
    null,
  ]
  let count = 0
  for (let day = 1; day <= 24; day++) {
    testApp.clock.set(`2026-11-${String(day).padStart(2, '0')}T10:00:00+09:00`)
    for (let n = 0; n < (day % 4) + 1; n++) {
      const { board } = await createBoard({
        deps: testApp.deps,
        workspace,
        createdBy: null,
        input: { name: `名刺 ${day}-${n}`, customer_name: '山田', customer_email: 'y@example.jp' },
      })
      const assignee = members[count++ % members.length]!
      await testApp.deps.db
        .updateTable('boards')
        .set({
          assignee_member_id: assignee,
          first_guest_at: testApp.clock.now().getTime() - 600_000,
        })
        .where('id', '=', board.id)
        .execute()
      const post = (body: string, extra: Record<string, string> = {}) =>
        postStaffMessage({
          deps: testApp.deps,
          workspace,
          author: { kind: 'member', memberId: assignee, name: '佐藤' },
          boardId: board.id,
          input: parseInput(postMessageSchema, { body, ...extra }),
        })
      await post('校正をお送りします。')
      testApp.clock.advance((n + 1) * 5 * 3_600_000)
      if (n % 2 === 0) {
        await post('No.1 で確定いたしました。', { decides_no: '1' })
        await testApp.deps.db
          .updateTable('boards')
          .set({ rating_score: ((day + n) % 5) + 1, rated_at: testApp.clock.now().getTime() })
          .where('id', '=', board.id)
          .execute()
      }
      if (n === 3)
        await updateBoard({
          deps: testApp.deps,
          workspace,
          boardId: board.id,
          input: { status: 'closed' },
        })
    }
  }
}

describe('統計 in Chromium', () => {
  const chromium = useChromium()

  it.each([
    [390, 844],
    [1366, 900],
  ])(
    'the charts draw under the CSP, the tables open, nothing overflows at %i px',
    async (width, height) => {
      const testApp = createTestApp()
      const owner = await createTestWorkspace(testApp, { slug: 'stats' })
      await seedMonth(testApp, owner.workspace)
      const server = await startTestServer(testApp)
      try {
        const { page, errors } = await openStaffPage(chromium.browser, { width, height })
        await logInThroughForm(page, server.url, { ...owner, slug: 'stats' })
        await page.goto(`${server.url}/w/stats/stats`)
        // Chart.js has drawn both canvases (it sizes them to their boxes).
        await page.waitForFunction(() =>
          [...document.querySelectorAll('canvas[data-chart]')].every(
            (canvas) => (canvas as HTMLCanvasElement).width > 0 && 'Chart' in window,
          ),
        )
        const drawn = await page.evaluate(() =>
          [...document.querySelectorAll('canvas[data-chart]')].map(
            (canvas) =>
              (window as unknown as { Chart: { getChart(c: Element): unknown } }).Chart.getChart(
                canvas,
              ) !== undefined,
          ),
        )
        // Per day, per status, per member, ratings.
        expect(drawn).toEqual([true, true, true, true])
        for (const summary of await page.locator('.chart-table summary').all())
          await summary.click()
        await page.screenshot({ path: `${SHOTS}/statistics-${width}.png`, fullPage: true })
        await page
          .locator('section', { has: page.locator('#stats-members') })
          .screenshot({ path: `${SHOTS}/statistics-members-${width}.png` })
        expect(await horizontalOverflow(page)).toBe(0)
        expect(await axeViolations(page)).toEqual([])
        expect(errors).toEqual([])
      } finally {
        await server.close()
      }
    },
    90_000,
  )
})
