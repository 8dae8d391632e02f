// One contract for every BlobStore: disk and memory run it here, R2 runs it from the Workers
// tests (`blobStoreContract('r2', () => createR2BlobStore(env.BLOBS), { partSize: 5 * 1024 * 1024 })`).
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { BlobStore } from '../../src/deps'
import { BlobStoreError } from '../../src/attachments/blob-errors'

export interface ContractOptions {
  /** bytes per part; R2 refuses parts under 5 MiB but the last, so the R2 run passes 5 MiB */
  partSize?: number
  /** runs after each test, e.g. to check a disk store left no temporary files */
  afterEach?: () => Promise<void>
}

/** Deterministic, incompressible-looking bytes. */
export function patternBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const bytes = new Uint8Array(size)
  let x = seed * 2654435761
  for (let i = 0; i < size; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    bytes[i] = x >>> 24
  }
  return bytes
}

/** A stream that hands `bytes` over in small chunks, as a network body would. */
export function streamOf(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let at = 0
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.byteLength) return controller.close()
      controller.enqueue(bytes.slice(at, at + chunk))
      at += chunk
    },
  })
}

async function readBody(body: ReadableStream<Uint8Array>) {
  return new Uint8Array(await new Response(body).arrayBuffer())
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    return error instanceof BlobStoreError ? error.failure : String(error)
  }
  return 'no error'
}

export function blobStoreContract(
  name: string,
  factory: () => BlobStore | Promise<BlobStore>,
  options: ContractOptions = {},
) {
  const partSize = options.partSize ?? 64 * 1024
  let counter = 0
  const newKey = () => `contract/${name}-${Date.now().toString(36)}-${++counter}`

  describe(`BlobStore contract: ${name}`, () => {
    const check = async () => options.afterEach?.()

    it('stores, reads, ranges, heads and deletes a small object', async () => {
      const store = await factory()
      const key = newKey()
      const bytes = patternBytes(1000)
      expect(await store.put(key, bytes)).toEqual({ size: 1000 })
      const whole = await store.get(key)
      expect(whole?.size).toBe(1000)
      expect(await readBody(whole!.body)).toEqual(bytes)
      const middle = await store.get(key, { offset: 10, length: 20 })
      expect(middle?.size).toBe(1000)
      expect(await readBody(middle!.body)).toEqual(bytes.slice(10, 30))
      const tail = await store.get(key, { offset: 990 })
      expect(await readBody(tail!.body)).toEqual(bytes.slice(990))
      expect(await store.head(key)).toEqual({ size: 1000 })
      await store.delete(key)
      expect(await store.get(key)).toBeNull()
      expect(await store.head(key)).toBeNull()
      await store.delete(key)
      await check()
    })

    it('streams a put of unknown length', async () => {
      const store = await factory()
      const key = newKey()
      const bytes = patternBytes(300_000, 7)
      expect(await store.put(key, streamOf(bytes))).toEqual({ size: 300_000 })
      expect(sha256(await readBody((await store.get(key))!.body))).toBe(sha256(bytes))
      await store.delete(key)
      await check()
    })

    it('joins parts sent out of order, re-sent, and reports size and SHA-256', async () => {
      const store = await factory()
      const key = newKey()
      const bytes = patternBytes(partSize * 2 + 123, 3)
      const part = (n: number) =>
        bytes.slice((n - 1) * partSize, Math.min(bytes.byteLength, n * partSize))
      const uploadId = await store.createMultipart(key, { partSize })
      const third = await store.putPart(key, uploadId, 3, streamOf(part(3)), 123)
      const first = await store.putPart(key, uploadId, 1, streamOf(part(1)), partSize)
      // nothing is visible before completion
      expect(await store.head(key)).toBeNull()
      const secondOld = await store.putPart(
        key,
        uploadId,
        2,
        streamOf(patternBytes(partSize, 9)),
        partSize,
      )
      const second = await store.putPart(key, uploadId, 2, streamOf(part(2)), partSize)
      expect(second.size).toBe(partSize)
      expect(typeof secondOld.etag).toBe('string')
      const done = await store.completeMultipart(key, uploadId, [
        { partNumber: 1, etag: first.etag },
        { partNumber: 2, etag: second.etag },
        { partNumber: 3, etag: third.etag },
      ])
      expect(done).toEqual({ size: bytes.byteLength, sha256: sha256(bytes) })
      const stored = await store.get(key)
      expect(stored?.size).toBe(bytes.byteLength)
      expect(sha256(await readBody(stored!.body))).toBe(sha256(bytes))
      const ranged = await store.get(key, { offset: partSize - 5, length: 10 })
      expect(await readBody(ranged!.body)).toEqual(bytes.slice(partSize - 5, partSize + 5))
      await store.delete(key)
      await check()
    })

    it('refuses a part longer or shorter than announced and does not count it', async () => {
      const store = await factory()
      const key = newKey()
      const uploadId = await store.createMultipart(key, { partSize })
      expect(['part_too_long', 'part_size']).toContain(
        await failure(
          store.putPart(key, uploadId, 1, streamOf(patternBytes(partSize + 1)), partSize),
        ),
      )
      expect(
        await failure(
          store.putPart(key, uploadId, 1, streamOf(patternBytes(partSize - 1)), partSize),
        ),
      ).toBe('part_size')
      const last = await store.putPart(key, uploadId, 1, streamOf(patternBytes(10)), 10)
      expect(last.size).toBe(10)
      expect(
        await store.completeMultipart(key, uploadId, [{ partNumber: 1, etag: last.etag }]),
      ).toMatchObject({ size: 10 })
      await store.delete(key)
      await check()
    })

    it('fails completion when a part is missing or its etag is stale', async () => {
      const store = await factory()
      const key = newKey()
      const uploadId = await store.createMultipart(key, { partSize })
      const first = await store.putPart(
        key,
        uploadId,
        1,
        streamOf(patternBytes(partSize)),
        partSize,
      )
      const reason = await failure(
        store.completeMultipart(key, uploadId, [
          { partNumber: 1, etag: first.etag },
          { partNumber: 2, etag: 'never-uploaded' },
        ]),
      )
      expect(reason).toBe('missing_part')
      expect(await store.head(key)).toBeNull()
      await store.abortMultipart(key, uploadId)
      await check()
    })

    it('aborts: parts are dropped, later parts refused, aborting twice is fine', async () => {
      const store = await factory()
      const key = newKey()
      const uploadId = await store.createMultipart(key, { partSize })
      await store.putPart(key, uploadId, 1, streamOf(patternBytes(partSize)), partSize)
      await store.abortMultipart(key, uploadId)
      await store.abortMultipart(key, uploadId)
      expect(await failure(store.putPart(key, uploadId, 2, streamOf(patternBytes(5)), 5))).toBe(
        'no_upload',
      )
      expect(await store.head(key)).toBeNull()
      await check()
    })

    it('lists its unfinished uploads with their stored bytes (stores that can list)', async (context) => {
      const store = await factory()
      if (!store.listMultipart) return context.skip()
      const key = newKey()
      const before = Date.now()
      const uploadId = await store.createMultipart(key, { partSize })
      await store.putPart(key, uploadId, 1, streamOf(patternBytes(partSize)), partSize)
      await store.putPart(key, uploadId, 2, streamOf(patternBytes(77)), 77)
      const listed = (await store.listMultipart()).find((upload) => upload.uploadId === uploadId)
      expect(listed).toMatchObject({ key, uploadId, bytes: partSize + 77 })
      expect(listed!.startedAt).toBeGreaterThanOrEqual(before - 2_000)
      await store.abortMultipart(key, uploadId)
      expect((await store.listMultipart()).some((upload) => upload.uploadId === uploadId)).toBe(
        false,
      )
      // a completed upload is no longer unfinished
      const done = await store.createMultipart(key, { partSize })
      const part = await store.putPart(key, done, 1, streamOf(patternBytes(10)), 10)
      await store.completeMultipart(key, done, [{ partNumber: 1, etag: part.etag }])
      expect((await store.listMultipart()).some((upload) => upload.uploadId === done)).toBe(false)
      await store.delete(key)
      await check()
    })

    it('refuses keys that could leave its folder', async () => {
      const store = await factory()
      for (const key of ['../etc/passwd', 'a/../../b', '/abs', 'a//b', 'name with space.pdf', '']) {
        await expect(store.put(key, patternBytes(1))).rejects.toThrow()
        await expect(store.createMultipart(key, { partSize })).rejects.toThrow()
      }
      await check()
    })
  })
}
