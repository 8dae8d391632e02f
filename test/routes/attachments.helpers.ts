import { createHash } from 'node:crypto'
import { PART_SIZE } from '../../src/attachments/attachments.rules'
import { BASE_URL, type TestApp } from '../helpers/app'

// A client for the upload protocol, as the composer's script speaks it.

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Deterministic bytes (a repeating pattern is enough to catch swapped or lost parts). */
export function fileBytes(size: number, seed = 1) {
  const bytes = new Uint8Array(size)
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed * 7 + (i >>> 13)) & 0xff
  return bytes
}

export function uploadClient(testApp: TestApp, base: string, cookie: string, csrf: string) {
  const request = (
    method: string,
    path: string,
    body?: BodyInit,
    headers: Record<string, string> = {},
  ) =>
    testApp.app.request(`${base}${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Origin: BASE_URL, ...headers },
      body,
    })
  const client = {
    start: (
      file: { name: string; size: number; type?: string },
      headers: Record<string, string> = {},
    ) =>
      request('POST', '/uploads', JSON.stringify(file), {
        'Content-Type': 'application/json',
        ...headers,
      }),
    part: (
      uploadId: string,
      n: number,
      bytes: Uint8Array | ReadableStream<Uint8Array>,
      headers: Record<string, string> = {},
    ) =>
      request('PUT', `/uploads/${uploadId}/parts/${n}`, bytes as BodyInit, {
        'Content-Type': 'application/octet-stream',
        ...headers,
      }),
    status: (uploadId: string) => request('GET', `/uploads/${uploadId}`),
    complete: (uploadId: string) => request('POST', `/uploads/${uploadId}/complete`),
    cancel: (uploadId: string) => request('DELETE', `/uploads/${uploadId}`),
    download: (attachmentId: string, headers: Record<string, string> = {}) =>
      request('GET', `/attachments/${attachmentId}`, undefined, headers),
    thumb: (attachmentId: string) => request('GET', `/attachments/${attachmentId}/thumb`),
    /** The whole flow for one file; returns the attachment id. */
    async upload(name: string, bytes: Uint8Array, type = 'application/octet-stream') {
      const started = await client.start({ name, size: bytes.byteLength, type })
      if (started.status !== 201)
        throw new Error(`start answered ${started.status}: ${await started.text()}`)
      const { upload_id, parts } = (await started.json()) as { upload_id: string; parts: number }
      for (let n = 1; n <= parts; n++) {
        const stored = await client.part(
          upload_id,
          n,
          bytes.slice((n - 1) * PART_SIZE, n * PART_SIZE),
        )
        if (stored.status !== 200)
          throw new Error(`part ${n} answered ${stored.status}: ${await stored.text()}`)
      }
      const completed = await client.complete(upload_id)
      if (completed.status !== 200)
        throw new Error(`complete answered ${completed.status}: ${await completed.text()}`)
      const body = (await completed.json()) as { attachment_id: string; sha256: string }
      return { uploadId: upload_id, attachmentId: body.attachment_id, sha256: body.sha256 }
    },
  }
  return client
}

export async function countRows(
  testApp: TestApp,
  table: 'uploads' | 'upload_parts' | 'attachments',
) {
  const row = await testApp.deps.db
    .selectFrom(table)
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .executeTakeFirstOrThrow()
  return Number(row.count)
}
