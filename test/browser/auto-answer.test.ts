import { describe, expect, it } from 'vitest'
import { saveCareSettings } from '../../src/business-hours/business-hours.usecases'
import { DEFAULT_WEEK } from '../../src/business-hours/business-hours'
import {
  axeViolations,
  horizontalOverflow,
  SHOTS,
  startTestServer,
  useChromium,
} from '../helpers/browser'
import { linkPath, setupBoard } from '../routes/guest.helpers'

describe('automatic answer on the customer page (Chromium, phone)', () => {
  const chromium = useChromium()

  it('a customer who writes on Saturday evening sees when the shop will answer', async () => {
    const setup = await setupBoard({ name: 'さくら印刷' })
    const { testApp, member, staffUrl, boardId } = setup
    await member.post(`${staffUrl}/messages`, { body: '校正データをお送りします。' })
    await saveCareSettings({
      deps: testApp.deps,
      workspace: { id: setup.workspace.id },
      input: {
        week: DEFAULT_WEEK.map((day) => [...day]),
        japaneseHolidays: true,
        autoAnswer: true,
        autoAnswerDelayMinutes: null,
        autoAnswerText: null,
        welcome: false,
        welcomeText: null,
        rating: false,
        ratingQuestion: null,
      },
    })
    testApp.clock.set('2026-11-28T19:00:00+09:00')
    const server = await startTestServer(testApp)
    const context = await chromium.browser.newContext({
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
    })
    try {
      const phone = await context.newPage()
      phone.setDefaultTimeout(10_000)
      await phone.goto(`${server.url}${await linkPath(testApp, boardId)}`)
      await phone.waitForURL(/\/g\/[\w-]+$/)
      await phone.fill('textarea[name=body]', 'マット紙でお願いします。')
      await phone.locator('#guest-composer button[type=submit]').click()
      await phone.getByText('マット紙でお願いします。').waitFor()
      const answer = phone.locator('#guest-auto-answer.guest-auto')
      await answer.waitFor({ timeout: 15_000 })
      expect(await answer.textContent()).toContain('11月30日(月) 9:00以降')
      expect(await answer.textContent()).toContain('自動応答')
      await answer.scrollIntoViewIfNeeded()
      await phone.screenshot({ path: `${SHOTS}/auto-answer-phone.png` })
      expect(await horizontalOverflow(phone)).toBe(0)
      expect(await axeViolations(phone)).toEqual([])
    } finally {
      await context.close()
      await server.close()
    }
  }, 90_000)
})
