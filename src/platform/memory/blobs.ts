import type { BlobStore } from '../../deps'

/** Blob store kept in memory, for tests; same contract as the disk and R2 stores. */
export function createMemoryBlobStore(): BlobStore & { keys(): string[] } {
  const blobs = new Map<string, Uint8Array>()
  return {
    async put(key, body) {
      const bytes = body instanceof Uint8Array ? body : new Uint8Array(await new Response(body).arrayBuffer())
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
    async delete(key) {
      blobs.delete(key)
    },
    keys: () => [...blobs.keys()],
  }
}
