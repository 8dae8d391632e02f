import { sql } from 'kysely'
import { createApiKey } from '../../src/api/api.usecases'
import type { Workspace } from '../../src/db/schema'
import { createTestApp, createTestWorkspace, type TestApp } from '../helpers/app'

export interface ApiClient {
  key: string
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>
  raw(
    method: string,
    path: string,
    init: { body?: BodyInit; headers?: Record<string, string> },
  ): Promise<Response>
}

/** A client for /api/v1 with a bearer key; `body` is sent as JSON (strings as they are). */
export function apiClient(testApp: TestApp, key: string): ApiClient {
  const raw: ApiClient['raw'] = async (method, path, init) =>
    testApp.app.request(`/api/v1${path}`, {
      method,
      body: init.body,
      headers: { Authorization: `Bearer ${key}`, ...init.headers },
    })
  return {
    key,
    raw,
    request: (method, path, body, headers = {}) =>
      raw(method, path, {
        body:
          body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
        headers: body === undefined ? headers : { 'Content-Type': 'application/json', ...headers },
      }),
  }
}

/** A workspace, its owner and a write key with its client. */
export async function createApiWorkspace(
  testApp: TestApp,
  options: { slug?: string; scope?: 'read' | 'write'; keyName?: string } = {},
) {
  const owner = await createTestWorkspace(testApp, { slug: options.slug })
  const { key, id } = await createApiKey({
    deps: testApp.deps,
    workspace: owner.workspace,
    name: options.keyName ?? '受注システム',
    scope: options.scope,
    createdBy: owner.ownerId,
  })
  return { ...owner, keyId: id, key, api: apiClient(testApp, key) }
}

export async function addKey(
  testApp: TestApp,
  workspace: Workspace,
  scope: 'read' | 'write' = 'write',
) {
  const { key, id } = await createApiKey({
    deps: testApp.deps,
    workspace,
    name: 'second',
    scope,
    createdBy: null,
  })
  return { key, id, api: apiClient(testApp, key) }
}

/** Row counts of everything a create or post could leave behind. */
export async function storedCounts(testApp: TestApp) {
  const count = async (
    table:
      'boards' | 'messages' | 'outbox' | 'api_idempotency' | 'api_first_messages' | 'decisions',
  ) =>
    Number(
      (
        await sql<{ n: number }>`SELECT count(*) AS n FROM ${sql.table(table)}`.execute(
          testApp.deps.db,
        )
      ).rows[0]?.n ?? 0,
    )
  return {
    boards: await count('boards'),
    messages: await count('messages'),
    outbox: await count('outbox'),
    idempotency: await count('api_idempotency'),
    firstMessages: await count('api_first_messages'),
    decisions: await count('decisions'),
  }
}

export const validBoard = (overrides: Record<string, unknown> = {}) => ({
  name: '名刺 100枚 (#10421)',
  customer_name: '山田 花子',
  customer_email: 'hanako@example.jp',
  ...overrides,
})

export { createTestApp }
