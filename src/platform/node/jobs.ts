import type { Deps } from '../../deps'
import type { JobDefinition } from '../../jobs'
import { repeatInProcess } from '../../shared/repeat'

/**
 * Node: every job in `jobs` repeated in-process every `everyMs` (or `everyMs[name]` from
 * `overrides`), its `atStart` first. Runs of one job never overlap; a failure is logged and the
 * next run tries again. `stop()` waits for the runs in flight.
 */
export function startJobsInProcess(
  deps: Deps,
  jobs: readonly JobDefinition[],
  overrides: { everyMs?: Record<string, number> } = {},
) {
  const running = jobs.map((job) =>
    repeatInProcess({
      first: job.atStart ? () => job.atStart!(deps) : undefined,
      task: () => job.run(deps),
      intervalMs: overrides.everyMs?.[job.name] ?? job.everyMs,
      onError: (error) => console.error(`job ${job.name} failed`, error),
    }),
  )
  return {
    async stop() {
      await Promise.all(running.map((job) => job.stop()))
    },
  }
}
