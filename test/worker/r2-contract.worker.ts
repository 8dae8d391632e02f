// Test-only worker: exposes the real R2 blob store (src/platform/worker/blobs-r2.ts) over HTTP so
// the shared blob-store contract suite, which runs in Node, can drive it on workerd with a local
// R2 bucket. One POST per port method; the key travels in the query string, bodies stream.
import type { R2Bucket } from '@cloudflare/workers-types'
import { BlobStoreError } from '../../src/attachments/blob-errors'
import { createR2BlobStore } from '../../src/platform/worker/blobs-r2'

interface Env {
  BLOBS: R2Bucket
}

function json(value: unknown, status = 200) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'Content-Type': 'application/json' },
  })
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url)
    const key = url.searchParams.get('key') ?? ''
    const uploadId = url.searchParams.get('uploadId') ?? ''
    const store = createR2BlobStore(env.BLOBS)
    try {
      switch (url.pathname) {
        case '/put':
          return json(await store.put(key, request.body ?? new Uint8Array()))
        case '/get': {
          const offset = url.searchParams.get('offset')
          const length = url.searchParams.get('length')
          const range =
            offset === null
              ? undefined
              : { offset: Number(offset), length: length === null ? undefined : Number(length) }
          const object = await store.get(key, range)
          if (!object) return new Response(null, { status: 404 })
          return new Response(object.body, { headers: { 'X-Blob-Size': String(object.size) } })
        }
        case '/head':
          return json(await store.head(key))
        case '/delete':
          await store.delete(key)
          return json(null)
        case '/create':
          return json(
            await store.createMultipart(key, {
              partSize: Number(url.searchParams.get('partSize')),
            }),
          )
        case '/part':
          return json(
            await store.putPart(
              key,
              uploadId,
              Number(url.searchParams.get('partNumber')),
              request.body ?? new ReadableStream(),
              Number(url.searchParams.get('size')),
            ),
          )
        case '/complete':
          return json(await store.completeMultipart(key, uploadId, await request.json()))
        case '/abort':
          await store.abortMultipart(key, uploadId)
          return json(null)
        default:
          return new Response('not found', { status: 404 })
      }
    } catch (error) {
      if (error instanceof BlobStoreError)
        return json({ failure: error.failure, message: error.message }, 409)
      return json({ message: error instanceof Error ? error.message : String(error) }, 500)
    }
  },
}
