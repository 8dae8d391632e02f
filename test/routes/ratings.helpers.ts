import { expect } from 'vitest'
import { saveCareSettings } from '../../src/business-hours/business-hours.usecases'
import { DEFAULT_WEEK } from '../../src/business-hours/business-hours'
import type { TestApp } from '../helpers/app'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'

// Shared set-up for the rating tests (満足度 and 「解決しました」, issue #18).

/** Switches the workspace's rating on (or off), with an optional question of its own. */
export async function setRating(
  testApp: TestApp,
  workspaceId: string,
  options: { on?: boolean; question?: string | null; autoAnswer?: boolean } = {},
) {
  await saveCareSettings({
    deps: testApp.deps,
    workspace: { id: workspaceId },
    input: {
      week: DEFAULT_WEEK.map((day) => [...day]),
      japaneseHolidays: true,
      autoAnswer: options.autoAnswer ?? false,
      autoAnswerDelayMinutes: options.autoAnswer ? 15 : null,
      autoAnswerText: null,
      welcome: false,
      welcomeText: null,
      rating: options.on ?? true,
      ratingQuestion: options.question ?? null,
    },
  })
}

export type RatingSetup = Awaited<ReturnType<typeof ratedSetup>>

/**
 * A board with one staff post (No.1), the workspace asking for ratings (unless `rating` is
 * false), the customer's browser (cookie and form token) and, with `done`, a decision that
 * makes the board 完了 (its email carries the rating links).
 */
export async function ratedSetup(
  options: {
    rating?: boolean
    done?: boolean
    question?: string | null
    locale?: 'ja' | 'en'
    /** another workspace in the same app (cross-workspace tests) */
    testApp?: TestApp
  } = {},
) {
  const setup = await setupBoard({ locale: options.locale, testApp: options.testApp })
  await setRating(setup.testApp, setup.workspace.id, {
    on: options.rating ?? true,
    question: options.question ?? null,
  })
  await setup.member.post(`${setup.staffUrl}/messages`, { body: '校正データをお送りします。' })
  if (options.done ?? true) await decide(setup)
  await setup.testApp.drain()
  const guest = (await openAsGuest(setup.testApp, await setup.linkPath())).client
  return { ...setup, guest }
}

/** The member confirms No.1: the board becomes 完了 and the customer is emailed. */
export async function decide(setup: { member: { post: Function }; staffUrl: string }) {
  const response = await (
    setup.member.post as (path: string, form: Record<string, string>) => Promise<Response>
  )(`${setup.staffUrl}/messages`, { body: 'No.1 の内容で確定いたしました。', decides_no: '1' })
  expect(response.status).toBeLessThan(400)
}

/** The customer sends the rating form. */
export function rate(
  setup: { guest: { post: (path: string, form: Record<string, string>) => Promise<Response> } },
  boardId: string,
  form: Record<string, string>,
) {
  return setup.guest.post(`/g/${boardId}/rating`, form)
}

export const board = findBoard

/** Every outbox row of a kind, oldest first. */
export function outboxOf(testApp: TestApp, kind: string) {
  return testApp.deps.db
    .selectFrom('outbox')
    .selectAll()
    .where('kind', '=', kind)
    .orderBy('created_at')
    .orderBy('id')
    .execute()
}

/** The customer's emails (the board's notifications to the customer's address). */
export function customerMails(testApp: TestApp, to = 'yamada@example.jp') {
  return testApp.mailer.sent.filter((mail) => mail.to === to)
}

/** The rating links of the latest customer email of board `boardId` (none: []). */
export function linksFor(testApp: TestApp, boardId: string): string[] {
  const mail = testApp.mailer.sent.filter((m) => m.text.includes(`/g/${boardId}/`)).at(-1)
  return mail ? ratingLinksIn(mail.text) : []
}

/** The five one-click links of an email's plain text, worst first. */
export function ratingLinksIn(text: string): string[] {
  return [...text.matchAll(/https?:\/\/\S+?\/rate\/[1-5]/g)].map((match) => match[0])
}

export const DAY = 24 * 60 * 60 * 1000
