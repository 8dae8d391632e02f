import { z } from 'zod'
import { clockTime, email, line } from '../shared/validation'
import { closedDaysField } from '../next-contact/closed-days'
import { isValidTimeZone } from '../shared/time'

export const slugSchema = z
  .string({ error: 'field.required' })
  .trim()
  .min(2, { error: 'field.required' })
  .max(40, { error: 'field.too_long' })
  .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, { error: 'field.invalid' })

export const timeZoneSchema = z.string().refine(isValidTimeZone, { error: 'field.invalid' })

export const passwordSchema = z
  .string({ error: 'field.required' })
  .min(8, { error: 'field.invalid' })
  .max(1024, { error: 'field.too_long' })

export const createWorkspaceSchema = z.object({
  name: line(100),
  slug: slugSchema,
  timeZone: timeZoneSchema.default('Asia/Tokyo'),
  locale: z.enum(['ja', 'en']).default('ja'),
  ownerEmail: email,
  ownerName: line(100).optional(),
  ownerPassword: passwordSchema,
})
export type CreateWorkspaceInput = z.infer<typeof createWorkspaceSchema>

export const createMemberSchema = z.object({
  email,
  name: line(100),
  password: passwordSchema,
  role: z.enum(['owner', 'admin', 'member']).default('member'),
})
export type CreateMemberInput = z.infer<typeof createMemberSchema>

export const workspaceSettingsSchema = z.object({
  name: line(100),
  time_zone: timeZoneSchema,
  locale: z.enum(['ja', 'en'], { error: 'field.invalid_choice' }),
  expiry_days: z.coerce
    .number({ error: 'field.invalid' })
    .int({ error: 'field.invalid' })
    .min(1, { error: 'field.invalid' })
    .max(365, { error: 'field.invalid' }),
  contact_email: z.preprocess((v) => (v === '' ? null : v), email.nullable()),
  contact_phone: z.preprocess((v) => (v === '' ? null : v), line(40).nullable()),
  /** days after a board expires before its files' contents are deleted; blank keeps them */
  attachment_retention_days: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z.coerce
      .number({ error: 'field.invalid' })
      .int({ error: 'field.invalid' })
      .min(1, { error: 'field.invalid' })
      .max(3650, { error: 'field.invalid' })
      .nullable()
      .optional(),
  ),
  /** warn after the customer leaves the latest staff message unread this many days (0: never) */
  unread_warning_days: z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
    z.coerce
      .number({ error: 'field.invalid' })
      .int({ error: 'field.invalid' })
      .min(0, { error: 'field.invalid' })
      .max(90, { error: 'field.invalid' })
      .optional(),
  ),
  /** textarea lines in, the JSON column out; absent leaves the closed days alone */
  closed_days: closedDaysField,
  digest_time: clockTime.optional(),
})
export type WorkspaceSettingsInput = z.infer<typeof workspaceSettingsSchema>
