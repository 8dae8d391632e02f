import { spawn, type ChildProcess } from 'node:child_process'
import { request as httpRequest, Agent } from 'node:http'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

// SIGTERM while keep-alive clients keep sending: the server stops accepting, finishes what it
// has started, asks busy connections to close, and exits within 10 s; no answer is cut short.

const ROOT = join(import.meta.dirname, '..', '..')

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

type Outcome = 'complete' | 'refused' | 'cut'

/** One GET on the keep-alive agent: complete (the whole body), refused before any answer, or cut. */
function get(
  port: number,
  agent: Agent,
  path: string,
): Promise<{ outcome: Outcome; close: boolean }> {
  return new Promise((resolve) => {
    let answered = false
    const request = httpRequest({ host: '127.0.0.1', port, path, agent }, (response) => {
      answered = true
      let bytes = 0
      response.on('data', (chunk: Buffer) => (bytes += chunk.length))
      response.on('end', () => {
        const expected = Number(response.headers['content-length'] ?? bytes)
        resolve({
          outcome: bytes === expected && response.complete ? 'complete' : 'cut',
          close: response.headers.connection === 'close',
        })
      })
      response.on('aborted', () => resolve({ outcome: 'cut', close: false }))
      response.on('error', () => resolve({ outcome: 'cut', close: false }))
    })
    request.on('error', () => resolve({ outcome: answered ? 'cut' : 'refused', close: false }))
    request.end()
  })
}

describe('graceful shutdown', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderboard-shutdown-'))
  let child: ChildProcess | undefined

  afterAll(() => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'exits within 10 s under keep-alive traffic, no answer cut',
    { timeout: 180_000 },
    async () => {
      const port = await freePort()
      child = spawn(process.execPath, ['--import', 'tsx', 'src/entry.node.ts'], {
        cwd: ROOT,
        env: {
          ...process.env,
          PORT: String(port),
          BASE_URL: `http://127.0.0.1:${port}`,
          DATA_DIR: dataDir,
          SEED_DEMO: '1',
          APP_SECRET: 'shutdown-test-secret-shutdown-test-secret',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      })
      let log = ''
      child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
      child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
      const exited = new Promise<number | null>((resolve) => child!.once('exit', resolve))
      const agent = new Agent({ keepAlive: true, maxSockets: 4 })
      for (let tries = 0; ; tries += 1) {
        if ((await get(port, agent, '/healthz')).outcome === 'complete') break
        if (tries > 900) throw new Error(`no server:\n${log}`)
        await new Promise((resolve) => setTimeout(resolve, 100))
      }

      const outcomes: Outcome[] = []
      let closeAnswers = 0
      let stopAt = Number.POSITIVE_INFINITY
      // Four clients on kept-alive connections, each sending again as soon as it is answered,
      // until a while after the server has gone.
      const client = async () => {
        while (Date.now() < stopAt) {
          const result = await get(port, agent, '/login')
          outcomes.push(result.outcome)
          if (result.close) closeAnswers += 1
          if (result.outcome === 'refused') await new Promise((resolve) => setTimeout(resolve, 20))
        }
      }
      const clients = Array.from({ length: 4 }, client)
      await new Promise((resolve) => setTimeout(resolve, 1_500))
      const before = outcomes.length
      const signalledAt = Date.now()
      child.kill('SIGTERM')
      const code = await exited
      const exitMs = Date.now() - signalledAt
      stopAt = Date.now() + 500
      await Promise.all(clients)
      agent.destroy()

      console.log(
        `shutdown: exit ${exitMs} ms after SIGTERM (code ${code}); ${before} answers before, ` +
          `${outcomes.length - before} after the signal (${closeAnswers} with Connection: close), ` +
          `${outcomes.filter((o) => o === 'refused').length} refused, ${outcomes.filter((o) => o === 'cut').length} cut`,
      )
      expect(before).toBeGreaterThan(0)
      expect(exitMs).toBeLessThan(10_000)
      expect(code).toBe(0)
      expect(outcomes.filter((outcome) => outcome === 'cut')).toEqual([])
      expect(log).toContain('SIGTERM: finishing requests in flight')
    },
  )
})
