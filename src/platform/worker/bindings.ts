// The slices of the Workers runtime API this app uses, typed structurally. The full
// @cloudflare/workers-types declare globals that clash with the DOM lib the rest of the
// project compiles against, so the worker side names only what it touches.

export interface D1Meta {
  changes: number
  last_row_id: number
  duration?: number
}

export interface D1Result<Row = Record<string, unknown>> {
  results: Row[]
  success: boolean
  meta: D1Meta
}

export interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement
  all<Row = Record<string, unknown>>(): Promise<D1Result<Row>>
  run<Row = Record<string, unknown>>(): Promise<D1Result<Row>>
}

export interface D1Database {
  prepare(query: string): D1PreparedStatement
  batch<Row = Record<string, unknown>>(statements: D1PreparedStatement[]): Promise<D1Result<Row>[]>
  exec(query: string): Promise<{ count: number; duration: number }>
}

export interface ExecutionContext {
  waitUntil(promise: Promise<unknown>): void
  passThroughOnException(): void
  props: unknown
}

export interface QueueMessage<Body = unknown> {
  readonly id: string
  readonly body: Body
  readonly attempts: number
  ack(): void
  retry(options?: { delaySeconds?: number }): void
}

export interface MessageBatch<Body = unknown> {
  readonly queue: string
  readonly messages: readonly QueueMessage<Body>[]
  ackAll(): void
  retryAll(options?: { delaySeconds?: number }): void
}

export interface Queue<Body = unknown> {
  send(body: Body, options?: { delaySeconds?: number }): Promise<void>
}

export interface ScheduledController {
  readonly scheduledTime: number
  readonly cron: string
  noRetry(): void
}

/** Static files uploaded with the worker (wrangler `[assets]`). */
export interface AssetsFetcher {
  fetch(request: Request | string): Promise<Response>
}
