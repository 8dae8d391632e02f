import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { AppError, type FieldProblem } from '../shared/errors'
import { translator, type MessageKey } from '../shared/i18n'

/**
 * The API answers in English, whatever the workspace locale: API clients are programs and
 * their developers, who match on `code` and read logs. (The docs page says so.)
 */
const t = translator('en')

export const apiError = (
  code: string,
  status: ContentfulStatusCode,
  key: MessageKey,
  details: FieldProblem[] = [],
  params: Record<string, string | number> = {},
) => new AppError(code, status, key, details, params)

export const unauthorized = () => apiError('unauthorized', 401, 'api.unauthorized')
export const readOnlyKey = () => apiError('forbidden', 403, 'api.read_only_key')
export const apiNotFound = () => apiError('not_found', 404, 'api.not_found')
export const unsupportedMediaType = () =>
  apiError('unsupported_media_type', 415, 'api.unsupported_media_type')
export const payloadTooLarge = (max: number) =>
  apiError('payload_too_large', 413, 'api.too_large', [], { max })
export const malformedJson = (problem?: FieldProblem) =>
  apiError('malformed_json', 400, 'api.malformed_json', problem ? [problem] : [])
export const invalidEncoding = () => apiError('invalid_encoding', 400, 'api.invalid_encoding')
export const duplicateJsonKey = (field: string) =>
  apiError('duplicate_json_key', 400, 'api.duplicate_key', [{ field, problem: 'field.duplicate' }])

export interface ApiErrorBody {
  error: {
    code: string
    message: string
    details: { field: string; problem: string; code: string }[]
    [extra: string]: unknown
  }
}

/** The one JSON error shape: `{ error: { code, message, details: [{ field, problem }] } }`. */
export function apiErrorBody(error: AppError, extra: Record<string, unknown> = {}): ApiErrorBody {
  return {
    error: {
      code: error.code,
      message: t(error.key, error.params),
      details: error.details.map((detail) => ({
        field: detail.field,
        problem: t(detail.problem, detail.params),
        // the i18n key without its namespace: a stable, machine-readable reason
        code: detail.problem.replace(/^field\./, ''),
      })),
      ...extra,
    },
  }
}

export const internalErrorBody = (): ApiErrorBody => ({
  error: { code: 'internal_error', message: t('error.internal'), details: [] },
})

/** Same dedupe key, different details: a 409 that names the board the key already belongs to. */
export class DedupeConflictError extends AppError {
  constructor(
    readonly existingBoard: { id: string; name: string },
    readonly fields: string[],
  ) {
    super(
      'dedupe_key_conflict',
      409,
      'api.duplicate_board',
      fields.map((field) => ({ field, problem: 'field.differs' as const })),
    )
  }
}
