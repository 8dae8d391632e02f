import { createHash, randomBytes, type Hash } from 'node:crypto'
import {
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { BlobStore, UnfinishedMultipart } from '../../deps'
import { assertBlobKey, BlobStoreError } from '../../attachments/blob-errors'

/**
 * Layout under `root` (DATA_DIR/blobs):
 *   objects/<key>                  finished files, only ever appear whole (rename)
 *   multipart/<uploadId>/meta.json the key and part size
 *   multipart/<uploadId>/data      parts written in place at (partNumber - 1) × partSize
 *   multipart/<uploadId>/parts/<n>.json  { etag, size } once part n is durable
 *
 * Parts land straight at their offset in one file, so completing is fsync + rename: the
 * bytes are written to disk once (no second pass concatenating part files).
 */
export interface DiskBlobStoreOptions {
  root: string
  /** tests: fail every write once this many bytes were written in total (a full disk) */
  failAfterBytes?: number
}

interface UploadMeta {
  key: string
  partSize: number
}

const READ_CHUNK = 256 * 1024
const WRITE_BATCH = 1024 * 1024
const HASH_CHUNK = 1024 * 1024
const UPLOAD_ID = /^[a-f0-9]{32}$/

function isNoSpace(error: unknown) {
  const code = (error as NodeJS.ErrnoException | undefined)?.code
  return code === 'ENOSPC' || code === 'EDQUOT' || code === 'EFBIG'
}

function noSpace(error: unknown): never {
  if (isNoSpace(error)) throw new BlobStoreError('no_space', 'the disk is full')
  throw error
}

async function fsyncDir(path: string) {
  const handle = await open(path, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}

/** A pull-based stream over a file range: memory stays at one chunk whatever the size. */
function fileStream(handle: FileHandle, start: number, end: number): ReadableStream<Uint8Array> {
  let position = start
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const length = Math.min(READ_CHUNK, end - position)
        if (length <= 0) {
          await handle.close()
          controller.close()
          return
        }
        const buffer = new Uint8Array(length)
        const { bytesRead } = await handle.read(buffer, 0, length, position)
        if (bytesRead === 0) {
          await handle.close()
          controller.close()
          return
        }
        position += bytesRead
        controller.enqueue(bytesRead === length ? buffer : buffer.subarray(0, bytesRead))
      } catch (error) {
        await handle.close().catch(() => {})
        controller.error(error)
      }
    },
    async cancel() {
      await handle.close().catch(() => {})
    },
  })
}

/** The Node blob store: files under DATA_DIR/blobs, written with fsync before they count. */
export function createDiskBlobStore(options: DiskBlobStoreOptions): BlobStore {
  const objectsDir = join(options.root, 'objects')
  const multipartDir = join(options.root, 'multipart')
  let written = 0

  /**
   * The SHA-256 of each upload, carried forward while parts arrive: the part that continues the
   * hashed prefix is hashed as it streams in (on a copy of the state, kept only if the part is
   * stored), parts that came early are read back from the page cache once the gap closes. Lost
   * on restart, or when a hashed part is sent again: completion then hashes the whole file.
   */
  const cursors = new Map<string, { hash: Hash; next: number; catchingUp: Promise<void> }>()

  /**
   * Group commit for parts: a part counts once an fdatasync that began after its last byte was
   * written has finished. Parts arriving together share one sync instead of queueing their own
   * on the same file, so the disk keeps writing while the network keeps sending.
   */
  const flushers = new Map<string, { current: Promise<void> | null; next: Promise<void> | null }>()

  function durableNow(uploadId: string): Promise<void> {
    const data = join(uploadDir(uploadId), 'data')
    let flusher = flushers.get(uploadId)
    if (!flusher) {
      flusher = { current: null, next: null }
      flushers.set(uploadId, flusher)
    }
    const state = flusher
    const sync = () => {
      const run = (async () => {
        const handle = await open(data, 'r+')
        try {
          await handle.datasync()
        } finally {
          await handle.close()
        }
      })()
      state.current = run.finally(() => {
        if (state.current === guarded) state.current = null
      })
      const guarded = state.current
      return guarded
    }
    if (!state.current) return sync()
    // the sync in flight may have started before our write: wait for the one after it
    if (!state.next) {
      state.next = state.current
        .catch(() => {})
        .then(() => {
          state.next = null
          return sync()
        })
    }
    return state.next
  }

  async function catchUp(uploadId: string, partSize: number) {
    const cursor = cursors.get(uploadId)
    if (!cursor) return
    const dir = uploadDir(uploadId)
    for (;;) {
      const at = cursor.next
      const markerOf = () => readFile(join(dir, 'parts', `${at}.json`), 'utf8')
      let stored: { etag: string; size: number }
      try {
        stored = JSON.parse(await markerOf())
      } catch {
        return // the next part has not arrived yet
      }
      const copy = cursor.hash.copy()
      const handle = await open(join(dir, 'data'), 'r')
      try {
        const buffer = new Uint8Array(HASH_CHUNK)
        const start = (at - 1) * partSize
        for (let position = start; position < start + stored.size;) {
          const length = Math.min(HASH_CHUNK, start + stored.size - position)
          const { bytesRead } = await handle.read(buffer, 0, length, position)
          if (bytesRead === 0) throw new Error('short part')
          copy.update(buffer.subarray(0, bytesRead))
          position += bytesRead
        }
      } finally {
        await handle.close()
      }
      // re-sent while we read it: the bytes may be mixed, give up on carrying the hash
      const again = await markerOf().catch(() => '')
      if (cursors.get(uploadId) !== cursor || !again.includes(stored.etag)) {
        cursors.delete(uploadId)
        return
      }
      // the part's own request hashed it meanwhile: carry on from there
      if (cursor.next !== at) continue
      cursor.hash = copy
      cursor.next += 1
    }
  }

  const objectPath = (key: string) => {
    assertBlobKey(key)
    return join(objectsDir, key)
  }
  const uploadDir = (uploadId: string) => {
    if (!UPLOAD_ID.test(uploadId)) throw new BlobStoreError('no_upload', 'no such multipart upload')
    return join(multipartDir, uploadId)
  }
  const readMeta = async (key: string, uploadId: string): Promise<UploadMeta> => {
    try {
      const meta = JSON.parse(
        await readFile(join(uploadDir(uploadId), 'meta.json'), 'utf8'),
      ) as UploadMeta
      if (meta.key !== key) throw new BlobStoreError('no_upload', 'no such multipart upload')
      return meta
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        throw new BlobStoreError('no_upload', 'no such multipart upload')
      throw error
    }
  }

  /**
   * Writes the stream at `position`, refusing more than `limit` bytes; returns the count. Small
   * network chunks are gathered into ~1 MiB `writev` calls, and the next batch is read from the
   * network while the previous one is being written.
   */
  async function writeAt(
    handle: FileHandle,
    body: ReadableStream<Uint8Array>,
    position: number,
    limit: number,
    onChunk?: (chunk: Uint8Array) => void,
  ) {
    const reader = body.getReader()
    let count = 0
    let batch: Uint8Array[] = []
    let batchBytes = 0
    let batchAt = position
    let writing: Promise<void> = Promise.resolve()
    const flush = async (buffers: Uint8Array[], at: number) => {
      let { bytesWritten } = await handle.writev(buffers, at)
      // writev may stop short: finish the rest one buffer at a time
      for (const buffer of buffers) {
        if (bytesWritten >= buffer.byteLength) {
          bytesWritten -= buffer.byteLength
          at += buffer.byteLength
          continue
        }
        let offset = bytesWritten
        bytesWritten = 0
        while (offset < buffer.byteLength) {
          const result = await handle.write(buffer, offset, buffer.byteLength - offset, at + offset)
          offset += result.bytesWritten
        }
        at += buffer.byteLength
      }
    }
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (count + value.byteLength > limit) {
          throw new BlobStoreError('part_too_long', `more than ${limit} bytes`)
        }
        written += value.byteLength
        if (options.failAfterBytes !== undefined && written > options.failAfterBytes) {
          throw Object.assign(new Error('ENOSPC: no space left on device (injected)'), {
            code: 'ENOSPC',
          })
        }
        onChunk?.(value)
        batch.push(value)
        batchBytes += value.byteLength
        count += value.byteLength
        if (batchBytes >= WRITE_BATCH) {
          await writing
          writing = flush(batch, batchAt)
          batchAt += batchBytes
          batch = []
          batchBytes = 0
        }
      }
      await writing
      if (batch.length > 0) await flush(batch, batchAt)
    } catch (error) {
      await writing.catch(() => {})
      await reader.cancel().catch(() => {})
      throw error
    }
    return count
  }

  async function writeFileAtomically(path: string, body: ReadableStream<Uint8Array> | Uint8Array) {
    await mkdir(dirname(path), { recursive: true })
    const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`
    const handle = await open(temporary, 'wx')
    try {
      const stream = body instanceof Uint8Array ? new Response(new Uint8Array(body)).body! : body
      const size = await writeAt(handle, stream, 0, Number.MAX_SAFE_INTEGER)
      await handle.sync()
      await handle.close()
      await rename(temporary, path)
      await fsyncDir(dirname(path))
      return size
    } catch (error) {
      await handle.close().catch(() => {})
      await unlink(temporary).catch(() => {})
      noSpace(error)
    }
  }

  return {
    async put(key, body) {
      return { size: await writeFileAtomically(objectPath(key), body) }
    },

    async get(key, range) {
      let handle: FileHandle
      try {
        handle = await open(objectPath(key), 'r')
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
      const { size } = await handle.stat()
      const start = Math.min(range?.offset ?? 0, size)
      const end = range?.length !== undefined ? Math.min(size, start + range.length) : size
      return { body: fileStream(handle, start, end), size }
    },

    async head(key) {
      try {
        return { size: (await stat(objectPath(key))).size }
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
        throw error
      }
    },

    async delete(key) {
      await rm(objectPath(key), { force: true })
    },

    async createMultipart(key, { partSize }) {
      assertBlobKey(key)
      const uploadId = randomBytes(16).toString('hex')
      const dir = uploadDir(uploadId)
      try {
        await mkdir(join(dir, 'parts'), { recursive: true })
        await writeFile(
          join(dir, 'meta.json'),
          JSON.stringify({ key, partSize } satisfies UploadMeta),
        )
        await writeFile(join(dir, 'data'), new Uint8Array(0))
      } catch (error) {
        await rm(dir, { recursive: true, force: true })
        noSpace(error)
      }
      cursors.set(uploadId, { hash: createHash('sha256'), next: 1, catchingUp: Promise.resolve() })
      return uploadId
    },

    async putPart(key, uploadId, partNumber, body, size) {
      const meta = await readMeta(key, uploadId)
      if (!Number.isInteger(partNumber) || partNumber < 1 || size > meta.partSize) {
        await body.cancel().catch(() => {})
        throw new BlobStoreError('part_size', `part ${partNumber} of ${size} bytes does not fit`)
      }
      const dir = uploadDir(uploadId)
      const marker = join(dir, 'parts', `${partNumber}.json`)
      // A re-sent part overwrites its range: it stops counting until it is whole again.
      await rm(marker, { force: true })
      const cursor = cursors.get(uploadId)
      if (cursor && partNumber < cursor.next) cursors.delete(uploadId)
      const inline = cursor && cursor.next === partNumber ? cursor.hash.copy() : undefined
      const handle = await open(join(dir, 'data'), 'r+')
      try {
        const count = await writeAt(
          handle,
          body,
          (partNumber - 1) * meta.partSize,
          size,
          inline ? (chunk) => inline.update(chunk) : undefined,
        )
        if (count !== size)
          throw new BlobStoreError('part_size', `part ended after ${count} of ${size} bytes`)
      } catch (error) {
        await handle.close()
        noSpace(error)
      }
      await handle.close()
      try {
        await durableNow(uploadId)
      } catch (error) {
        noSpace(error)
      }
      const etag = randomBytes(8).toString('hex')
      const temporary = `${marker}.tmp`
      try {
        await writeFile(temporary, JSON.stringify({ etag, size }))
        await rename(temporary, marker)
      } catch (error) {
        noSpace(error)
      }
      if (inline && cursor && cursors.get(uploadId) === cursor && cursor.next === partNumber) {
        cursor.hash = inline
        cursor.next += 1
      }
      if (cursor && cursors.get(uploadId) === cursor) {
        cursor.catchingUp = cursor.catchingUp
          .then(() => catchUp(uploadId, meta.partSize))
          .catch(() => {
            cursors.delete(uploadId)
          })
      }
      return { etag, size }
    },

    async completeMultipart(key, uploadId, parts) {
      const meta = await readMeta(key, uploadId)
      const dir = uploadDir(uploadId)
      const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber)
      let size = 0
      for (const [index, part] of ordered.entries()) {
        if (part.partNumber !== index + 1)
          throw new BlobStoreError('missing_part', `part ${index + 1} is missing`)
        let stored: { etag: string; size: number }
        try {
          stored = JSON.parse(await readFile(join(dir, 'parts', `${part.partNumber}.json`), 'utf8'))
        } catch {
          throw new BlobStoreError('missing_part', `part ${part.partNumber} is not stored`)
        }
        if (stored.etag !== part.etag)
          throw new BlobStoreError('missing_part', `part ${part.partNumber} was replaced`)
        if (index < ordered.length - 1 && stored.size !== meta.partSize) {
          throw new BlobStoreError(
            'part_size',
            `part ${part.partNumber} is not ${meta.partSize} bytes`,
          )
        }
        size += stored.size
      }
      const data = join(dir, 'data')
      const cursor = cursors.get(uploadId)
      if (cursor) await cursor.catchingUp
      const carried =
        cursor && cursors.get(uploadId) === cursor && cursor.next === ordered.length + 1
      const hash = carried ? cursor.hash : createHash('sha256')
      cursors.delete(uploadId)
      await flushers.get(uploadId)?.current?.catch(() => {})
      flushers.delete(uploadId)
      const handle = await open(data, 'r+')
      try {
        await handle.truncate(size)
        // Without a carried hash, hash from the page cache while the file reaches the disk.
        const buffer = new Uint8Array(HASH_CHUNK)
        const hashing = (async () => {
          for (let position = carried ? size : 0; position < size;) {
            const { bytesRead } = await handle.read(
              buffer,
              0,
              Math.min(HASH_CHUNK, size - position),
              position,
            )
            if (bytesRead === 0) throw new Error('data file is shorter than its parts')
            hash.update(buffer.subarray(0, bytesRead))
            position += bytesRead
          }
        })()
        await Promise.all([hashing, handle.sync()])
      } catch (error) {
        noSpace(error)
      } finally {
        await handle.close()
      }
      const target = objectPath(key)
      try {
        await mkdir(dirname(target), { recursive: true })
        await rename(data, target)
        await fsyncDir(dirname(target))
      } catch (error) {
        noSpace(error)
      }
      await rm(dir, { recursive: true, force: true })
      return { size, sha256: hash.digest('hex') }
    },

    async abortMultipart(key, uploadId) {
      assertBlobKey(key)
      if (!UPLOAD_ID.test(uploadId)) return
      cursors.delete(uploadId)
      flushers.delete(uploadId)
      await rm(uploadDir(uploadId), { recursive: true, force: true })
    },

    // Started = when meta.json was written (it never changes after); bytes = the parts marked
    // durable. A directory without a readable meta.json (removed meanwhile, or a create cut short
    // before it wrote a byte of data) is skipped.
    async listMultipart() {
      const ids = await readdir(multipartDir).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return [] as string[]
        throw error
      })
      const found: UnfinishedMultipart[] = []
      for (const uploadId of ids) {
        if (!UPLOAD_ID.test(uploadId)) continue
        const dir = uploadDir(uploadId)
        let key: string
        let startedAt: number
        try {
          key = (JSON.parse(await readFile(join(dir, 'meta.json'), 'utf8')) as UploadMeta).key
          startedAt = (await stat(join(dir, 'meta.json'))).mtimeMs
        } catch {
          continue
        }
        let bytes = 0
        const markers = await readdir(join(dir, 'parts')).catch(() => [] as string[])
        for (const marker of markers) {
          if (!/^\d+\.json$/.test(marker)) continue
          try {
            const part = JSON.parse(await readFile(join(dir, 'parts', marker), 'utf8')) as {
              size?: unknown
            }
            if (typeof part.size === 'number') bytes += part.size
          } catch {
            // a marker removed while we read (the part being sent again): not counted
          }
        }
        found.push({ key, uploadId, bytes, startedAt: Math.floor(startedAt) })
      }
      return found
    },
  }
}
