import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { MessageKey } from './i18n'

export interface FieldProblem {
  field: string
  /** an i18n key, rendered in the user's language */
  problem: MessageKey
  params?: Record<string, string | number>
}

/**
 * A failure the user can understand. `code` is stable (API clients match on it), `key` is the
 * i18n message shown to people.
 */
export class AppError extends Error {
  constructor(
    readonly code: string,
    readonly status: ContentfulStatusCode,
    readonly key: MessageKey,
    readonly details: FieldProblem[] = [],
    readonly params: Record<string, string | number> = {},
  ) {
    super(code)
  }
}

export const notFound = () => new AppError('not_found', 404, 'error.not_found')
export const forbidden = () => new AppError('forbidden', 403, 'error.forbidden')
/** A form post without this session's (or board cookie's) CSRF token: refused, nothing changed. */
export const csrfFailed = () => new AppError('csrf_failed', 403, 'error.csrf')
export const validationError = (details: FieldProblem[]) =>
  new AppError('validation_failed', 422, 'error.validation', details)
/** The database is held by another writer (overload.ts `busy`): 503, retry after `seconds`. */
export const busy = (seconds: number) => new AppError('busy', 503, 'error.busy', [], { seconds })
/** The database has no room to write (overload.ts `full`): 503, retry after `seconds`. */
export const storageFull = (seconds: number) =>
  new AppError('storage_full', 503, 'error.storage_full', [], { seconds })
export const tooManyRequests = (retryAfterSeconds: number) =>
  new AppError('rate_limited', 429, 'error.rate_limited', [], { seconds: retryAfterSeconds })
