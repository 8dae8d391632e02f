import { busy, storageFull, type AppError } from './errors'

/**
 * Failures of the database that are nobody's fault in the request and pass by themselves:
 * - `busy`: another connection holds the write lock longer than our busy timeout (SQLite
 *   SQLITE_BUSY / SQLITE_LOCKED; D1 "database is locked", "overloaded", "queued for too long").
 * - `full`: no room to write (SQLite SQLITE_FULL, disk or quota; D1 "exceeded maximum DB size").
 * Either way the statement or batch was rolled back whole, so the honest answer is 503 with
 * Retry-After: nothing was written, the same request can simply be sent again.
 */
export type Overload = 'busy' | 'full'

const BUSY_CODES = /^SQLITE_(BUSY|LOCKED)/
const FULL_CODES = /^SQLITE_(FULL|IOERR_WRITE|IOERR_FSYNC)/
// D1 reports SQLite's code inside the message, or a text of its own (Cloudflare D1 docs,
// "Error list": overloaded / queued requests / maximum database size / storage reset).
const BUSY_TEXT =
  /SQLITE_(BUSY|LOCKED)|database is locked|D1 DB is overloaded|overloaded|queued for too long|Too many requests queued|object to be reset|Network connection lost/i
const FULL_TEXT = /SQLITE_FULL|database or disk is full|maximum (DB|database) size|disk quota/i

/** Which overload `error` is, if any (walks `cause`, as D1 wraps its errors). */
export function overloadOf(error: unknown): Overload | undefined {
  for (let current = error, depth = 0; current && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code
    if (typeof code === 'string') {
      if (BUSY_CODES.test(code)) return 'busy'
      if (FULL_CODES.test(code)) return 'full'
    }
    const message = current instanceof Error ? current.message : String(current)
    if (FULL_TEXT.test(message)) return 'full'
    if (BUSY_TEXT.test(message)) return 'busy'
    current = (current as { cause?: unknown }).cause
  }
  return undefined
}

/**
 * Seconds a client should wait: a held lock is usually gone within a second or two; a full
 * disk needs someone to act, so clients should not hammer it.
 */
export const RETRY_AFTER_SECONDS: Record<Overload, number> = { busy: 2, full: 60 }

/** The 503 AppError for an overload (codes `busy` / `storage_full`), else undefined. */
export function overloadError(error: unknown): AppError | undefined {
  const kind = overloadOf(error)
  if (!kind) return undefined
  const seconds = RETRY_AFTER_SECONDS[kind]
  return kind === 'busy' ? busy(seconds) : storageFull(seconds)
}
