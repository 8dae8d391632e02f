// タグ・一括操作 in Chromium at 390 px and 1366 px (issue #17): a tag from the side panel, a tag
// added in bulk from the list, #tag in the search box; axe-core finds nothing on each page.
import { describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  logInThroughForm,
  openStaffPage,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { createBoard } from '../../src/boards/boards.usecases'
import { createCategory } from '../../src/tags/tags.usecases'

describe('tags and bulk actions in Chromium', () => {
  const chromium = useChromium()

  for (const width of [390, 1366]) {
    it(`tags a board from its panel, tags another in bulk, finds both with #tag (${width} px)`, async () => {
      const testApp = createTestApp({ clock: { now: () => new Date() } })
      const owner = await createTestWorkspace(testApp, { slug: 'sakura' })
      await createCategory({ deps: testApp.deps, workspace: owner.workspace, name: '名刺' })
      const boards: string[] = []
      for (const name of ['名刺 100枚', 'チラシ A4', '冊子 16ページ']) {
        const { board } = await createBoard({
          deps: testApp.deps,
          workspace: owner.workspace,
          createdBy: owner.ownerId,
          input: { name, customer_name: '山田 花子', customer_email: 'hanako@example.jp' },
        })
        boards.push(board.id)
      }
      const server = await startTestServer(testApp)
      try {
        const { page, errors } = await openStaffPage(chromium.browser, { width, height: 900 })
        await logInThroughForm(page, server.url, { ...owner, slug: 'sakura' })

        // the side panel: a tag typed and added, the category picked
        await page.goto(`${server.url}/w/sakura/boards/${boards[0]}`)
        await page.getByRole('combobox', { name: 'タグを追加' }).fill('校正待ち')
        await page.getByRole('button', { name: 'タグを追加' }).click()
        await page.locator('#board-panel .tag-chip', { hasText: '校正待ち' }).waitFor()
        await page.locator('#board-tags-head .tag-chip', { hasText: '校正待ち' }).waitFor()
        await page.locator('#board-panel select[name=category]').selectOption({ label: '名刺' })
        await page.locator('#board-panel form.panel-form button[type=submit]').click()
        await page.locator('#board-tags-head .category-chip', { hasText: '名刺' }).waitFor()
        expect(await axeViolations(page)).toEqual([])
        expect(await horizontalOverflow(page)).toBe(0)
        await page.screenshot({ path: `${SHOTS}/tags-board-${width}.png`, fullPage: true })

        // the list: tick a row with the keyboard, add the tag in bulk
        await page.goto(`${server.url}/w/sakura/boards`)
        const pick = page.getByRole('checkbox', { name: '「チラシ A4」を選択' })
        await pick.focus()
        await page.keyboard.press('Space')
        expect(await pick.isChecked()).toBe(true)
        await page.locator('#bulk-form select[name=action]').selectOption('add_tag')
        await page.locator('#bulk-form input[name=tag]').fill('校正待ち')
        await page.getByRole('button', { name: '実行する' }).click()
        await page.getByText('1件にタグ「校正待ち」を付けました。').waitFor()
        expect(await axeViolations(page)).toEqual([])
        expect(await horizontalOverflow(page)).toBe(0)

        // the search box: #tag
        await page.getByRole('searchbox', { name: /検索/ }).fill('#校正待ち')
        await page.keyboard.press('Enter')
        await expect
          .poll(async () => await page.locator('table.boards tr.board-row').count())
          .toBe(2)
        await page.locator('#board-table', { hasText: 'この検索に一致する2件すべて' }).waitFor()
        expect(await page.locator('table.boards').textContent()).not.toContain('冊子 16ページ')
        expect(await axeViolations(page)).toEqual([])
        expect(await horizontalOverflow(page)).toBe(0)
        await page.screenshot({ path: `${SHOTS}/tags-list-${width}.png`, fullPage: true })

        // 設定 → タグ
        await page.goto(`${server.url}/w/sakura/settings/tags`)
        await page.getByRole('heading', { name: 'タグとカテゴリ' }).waitFor()
        expect(await axeViolations(page)).toEqual([])
        expect(await horizontalOverflow(page)).toBe(0)
        await page.screenshot({ path: `${SHOTS}/tags-settings-${width}.png`, fullPage: true })
        expect(errors).toEqual([])
      } finally {
        await server.close()
      }
    }, 90_000)
  }
})
