// What the queue consumer and the cron triggers run: the jobs declared in src/jobs.ts, by their
// `cron`. Jobs run one after another so a failing one is logged and the rest still run.
import type { Deps } from '../../deps'
import { drainAll, JOBS, type JobDefinition } from '../../jobs'
import type { MessageBatch } from './bindings'
import type { OutboxKick } from './deps'

async function runJobs(
  deps: Deps,
  jobs: readonly Pick<JobDefinition, 'name' | 'run'>[],
): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {}
  let failed = 0
  for (const { name, run } of jobs) {
    try {
      results[name] = await run(deps)
    } catch (error) {
      failed += 1
      console.error(`job ${name} failed`, error)
      results[name] = 'failed'
    }
  }
  console.log(JSON.stringify({ jobs: results }))
  if (failed > 0) throw new Error(`${failed} of ${jobs.length} jobs failed`)
  return results
}

/**
 * The queue consumer. A message only says "rows are waiting"; however many arrive, one drain
 * sends everything due. If the drain itself fails (D1 unreachable), the queue redelivers.
 */
export async function consumeOutboxBatch(
  deps: Deps,
  batch: MessageBatch<OutboxKick>,
): Promise<void> {
  try {
    await runJobs(deps, [{ name: 'outbox', run: drainAll }])
    batch.ackAll()
  } catch {
    batch.retryAll({ delaySeconds: 30 })
  }
}

/** One cron run: the jobs for its pattern (src/jobs.ts). An unknown pattern (a renamed cron) runs them all. */
export async function runScheduled(deps: Deps, cron: string): Promise<Record<string, unknown>> {
  const due = JOBS.filter((job) => job.cron === cron)
  return runJobs(deps, due.length > 0 ? due : JOBS)
}
