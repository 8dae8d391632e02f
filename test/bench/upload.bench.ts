// A 1000 MB upload through the real Node server (child process, temporary DATA_DIR): the
// server's memory growth while it streams, and the throughput next to `dd` writing the same
// amount to the same disk in the same run. Run alone: `npx tsx test/bench/upload.bench.ts`.
import { execFileSync, spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEMO } from '../../src/workspaces/demo'

const MiB = 1024 * 1024
const TOTAL = Number(process.env.BENCH_UPLOAD_MB ?? 1000) * MiB
const CHUNK = 256 * 1024
const PARALLEL_PARTS = Number(process.env.BENCH_PARALLEL ?? 3)
const ROOT = join(import.meta.dirname, '..', '..')

export interface UploadBenchResult {
  bytes: number
  uploadSeconds: number
  uploadMBps: number
  ddSeconds: number
  ddMBps: number
  ratio: number
  baselineRssMB: number
  peakRssMB: number
  rssGrowthMB: number
  sha256Matches: boolean
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0))
    })
  })
}

function rssKB(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  let status: string
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8')
  } catch {
    return 0 // the server has exited; the upload fails with its own error
  }
  return Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0)
}

/** `dd if=/dev/zero of=<dir>/dd.bin bs=8M count=125 conv=fsync`: the disk's own speed. */
function ddSeconds(dir: string): number {
  const target = join(dir, 'dd.bin')
  const started = performance.now()
  execFileSync('dd', ['if=/dev/zero', `of=${target}`, 'bs=8M', 'count=125', 'conv=fsync'], {
    stdio: 'ignore',
  })
  const seconds = (performance.now() - started) / 1000
  rmSync(target, { force: true })
  return seconds
}

interface HttpAnswer {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

function call(
  agent: Agent,
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: string | ((write: (chunk: Uint8Array) => Promise<void>) => Promise<void>),
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      )
      res.on('error', reject)
    })
    req.on('error', reject)
    if (typeof body === 'function') {
      const write = (chunk: Uint8Array) =>
        new Promise<void>((done) => {
          if (req.write(chunk)) done()
          else req.once('drain', () => done())
        })
      body(write).then(() => req.end(), reject)
    } else {
      req.end(body)
    }
  })
}

async function waitForServer(port: number, agent: Agent) {
  for (let i = 0; i < 200; i++) {
    try {
      const answer = await call(agent, port, 'GET', '/healthz', {})
      if (answer.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error('the server did not start')
}

export async function benchUpload(): Promise<UploadBenchResult> {
  const dataDir = mkdtempSync(join(tmpdir(), 'ob-upload-bench-'))
  const port = await freePort()
  const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL_PARTS + 1 })
  const nodeArgs = process.env.BENCH_NODE_ARGS ? process.env.BENCH_NODE_ARGS.split(' ') : []
  const server = spawn(
    process.execPath,
    [...nodeArgs, '--import', 'tsx', join(ROOT, 'src', 'entry.node.ts')],
    {
      cwd: ROOT,
      env: {
        ...process.env,
        DATA_DIR: dataDir,
        PORT: String(port),
        BASE_URL: `http://127.0.0.1:${port}`,
        SEED_DEMO: '1',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  )
  server.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGTERM')
      console.error(`upload bench: the server exited (${code ?? signal})`)
  })
  try {
    await waitForServer(port, agent)
    if (process.env.BENCH_DEBUG) console.error('server up')
    const origin = `http://127.0.0.1:${port}`
    const login = await call(
      agent,
      port,
      'POST',
      '/login',
      { 'Content-Type': 'application/x-www-form-urlencoded', Origin: origin },
      new URLSearchParams({ email: DEMO.email, password: DEMO.password }).toString(),
    )
    const cookie = String(login.headers['set-cookie'] ?? '').split(';')[0] ?? ''
    const list = await call(agent, port, 'GET', `/w/${DEMO.slug}/boards`, { Cookie: cookie })
    const csrf = /name="_csrf" value="([^"]+)"/.exec(list.body)?.[1]
    const boardPath = new RegExp(`/w/${DEMO.slug}/boards/[0-9a-f-]{36}`).exec(list.body)?.[0]
    if (!csrf || !boardPath) throw new Error('could not log in to the demo workspace')
    const headers = { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: origin }

    // The client streams the same 256 KiB block over and over: it never holds the file either.
    const block = new Uint8Array(CHUNK)
    for (let i = 0; i < CHUNK; i++) block[i] = (i * 7) & 0xff
    const expected = createHash('sha256')
    for (let sent = 0; sent < TOTAL; sent += CHUNK) expected.update(block)
    const expectedSha = expected.digest('hex')

    // A fresh keep-alive pool per file: the server drops idle sockets after 5 s (dd runs between).
    const upload = async (size: number, name: string) => {
      const agent = new Agent({ keepAlive: true, maxSockets: PARALLEL_PARTS + 1 })
      const start = await call(
        agent,
        port,
        'POST',
        `${boardPath}/uploads`,
        { ...headers, 'Content-Type': 'application/json' },
        JSON.stringify({ name, size, type: 'video/mp4' }),
      )
      if (start.status !== 201) throw new Error(`start answered ${start.status} ${start.body}`)
      const session = JSON.parse(start.body) as {
        upload_id: string
        part_size: number
        parts: number
      }
      let next = 1
      const worker = async () => {
        for (let n = next++; n <= session.parts; n = next++) {
          const length = Math.min(session.part_size, size - (n - 1) * session.part_size)
          const answer = await call(
            agent,
            port,
            'PUT',
            `${boardPath}/uploads/${session.upload_id}/parts/${n}`,
            {
              ...headers,
              'Content-Type': 'application/octet-stream',
              'Content-Length': String(length),
            },
            async (write) => {
              for (let sent = 0; sent < length; sent += CHUNK)
                await write(block.subarray(0, Math.min(CHUNK, length - sent)))
            },
          )
          if (answer.status !== 200)
            throw new Error(`part ${n} answered ${answer.status} ${answer.body}`)
        }
      }
      const partsStarted = performance.now()
      await Promise.all(Array.from({ length: PARALLEL_PARTS }, worker))
      if (process.env.BENCH_DEBUG)
        console.error(`parts: ${((performance.now() - partsStarted) / 1000).toFixed(2)} s`)
      const done = await call(
        agent,
        port,
        'POST',
        `${boardPath}/uploads/${session.upload_id}/complete`,
        headers,
      )
      agent.destroy()
      if (done.status !== 200) throw new Error(`complete answered ${done.status} ${done.body}`)
      if (process.env.BENCH_DEBUG)
        console.error(
          `parts + complete: ${((performance.now() - partsStarted) / 1000).toFixed(2)} s`,
        )
      return JSON.parse(done.body) as { sha256: string; size: number }
    }

    // Warm up (JIT, first file handles), then measure from a settled baseline.
    await upload(32 * MiB, 'warm-up.mp4')
    await new Promise((resolve) => setTimeout(resolve, 500))
    const ddBefore = ddSeconds(dataDir)
    const baseline = rssKB(server.pid!, 'VmRSS')
    let peak = baseline
    const sampler = setInterval(() => {
      peak = Math.max(peak, rssKB(server.pid!, 'VmRSS'))
    }, 20)
    const cpu = () => {
      const fields = readFileSync(`/proc/${server.pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
      return (Number(fields[11]) + Number(fields[12])) / 100
    }
    const cpuBefore = cpu()
    const clientBefore = process.cpuUsage()
    const started = performance.now()
    const result = await upload(TOTAL, '1000MB.mp4')
    if (process.env.BENCH_DEBUG) {
      const client = process.cpuUsage(clientBefore)
      console.error(
        `server CPU ${(cpu() - cpuBefore).toFixed(2)} s, client CPU ${((client.user + client.system) / 1e6).toFixed(2)} s`,
      )
    }
    const uploadSeconds = (performance.now() - started) / 1000
    clearInterval(sampler)
    peak = Math.max(peak, rssKB(server.pid!, 'VmRSS'))
    const ddAfter = ddSeconds(dataDir)
    // Against the faster of two dd runs, so a slow moment of the disk flatters nobody.
    const dd = Math.min(ddBefore, ddAfter)
    const uploadMBps = TOTAL / MiB / uploadSeconds
    const ddMBps = 1000 / dd
    return {
      bytes: TOTAL,
      uploadSeconds,
      uploadMBps,
      ddSeconds: dd,
      ddMBps,
      ratio: uploadMBps / ddMBps,
      baselineRssMB: baseline / 1024,
      peakRssMB: peak / 1024,
      rssGrowthMB: (peak - baseline) / 1024,
      sha256Matches: result.sha256 === expectedSha && result.size === TOTAL,
    }
  } finally {
    agent.destroy()
    server.kill('SIGTERM')
    await new Promise((resolve) => {
      const timer = setTimeout(() => {
        server.kill('SIGKILL')
        resolve(undefined)
      }, 5000)
      server.once('exit', () => {
        clearTimeout(timer)
        resolve(undefined)
      })
    })
    rmSync(dataDir, { recursive: true, force: true })
  }
}

export function printUploadBench(result: UploadBenchResult) {
  const fmt = (n: number, digits = 1) => n.toFixed(digits)
  const verdict = (ok: boolean) => (ok ? 'OK' : 'MISSED')
  console.log(
    `\nupload ${Math.round(result.bytes / MiB)} MB through the Node server (8 MiB parts, ${PARALLEL_PARTS} in parallel):`,
  )
  console.log(
    `    ${fmt(result.uploadSeconds, 2)} s = ${fmt(result.uploadMBps)} MB/s vs dd conv=fsync ${fmt(result.ddSeconds, 2)} s = ${fmt(result.ddMBps)} MB/s`,
  )
  console.log(
    `    ratio ${fmt(result.ratio * 100)} % (target ≥ 70 %) ${verdict(result.ratio >= 0.7)}; SHA-256 ${result.sha256Matches ? 'matches' : 'DIFFERS'}`,
  )
  console.log(
    `    server RSS ${fmt(result.baselineRssMB)} MB → peak ${fmt(result.peakRssMB)} MB: growth ${fmt(result.rssGrowthMB)} MB (target < 64 MB) ${verdict(result.rssGrowthMB < 64)}`,
  )
}

if (process.argv[1] && import.meta.filename === process.argv[1]) {
  benchUpload()
    .then(printUploadBench)
    .catch((error: unknown) => {
      console.error(error)
      process.exitCode = 1
    })
}
