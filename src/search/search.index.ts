// Writes to the search index (migrations/0018_search.sql), as statements for the batch of the
// write they belong to, so the index never disagrees with what it indexes.
import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { gramsOf } from './search.text'

/**
 * Statements that index a message written in the same batch (run them after its insert): the
 * row that says whose it is, then its grams. `body` is the message's text.
 */
export function indexMessageStatements(
  db: Kysely<Database>,
  messageId: string,
  body: string,
): Compilable[] {
  return [
    db
      .insertInto('search_rows')
      .columns(['workspace_id', 'board_id', 'message_id', 'internal'])
      .expression((eb) =>
        eb
          .selectFrom('messages')
          .select(['workspace_id', 'board_id', 'id', 'internal'])
          .where('id', '=', messageId),
      ),
    db
      .insertInto('search_index')
      .columns(['rowid', 'grams'])
      .expression((eb) =>
        eb
          .selectFrom('search_rows')
          .select(['id', sql<string>`${gramsOf(body)}`.as('grams')])
          .where('message_id', '=', messageId),
      ),
  ]
}

/** The statement that re-indexes an edited message (nothing when it isn't indexed yet). */
export function reindexMessageStatement(
  db: Kysely<Database>,
  messageId: string,
  body: string,
): Compilable {
  return db
    .updateTable('search_index')
    .set({ grams: gramsOf(body) })
    .where('rowid', '=', (eb) =>
      eb.selectFrom('search_rows').select('id').where('message_id', '=', messageId),
    )
}

/**
 * Statements that (re)index a board's own fields — name, customer name, email and dedupe key
 * (found in part and in any case: ord-2026 finds ORD-2026-1001) — after the
 * board's insert or update in the same batch. Nothing is indexed when the board isn't there
 * (an insert that lost to a twin with the same dedupe key).
 */
export function indexBoardStatements(
  db: Kysely<Database>,
  board: {
    id: string
    name: string
    customerName: string
    customerEmail: string
    dedupeKey?: string | null
  },
): Compilable[] {
  const own = (eb: Kysely<Database>) =>
    eb
      .selectFrom('search_rows')
      .select('id')
      .where('board_id', '=', board.id)
      .where('message_id', 'is', null)
  return [
    db
      .insertInto('search_rows')
      .columns(['workspace_id', 'board_id', 'message_id', 'internal'])
      .expression((eb) =>
        eb
          .selectFrom('boards')
          .select(['workspace_id', 'id', sql<null>`NULL`.as('message_id'), sql<number>`0`.as('i')])
          .where('id', '=', board.id),
      )
      .onConflict((oc) => oc.doNothing()),
    db.deleteFrom('search_index').where('rowid', 'in', own(db)),
    db
      .insertInto('search_index')
      .columns(['rowid', 'grams'])
      .expression(
        own(db).select(
          sql<string>`${gramsOf(boardFieldsText(board.name, board.customerName, board.customerEmail, board.dedupeKey))}`.as(
            'grams',
          ),
        ),
      ),
  ]
}

/** The text of a board's own index row: its name, customer name, email and dedupe key. */
export function boardFieldsText(
  name: string,
  customerName: string,
  customerEmail: string,
  dedupeKey?: string | null,
): string {
  return `${name}\n${customerName}\n${customerEmail}\n${dedupeKey ?? ''}`
}
