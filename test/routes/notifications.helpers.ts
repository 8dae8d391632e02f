import { DUMMY_PASSWORD_HASH } from '../../src/shared/crypto'
import type { TestApp } from '../helpers/app'

// Shared bits for the notification route tests.

/** A member row without going through password hashing (fast); returns its id. */
export async function addMember(
  testApp: TestApp,
  workspaceId: string,
  options: { name: string; email: string; notify?: boolean; locale?: 'ja' | 'en' | null },
) {
  const id = testApp.deps.ids.id()
  await testApp.deps.db
    .insertInto('members')
    .values({
      id,
      workspace_id: workspaceId,
      email: options.email,
      name: options.name,
      password_hash: DUMMY_PASSWORD_HASH,
      role: 'member',
      locale: options.locale ?? null,
      notify_email: options.notify === false ? 0 : 1,
      created_at: testApp.deps.clock.now().getTime(),
    })
    .execute()
  return id
}

export function outboxRows(testApp: TestApp, boardId?: string) {
  let query = testApp.deps.db.selectFrom('outbox').selectAll()
  if (boardId) query = query.where('board_id', '=', boardId)
  return query.orderBy('created_at').orderBy('idempotency_key').execute()
}

export async function messageIdOf(testApp: TestApp, boardId: string, no: number) {
  const row = await testApp.deps.db
    .selectFrom('messages')
    .select('id')
    .where('board_id', '=', boardId)
    .where('no', '=', no)
    .executeTakeFirstOrThrow()
  return row.id
}
