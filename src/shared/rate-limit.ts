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
