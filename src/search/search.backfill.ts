// Indexes the boards and messages written before the search index existed (migration 0018),
// newest first, a bounded chunk per run. Each chunk's rows and the moved cursor are one batch,
// and every insert in it is conditional on the cursor still being where this run read it, so a
// crashed, repeated or concurrent run never indexes a row twice.
import { sql, type Compilable } from 'kysely'
import type { Deps } from '../deps'
import { gramsOf } from './search.text'
import { boardFieldsText } from './search.index'

/** Rows per run (each is two statements in the batch). */
export const BACKFILL_CHUNK = 200

/**
 * One run of the backfill. Returns how many boards and messages it indexed; both 0 once done.
 * Errors: the batch's own (nothing written then).
 */
export async function backfillSearchIndex({
  deps,
  chunk = BACKFILL_CHUNK,
}: {
  deps: Deps
  chunk?: number
}): Promise<{ boards: number; messages: number }> {
  const db = deps.db
  const cursor = await db.selectFrom('search_backfill').selectAll().executeTakeFirst()
  if (!cursor || (cursor.boards_below <= 1 && cursor.messages_below <= 1))
    return { boards: 0, messages: 0 }

  const boards = await db
    .selectFrom('boards')
    .select([
      sql<number>`rowid`.as('rowid'),
      'id',
      'name',
      'customer_name',
      'customer_email',
      'dedupe_key',
    ])
    .where(sql<boolean>`rowid < ${cursor.boards_below}`)
    .orderBy(sql`rowid`, 'desc')
    .limit(chunk)
    .execute()
  const messages = await db
    .selectFrom('messages')
    .select([sql<number>`rowid`.as('rowid'), 'id', 'body'])
    .where(sql<boolean>`rowid < ${cursor.messages_below}`)
    .orderBy(sql`rowid`, 'desc')
    .limit(chunk)
    .execute()

  // Every statement runs only while the cursor is still the one read above.
  const unchanged = sql<boolean>`(SELECT boards_below = ${cursor.boards_below} AND messages_below = ${cursor.messages_below} FROM search_backfill WHERE id = 1)`
  // A row someone indexed meanwhile (a board's details edited) keeps its grams.
  const notIndexed = sql<boolean>`NOT EXISTS (SELECT 1 FROM search_index WHERE search_index.rowid = search_rows.id)`
  const statements: Compilable[] = []
  for (const board of boards) {
    statements.push(
      db
        .insertInto('search_rows')
        .columns(['workspace_id', 'board_id', 'message_id', 'internal'])
        .expression((eb) =>
          eb
            .selectFrom('boards')
            .select(['workspace_id', 'id', sql<null>`NULL`.as('m'), sql<number>`0`.as('i')])
            .where('id', '=', board.id)
            .where(unchanged),
        )
        .onConflict((oc) => oc.doNothing()),
      db
        .insertInto('search_index')
        .columns(['rowid', 'grams'])
        .expression((eb) =>
          eb
            .selectFrom('search_rows')
            .select([
              'id',
              sql<string>`${gramsOf(boardFieldsText(board.name, board.customer_name, board.customer_email, board.dedupe_key))}`.as(
                'g',
              ),
            ])
            .where('board_id', '=', board.id)
            .where('message_id', 'is', null)
            .where(unchanged)
            .where(notIndexed),
        ),
    )
  }
  for (const message of messages) {
    statements.push(
      db
        .insertInto('search_rows')
        .columns(['workspace_id', 'board_id', 'message_id', 'internal'])
        .expression((eb) =>
          eb
            .selectFrom('messages')
            .select(['workspace_id', 'board_id', 'id', 'internal'])
            .where('id', '=', message.id)
            .where(unchanged),
        )
        .onConflict((oc) => oc.doNothing()),
      db
        .insertInto('search_index')
        .columns(['rowid', 'grams'])
        .expression((eb) =>
          eb
            .selectFrom('search_rows')
            .select(['id', sql<string>`${gramsOf(message.body)}`.as('g')])
            .where('message_id', '=', message.id)
            .where(unchanged)
            .where(notIndexed),
        ),
    )
  }
  statements.push(
    db
      .updateTable('search_backfill')
      .set({
        boards_below: boards.length < chunk ? 1 : boards.at(-1)!.rowid,
        messages_below: messages.length < chunk ? 1 : messages.at(-1)!.rowid,
      })
      .where('id', '=', 1)
      .where('boards_below', '=', cursor.boards_below)
      .where('messages_below', '=', cursor.messages_below),
  )
  await deps.batch(statements)
  return { boards: boards.length, messages: messages.length }
}

/** How long one job run of the backfill keeps taking chunks (wall-clock ms). */
export const BACKFILL_BUDGET_MS = 20_000

/**
 * The backfill job's run: chunk after chunk until everything is indexed or `budgetMs` has passed
 * (by the clock port), so a Workers cron (one run per five minutes) indexes a large old
 * workspace in hours, not weeks. Between chunks it yields to the event loop, so the Node server
 * (synchronous SQLite) keeps answering requests meanwhile. Returns the totals and the number of
 * chunks; errors: the first failing chunk's (what earlier chunks wrote stays, the cursor with it).
 */
export async function backfillSearchIndexFor({
  deps,
  budgetMs = BACKFILL_BUDGET_MS,
  chunk = BACKFILL_CHUNK,
}: {
  deps: Deps
  budgetMs?: number
  chunk?: number
}): Promise<{ boards: number; messages: number; chunks: number }> {
  const start = deps.clock.now().getTime()
  const total = { boards: 0, messages: 0, chunks: 0 }
  for (;;) {
    const done = await backfillSearchIndex({ deps, chunk })
    if (done.boards + done.messages === 0) return total
    total.boards += done.boards
    total.messages += done.messages
    total.chunks++
    if (deps.clock.now().getTime() - start >= budgetMs) return total
    await new Promise((resolve) => setTimeout(resolve, 0))
  }
}
