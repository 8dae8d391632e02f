import type { Locale, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { closedDaysOf } from '../next-contact/closed-days'
import { readStoredWeek, type BusinessHours, type OpeningInterval } from './business-hours'
import { createCareSettingsRepository } from './business-hours.repository'
import type { CareSettingsInput } from './business-hours.schemas'

/** A workspace's business hours and customer-care settings, defaults filled in. */
export interface CareSettings {
  week: OpeningInterval[][]
  japaneseHolidays: boolean
  autoAnswer: boolean
  /** null: answer only outside business hours; 1–120: also within them after N minutes */
  autoAnswerDelayMinutes: number | null
  /** the workspace's own wording, or null for the built-in one (`defaultCareTexts`, care-texts.ts) */
  autoAnswerText: string | null
  welcome: boolean
  welcomeText: string | null
  rating: boolean
  ratingQuestion: string | null
}

/** Reads the workspace's care settings (one indexed row, or the defaults). */
export async function getCareSettings({
  deps,
  workspaceId,
}: {
  deps: Pick<Deps, 'db'>
  workspaceId: string
}): Promise<CareSettings> {
  const row = await createCareSettingsRepository({ db: deps.db }).find(workspaceId)
  return {
    week: readStoredWeek(row?.week),
    japaneseHolidays: row ? row.japanese_holidays === 1 : true,
    autoAnswer: row?.auto_answer === 1,
    autoAnswerDelayMinutes: row?.auto_answer_delay_minutes ?? null,
    autoAnswerText: row?.auto_answer_text ?? null,
    welcome: row?.welcome === 1,
    welcomeText: row?.welcome_text ?? null,
    rating: row?.rating === 1,
    ratingQuestion: row?.rating_question ?? null,
  }
}

/** The business-hours calendar of a workspace: its week, holidays and own closed days. */
export function businessHoursOf(
  workspace: Pick<Workspace, 'time_zone' | 'closed_days'>,
  settings: Pick<CareSettings, 'week' | 'japaneseHolidays'>,
): BusinessHours {
  return {
    timeZone: workspace.time_zone,
    week: settings.week,
    closedDays: new Set(closedDaysOf(workspace)),
    japaneseHolidays: settings.japaneseHolidays,
  }
}

/**
 * The workspace's business-hours calendar read from the database (one indexed read): what
 * next-contact business days and the automatic answer count with.
 */
export async function loadBusinessHours({
  deps,
  workspace,
}: {
  deps: Pick<Deps, 'db'>
  workspace: Pick<Workspace, 'id' | 'time_zone' | 'closed_days'>
}): Promise<BusinessHours> {
  return businessHoursOf(workspace, await getCareSettings({ deps, workspaceId: workspace.id }))
}

/** Saves the settings form (already validated) in one statement. */
export async function saveCareSettings({
  deps,
  workspace,
  input,
}: {
  deps: Pick<Deps, 'db' | 'clock'>
  workspace: Pick<Workspace, 'id'>
  input: CareSettingsInput
}) {
  await createCareSettingsRepository({ db: deps.db }).save({
    workspace_id: workspace.id,
    week: JSON.stringify(input.week),
    japanese_holidays: input.japaneseHolidays ? 1 : 0,
    auto_answer: input.autoAnswer ? 1 : 0,
    auto_answer_delay_minutes: input.autoAnswerDelayMinutes,
    auto_answer_text: input.autoAnswerText,
    welcome: input.welcome ? 1 : 0,
    welcome_text: input.welcomeText,
    rating: input.rating ? 1 : 0,
    rating_question: input.ratingQuestion,
    updated_at: deps.clock.now().getTime(),
  })
}
