import { createApiKey } from '../../src/api/api.usecases'
import type { TestApp } from '../helpers/app'
import { apiClient } from './api.helpers'
import { setupBoard } from './guest.helpers'

// Shared set-up for correcting a board's details (#15.5).

/** The board's system lines, oldest first. */
export function boardEvents(testApp: TestApp, boardId: string) {
  return testApp.deps.db
    .selectFrom('board_events')
    .selectAll()
    .where('board_id', '=', boardId)
    .orderBy('at')
    .execute()
}

/** Text of an HTML fragment without its tags (for reading a sentence with <bdi> inside). */
export const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, '')
    .replace(/&gt;/g, '>')
    .replace(/&lt;/g, '<')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')

/** A board, its member, and a write key of the same workspace. */
export async function boardWithApi(options: Parameters<typeof setupBoard>[0] = {}) {
  const setup = await setupBoard(options)
  const workspace = await setup.testApp.deps.db
    .selectFrom('workspaces')
    .selectAll()
    .where('slug', '=', setup.workspace.slug)
    .executeTakeFirstOrThrow()
  const { key } = await createApiKey({
    deps: setup.testApp.deps,
    workspace,
    name: '受注システム',
    createdBy: null,
  })
  return { ...setup, api: apiClient(setup.testApp, key) }
}
