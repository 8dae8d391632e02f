import { describe, expect, it } from 'vitest'
import { decodeCursor, encodeCursor, planList, type ListClause } from '../../src/shared/list-filter'

interface Filter {
  status?: string
  search?: string
  after?: number
  sort: 'new' | 'old'
}
type Trace = string[]

const clauses: ListClause<Filter, Trace>[] = [
  {
    name: 'status',
    values: (filter) => (filter.status ? [filter.status] : undefined),
    apply: (trace, [status]: [string]) => [...trace, `status=${status}`],
  },
  {
    name: 'search',
    values: (filter) => (filter.search ? [`%${filter.search}%`, filter.search] : undefined),
    apply: (trace, [like, exact]: [string, string]) => [...trace, `like ${like} or ${exact}`],
  },
  {
    name: 'order',
    values: (filter) => (filter.after === undefined ? [] : [filter.after]),
    shape: (filter) => filter.sort,
    apply: (trace, after: number[], sort) => [...trace, `order ${sort} after ${after.join()}`],
  },
]

describe('planList', () => {
  it('builds the query and its values in one pass, each clause with its own values', () => {
    const plan = planList(clauses, { search: 'x', after: 7, sort: 'old' })
    expect(plan.values).toEqual(['%x%', 'x', 7])
    expect(plan.apply([], plan.values)).toEqual(['like %x% or x', 'order old after 7'])
    // placeholders go where the values would, clause by clause
    expect(plan.apply([], ['$1', '$2', '$3'])).toEqual(['like $1 or $2', 'order old after $3'])
  })

  it('gives each shape (clauses used, value counts, variants) its own key, and only that', () => {
    const key = (filter: Filter) => planList(clauses, filter).key
    expect(key({ status: 'a', sort: 'new' })).toBe(key({ status: 'b', sort: 'new' }))
    expect(key({ status: 'a', sort: 'new' })).not.toBe(key({ sort: 'new' }))
    expect(key({ sort: 'new' })).not.toBe(key({ sort: 'old' }))
    expect(key({ sort: 'new' })).not.toBe(key({ sort: 'new', after: 1 }))
  })
})

describe('cursors', () => {
  it('round-trip the sort values and refuse anything else', () => {
    expect(decodeCursor(encodeCursor([1764, 'id-1']), 2)).toEqual([1764, 'id-1'])
    expect(decodeCursor(encodeCursor(['2026-11-24~', 'id-1']), 2)).toEqual(['2026-11-24~', 'id-1'])
    expect(decodeCursor(encodeCursor([1, 'a']), 3)).toBeUndefined()
    expect(decodeCursor('not a cursor', 2)).toBeUndefined()
    expect(decodeCursor(encodeCursor([1, 'a']).slice(2), 2)).toBeUndefined()
  })
})
