// `wrangler deploy --dry-run`: the bundle builds from wrangler.toml with no Node built-ins, stays
// under 1 MB gzipped, and boots on workerd quickly. Figures are printed for the CI log.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, describe, expect, it } from 'vitest'
import { APP_SECRET, wrangler } from './harness'

const outdir = mkdtempSync(join(tmpdir(), 'orderboard-bundle-'))
afterAll(() => rmSync(outdir, { recursive: true, force: true }))

describe('wrangler deploy --dry-run', () => {
  let bundle = ''

  it('bundles the worker without Node built-ins or Node-only packages, under 1 MB gzipped', async () => {
    const output = await wrangler(['deploy', '--dry-run', '--outdir', outdir])
    expect(output).toContain('--dry-run: exiting now.')
    bundle = readFileSync(join(outdir, 'entry.worker.js'), 'utf8')
    const gzipped = gzipSync(bundle, { level: 9 }).byteLength
    console.log(
      `worker bundle: ${(bundle.length / 1024).toFixed(0)} KiB raw, ${(gzipped / 1024).toFixed(0)} KiB gzipped` +
        ` (wrangler: ${/Total Upload: .*/.exec(output)?.[0] ?? '?'})`,
    )
    expect(gzipped).toBeLessThan(1024 * 1024)
    // No nodejs_compat: a Node built-in would fail the build or the runtime. (esbuild writes real
    // imports with double quotes and a semicolon; the API docs page quotes Node code as text.)
    expect(bundle).not.toMatch(/^import\b[^;\n]*\bfrom\s*"node:[^"]+";$|\brequire\("node:/m)
    for (const nodeOnly of ['better-sqlite3', 'nodemailer', 'smtp-server']) {
      expect(bundle, nodeOnly).not.toContain(`node_modules/${nodeOnly}/`)
    }
  }, 60_000)

  it('boots the bundled worker on workerd and answers its first request', async () => {
    expect(bundle).not.toBe('')
    const { Miniflare } = await import('miniflare')
    const options = {
      compatibilityDate: '2026-04-20',
      d1Databases: ['DB'],
      r2Buckets: ['BLOBS'],
      queueProducers: { OUTBOX_QUEUE: 'orderboard-outbox' },
      bindings: { APP_SECRET, BASE_URL: 'http://localhost:8787', DEV_MAILBOX: 'true' },
      cf: false,
    }
    /** Runtime start → first 200, and the median of 20 warm requests after it. */
    const measure = async (contents: string, path: string) => {
      const started = performance.now()
      // Modules listed explicitly: with `scriptPath` Miniflare first parses the whole bundle in
      // Node to find its imports, seconds that have nothing to do with the Workers runtime.
      const mf = new Miniflare({
        ...options,
        modulesRoot: outdir,
        modules: [{ type: 'ESModule', path: join(outdir, 'entry.worker.js'), contents }],
      })
      try {
        const response = await mf.dispatchFetch(`http://localhost:8787${path}`)
        await response.text()
        expect(response.status).toBe(200)
        const firstMs = performance.now() - started
        const warm: number[] = []
        for (let i = 0; i < 20; i += 1) {
          const before = performance.now()
          await (await mf.dispatchFetch(`http://localhost:8787${path}`)).text()
          warm.push(performance.now() - before)
        }
        return { firstMs, warmMs: warm.sort((a, b) => a - b)[10]! }
      } finally {
        await mf.dispose()
      }
    }
    // The same runtime with an empty worker: what workerd and the local bindings cost by
    // themselves, so the difference is what this bundle adds (parse, top-level code, first render).
    // Three runs each, alternating, medians kept: the machine is shared.
    const runs: {
      baseline: Awaited<ReturnType<typeof measure>>
      app: Awaited<ReturnType<typeof measure>>
    }[] = []
    for (let i = 0; i < 3; i += 1) {
      runs.push({
        baseline: await measure('export default { fetch: () => new Response("ok") }', '/'),
        app: await measure(bundle, '/login'),
      })
    }
    const median = (values: number[]) => values.sort((a, b) => a - b)[1]!
    const baseline = {
      firstMs: median(runs.map((r) => r.baseline.firstMs)),
      warmMs: median(runs.map((r) => r.baseline.warmMs)),
    }
    const app = {
      firstMs: median(runs.map((r) => r.app.firstMs)),
      warmMs: median(runs.map((r) => r.app.warmMs)),
    }
    console.log(
      `worker cold start (runtime start → first 200 on /login): ${app.firstMs.toFixed(0)} ms; an empty worker on ` +
        `the same runtime: ${baseline.firstMs.toFixed(0)} ms, so the bundle adds ${(app.firstMs - baseline.firstMs).toFixed(0)} ms. ` +
        `Warm /login median ${app.warmMs.toFixed(1)} ms (empty worker ${baseline.warmMs.toFixed(1)} ms).`,
    )
  }, 90_000)

  it('answers 500 naming the missing APP_SECRET (never a value) instead of running unsigned', async () => {
    const { Miniflare } = await import('miniflare')
    const mf = new Miniflare({
      compatibilityDate: '2026-04-20',
      d1Databases: ['DB'],
      r2Buckets: ['BLOBS'],
      queueProducers: { OUTBOX_QUEUE: 'orderboard-outbox' },
      bindings: { BASE_URL: 'http://localhost:8787' },
      cf: false,
      modulesRoot: outdir,
      modules: [{ type: 'ESModule', path: join(outdir, 'entry.worker.js'), contents: bundle }],
    })
    try {
      const response = await mf.dispatchFetch('http://localhost:8787/login')
      expect(response.status).toBe(500)
      expect(await response.text()).toContain('wrangler secret put APP_SECRET')
    } finally {
      await mf.dispose()
    }
  }, 60_000)
})
