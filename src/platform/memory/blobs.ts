import type { BlobStore, Clock } from '../../deps'
import { assertBlobKey, BlobStoreError, exactLength } from '../../attachments/blob-errors'
import { sha256Hex, toHex } from '../../shared/crypto'

interface MemoryUpload {
  key: string
  partSize: number
  startedAt: number
  parts: Map<number, { etag: string; bytes: Uint8Array }>
}

async function readAll(body: ReadableStream<Uint8Array>): Promise<Uint8Array<ArrayBuffer>> {
  return new Uint8Array(await new Response(body).arrayBuffer())
}

/**
 * Blob store kept in memory, for tests; same contract as the disk and R2 stores. `clock` dates
 * the multipart uploads it lists (tests pass their fake clock).
 */
export function createMemoryBlobStore(
  options: { clock?: Clock } = {},
): BlobStore & { keys(): string[]; openUploads(): number } {
  const now = () => (options.clock?.now() ?? new Date()).getTime()
  const blobs = new Map<string, Uint8Array>()
  const uploads = new Map<string, MemoryUpload>()
  const uploadFor = (key: string, uploadId: string) => {
    const upload = uploads.get(uploadId)
    if (!upload || upload.key !== key)
      throw new BlobStoreError('no_upload', 'no such multipart upload')
    return upload
  }
  return {
    async put(key, body) {
      assertBlobKey(key)
      const bytes = body instanceof Uint8Array ? body : await readAll(body)
      blobs.set(key, bytes)
      return { size: bytes.byteLength }
    },
    async get(key, range) {
      const bytes = blobs.get(key)
      if (!bytes) return null
      const start = range?.offset ?? 0
      const end = range?.length !== undefined ? start + range.length : bytes.byteLength
      const slice = bytes.slice(start, end)
      return { body: new Response(slice).body!, size: bytes.byteLength }
    },
    async head(key) {
      const bytes = blobs.get(key)
      return bytes ? { size: bytes.byteLength } : null
    },
    async delete(key) {
      blobs.delete(key)
    },
    async createMultipart(key, { partSize }) {
      assertBlobKey(key)
      const uploadId = toHex(crypto.getRandomValues(new Uint8Array(12)))
      uploads.set(uploadId, { key, partSize, startedAt: now(), parts: new Map() })
      return uploadId
    },
    async putPart(key, uploadId, partNumber, body, size) {
      const upload = uploadFor(key, uploadId)
      const bytes = await readAll(exactLength(body, size))
      const etag = toHex(crypto.getRandomValues(new Uint8Array(8)))
      upload.parts.set(partNumber, { etag, bytes })
      return { etag, size: bytes.byteLength }
    },
    async completeMultipart(key, uploadId, parts) {
      const upload = uploadFor(key, uploadId)
      const ordered = [...parts].sort((a, b) => a.partNumber - b.partNumber)
      const chunks = ordered.map((part, index) => {
        const stored = upload.parts.get(part.partNumber)
        if (!stored || stored.etag !== part.etag)
          throw new BlobStoreError('missing_part', `part ${part.partNumber} is not stored`)
        if (index < ordered.length - 1 && stored.bytes.byteLength !== upload.partSize) {
          throw new BlobStoreError(
            'part_size',
            `part ${part.partNumber} is not ${upload.partSize} bytes`,
          )
        }
        return stored.bytes
      })
      const whole = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.byteLength, 0))
      let at = 0
      for (const chunk of chunks) {
        whole.set(chunk, at)
        at += chunk.byteLength
      }
      blobs.set(key, whole)
      uploads.delete(uploadId)
      return { size: whole.byteLength, sha256: await sha256Hex(whole) }
    },
    async abortMultipart(key, uploadId) {
      const upload = uploads.get(uploadId)
      if (upload && upload.key === key) uploads.delete(uploadId)
    },
    async listMultipart() {
      return [...uploads].map(([uploadId, upload]) => ({
        key: upload.key,
        uploadId,
        bytes: [...upload.parts.values()].reduce((sum, part) => sum + part.bytes.byteLength, 0),
        startedAt: upload.startedAt,
      }))
    },
    keys: () => [...blobs.keys()],
    openUploads: () => uploads.size,
  }
}
