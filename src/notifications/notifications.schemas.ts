import { z } from 'zod'

const checkbox = z.preprocess(
  (value) => value === '1' || value === 'on' || value === 'true',
  z.boolean(),
)

/** The member's own settings form (POST /w/:slug/settings/me); an unchecked box is absent. */
export const memberNotificationSettingsSchema = z.object({ notify_email: checkbox })
