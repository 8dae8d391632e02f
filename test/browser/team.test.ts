import { Secret, TOTP } from 'otpauth'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, createTestWorkspace, type TestApp } from '../helpers/app'
import {
  axeViolations,
  horizontalOverflow,
  launchBrowser,
  logInThroughForm,
  openStaffPage,
  startTestServer,
} from '../helpers/browser'

let browser: Browser
let testApp: TestApp
let server: Awaited<ReturnType<typeof startTestServer>>

beforeAll(async () => {
  browser = await launchBrowser()
  testApp = createTestApp()
  server = await startTestServer(testApp)
}, 60_000)

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

describe('the team in Chromium', () => {
  it('owner invites, member accepts, enrols 2FA, signs out and in with a code', async () => {
    const owner = await createTestWorkspace(testApp, { slug: 'team-browser', name: 'さくら印刷' })
    const { page, errors } = await openStaffPage(browser, { width: 1366, height: 900 })
    await logInThroughForm(page, server.url, { ...owner, slug: 'team-browser' })
    await page.goto(`${server.url}/w/team-browser/settings/members`)
    await page.fill('input[name=email]', 'tanaka@example.jp')
    await page.click('#invite button[type=submit]')
    await page.waitForURL('**/settings/members?done=invited')
    expect(await axeViolations(page)).toEqual([])
    await page.screenshot({ path: '/tmp/i16-members-1366.png', fullPage: true })
    await page.setViewportSize({ width: 390, height: 844 })
    await page.screenshot({ path: '/tmp/i16-members-390.png', fullPage: true })
    await testApp.drain()
    const mail = testApp.mailer.sent.find((m) => m.to === 'tanaka@example.jp')!
    const link = /http:\/\/orderboard\.test(\/invite\/[A-Za-z0-9_-]{43})/.exec(mail.text)![1]!

    const member = await browser.newPage({ viewport: { width: 390, height: 844 } })
    await member.goto(`${server.url}${link}`)
    await member.screenshot({ path: '/tmp/i16-accept-390.png', fullPage: true })
    await member.fill('input[name=name]', '田中')
    await member.fill('input[name=password]', 'tanaka-password')
    await member.click('button[type=submit]')
    await member.waitForURL('**/w/team-browser/boards')
    await member.goto(`${server.url}/w/team-browser/me/2fa`)
    await member.screenshot({ path: '/tmp/i16-2fa-390.png', fullPage: true })
    const secret = (await member.textContent('.totp-secret'))!.trim()
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
    await member.fill(
      'input[name=code]',
      totp.generate({ timestamp: testApp.clock.now().getTime() }),
    )
    await member.click('form[action$="/2fa/enable"] button[type=submit]')
    await member.waitForSelector('.recovery-codes')
    await member.screenshot({ path: '/tmp/i16-recovery-390.png', fullPage: true })
    await member.click('[data-menu-toggle]')
    await member.click('button:has-text("ログアウト")')
    await member.waitForURL('**/login')
    testApp.clock.advance(60_000)
    await member.fill('input[name=email]', 'tanaka@example.jp')
    await member.fill('input[name=password]', 'tanaka-password')
    await member.click('button[type=submit]')
    await member.waitForURL('**/login/2fa')
    await member.fill(
      'input[name=code]',
      totp.generate({ timestamp: testApp.clock.now().getTime() }),
    )
    await member.click('button[type=submit]')
    await member.waitForURL('**/w/team-browser/boards')
    await page.setViewportSize({ width: 1366, height: 900 })
    await page.goto(`${server.url}/w/team-browser/settings/audit`)
    await page.screenshot({ path: '/tmp/i16-audit-1366.png', fullPage: true })
    expect(await page.textContent('body')).toContain('招待を承諾')
    expect(errors).toEqual([])
  }, 120_000)

  it('the owner deletes a board from its side panel, after ticking the box and confirming', async () => {
    const owner = await createTestWorkspace(testApp, { slug: 'delete-browser' })
    const { page, errors } = await openStaffPage(browser, { width: 1366, height: 900 })
    await logInThroughForm(page, server.url, { ...owner, slug: 'delete-browser' })
    await page.goto(`${server.url}/w/delete-browser/boards/new`)
    await page.fill('input[name=name]', '名刺 100枚')
    await page.fill('input[name=customer_name]', '山田 太郎')
    await page.fill('input[name=customer_email]', 'yamada@example.jp')
    await page.click('form button[type=submit].primary')
    await page.waitForURL(/\/boards\/[0-9a-f-]{36}$/)
    const boardUrl = page.url()
    for (const width of [1366, 390]) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 })
      await page.goto(boardUrl)
      await page.click('.delete-board summary')
      await page.locator('.delete-board').scrollIntoViewIfNeeded()
      expect(await horizontalOverflow(page)).toBe(0)
      expect(await axeViolations(page)).toEqual([])
      await page.locator('.panel').screenshot({ path: `/tmp/i16-delete-board-${width}.png` })
    }
    // without the box ticked the browser keeps the form; with it, the confirm dialog asks
    await page.click('.delete-board button[type=submit]')
    expect(page.url()).toBe(boardUrl)
    await page.check('.delete-board input[name=confirm]')
    page.once('dialog', (dialog) => void dialog.accept())
    await page.click('.delete-board button[type=submit]')
    await page.waitForURL('**/w/delete-browser/boards?deleted=1')
    expect(await page.textContent('.alert.info')).toContain('ボードを削除しました。')
    expect(await page.textContent('body')).not.toContain('名刺 100枚')
    await page.screenshot({ path: '/tmp/i16-deleted-390.png', fullPage: true })
    expect(errors).toEqual([])
  }, 120_000)
})
