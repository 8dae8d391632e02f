import type { R2Bucket, R2UploadedPart } from '@cloudflare/workers-types'
import type { BlobStore } from '../../deps'
import { assertBlobKey, BlobStoreError } from '../../attachments/blob-errors'
import { toHex } from '../../shared/crypto'

// Workers-only globals, reached through globalThis so this file compiles with the DOM lib.
interface WorkerStreams {
  FixedLengthStream: new (length: number) => TransformStream<Uint8Array, Uint8Array>
  crypto: {
    DigestStream: new (
      algorithm: string,
    ) => WritableStream<Uint8Array> & { digest: Promise<ArrayBuffer> }
  }
}
const workerGlobals = globalThis as unknown as WorkerStreams

/** R2 answers failures as errors whose message carries its code name (NoSuchUpload, InvalidPart …). */
function mapR2Error(error: unknown): never {
  if (error instanceof BlobStoreError) throw error
  const message = error instanceof Error ? error.message : String(error)
  if (/NoSuchUpload|10024/i.test(message))
    throw new BlobStoreError('no_upload', 'no such multipart upload')
  if (/InvalidPart|10025/i.test(message)) throw new BlobStoreError('missing_part', message)
  if (/EntityTooSmall|10011|length|FixedLengthStream/i.test(message))
    throw new BlobStoreError('part_size', message)
  throw error
}

/**
 * The Workers blob store on an R2 bucket. Parts map onto R2 multipart parts one to one (R2 wants
 * every part but the last ≥ 5 MiB and all of one size — the upload protocol's 8 MiB parts are).
 * R2 keeps no SHA-256 of a multipart object, so completion reads the object back once through
 * a DigestStream: the Worker never holds more than one chunk.
 */
export function createR2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async put(key, body) {
      assertBlobKey(key)
      // R2 refuses a stream whose length it cannot know (a chunked body, a transformed stream),
      // so a stream is read whole first. Files never come this way (they arrive as multipart
      // parts of known length); `put` carries only small objects.
      const bytes =
        body instanceof Uint8Array ? body : new Uint8Array(await new Response(body).arrayBuffer())
      const object = await bucket.put(key, bytes as never)
      if (!object) throw new Error(`put of ${key} stored nothing`)
      return { size: object.size }
    },

    async get(key, range) {
      assertBlobKey(key)
      const object = await bucket.get(
        key,
        range ? { range: { offset: range.offset, length: range.length } as never } : undefined,
      )
      if (!object) return null
      return { body: object.body as unknown as ReadableStream<Uint8Array>, size: object.size }
    },

    async head(key) {
      assertBlobKey(key)
      const object = await bucket.head(key)
      return object ? { size: object.size } : null
    },

    async delete(key) {
      assertBlobKey(key)
      await bucket.delete(key)
    },

    async createMultipart(key) {
      assertBlobKey(key)
      const upload = await bucket.createMultipartUpload(key)
      return upload.uploadId
    },

    async putPart(key, uploadId, partNumber, body, size) {
      assertBlobKey(key)
      // R2 needs a body of known length; FixedLengthStream also fails a longer or shorter one.
      const sized = body.pipeThrough(new workerGlobals.FixedLengthStream(size))
      try {
        const part = await bucket
          .resumeMultipartUpload(key, uploadId)
          .uploadPart(partNumber, sized as never)
        return { etag: part.etag, size }
      } catch (error) {
        mapR2Error(error)
      }
    },

    async completeMultipart(key, uploadId, parts) {
      assertBlobKey(key)
      const uploaded: R2UploadedPart[] = [...parts]
        .sort((a, b) => a.partNumber - b.partNumber)
        .map((part) => ({ partNumber: part.partNumber, etag: part.etag }))
      let size: number
      try {
        size = (await bucket.resumeMultipartUpload(key, uploadId).complete(uploaded)).size
      } catch (error) {
        mapR2Error(error)
      }
      const object = await bucket.get(key)
      if (!object) throw new Error(`completed object ${key} is missing`)
      const digest = new workerGlobals.crypto.DigestStream('SHA-256')
      await (object.body as unknown as ReadableStream<Uint8Array>).pipeTo(digest)
      return { size, sha256: toHex(await digest.digest) }
    },

    async abortMultipart(key, uploadId) {
      assertBlobKey(key)
      try {
        await bucket.resumeMultipartUpload(key, uploadId).abort()
      } catch (error) {
        // Already completed, aborted or expired: nothing is left to drop.
        if (/NoSuchUpload|10024/i.test(error instanceof Error ? error.message : String(error)))
          return
        throw error
      }
    },
  }
}
