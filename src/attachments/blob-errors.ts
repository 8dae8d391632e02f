// Failures every blob store reports the same way, so the upload use cases can answer the same
// status on disk, in memory and on R2.

export type BlobFailure =
  /** a part carried fewer bytes than announced (or R2 refused its length) */
  | 'part_size'
  /** a part carried more bytes than announced: refused as soon as it passed the length */
  | 'part_too_long'
  /** completion named a part that is not stored, or with another etag */
  | 'missing_part'
  /** the multipart upload does not exist (aborted, completed or never created) */
  | 'no_upload'
  /** the disk is full (ENOSPC, EDQUOT) */
  | 'no_space'

export class BlobStoreError extends Error {
  constructor(
    readonly failure: BlobFailure,
    message: string,
  ) {
    super(message)
    this.name = 'BlobStoreError'
  }
}

const SAFE_KEY = /^[A-Za-z0-9][A-Za-z0-9_-]*(?:\/[A-Za-z0-9][A-Za-z0-9_-]*)*$/

/** Keys are made by the server; anything else (a client's name, `..`) is refused outright. */
export function assertBlobKey(key: string): void {
  if (key.length > 200 || !SAFE_KEY.test(key))
    throw new Error(`unsafe blob key: ${JSON.stringify(key)}`)
}

/** Reads a stream through, failing once it carries more than `size` bytes or ends short. */
export function exactLength(
  body: ReadableStream<Uint8Array>,
  size: number,
): ReadableStream<Uint8Array> {
  let seen = 0
  return body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength
        if (seen > size) {
          controller.error(new BlobStoreError('part_too_long', `part is longer than ${size} bytes`))
          return
        }
        controller.enqueue(chunk)
      },
      flush(controller) {
        if (seen !== size)
          controller.error(
            new BlobStoreError('part_size', `part ended after ${seen} of ${size} bytes`),
          )
      },
    }),
  )
}
