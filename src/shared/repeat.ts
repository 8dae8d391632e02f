/**
 * A job a long-running server repeats in-process (Node; Workers get cron and queue triggers):
 * `first` once, then `task` at once and every `intervalMs`. Runs never overlap, a failure goes
 * to `onError` and the next run tries again, and the timer does not keep the process alive.
 */
export function repeatInProcess({
  task,
  intervalMs,
  onError,
  first,
}: {
  task: () => Promise<unknown>
  intervalMs: number
  onError: (error: unknown) => void
  first?: () => Promise<unknown>
}) {
  let running: Promise<unknown> | undefined
  let stopped = false
  const tick = () => {
    if (running || stopped) return
    running = task()
      .catch(onError)
      .finally(() => {
        running = undefined
      })
  }
  const started = first ? first().catch(onError).then(tick) : Promise.resolve(tick())
  const timer = setInterval(tick, intervalMs)
  timer.unref?.()
  return {
    async stop() {
      stopped = true
      clearInterval(timer)
      await started
      await running
    },
  }
}
