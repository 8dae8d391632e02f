import { z } from 'zod'
import { optionalLine } from '../shared/validation'
import { parseDayHours, type OpeningInterval } from './business-hours'

const checkbox = z.preprocess(
  (value) => value === '1' || value === 'on' || value === 'true',
  z.boolean(),
)

/** Form field names of the seven weekdays, Sunday first like `Date#getDay`. */
export const WEEKDAY_FIELDS = [
  'hours_sun',
  'hours_mon',
  'hours_tue',
  'hours_wed',
  'hours_thu',
  'hours_fri',
  'hours_sat',
] as const

const dayHours = z
  .string()
  .max(200, { error: 'field.too_long' })
  .default('')
  .transform((value, ctx) => {
    const intervals = parseDayHours(value)
    if (!intervals) {
      ctx.addIssue({ code: 'custom', message: 'field.business_hours' })
      return z.NEVER
    }
    return intervals
  })

/** Variables each text may use (filled in one pass when it is sent). */
export const AUTO_ANSWER_VARIABLES = [
  'shop_name',
  'workspace_name',
  'next_opening',
  'customer_name',
  'board_name',
] as const
export const WELCOME_VARIABLES = [
  'customer_name',
  'board_name',
  'shop_name',
  'workspace_name',
] as const

/**
 * Multi-line text that may be left empty (then the built-in wording is used); a `{{…}}` that
 * is not one of `variables` is refused here, so nothing can fail later when it is sent.
 */
const optionalText = (max: number, variables: readonly string[]) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? value.replace(/\r\n?/g, '\n').trim() : value),
    z
      .string()
      .max(max, { error: 'field.too_long' })
      .refine((value) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(value), {
        error: 'field.invalid',
      })
      .superRefine((value, ctx) => {
        const unknown = [...value.matchAll(/\{\{\s*([^{}]*?)\s*\}\}/g)]
          .filter((match) => !variables.includes(match[1]!))
          .map((match) => match[0])
        if (unknown.length > 0) {
          ctx.addIssue({
            code: 'custom',
            message: 'field.unknown_variable',
            params: { fields: [...new Set(unknown)].join(' ') },
          })
        }
      })
      .transform((value) => (value === '' ? null : value))
      .default(null as unknown as string),
  )

/** The 営業時間 settings form (設定 → 営業時間と自動応答). */
export const careSettingsSchema = z
  .object({
    hours_sun: dayHours,
    hours_mon: dayHours,
    hours_tue: dayHours,
    hours_wed: dayHours,
    hours_thu: dayHours,
    hours_fri: dayHours,
    hours_sat: dayHours,
    japanese_holidays: checkbox,
    auto_answer: checkbox,
    auto_answer_delay_minutes: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? null : value),
      z.coerce
        .number({ error: 'field.invalid' })
        .int({ error: 'field.invalid' })
        .min(1, { error: 'field.invalid' })
        .max(120, { error: 'field.invalid' })
        .nullable()
        .default(null),
    ),
    auto_answer_text: optionalText(2000, AUTO_ANSWER_VARIABLES),
    welcome: checkbox,
    welcome_text: optionalText(5000, WELCOME_VARIABLES),
    rating: checkbox,
    rating_question: z.preprocess(
      (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
      optionalLine(200),
    ),
  })
  .transform((input) => ({
    week: WEEKDAY_FIELDS.map((field) => input[field]) as OpeningInterval[][],
    japaneseHolidays: input.japanese_holidays,
    autoAnswer: input.auto_answer,
    autoAnswerDelayMinutes: input.auto_answer_delay_minutes,
    autoAnswerText: input.auto_answer_text,
    welcome: input.welcome,
    welcomeText: input.welcome_text,
    rating: input.rating,
    ratingQuestion: input.rating_question ?? null,
  }))
export type CareSettingsInput = z.output<typeof careSettingsSchema>
