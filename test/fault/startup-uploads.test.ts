import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'

// A real server process starting on a data directory a crash left behind: the bytes of unfinished
// uploads whose session is gone (an expired session; parts no session names) are counted in one
// log line and removed from disk and database at start-up; a resumable upload is kept.

const ROOT = join(import.meta.dirname, '..', '..')

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

function startServer(dataDir: string, port: number) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/entry.node.ts'], {
    cwd: ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      BASE_URL: `http://127.0.0.1:${port}`,
      DATA_DIR: dataDir,
      SEED_DEMO: '1',
      APP_SECRET: 'startup-uploads-secret-startup-uploads-secret',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let log = ''
  child.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()))
  return { child, log: () => log }
}

async function waitFor(check: () => boolean, what: string, log: () => string) {
  for (let tries = 0; !check(); tries += 1) {
    if (tries > 1200) throw new Error(`${what} never happened:\n${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

async function stop(child: ChildProcess) {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((resolve) => child.once('exit', resolve))
  child.kill('SIGTERM')
  await exited
}

/** A multipart upload as the disk store keeps it, with one part of `size` bytes marked stored. */
function multipartOnDisk(dataDir: string, uploadId: string, key: string, size: number, ageMs = 0) {
  const dir = join(dataDir, 'blobs', 'multipart', uploadId)
  mkdirSync(join(dir, 'parts'), { recursive: true })
  writeFileSync(join(dir, 'meta.json'), JSON.stringify({ key, partSize: 8 * 1024 * 1024 }))
  writeFileSync(join(dir, 'data'), Buffer.alloc(size, 7))
  writeFileSync(join(dir, 'parts', '1.json'), JSON.stringify({ etag: 'e1', size }))
  if (ageMs > 0) {
    const then = new Date(Date.now() - ageMs)
    utimesSync(join(dir, 'meta.json'), then, then)
  }
  return dir
}

describe('start-up with unfinished uploads left behind', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'orderboard-startup-uploads-'))
  let child: ChildProcess | undefined

  afterAll(async () => {
    if (child) await stop(child)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(
    'counts and removes the ones whose session is gone, keeps the resumable one',
    { timeout: 240_000 },
    async () => {
      // A first start creates and seeds the database.
      const port = await freePort()
      const first = startServer(dataDir, port)
      child = first.child
      await waitFor(() => first.log().includes('Orderboard is running'), 'first start', first.log)
      await stop(first.child)

      // What a crash left: an expired session with a part, a live session with a part, and
      // parts no session names (created, then the process died before the row was written).
      const database = new SQLite(join(dataDir, 'orderboard.sqlite'))
      const board = database.prepare('SELECT id, workspace_id FROM boards LIMIT 1').get() as {
        id: string
        workspace_id: string
      }
      const member = database
        .prepare('SELECT id FROM members WHERE workspace_id = ? LIMIT 1')
        .get(board.workspace_id) as { id: string }
      const now = Date.now()
      const session = (id: string, multipartId: string, expiresAt: number, size: number) => {
        database
          .prepare(
            `INSERT INTO uploads (id, workspace_id, board_id, uploader, name, size, type, part_size,
               part_count, status, blob_key, multipart_id, created_at, expires_at)
             VALUES (?, ?, ?, ?, 'proof.pdf', ?, 'application/pdf', ?, 2, 'open', ?, ?, ?, ?)`,
          )
          .run(
            id,
            board.workspace_id,
            board.id,
            member.id,
            8 * 1024 * 1024 + size,
            8 * 1024 * 1024,
            `att/${board.workspace_id}/${id}`,
            multipartId,
            now - 2 * 86_400_000,
            expiresAt,
          )
        database
          .prepare(
            `INSERT INTO upload_parts (upload_id, part_number, size, etag, stored_at)
             VALUES (?, 1, ?, 'e1', ?)`,
          )
          .run(id, size, now)
        return multipartOnDisk(dataDir, multipartId, `att/${board.workspace_id}/${id}`, size)
      }
      const expired = session('up-expired', 'a'.repeat(32), now - 60_000, 3000)
      const live = session('up-live', 'b'.repeat(32), now + 3_600_000, 4000)
      const orphan = multipartOnDisk(dataDir, 'c'.repeat(32), 'att/ws-x/up-x', 5000, 2 * 3_600_000)
      database.close()

      const second = startServer(dataDir, port)
      child = second.child
      await waitFor(
        () => second.log().includes('unfinished uploads:'),
        'the janitor log line',
        second.log,
      )
      const line = second
        .log()
        .split('\n')
        .find((text) => text.startsWith('unfinished uploads:'))
      console.log(`start-up janitor: ${line}`)
      expect(line).toBe(
        'unfinished uploads: removed 2 whose session is gone (8000 bytes, 7.8 KB; 1 of them had ' +
          'no session row), kept 1 that can still be resumed (4000 bytes, 3.9 KB)',
      )
      expect(existsSync(expired)).toBe(false)
      expect(existsSync(orphan)).toBe(false)
      expect(existsSync(live)).toBe(true)
      await stop(second.child)
      const after = new SQLite(join(dataDir, 'orderboard.sqlite'), { readonly: true })
      expect(after.prepare('SELECT id FROM uploads ORDER BY id').all()).toEqual([{ id: 'up-live' }])
      expect(after.prepare('SELECT upload_id FROM upload_parts').all()).toEqual([
        { upload_id: 'up-live' },
      ])
      after.close()
    },
  )
})
