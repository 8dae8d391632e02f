import { createHash, randomBytes } from 'node:crypto'
import {
  mkdir,
  open,
  readFile,
  rename,
  rm,
  stat,
  unlink,
  writeFile,
  type FileHandle,
} from 'node:fs/promises'
import { dirname, join } from 'node:path'
import type { BlobStore } from '../../deps'
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

  /** Writes the stream at `position`, refusing more than `limit` bytes; returns the count. */
  async function writeAt(
    handle: FileHandle,
    body: ReadableStream<Uint8Array>,
    position: number,
    limit: number,
  ) {
    const reader = body.getReader()
    let count = 0
    try {
      for (;;) {
        const { done, value } = await reader.read()
        if (done) break
        if (count + value.byteLength > limit)
          throw new BlobStoreError('part_size', `more than ${limit} bytes`)
        written += value.byteLength
        if (options.failAfterBytes !== undefined && written > options.failAfterBytes) {
          throw Object.assign(new Error('ENOSPC: no space left on device (injected)'), {
            code: 'ENOSPC',
          })
        }
        let offset = 0
        while (offset < value.byteLength) {
          const { bytesWritten } = await handle.write(
            value,
            offset,
            value.byteLength - offset,
            position + count + offset,
          )
          offset += bytesWritten
        }
        count += value.byteLength
      }
    } catch (error) {
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
      const handle = await open(join(dir, 'data'), 'r+')
      try {
        const count = await writeAt(handle, body, (partNumber - 1) * meta.partSize, size)
        if (count !== size)
          throw new BlobStoreError('part_size', `part ended after ${count} of ${size} bytes`)
        await handle.datasync()
      } catch (error) {
        noSpace(error)
      } finally {
        await handle.close()
      }
      const etag = randomBytes(8).toString('hex')
      const temporary = `${marker}.tmp`
      try {
        await writeFile(temporary, JSON.stringify({ etag, size }))
        await rename(temporary, marker)
      } catch (error) {
        noSpace(error)
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
      const handle = await open(data, 'r+')
      const hash = createHash('sha256')
      try {
        await handle.truncate(size)
        // Hash from the page cache while the last parts reach the disk.
        const buffer = new Uint8Array(HASH_CHUNK)
        const hashing = (async () => {
          for (let position = 0; position < size;) {
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
      await rm(uploadDir(uploadId), { recursive: true, force: true })
    },
  }
}
