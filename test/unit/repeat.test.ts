import { describe, expect, it } from 'vitest'
import { repeatInProcess } from '../../src/shared/repeat'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

describe('repeatInProcess', () => {
  it('runs first, then the task at once and again, never two at a time; errors do not stop it', async () => {
    const log: string[] = []
    const errors: unknown[] = []
    let active = 0
    let most = 0
    let runs = 0
    const job = repeatInProcess({
      first: async () => void log.push('first'),
      task: async () => {
        runs++
        active++
        most = Math.max(most, active)
        log.push('task')
        await sleep(25) // longer than the interval: ticks meanwhile are skipped
        active--
        if (runs === 1) throw new Error('boom')
      },
      intervalMs: 5,
      onError: (error) => errors.push(error),
    })
    await sleep(120)
    await job.stop()
    const after = runs
    await sleep(30)
    expect(log[0]).toBe('first')
    expect(runs).toBeGreaterThanOrEqual(2)
    expect(most).toBe(1)
    expect(errors).toHaveLength(1)
    expect(runs).toBe(after) // stopped: nothing more
  })
})
