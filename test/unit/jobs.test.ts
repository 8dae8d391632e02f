import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { CRONS, JOBS } from '../../src/jobs'

/** The patterns in wrangler.toml `[triggers] crons = [ … ]` (comments and blank lines skipped). */
function wranglerCrons(): string[] {
  const toml = readFileSync(new URL('../../wrangler.toml', import.meta.url), 'utf8')
  const block = /^\[triggers\][^[]*?crons\s*=\s*\[([\s\S]*?)\]/m.exec(toml)?.[1] ?? ''
  return [...block.split('\n').flatMap((line) => /^\s*"([^"]+)"/.exec(line)?.[1] ?? [])]
}

describe('the job list (src/jobs.ts)', () => {
  it('names each job once and gives each a cadence for both runtimes', () => {
    const names = JOBS.map((job) => job.name)
    expect(new Set(names).size).toBe(names.length)
    for (const job of JOBS) {
      expect(job.everyMs).toBeGreaterThan(0)
      expect(Object.values(CRONS)).toContain(job.cron)
    }
  })

  it('declares exactly the Cron Triggers wrangler.toml has, each running at least one job', () => {
    expect(wranglerCrons().sort()).toEqual(Object.values(CRONS).sort())
    for (const cron of Object.values(CRONS)) {
      expect(JOBS.some((job) => job.cron === cron)).toBe(true)
    }
  })
})
