// Issue #17.4 and #17.5 in Chromium at 390 and 1366 px: a search shows the matched message with
// the word marked, the search is saved as a view, its tab opens it again with its count.
import { mkdirSync } from 'node:fs'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  launchBrowser,
  logInThroughForm,
  openStaffPage,
  startTestServer,
} from '../helpers/browser'
import { createBoard, updateBoard } from '../../src/boards/boards.usecases'
import { postStaffMessage } from '../../src/messages/messages.usecases'
import { postMessageSchema } from '../../src/messages/messages.schemas'
import { parseInput } from '../../src/shared/validation'

const SHOTS = process.env.SHOTS_DIR ?? 'test-results/screenshots'

describe('search snippets and saved views in Chromium', () => {
  let browser: Browser
  beforeAll(async () => {
    browser = await launchBrowser()
    mkdirSync(SHOTS, { recursive: true })
  })
  afterAll(async () => {
    await browser?.close()
  })

  it.each([
    [390, 844],
    [1366, 900],
  ])(
    'search ロゴ, see the marked message, save the view, open its tab at %i px',
    async (width, height) => {
      const testApp = createTestApp()
      const owner = await createTestWorkspace(testApp, { slug: 'views' })
      const workspace = owner.workspace
      const boards = [
        [
          '名刺 100枚 両面カラー',
          'ロゴの色は濃紺（DIC 584）でお願いします。裏面は白紙のままで結構です。',
        ],
        [
          'A4 チラシ 3000部',
          '入稿データを確認しました。ロゴデータの解像度が足りないため、高解像度版をお送りいただけますか。',
        ],
        ['封筒 長3', '納期は12月5日を予定しております。'],
      ]
      for (const [name, body] of boards) {
        const { board } = await createBoard({
          deps: testApp.deps,
          workspace,
          createdBy: null,
          input: { name: name!, customer_name: '山田 花子', customer_email: 'hanako@example.jp' },
        })
        await postStaffMessage({
          deps: testApp.deps,
          workspace,
          author: { kind: 'member', memberId: owner.ownerId, name: 'オーナー' },
          boardId: board.id,
          input: parseInput(postMessageSchema, { body }),
        })
        if (name!.startsWith('封筒'))
          await updateBoard({
            deps: testApp.deps,
            workspace,
            boardId: board.id,
            input: { next_contact_on: '2026-11-24' },
          })
      }
      const server = await startTestServer(testApp)
      try {
        const { page, errors } = await openStaffPage(browser, { width, height })
        await logInThroughForm(page, server.url, { ...owner, slug: 'views' })
        // the built-in tabs and their counts
        await expect
          .poll(() => page.getByRole('link', { name: /今日の連絡/ }).textContent())
          .toContain('1')

        await page.getByRole('searchbox', { name: /ボード名・お客様・メッセージ本文/ }).fill('ロゴ')
        await page.locator('mark', { hasText: 'ロゴ' }).first().waitFor()
        expect(await page.locator('.match-snippet').count()).toBe(2)
        expect(await page.locator('.match-snippet mark').first().textContent()).toBe('ロゴ')

        await page.getByText('この検索を保存', { exact: true }).click()
        await page.getByLabel('名前').fill('ロゴの確認')
        await page.getByRole('button', { name: '保存する' }).click()
        await page.waitForURL(/q=%E3%83%AD%E3%82%B4/)
        const tab = page.getByRole('link', { name: /ロゴの確認/ })
        expect(await tab.getAttribute('aria-current')).toBe('page')
        // on a phone the tab row scrolls sideways: the open tab is brought into view
        const shown = await tab.evaluate((link) => {
          const row = link.closest('ul')!.getBoundingClientRect()
          const box = link.getBoundingClientRect()
          return box.left >= row.left - 1 && box.right <= row.right + 1
        })
        expect(shown).toBe(true)
        expect(await tab.textContent()).toContain('2')
        await page.locator('mark').first().waitFor()
        await page.evaluate(() => window.scrollTo(0, 0))
        await page.screenshot({ path: `${SHOTS}/saved-views-${width}.png`, fullPage: true })
        expect(await horizontalOverflow(page)).toBe(0)
        expect(await axeViolations(page)).toEqual([])

        // another tab, then back through the saved one
        await page.getByRole('link', { name: /今日の連絡/ }).click()
        await page.waitForURL(/next%3Adue/)
        await page.getByRole('cell', { name: '封筒 長3', exact: true }).waitFor()
        await page.getByRole('link', { name: /ロゴの確認/ }).click()
        await page.locator('mark', { hasText: 'ロゴ' }).first().waitFor()
        expect(await page.locator('.match-snippet').count()).toBe(2)
        // the filters still swap the table on change (the search box's blur no longer does)
        await page.locator('select[name=status]').selectOption('done')
        await page.locator('#board-table .empty').waitFor()
        expect(await page.locator('.match-snippet').count()).toBe(0)
        expect(errors).toEqual([])
      } finally {
        await server.close()
      }
    },
    90_000,
  )
})
