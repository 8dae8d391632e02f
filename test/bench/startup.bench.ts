// Start-up: spawn `npm start` and time until /healthz answers, against a bare node:http hello
// server started the same way (`npm start` in a folder whose start script runs it). Both after
// a first start, so the app's figure is a restart on an existing database (migrations checked,
// no demo to seed) and the build is current.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const ROOT = join(import.meta.dirname, '..', '..')

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** ms from spawning `npm start` in `cwd` until GET /healthz answers 200; the process is killed. */
async function timeToHealthy(cwd: string, env: Record<string, string>): Promise<number> {
  const port = await freePort()
  const started = performance.now()
  const child = spawn('npm', ['start'], {
    cwd,
    detached: true,
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: 'ignore',
  })
  try {
    const deadline = Date.now() + 120_000
    for (;;) {
      const ok = await fetch(`http://127.0.0.1:${port}/healthz`).then(
        (response) => response.ok,
        () => false,
      )
      if (ok) return performance.now() - started
      if (Date.now() > deadline) throw new Error(`${cwd}: no /healthz within 120 s`)
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
  } finally {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // already gone
    }
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

export async function benchStartup(rounds = 5) {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderboard-startup-'))
  const helloDir = mkdtempSync(join(tmpdir(), 'orderboard-hello-'))
  writeFileSync(
    join(helloDir, 'hello.mjs'),
    "import http from 'node:http'\nhttp.createServer((q, s) => s.end('ok')).listen(Number(process.env.PORT))\n",
  )
  writeFileSync(
    join(helloDir, 'package.json'),
    JSON.stringify({ name: 'hello', private: true, scripts: { start: 'node hello.mjs' } }),
  )
  const env = { DATA_DIR: dataDir, APP_SECRET: 'startup-bench-secret-startup-bench-secret' }
  try {
    const firstStartMs = await timeToHealthy(ROOT, env)
    await timeToHealthy(helloDir, env)
    const app: number[] = []
    const hello: number[] = []
    // alternated, so a busy moment on the machine falls on both
    for (let round = 0; round < rounds; round += 1) {
      app.push(await timeToHealthy(ROOT, env))
      hello.push(await timeToHealthy(helloDir, env))
    }
    const appMs = median(app)
    const helloMs = median(hello)
    return { firstStartMs, appMs, helloMs, ratio: appMs / helloMs }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
    rmSync(helloDir, { recursive: true, force: true })
  }
}
