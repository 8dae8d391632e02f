import type { Compilable, Kysely, QueryResult } from 'kysely'
import type { Database } from './db/schema'
import type { TrustProxy } from './shared/client-address'
import type { HostResolver } from './webhooks/webhooks.address'

/**
 * Runs the given queries atomically, in order: one SQLite transaction or one D1 batch.
 * `relaxed` marks a write the app can lose to a power cut without losing anything it
 * acknowledged (an upload part's row: the bytes are already on disk and the browser re-sends a
 * part it is not told about). On SQLite it commits without waiting for fsync, which would
 * otherwise wait for the upload's own dirty data; D1 ignores it.
 */
export type Batch = (
  queries: Compilable[],
  options?: { relaxed?: boolean },
) => Promise<QueryResult<unknown>[]>

/** One stored part of a multipart upload, as `completeMultipart` needs it back. */
export interface StoredPart {
  partNumber: number
  etag: string
}

/**
 * Stored file contents, addressed by server-generated keys (never a client's file name).
 * Large files arrive as multipart uploads: every part but the last has the `partSize` given at
 * `createMultipart` (R2's rule too), parts may arrive in any order and be re-sent, and the object
 * only becomes visible, whole, when `completeMultipart` returns.
 */
export interface BlobStore {
  put(key: string, body: ReadableStream<Uint8Array> | Uint8Array): Promise<{ size: number }>
  get(
    key: string,
    range?: { offset: number; length?: number },
  ): Promise<{ body: ReadableStream<Uint8Array>; size: number } | null>
  head(key: string): Promise<{ size: number } | null>
  delete(key: string): Promise<void>
  /** starts a multipart upload; returns the store's upload id */
  createMultipart(key: string, options: { partSize: number }): Promise<string>
  /** streams one part; `body` must carry exactly `size` bytes, else the part is not stored */
  putPart(
    key: string,
    uploadId: string,
    partNumber: number,
    body: ReadableStream<Uint8Array>,
    size: number,
  ): Promise<{ etag: string; size: number }>
  /** joins the parts (in partNumber order) into the object and returns its size and SHA-256 */
  completeMultipart(
    key: string,
    uploadId: string,
    parts: StoredPart[],
  ): Promise<{ size: number; sha256: string }>
  /** drops an unfinished upload and its parts; a no-op when it is already gone */
  abortMultipart(key: string, uploadId: string): Promise<void>
  /**
   * Every unfinished multipart upload the store holds, whether or not a session row still names
   * it (the upload janitor removes the ones nothing names). Absent where the store cannot list
   * them: R2's binding has no such call, and R2 aborts unfinished uploads itself seven days after
   * they started (the bucket's default lifecycle rule).
   */
  listMultipart?(): Promise<UnfinishedMultipart[]>
}

/** One unfinished multipart upload as its store sees it. */
export interface UnfinishedMultipart {
  key: string
  uploadId: string
  /** bytes of the parts stored so far */
  bytes: number
  /** when it was started, ms since the epoch (the store's own clock) */
  startedAt: number
}

export interface OutgoingMail {
  from: string
  to: string
  subject: string
  html: string
  text: string
  /** extra headers (Message-ID, In-Reply-To, References …), already validated */
  headers: Record<string, string>
  /** the provider's idempotency key, e.g. notify/<message id>/<recipient> */
  idempotencyKey: string
}

/**
 * Thrown by a transport for a failure worth retrying; `retryAfterMs` honours Retry-After.
 * `outcomeUnknown`: the request may have reached the provider (a timeout, a connection lost
 * mid-request). Retrying is still safe where the provider dedupes on the idempotency key, but if
 * the outbox gives up on such an attempt, the mail is recorded as needing attention, not failed.
 */
export class TransientMailError extends Error {
  readonly outcomeUnknown: boolean
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options: { outcomeUnknown?: boolean } = {},
  ) {
    super(message)
    this.outcomeUnknown = options.outcomeUnknown ?? false
  }
}

/**
 * Thrown by the shared send-rate limit (src/notifications/send-rate.ts) when the provider's next
 * free slot is too far off to wait for: the outbox gives the attempt back and tries again after
 * `retryAfterMs`. Not a failure of the mail.
 */
export class SendDeferredError extends TransientMailError {}

/**
 * Thrown by a transport when it cannot tell whether the mail went out and a retry could not tell
 * either, or could send it twice: Resend's `409 invalid_idempotent_request` (this key was already
 * used with another body), SMTP's connection lost after the final "." of DATA. The outbox records
 * the mail as failed and needing attention (never as sent, never retried automatically); a member
 * decides whether to send it again.
 */
export class UncertainMailError extends Error {}

/**
 * Thrown by the stand-in transport when no mail transport is configured: the outbox keeps the
 * row waiting (without spending an attempt) until one is.
 */
export class MailNotConfiguredError extends TransientMailError {}

/** Thrown by a transport when retrying cannot help (rejected address, 4xx from the provider). */
export class PermanentMailError extends Error {}

export interface MailTransport {
  /** the provider ('resend', 'smtp' …): also the key of its shared send-rate slot */
  readonly name: string
  /** sends per second allowed across every sender of this database; absent: no limit */
  readonly ratePerSecond?: number
  send(mail: OutgoingMail): Promise<{ providerId: string }>
}

export interface Clock {
  now(): Date
}

/** Uniform random numbers in [0, 1): the jitter of retries. Tests pass a fixed sequence. */
export type Random = () => number

export interface Ids {
  /** a new random row id */
  id(): string
  /** a random URL-safe secret of `bytes` bytes (default 32) */
  token(bytes?: number): string
}

/** Background work that must finish after the response (Workers: waitUntil). */
export type Defer = (task: () => Promise<unknown>) => void

export interface Config {
  baseUrl: string
  appSecret: string
  /** cookies get `Secure` when the app is served over https */
  secureCookies: boolean
  mailFrom: string
  /**
   * the dev mailbox is mounted at /_dev/mail only when no real transport is configured and the
   * app is local (BASE_URL on localhost) or DEV_MAILBOX=1 says so
   */
  devMailbox: boolean
  /** no transport and no dev mailbox: mail waits in the outbox; members' pages say so */
  mailNotSent?: boolean
  /**
   * Whose word to take for the client's address (TRUST_PROXY; default: the socket's peer only).
   * Workers leave it unset: there the peer address is Cloudflare's CF-Connecting-IP.
   */
  trustProxy?: TrustProxy
  /**
   * Mail sends per second across every sender of the database (MAIL_SEND_RATE_PER_SECOND):
   * undefined → the provider's default (Resend 2, SMTP none), 0 → no limit
   */
  mailSendRatePerSecond?: number
  /** Shop API requests per key per minute (default 600; raise it for benchmarks) */
  apiRateLimitPerMinute?: number
  /** customers' replies come back to board+<secret>@<inboundDomain> (INBOUND_DOMAIN); unset: no Reply-To */
  inboundDomain?: string
  /** bearer secret of POST /inbound/raw (INBOUND_SECRET); unset: the endpoint answers 404 */
  inboundSecret?: string
  /** Resend's inbound / delivery webhook signing secret, whsec_… (RESEND_WEBHOOK_SECRET) */
  resendWebhookSecret?: string
  /** Resend API key and origin: the inbound webhook carries no body, it is fetched by email id */
  resendApiKey?: string
  resendBaseUrl?: string
  /**
   * Set where one process serves the database (Node): a random id per start. An in-flight
   * Idempotency-Key claim held by another id belongs to a process that died, and is taken over
   * at once. Unset (Workers, many isolates): such a claim is taken over after a lease.
   */
  instanceId?: string
}

/**
 * Test-only pauses (Node: ORDERBOARD_TEST_PAUSE=<point>): the fault tests kill the server
 * while it waits at `point`, after a request's write committed and before it is answered.
 */
export interface Hooks {
  afterCommit?(point: 'api' | 'guest-post'): Promise<void>
}

/** The one bag of ports every use case receives. */
export interface Deps {
  db: Kysely<Database>
  batch: Batch
  blobs: BlobStore
  mailer: MailTransport
  defer: Defer
  clock: Clock
  ids: Ids
  random: Random
  config: Config
  hooks?: Hooks
  /** aborted when the process shuts down: background loops stop after their current item */
  stopping?: AbortSignal
  /**
   * Resolves webhook hosts so private targets are refused by what they resolve to (Node). Absent
   * on Workers, whose outbound fetch cannot reach private networks; then only literal
   * addresses and local names are refused.
   */
  resolveHost?: HostResolver
}
