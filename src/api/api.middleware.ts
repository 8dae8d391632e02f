import { createMiddleware } from 'hono/factory'
import type { AppEnv } from '../http'
import { sha256Hex } from '../shared/crypto'
import { tooManyRequests } from '../shared/errors'
import { hitRateLimit } from '../shared/rate-limit'
import { apiError, readOnlyKey, unsupportedMediaType } from './api.errors'
import { API_BODY_LIMIT, isJsonContentType, parseJsonText, readLimitedText } from './api.body'
import {
  authenticateApiKey,
  claimIdempotencyKey,
  completeIdempotencyKey,
  idempotentRun,
  releaseIdempotencyKey,
  type ApiCaller,
  type IdempotentRun,
} from './api.usecases'
import { withGuestUrl, withoutGuestUrl } from './api.present'

export interface ApiEnv {
  Variables: AppEnv['Variables'] & {
    caller: ApiCaller
    /** the parsed JSON body of a POST or PATCH */
    json: unknown
    /** set under an Idempotency-Key: the commit record and what to resume (see IdempotentRun) */
    idempotency: IdempotentRun | undefined
  }
}

/** Requests per API key per minute, unless the deployment sets its own. */
export const API_RATE_LIMIT_PER_MINUTE = 600

const WRITE_METHODS = new Set(['POST', 'PATCH', 'PUT', 'DELETE'])
const BODY_METHODS = new Set(['POST', 'PATCH', 'PUT'])

/** Bearer key → caller; then the per-key rate limit (a 429 with Retry-After). */
export const apiAuth = createMiddleware<ApiEnv>(async (c, next) => {
  const deps = c.get('deps')
  const caller = await authenticateApiKey(deps, c.req.header('Authorization'))
  c.set('caller', caller)
  const limit = deps.config.apiRateLimitPerMinute ?? API_RATE_LIMIT_PER_MINUTE
  const hit = await hitRateLimit(deps, { key: `api:${caller.apiKey.id}`, limit, windowMs: 60_000 })
  if (!hit.allowed) throw tooManyRequests(hit.retryAfterSeconds)
  if (WRITE_METHODS.has(c.req.method) && caller.apiKey.scope !== 'write') throw readOnlyKey()
  await next()
})

/**
 * JSON only: the content type is checked first (415), the body is read up to the limit (413,
 * decided while reading, before any parsing), then decoded and parsed (400/422).
 */
export const apiJsonBody = createMiddleware<ApiEnv>(async (c, next) => {
  if (!BODY_METHODS.has(c.req.method)) return next()
  if (!isJsonContentType(c.req.header('Content-Type'))) throw unsupportedMediaType()
  const text = await readLimitedText(c.req.raw, API_BODY_LIMIT)
  c.set('json', parseJsonText(text))
  const key = c.req.header('Idempotency-Key')
  if (key === undefined) return next()
  return idempotent(c, key, text, next)
})

/** An sf-string per the draft (`"abc"`); a bare token is accepted too, as most clients send it. */
function parseIdempotencyKey(header: string): string {
  const trimmed = header.trim()
  const quoted = /^"([^"\\]*)"$/.exec(trimmed)
  const key = quoted ? quoted[1] : trimmed
  if (!key || key.length > 255 || !/^[\x21-\x7e]+$/.test(key) || /["\\]/.test(key)) {
    throw apiError('idempotency_key_invalid', 400, 'api.idempotency_key_invalid', [
      { field: 'Idempotency-Key', problem: 'field.invalid' },
    ])
  }
  return key
}

/**
 * Idempotency-Key semantics (draft-ietf-httpapi-idempotency-key-header): the key is claimed
 * before the handler runs; a repeat after completion replays the stored status and body, a
 * repeat while the first is in flight is a 409, the same key with another payload a 422.
 * Only successful (2xx) answers are kept: an error stores nothing — not even the key — so the
 * client can fix the request and retry under the same key; a 5xx likewise releases it.
 *
 * Crash safety: the handler writes the key's commit record in the same batch as its effect, so
 * a process killed after the commit and before the answer is stored leaves a record its retry
 * finds: the retry takes the dead claim over and finishes the committed effect (resume) rather
 * than running it again. The stored body never holds the customer's link (DESIGN.md §4): it is
 * blanked before storing and rebuilt from the board on replay.
 */
async function idempotent(
  c: Parameters<Parameters<typeof createMiddleware<ApiEnv>>[0]>[0],
  header: string,
  body: string,
  next: () => Promise<void>,
) {
  const deps = c.get('deps')
  const apiKeyId = c.get('caller').apiKey.id
  const key = parseIdempotencyKey(header)
  const fingerprint = await sha256Hex(`${c.req.method}\n${new URL(c.req.url).pathname}\n${body}`)
  const claim = await claimIdempotencyKey({ deps, apiKeyId, key, fingerprint })
  if (claim.kind === 'replay') {
    c.header('Idempotent-Replayed', 'true')
    const body = await withGuestUrl(deps, c.get('caller').workspace, claim.body, claim.boardId)
    return c.body(body, claim.status as 200, {
      'Content-Type': 'application/json; charset=UTF-8',
    })
  }
  c.set('idempotency', idempotentRun(deps, apiKeyId, key, claim.resume))
  try {
    await next()
  } catch (error) {
    await releaseIdempotencyKey(deps, apiKeyId, key)
    throw error
  }
  const response = c.res
  if (response.status >= 200 && response.status < 300) {
    await deps.hooks?.afterCommit?.('api')
    const stored = withoutGuestUrl(await response.clone().text())
    await completeIdempotencyKey(deps, apiKeyId, key, response.status, stored.body, stored.boardId)
  } else {
    await releaseIdempotencyKey(deps, apiKeyId, key)
  }
}
