import type { Compilable } from 'kysely'
import type { Batch } from '../deps'

/**
 * Runs one write … RETURNING and resolves to its first row (undefined when it wrote none):
 * through `batch`, relaxed, when one is given (Node: committed without waiting for the fsync a
 * direct write would do on the event loop), else as a direct statement. Only for writes the app
 * may lose to a power cut without losing anything it acknowledged (see Batch's `relaxed`).
 */
export async function firstRowRelaxed<
  Query extends Compilable & { executeTakeFirst(): Promise<unknown> },
>(query: Query, batch?: Batch): Promise<Awaited<ReturnType<Query['executeTakeFirst']>>> {
  if (!batch)
    return (await query.executeTakeFirst()) as Awaited<ReturnType<Query['executeTakeFirst']>>
  const [result] = await batch([query], { relaxed: true })
  return result?.rows[0] as Awaited<ReturnType<Query['executeTakeFirst']>>
}
