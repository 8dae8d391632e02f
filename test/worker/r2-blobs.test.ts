// The shared blob-store contract against the R2 adapter, run on workerd with a local R2 bucket.
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { BlobStoreError } from '../../src/attachments/blob-errors'
import type { BlobStore } from '../../src/deps'
import { blobStoreContract } from '../contract/blob-store.contract'
import { ROOT } from './harness'

let origin: URL
let dispose: () => Promise<void> = async () => {}

beforeAll(async () => {
  const { unstable_startWorker } = await import('wrangler')
  const worker = await unstable_startWorker({
    name: 'orderboard-r2-contract',
    entrypoint: join(ROOT, 'test', 'worker', 'r2-contract.worker.ts'),
    compatibilityDate: '2026-04-20',
    bindings: { BLOBS: { type: 'r2_bucket', bucket_name: 'orderboard-contract' } },
    dev: {
      server: { hostname: '127.0.0.1', port: 0 },
      inspector: false,
      persist: false,
      watch: false,
      remote: false,
      logLevel: 'warn',
    },
  })
  await worker.ready
  origin = await worker.url
  dispose = () => worker.dispose()
}, 60_000)

afterAll(async () => {
  await dispose()
})

async function call(
  path: string,
  params: Record<string, string | number | undefined>,
  init: RequestInit = {},
) {
  const url = new URL(path, origin)
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, String(value))
  const response = await fetch(url, {
    method: 'POST',
    ...init,
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit)
  if (response.status === 409) {
    const { failure, message } = (await response.json()) as {
      failure: BlobStoreError['failure']
      message: string
    }
    throw new BlobStoreError(failure, message)
  }
  if (response.status === 500)
    throw new Error(((await response.json()) as { message: string }).message)
  return response
}

/** The BlobStore port, spoken over HTTP to the R2 adapter running inside workerd. */
const r2OverHttp: BlobStore = {
  async put(key, body) {
    return (await call('/put', { key }, { body: body as BodyInit })).json()
  },
  async get(key, range) {
    const response = await call('/get', { key, offset: range?.offset, length: range?.length })
    if (response.status === 404) return null
    return { body: response.body!, size: Number(response.headers.get('X-Blob-Size')) }
  },
  async head(key) {
    return (await call('/head', { key })).json()
  },
  async delete(key) {
    await call('/delete', { key })
  },
  async createMultipart(key, { partSize }) {
    return (await call('/create', { key, partSize })).json()
  },
  async putPart(key, uploadId, partNumber, body, size) {
    return (await call('/part', { key, uploadId, partNumber, size }, { body })).json()
  },
  async completeMultipart(key, uploadId, parts) {
    return (await call('/complete', { key, uploadId }, { body: JSON.stringify(parts) })).json()
  },
  async abortMultipart(key, uploadId) {
    await call('/abort', { key, uploadId })
  },
}

// R2 refuses parts under 5 MiB except the last.
blobStoreContract('r2-workerd', () => r2OverHttp, { partSize: 5 * 1024 * 1024 })
