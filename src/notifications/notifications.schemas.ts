import { z } from 'zod'

const checkbox = z.preprocess(
  (value) => value === '1' || value === 'on' || value === 'true',
  z.boolean(),
)

/** The member's own settings form (POST /w/:slug/settings/me); an unchecked box is absent. */
export const memberNotificationSettingsSchema = z.object({
  notify_email: checkbox,
  /** a board assigned to me by someone else (issue #17) */
  notify_assigned: checkbox,
  /** someone mentions me in an internal note (issue #17) */
  notify_mention: checkbox,
})
