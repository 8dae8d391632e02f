import { z } from 'zod'
import { line } from '../shared/validation'
import { MAX_ATTACHMENTS_PER_MESSAGE } from './attachments.rules'

/** `POST …/uploads`: what the browser knows about the file before sending it. */
export const startUploadSchema = z.object({
  name: line(255),
  size: z.coerce
    .number({ error: 'field.invalid' })
    .int({ error: 'field.invalid' })
    .min(0, { error: 'field.invalid' })
    .max(Number.MAX_SAFE_INTEGER, { error: 'field.invalid' }),
  type: z.string().max(200).optional(),
})
export type StartUploadInput = z.infer<typeof startUploadSchema>

const ATTACHMENT_ID = /^[A-Za-z0-9_-]{1,64}$/

/**
 * The composer's `attachment_ids`: comma-separated in one field (what the page sends) or an
 * array (repeated fields, JSON). Blank means none.
 */
export const attachmentIdsField = z.preprocess(
  (value) => {
    if (value === undefined || value === null) return undefined
    const parts = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value.split(',')
        : value
    if (!Array.isArray(parts)) return parts
    const ids = [...new Set(parts.map((part) => String(part).trim()).filter(Boolean))]
    return ids.length > 0 ? ids : undefined
  },
  z
    .array(z.string().regex(ATTACHMENT_ID, { error: 'field.invalid' }), { error: 'field.invalid' })
    .max(MAX_ATTACHMENTS_PER_MESSAGE, { error: 'field.invalid' })
    .optional(),
)
