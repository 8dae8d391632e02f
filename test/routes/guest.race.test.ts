import { describe, expect, it } from 'vitest'
import { createBoardOrFail } from '../../src/boards/boards.usecases'
import { postGuestMessage } from '../../src/guest/guest.usecases'
import { createTestApp, createTestWorkspace } from '../helpers/app'

const count = async (testApp: ReturnType<typeof createTestApp>, table: 'messages' | 'outbox') =>
  Number(
    (
      await testApp.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('a customer post racing a close or the expiry', () => {
  it.each([
    ['closed', { status: 'closed' as const }, 'board_closed'],
    ['expired', { expires_at: 0 }, 'board_expired'],
  ])(
    'a board %s after the check but before the write stores nothing',
    async (_label, change, code) => {
      const testApp = createTestApp()
      const { workspace, ownerId } = await createTestWorkspace(testApp)
      const board = await createBoardOrFail({
        deps: testApp.deps,
        workspace,
        createdBy: ownerId,
        input: { name: '名刺', customer_name: '山田', customer_email: 'y@example.jp' },
      })
      // The customer's request saw the board open; a member closes it (or it expires) meanwhile.
      await testApp.deps.db.updateTable('boards').set(change).where('id', '=', board.id).execute()
      const error = await postGuestMessage({
        deps: testApp.deps,
        access: { board, workspace },
        input: { body: 'まだ間に合いますか？', attachment_ids: [] },
      }).catch((e: unknown) => e)
      expect(error).toMatchObject({ code })
      expect(await count(testApp, 'messages')).toBe(0)
      expect(await count(testApp, 'outbox')).toBe(0)
      const after = await testApp.deps.db
        .selectFrom('boards')
        .selectAll()
        .where('id', '=', board.id)
        .executeTakeFirstOrThrow()
      expect(after.last_public_author).toBeNull()
      expect(after.message_seq).toBe(0)
    },
  )
})
