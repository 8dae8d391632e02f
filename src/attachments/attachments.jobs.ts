import type { Deps } from '../deps'
import { repeatInProcess } from '../shared/repeat'
import { applyAttachmentRetention, cleanupExpiredUploads } from './attachments.usecases'

/**
 * Node: abandoned uploads and retention run in-process every `intervalMs` (Workers call the two
 * use cases from a cron trigger instead). A failed run is logged and tried again next time.
 */
export function startAttachmentJanitor({ deps, intervalMs }: { deps: Deps; intervalMs: number }) {
  return repeatInProcess({
    task: async () => {
      await cleanupExpiredUploads({ deps })
      await applyAttachmentRetention({ deps })
    },
    intervalMs,
    onError: (error) => console.error('attachment cleanup failed', error),
  })
}
