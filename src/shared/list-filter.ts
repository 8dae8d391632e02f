// One model for filtered, keyset-paged lists (the board list, the API's board list): a list is
// a table of clauses, each holding its SQL and its values together, so a filter is added in one
// place and its values can never drift out of step with the query that binds them.
import { fromBase64Url, toBase64Url } from './crypto'

/**
 * One part of a list query. `values` says whether the filter object uses it and with what
 * (undefined: the clause is left out); `apply` adds it to the builder with those same values.
 * `apply` may branch on `shape` (e.g. the sort order) and on how many values it got, never on
 * the values themselves: a prepared list calls it once per shape, with placeholders. Each clause
 * types its own values (`apply: (builder, [status]: [BoardStatus]) => …`).
 */
export interface ListClause<Filter, Builder> {
  name: string
  values(filter: Filter): readonly unknown[] | undefined
  shape?(filter: Filter): string
  apply(builder: Builder, values: never, shape: string): Builder
}

export interface ListPlan<Builder> {
  /** the query's shape: which clauses, with how many values, in which variant */
  key: string
  /** every clause's values, in clause order */
  values: unknown[]
  /** builds the query of this shape from `values` (the plan's own, or placeholders for them) */
  apply(builder: Builder, values: readonly unknown[]): Builder
}

/** The query's shape and values for one filter object, in one pass over the clauses. */
export function planList<Filter, Builder>(
  clauses: readonly ListClause<Filter, Builder>[],
  filter: Filter,
): ListPlan<Builder> {
  const steps: { clause: ListClause<Filter, Builder>; count: number; shape: string }[] = []
  const values: unknown[] = []
  for (const clause of clauses) {
    const own = clause.values(filter)
    if (!own) continue
    const shape = clause.shape?.(filter) ?? ''
    steps.push({ clause, count: own.length, shape })
    values.push(...own)
  }
  return {
    key: steps.map((step) => `${step.clause.name}/${step.count}/${step.shape}`).join(' '),
    values,
    apply(builder, bound) {
      let at = 0
      for (const { clause, count, shape } of steps) {
        builder = clause.apply(builder, bound.slice(at, at + count) as never, shape)
        at += count
      }
      return builder
    },
  }
}

/** A keyset cursor: the last row's sort values as URL-safe base64 of a JSON array. */
export function encodeCursor(values: readonly (string | number)[]): string {
  return toBase64Url(new TextEncoder().encode(JSON.stringify(values)))
}

/**
 * The sort values back from `encodeCursor`: `length` strings or finite numbers, else undefined
 * (a mangled or foreign cursor; each list decides whether that is an error).
 */
export function decodeCursor(cursor: string, length: number): (string | number)[] | undefined {
  try {
    const values = JSON.parse(new TextDecoder().decode(fromBase64Url(cursor))) as unknown
    if (
      Array.isArray(values) &&
      values.length === length &&
      values.every(
        (value) =>
          typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value)),
      )
    ) {
      return values as (string | number)[]
    }
  } catch {
    // not base64 or not JSON
  }
  return undefined
}
