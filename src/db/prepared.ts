import { CompiledQuery, type Compilable, type Kysely } from 'kysely'

/**
 * A query of fixed shape, built and compiled once per database; later calls only bind new
 * values. Kysely builds and compiles every query on every call, and for a wide select (the
 * session lookup's 25 aliased columns, run on every signed-in request) that costs more than
 * SQLite takes to answer it.
 *
 * `build` is called once with placeholders: it must use each argument as a plain value, once,
 * and must not branch on it (a query whose shape depends on its values is not fixed).
 */
export function preparedQuery<DB, Args extends unknown[], Row>(
  build: (db: Kysely<DB>, ...args: Args) => Compilable<Row>,
) {
  const compiled = new WeakMap<object, { sql: string; slots: (number | { value: unknown })[] }>()
  return async (db: Kysely<DB>, ...args: Args): Promise<Row[]> => {
    let query = compiled.get(db)
    if (!query) {
      const placeholders = args.map((_, i) => `\u0000prepared-argument-${i}\u0000`)
      const { sql, parameters } = build(db, ...(placeholders as Args)).compile()
      const slots = parameters.map((parameter) => {
        const index = placeholders.indexOf(parameter as string)
        return index >= 0 ? index : { value: parameter }
      })
      const used = slots.filter((slot) => typeof slot === 'number')
      if (used.length !== args.length || new Set(used).size !== args.length) {
        throw new Error('preparedQuery: every argument must appear once as a bound value')
      }
      query = { sql, slots }
      compiled.set(db, query)
    }
    const values = query.slots.map((slot) => (typeof slot === 'number' ? args[slot] : slot.value))
    const result = await db.executeQuery<Row>(CompiledQuery.raw(query.sql, values))
    return result.rows
  }
}
