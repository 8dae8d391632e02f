import { sql } from 'kysely'
import type { Deps } from '../deps'

/**
 * Counts one hit against `key` in a fixed window and says whether it is still within `limit`.
 * One upsert statement, so concurrent hits never lose a count (and it runs unchanged on D1).
 */
export async function hitRateLimit(
  deps: Pick<Deps, 'db' | 'clock'>,
  { key, limit, windowMs }: { key: string; limit: number; windowMs: number },
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const now = deps.clock.now().getTime()
  const windowStart = now - (now % windowMs)
  const row = await deps.db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, count: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        count: sql`CASE WHEN rate_limits.window_start = ${windowStart} THEN rate_limits.count + 1 ELSE 1 END`,
        window_start: windowStart,
      }),
    )
    .returning(['count'])
    .executeTakeFirstOrThrow()
  return {
    allowed: row.count <= limit,
    retryAfterSeconds: Math.max(1, Math.ceil((windowStart + windowMs - now) / 1000)),
  }
}

export async function clearRateLimit(deps: Pick<Deps, 'db'>, key: string) {
  await deps.db.deleteFrom('rate_limits').where('key', '=', key).execute()
}

/**
 * Exponential back-off instead of a lockout: the first `free` attempts go through at once, then
 * each further one must wait `baseMs`, 2×, 4× … up to `maxMs` after the previous one. A key left
 * alone for `forgetAfterMs` starts over. Every attempt is counted here, before it is tried, in
 * one upsert (its WHERE refuses an attempt that comes too early), so parallel guesses cannot
 * slip through together; `clearRateLimit` or `refundAttempt` take it back after a success.
 * The row's `window_start` holds the moment the next attempt is allowed.
 */
export async function passBackoff(
  deps: Pick<Deps, 'db' | 'clock'>,
  {
    key,
    free,
    baseMs,
    maxMs,
    forgetAfterMs,
  }: { key: string; free: number; baseMs: number; maxMs: number; forgetAfterMs: number },
): Promise<{ allowed: boolean; retryAfterSeconds: number }> {
  const now = deps.clock.now().getTime()
  const attempts = sql<number>`CASE WHEN rate_limits.window_start + ${forgetAfterMs} < ${now}
    THEN 1 ELSE rate_limits.count + 1 END`
  // SQLite and D1 both have `<<` and two-argument min(); the exponent is capped so it never
  // overflows before min() caps the delay.
  const delay = (n: ReturnType<typeof sql>) =>
    sql<number>`CASE WHEN ${n} > ${free}
      THEN min(${maxMs}, ${baseMs} << min(30, ${n} - ${free} - 1)) ELSE 0 END`
  const passed = await deps.db
    .insertInto('rate_limits')
    .values({ key, window_start: now + (free >= 1 ? 0 : baseMs), count: 1 })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({
          count: attempts,
          window_start: sql`${now} + ${delay(attempts)}`,
        })
        .where('rate_limits.window_start', '<=', now),
    )
    .returning(['count'])
    .executeTakeFirst()
  if (passed) return { allowed: true, retryAfterSeconds: 0 }
  const row = await deps.db
    .selectFrom('rate_limits')
    .select('window_start')
    .where('key', '=', key)
    .executeTakeFirst()
  return {
    allowed: false,
    retryAfterSeconds: Math.max(1, Math.ceil(((row?.window_start ?? now) - now) / 1000)),
  }
}

/** Gives back one attempt counted by `passBackoff` (a success that should cost nothing). */
export async function refundAttempt(deps: Pick<Deps, 'db'>, key: string) {
  await deps.db
    .updateTable('rate_limits')
    .set({ count: sql`max(0, count - 1)` })
    .where('key', '=', key)
    .execute()
}
