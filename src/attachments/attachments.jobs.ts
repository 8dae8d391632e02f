import type { Deps } from '../deps'
import { applyAttachmentRetention, cleanupExpiredUploads } from './attachments.usecases'

/**
 * Node: abandoned uploads and retention run in-process every `intervalMs` (Workers call the two
 * use cases from a cron trigger instead). A failed run is logged and tried again next time.
 */
export function startAttachmentJanitor({ deps, intervalMs }: { deps: Deps; intervalMs: number }) {
  let running: Promise<unknown> = Promise.resolve()
  const run = () => {
    running = (async () => {
      try {
        await cleanupExpiredUploads({ deps })
        await applyAttachmentRetention({ deps })
      } catch (error) {
        console.error('attachment cleanup failed', error)
      }
    })()
  }
  const timer = setInterval(run, intervalMs)
  timer.unref()
  run()
  return {
    stop: async () => {
      clearInterval(timer)
      await running
    },
  }
}
