import type { Defer } from '../deps'

/**
 * Background tasks for runtimes without waitUntil (Node, tests): errors are logged, never
 * lost silently, and `drain()` lets tests and shutdown wait for everything in flight.
 */
export function createDeferQueue(): { defer: Defer; drain(): Promise<void> } {
  const pending = new Set<Promise<unknown>>()
  return {
    defer(task) {
      const running = Promise.resolve()
        .then(task)
        .catch((error: unknown) => console.error('deferred task failed', error))
        .finally(() => pending.delete(running))
      pending.add(running)
    },
    async drain() {
      while (pending.size > 0) await Promise.all([...pending])
    },
  }
}
