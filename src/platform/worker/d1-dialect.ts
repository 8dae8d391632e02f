import {
  CompiledQuery,
  SelectQueryNode,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type DatabaseConnection,
  type DatabaseIntrospector,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely'
import type { Batch } from '../../deps'
import type { D1Database, D1PreparedStatement, D1Result } from './bindings'

/**
 * Kysely over a D1 binding. D1 cannot hold a transaction open across awaits, so this dialect
 * refuses `db.transaction()` loudly; atomic writes go through `createD1Batch` instead.
 */
export class D1Dialect implements Dialect {
  constructor(
    private readonly database: D1Database,
    private readonly hooks: D1Hooks = {},
  ) {}

  createAdapter() {
    return new SqliteAdapter()
  }

  createDriver(): Driver {
    return new D1Driver(this.database, this.hooks)
  }

  createQueryCompiler() {
    return new SqliteQueryCompiler()
  }

  createIntrospector(db: Kysely<unknown>): DatabaseIntrospector {
    return new SqliteIntrospector(db)
  }
}

class D1Driver implements Driver {
  readonly #connection: D1Connection

  constructor(database: D1Database, hooks: D1Hooks) {
    this.#connection = new D1Connection(database, hooks)
  }

  async init() {}

  // Each D1 call is independent, so one shared connection serves every concurrent query.
  async acquireConnection() {
    return this.#connection
  }

  async beginTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions: use deps.batch([...]) for atomic writes')
  }

  async commitTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions')
  }

  async rollbackTransaction(): Promise<void> {
    throw new Error('D1 has no interactive transactions')
  }

  async releaseConnection() {}

  async destroy() {}
}

class D1Connection implements DatabaseConnection {
  constructor(
    private readonly database: D1Database,
    private readonly hooks: D1Hooks,
  ) {}

  async executeQuery<Row>(compiledQuery: CompiledQuery): Promise<QueryResult<Row>> {
    const result = await prepare(this.database, compiledQuery).all<Row>()
    if (writesOutbox(compiledQuery)) this.hooks.onOutboxWrite?.()
    return toQueryResult(compiledQuery, result)
  }

  // eslint-disable-next-line require-yield
  async *streamQuery<Row>(): AsyncIterableIterator<QueryResult<Row>> {
    throw new Error('D1 does not stream query results')
  }
}

function prepare(database: D1Database, compiledQuery: CompiledQuery): D1PreparedStatement {
  // D1 rejects `undefined`; Kysely never binds it for values we write, but be explicit.
  const parameters = compiledQuery.parameters.map((value) => (value === undefined ? null : value))
  const statement = database.prepare(compiledQuery.sql)
  return parameters.length > 0 ? statement.bind(...parameters) : statement
}

function toQueryResult<Row>(compiledQuery: CompiledQuery, result: D1Result<Row>): QueryResult<Row> {
  const rows = result.results ?? []
  // D1 reports the connection's last change count even for a SELECT; Kysely must not see it.
  if (SelectQueryNode.is(compiledQuery.query)) return { rows }
  return {
    rows,
    numAffectedRows: BigInt(result.meta?.changes ?? 0),
    insertId: result.meta?.last_row_id != null ? BigInt(result.meta.last_row_id) : undefined,
  }
}

export interface D1Hooks {
  /**
   * Called after a statement that inserts outbox rows has committed (alone or in a batch), so
   * the worker can wake the sender through the queue without polling for the rows.
   */
  onOutboxWrite?: () => void
}

const writesOutbox = (query: CompiledQuery) =>
  /^\s*insert\s+(?:or\s+\w+\s+)?into\s+"outbox"/i.test(query.sql)

/** `deps.batch` on D1: the queries run in one implicit transaction, in order, all or nothing. */
export function createD1Batch(database: D1Database, hooks: D1Hooks = {}): Batch {
  return async (queries) => {
    if (queries.length === 0) return []
    const compiled = queries.map((query) => query.compile())
    const results = await database.batch(compiled.map((query) => prepare(database, query)))
    if (compiled.some(writesOutbox)) hooks.onOutboxWrite?.()
    return results.map((result, index) => toQueryResult(compiled[index]!, result))
  }
}
