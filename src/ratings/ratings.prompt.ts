// What asks the customer for a rating, kept apart from the use cases so the email builder
// (src/notifications/notifications.mail.ts) can use it without importing the write path.
import type { Workspace } from '../db/schema'
import type { Config, Deps } from '../deps'
import { getCareSettings } from '../business-hours/business-hours.usecases'
import { guestUrl } from '../guest/guest.link'
import { RATING_SCORES, ratingLabel } from './ratings.rules'
import { defaultCareTexts } from '../business-hours/care-texts'

/** What a page needs to ask for (or show) the rating: whether it is asked, and the question. */
export interface RatingPrompt {
  on: boolean
  /** the workspace's question, or the built-in 「ご対応はいかがでしたか？」 */
  question: string
}

/** The workspace's rating setting and question text (one indexed read). */
export async function ratingPrompt({
  deps,
  workspace,
}: {
  deps: Pick<Deps, 'db'>
  workspace: Pick<Workspace, 'id' | 'locale'>
}): Promise<RatingPrompt> {
  const settings = await getCareSettings({ deps, workspaceId: workspace.id })
  return {
    on: settings.rating,
    question: settings.ratingQuestion ?? defaultCareTexts(workspace.locale).ratingQuestion,
  }
}

/** One of the five one-click links in the email: its score, its words, and the address. */
export interface RatingLink {
  score: number
  label: string
  url: string
}

/**
 * The email's five links, worst first: `/g/<board>/<secret>/rate/<score>`. Opening one only
 * trades the link's secret for the board cookie and shows the confirmation form with that score
 * chosen (a GET never records anything: mail scanners open links too).
 */
export async function ratingLinks(
  config: Pick<Config, 'appSecret' | 'baseUrl'>,
  board: { id: string; guest_link_version: number },
  locale: Workspace['locale'],
): Promise<RatingLink[]> {
  const base = await guestUrl(config, board)
  return RATING_SCORES.map((score) => ({
    score,
    label: ratingLabel(score, locale),
    url: `${base}/rate/${score}`,
  }))
}
