import { describe, expect, it } from 'vitest'
import { saveCareSettings } from '../../src/business-hours/business-hours.usecases'
import { createApiKey } from '../../src/api/api.usecases'
import { apiClient } from './api.helpers'
import { findBoard, setupBoard } from './guest.helpers'

// 営業日 in a staff message counts the days the workspace opens (設定 → 営業時間と自動応答): the
// composer's preview, the post itself and the API read the same calendar.

const NINE_TO_SIX: [number, number][] = [[540, 1080]]
const FRIDAY = '2026-11-27T10:00:00+09:00'

async function openOnSaturdays(setup: Awaited<ReturnType<typeof setupBoard>>) {
  await saveCareSettings({
    deps: setup.testApp.deps,
    workspace: { id: setup.workspace.id },
    input: {
      week: [[], NINE_TO_SIX, NINE_TO_SIX, NINE_TO_SIX, NINE_TO_SIX, NINE_TO_SIX, NINE_TO_SIX],
      japaneseHolidays: true,
      autoAnswer: false,
      autoAnswerDelayMinutes: null,
      autoAnswerText: null,
      welcome: false,
      welcomeText: null,
      rating: false,
      ratingQuestion: null,
    },
  })
}

describe('next contact business days use the workspace business hours', () => {
  it('the preview, the post and the board page count Saturday for a shop open on Saturdays', async () => {
    const setup = await setupBoard()
    const { testApp, member, staffUrl, boardId } = setup
    testApp.clock.set(FRIDAY)
    const body = '翌営業日にご連絡いたします。'
    const before = await member.post(
      `${staffUrl}/next-contact/preview`,
      { body, next_contact_mode: 'auto' },
      { 'HX-Request': 'true' },
    )
    expect(await before.text()).toContain('name="next_contact_on" value="2026-11-30"')

    await openOnSaturdays(setup)
    const after = await member.post(
      `${staffUrl}/next-contact/preview`,
      { body, next_contact_mode: 'auto' },
      { 'HX-Request': 'true' },
    )
    expect(await after.text()).toContain('name="next_contact_on" value="2026-11-28"')
    await member.post(`${staffUrl}/messages`, { body, next_contact_mode: 'auto' })
    expect((await findBoard(testApp, boardId)).next_contact_on).toBe('2026-11-28')
  })

  it('the API reads the same calendar', async () => {
    const setup = await setupBoard()
    const { testApp, workspace, boardId } = setup
    await openOnSaturdays(setup)
    testApp.clock.set(FRIDAY)
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace,
      name: 'k',
      createdBy: null,
    })
    const response = await apiClient(testApp, key).request('POST', `/boards/${boardId}/messages`, {
      body: '2営業日以内に発送いたします。',
    })
    expect(response.status).toBe(201)
    expect((await findBoard(testApp, boardId)).next_contact_on).toBe('2026-11-30')
  })

  it('the composer warns of a closed day by the shop’s own week (no warning for its Saturday)', async () => {
    const setup = await setupBoard()
    const { member, staffUrl } = setup
    const preview = async () =>
      (
        await member.post(
          `${staffUrl}/next-contact/preview`,
          { body: '11月28日(土)にお届けします。', next_contact_mode: 'auto' },
          { 'HX-Request': 'true' },
        )
      ).text()
    expect(await preview()).toContain('data-kind="closed"')
    await openOnSaturdays(setup)
    expect(await preview()).not.toContain('data-kind="closed"')
  })
})
