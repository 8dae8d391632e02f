import { searchFor } from '../search/search.usecases'
import type { Compilable } from 'kysely'
import { categoryFor, cleanTagNames, tagChangeStatements, tagsOfBoard } from '../tags/tags.usecases'
import { postWelcome } from '../welcome/welcome.usecases'
import type { BoardRow, MessageRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { createBoard, getBoard, statusWhenClosed, updateBoard } from '../boards/boards.usecases'
import { changedDetails, detailStatements } from '../boards/board-details.usecases'
import type { StaffAuthor } from '../messages/messages.usecases'
import { createMessagesRepository } from '../messages/messages.repository'
import { resolveAssignee } from '../assignee/assignee.effects'
import { postStaffMessage } from '../messages/messages.usecases'
import { sha256Hex } from '../shared/crypto'
import { decodeCursor, encodeCursor } from '../shared/list-filter'
import { notFound, validationError } from '../shared/errors'
import { fillableNames, unfilledPlaceholders } from '../templates/templates.fill'
import { createTemplatesRepository } from '../templates/templates.repository'
import { calendarFor, readNextContact } from '../next-contact/next-contact.usecases'
import type { BusinessHours } from '../business-hours/business-hours'
import { apiError, DedupeConflictError, unauthorized } from './api.errors'
import { createApiRepository } from './api.repository'
import type { ApiCreateBoardInput, ApiPostMessageInput, ApiUpdateBoardInput } from './api.schemas'

export const API_KEY_PREFIX = 'ob_live_'
const API_KEY_SHAPE = /^ob_live_[A-Za-z0-9_-]{43}$/

export interface ApiCaller {
  workspace: Workspace
  apiKey: { id: string; name: string; scope: 'read' | 'write' }
}

// ---- API keys -------------------------------------------------------------------------------

/** A new key: `ob_live_` + 32 random bytes (base64url). Returned once; only its hash is kept. */
export async function createApiKey({
  deps,
  workspace,
  name,
  scope = 'write',
  createdBy,
}: {
  deps: Deps
  workspace: Workspace
  name: string
  scope?: 'read' | 'write'
  createdBy: string | null
}) {
  const key = `${API_KEY_PREFIX}${deps.ids.token(32)}`
  const id = deps.ids.id()
  await createApiRepository(deps).insertKey({
    id,
    workspaceId: workspace.id,
    name,
    prefix: key.slice(0, API_KEY_PREFIX.length + 4),
    keyHash: await sha256Hex(key),
    scope,
    createdBy,
    now: deps.clock.now().getTime(),
  })
  return { id, key }
}

export const listApiKeys = ({ deps, workspace }: { deps: Deps; workspace: Workspace }) =>
  createApiRepository(deps).listKeys(workspace.id)

export async function revokeApiKey({
  deps,
  workspace,
  keyId,
}: {
  deps: Deps
  workspace: Workspace
  keyId: string
}) {
  const result = await createApiRepository(deps).revokeKey(
    workspace.id,
    keyId,
    deps.clock.now().getTime(),
  )
  if (!result.numUpdatedRows) throw notFound()
}

/**
 * `Authorization: Bearer ob_live_…` → the key's workspace. A key of the wrong shape is refused
 * without a query; the lookup is by SHA-256 (a unique index), so the key itself never meets the
 * database and a timing difference reveals nothing about stored keys.
 */
export async function authenticateApiKey(
  deps: Deps,
  authorization: string | undefined,
): Promise<ApiCaller> {
  const match = /^Bearer +(\S+) *$/i.exec(authorization ?? '')
  const key = match?.[1]
  if (!key || !API_KEY_SHAPE.test(key)) throw unauthorized()
  const repository = createApiRepository(deps)
  const row = await repository.findActiveKey(await sha256Hex(key))
  if (!row) throw unauthorized()
  const { key_id, key_name, key_scope, key_last_used_at, ...workspace } = row
  const now = deps.clock.now().getTime()
  if (key_last_used_at === null || key_last_used_at < now - 60_000)
    await repository.touchKey(key_id, now)
  return { workspace, apiKey: { id: key_id, name: key_name, scope: key_scope } }
}

// ---- Idempotency-Key (draft-ietf-httpapi-idempotency-key-header) -----------------------------

/** Keys are kept at least this long (the draft leaves it to the server; we document 24 h). */
export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000
/**
 * An in-flight claim older than this belongs to a request that died; it may be taken over.
 * Where the server knows its own instance (Node), a claim of another instance is taken over at
 * once instead. Taking over is always safe: the effect and its commit record share one batch,
 * and a second commit under the key fails, so two attempts can never both write.
 */
const IDEMPOTENCY_ABANDONED_MS = 5 * 60 * 1000

/** What an earlier attempt under this key committed (its process died before answering). */
export interface IdempotencyCommit {
  boardId: string
  messageId: string | null
}

export type IdempotencyClaim =
  | { kind: 'claimed'; resume?: IdempotencyCommit }
  | { kind: 'replay'; status: number; body: string; boardId: string | null }

/**
 * The running request's side of its Idempotency-Key: what to finish instead of redo
 * (`resume`), and the statements that record the effect in the effect's own batch.
 */
export interface IdempotentRun {
  resume?: IdempotencyCommit
  commit(boardId: string, messageId: string | null): Compilable
  commitMessage(messageId: string): Compilable
}

export function idempotentRun(
  deps: Deps,
  apiKeyId: string,
  key: string,
  resume?: IdempotencyCommit,
): IdempotentRun {
  const repository = createApiRepository(deps)
  return {
    resume,
    commit: (boardId, messageId) =>
      repository.commitQuery({
        apiKeyId,
        key,
        boardId,
        messageId,
        now: deps.clock.now().getTime(),
      }),
    commitMessage: (messageId) => repository.commitMessageQuery(apiKeyId, key, messageId),
  }
}

export async function claimIdempotencyKey({
  deps,
  apiKeyId,
  key,
  fingerprint,
}: {
  deps: Deps
  apiKeyId: string
  key: string
  fingerprint: string
}): Promise<IdempotencyClaim> {
  const repository = createApiRepository(deps)
  const now = deps.clock.now().getTime()
  const expiredBefore = now - IDEMPOTENCY_TTL_MS
  // A commit older than the key's lifetime belongs to an earlier use of the same key.
  await repository.deleteCommitsBefore(expiredBefore, { apiKeyId, key })
  const claimed = await repository.claimIdempotencyKey({
    apiKeyId,
    key,
    fingerprint,
    now,
    expiredBefore,
    abandonedBefore: now - IDEMPOTENCY_ABANDONED_MS,
    owner: deps.config.instanceId ?? null,
  })
  if (claimed) {
    // Taken over from an attempt that died: finish what it committed, never redo it.
    const commit = await repository.findCommit(apiKeyId, key)
    return commit
      ? { kind: 'claimed', resume: { boardId: commit.board_id, messageId: commit.message_id } }
      : { kind: 'claimed' }
  }
  const existing = await repository.findIdempotencyRecord(apiKeyId, key)
  if (existing && existing.fingerprint !== fingerprint) {
    throw apiError('idempotency_key_mismatch', 422, 'api.idempotency_mismatch', [
      { field: 'Idempotency-Key', problem: 'field.duplicate' },
    ])
  }
  if (!existing || existing.status === 'in_flight' || existing.response_status === null) {
    throw apiError('idempotency_key_in_flight', 409, 'api.idempotency_in_flight')
  }
  return {
    kind: 'replay',
    status: existing.response_status,
    body: existing.response_body ?? '',
    boardId: existing.board_id,
  }
}

/** Stores the answer; `body` must not hold the customer's link (see withoutGuestUrl). */
export const completeIdempotencyKey = (
  deps: Deps,
  apiKeyId: string,
  key: string,
  status: number,
  body: string,
  boardId: string | null,
) => createApiRepository(deps).completeIdempotencyKey(apiKeyId, key, status, body, boardId)

export const releaseIdempotencyKey = (deps: Deps, apiKeyId: string, key: string) =>
  createApiRepository(deps).releaseIdempotencyKey(apiKeyId, key)

/**
 * For the scheduler: forgets Idempotency-Keys (and their commit records) and the customers'
 * per-submit keys older than 24 h. Returns how many Idempotency-Keys went.
 */
export async function cleanupIdempotencyKeys(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const repository = createApiRepository(deps)
  const before = deps.clock.now().getTime() - IDEMPOTENCY_TTL_MS
  const result = await repository.deleteIdempotencyBefore(before)
  await repository.deleteCommitsBefore(before)
  await repository.deleteGuestSubmissionsBefore(before)
  return Number(result.numDeletedRows)
}

// ---- Boards ---------------------------------------------------------------------------------

function differingFields(board: BoardRow, input: ApiCreateBoardInput): string[] {
  const fields: string[] = []
  if (board.name !== input.name) fields.push('name')
  if (board.customer_name !== input.customer_name) fields.push('customer_name')
  if (board.customer_email.toLowerCase() !== input.customer_email.toLowerCase())
    fields.push('customer_email')
  if ((board.thread_message_id ?? null) !== (input.message_id ?? null)) fields.push('message_id')
  return fields
}

// author_email joins the list only when given, so fingerprints stored before it existed match.
const firstMessageFingerprint = (first: NonNullable<ApiCreateBoardInput['first_message']>) =>
  sha256Hex(
    JSON.stringify([
      first.body,
      first.template ?? null,
      first.notify,
      ...(first.author_email === undefined ? [] : [first.author_email]),
    ]),
  )

const isUniqueViolation = (error: unknown) =>
  error instanceof Error &&
  /UNIQUE constraint failed|SQLITE_CONSTRAINT/i.test(
    `${error.message} ${(error as { code?: string }).code ?? ''}`,
  )

export interface CreatedBoard {
  board: BoardRow
  duplicate: boolean
  firstMessage?: MessageRow
}

/**
 * Opens a board for a shop's order system. The dedupe key is the retry story: createBoard's
 * unique index makes 50 concurrent identical requests one board, and a repeat answers with the
 * existing board (200, `duplicate: true`) — or 409 when the key names a board with other details.
 *
 * With `first_message`, board and message are two writes: createBoard is the one place boards
 * are inserted, and postStaffMessage the one place staff posts (with its emails) are built, so
 * they are reused rather than merged into a hand-made batch. What keeps it from being
 * half-written:
 * - everything that could refuse the message (placeholders, the template) is checked before
 *   the board is created, so a 4xx never leaves a board behind;
 * - the post's batch also inserts the board's row in `api_first_messages` (no ON CONFLICT), so
 *   the first message is posted at most once however many retries race;
 * - a retry of a create that died between the two writes finds the board, sees no first
 *   message yet, and posts it: the same dedupe key completes the job;
 * - without a dedupe key nothing could find the board again, so when the post fails the
 *   fresh, still empty board is deleted before the error is answered.
 */
export async function createBoardFromApi({
  deps,
  caller,
  input,
  idempotency,
}: {
  deps: Deps
  caller: ApiCaller
  input: ApiCreateBoardInput
  /**
   * Under an Idempotency-Key: the board's insert carries the key's commit record, and a retry
   * whose first attempt committed the board (then died) finishes that board instead of
   * opening another — with its first message if that was not posted yet.
   */
  idempotency?: IdempotentRun
}): Promise<CreatedBoard> {
  const { workspace } = caller
  const first = input.first_message
  const author = first
    ? await apiAuthor(deps, workspace, first.author_email, 'first_message.author_email')
    : undefined
  if (first && author) {
    const unfilled = unfilledPlaceholders(
      first.body,
      fillableNames({
        customerName: input.customer_name,
        boardName: input.name,
        workspaceName: workspace.name,
        authorName: author.name,
      }),
    )
    if (unfilled.length > 0) {
      throw validationError([
        {
          field: 'first_message.body',
          problem: 'field.unfilled',
          params: { fields: unfilled.join(' ') },
        },
      ])
    }
    if (
      first.template &&
      !(await createTemplatesRepository(deps).findTemplate(workspace.id, first.template))
    ) {
      throw validationError([{ field: 'first_message.template', problem: 'field.invalid_choice' }])
    }
  }

  // An explicit assignee wins over round-robin; checked before anything is written.
  const assignee =
    input.assignee_id === undefined
      ? undefined
      : {
          id:
            input.assignee_id === null
              ? null
              : await resolveAssignee({
                  deps,
                  workspace,
                  // "me" and "none" are the side panel's words; the API names a member or null
                  value: ['me', 'none'].includes(input.assignee_id) ? '\u0000' : input.assignee_id,
                }),
          actor: { kind: 'api' as const, name: caller.apiKey.name },
        }
  const { name, customer_name, customer_email, dedupe_key, message_id } = input
  const result = idempotency?.resume
    ? {
        created: true as const,
        board: await getBoard({ deps, workspace, boardId: idempotency.resume.boardId }),
      }
    : await createBoard({
        deps,
        workspace,
        createdBy: null,
        input: { name, customer_name, customer_email, dedupe_key, message_id },
        assignee,
        alsoWrite: idempotency ? (boardId) => [idempotency.commit(boardId, null)] : undefined,
      })
  let board = result.board
  if (!result.created) {
    const differs = differingFields(board, input)
    if (differs.length > 0) throw new DedupeConflictError(board, differs)
  }
  if (!first) {
    // A board this request created gets the workspace's welcome (a retry never does). A
    // resumed create welcomes only a board with no message yet (its first attempt died before).
    const welcome = result.created && (!idempotency?.resume || board.message_seq === 0)
    const welcomed = welcome ? await postWelcome({ deps, workspace, board }) : undefined
    return { board: welcomed?.board ?? board, duplicate: !result.created }
  }

  const repository = createApiRepository(deps)
  const fingerprint = await firstMessageFingerprint(first)
  const alreadyPosted = async () => {
    const claim = await repository.findFirstMessage(board.id)
    if (!claim) return false
    if (claim.fingerprint !== fingerprint) throw new DedupeConflictError(board, ['first_message'])
    return true
  }
  const resumed = Boolean(idempotency?.resume)
  if ((!result.created || resumed) && (await alreadyPosted())) {
    return {
      board,
      duplicate: !result.created,
      firstMessage: await firstApiMessage(deps, workspace, board.id),
    }
  }
  if (!result.created && board.message_seq > 0) {
    // The conversation started elsewhere (a board opened by hand with this key): a "first"
    // message now would be out of place.
    throw new DedupeConflictError(board, ['first_message'])
  }
  try {
    const messageId = deps.ids.id()
    const claimFirst = repository.claimFirstMessage(
      board.id,
      fingerprint,
      deps.clock.now().getTime(),
    )
    const posted = await postStaffMessage({
      deps,
      workspace,
      author: author ?? { kind: 'api', memberId: null, name: workspace.name },
      boardId: board.id,
      messageId,
      input: {
        body: first.body,
        internal: false,
        template_id: first.template,
        silent: !first.notify,
        ...nextContactFields(
          deps,
          workspace,
          first.body,
          {},
          await calendarFor({ deps, workspace, text: first.body }),
        ),
      },
      claim: idempotency ? [claimFirst, idempotency.commitMessage(messageId)] : claimFirst,
    })
    board = posted.board
    return { board, duplicate: !result.created, firstMessage: posted.message }
  } catch (error) {
    if (!isUniqueViolation(error)) {
      // Without a dedupe key no retry can find this board again: take it back (only while
      // nothing was posted to it), so the failed request leaves nothing behind.
      // Under an Idempotency-Key the retry finds the board through its commit record instead.
      if (result.created && !dedupe_key && !idempotency)
        await repository.deleteEmptyBoard(workspace.id, board.id).catch(() => undefined)
      throw error
    }
    // A concurrent twin posted it first: that is the retry succeeding, not a failure.
    if (!(await alreadyPosted())) throw error
    return {
      board: await getBoard({ deps, workspace, boardId: board.id }),
      duplicate: true,
      firstMessage: await firstApiMessage(deps, workspace, board.id),
    }
  }
}

async function firstApiMessage(deps: Deps, workspace: Workspace, boardId: string) {
  const row = await deps.db
    .selectFrom('messages')
    .selectAll()
    .where('workspace_id', '=', workspace.id)
    .where('board_id', '=', boardId)
    .where('author_kind', '=', 'api')
    .orderBy('seq', 'asc')
    .limit(1)
    .executeTakeFirst()
  return row
}

function decodeApiCursor(cursor: string): { updatedAt: number; id: string } {
  const [updatedAt, id] = decodeCursor(cursor, 2) ?? []
  if (typeof updatedAt === 'number' && Number.isSafeInteger(updatedAt) && typeof id === 'string')
    return { updatedAt, id }
  // An API client that sends a mangled cursor has a bug; starting over would hide it.
  throw validationError([{ field: 'cursor', problem: 'field.invalid' }])
}

export async function listBoardsForApi({
  deps,
  caller,
  query,
}: {
  deps: Deps
  caller: ApiCaller
  query: {
    status?: BoardRow['status']
    dedupe_key?: string
    updated_since?: string
    next_contact_before?: string
    q?: string
    cursor?: string
    limit: number
  }
}) {
  const found = query.q
    ? await searchFor(deps, query.q, {
        workspaceId: caller.workspace.id,
        timeZone: caller.workspace.time_zone,
        now: deps.clock.now().getTime(),
        includeInternal: true,
      })
    : undefined
  if (found && !found.ok)
    throw validationError(
      found.problems.map((problem) => ({
        field: 'q',
        problem: problem.code,
        params: { term: problem.term, hint: problem.hint ?? '' },
      })),
    )
  const rows = await createApiRepository(deps).listBoards({
    search: found?.search,
    workspaceId: caller.workspace.id,
    status: query.status,
    dedupeKey: query.dedupe_key,
    updatedSince: query.updated_since ? Date.parse(query.updated_since) : undefined,
    nextContactBefore: query.next_contact_before,
    cursor: query.cursor ? decodeApiCursor(query.cursor) : undefined,
    limit: query.limit + 1,
  })
  const boards = rows.slice(0, query.limit)
  const last = boards.at(-1)
  return {
    boards,
    nextCursor: rows.length > query.limit && last ? encodeCursor([last.updated_at, last.id]) : null,
  }
}

/**
 * The name a staff message posted through the API shows the customer: the member with
 * `authorEmail` (a member of this workspace, else 422 on `field`), or the shop's own name.
 * Never the API key's name (keys are named for the shop's own bookkeeping).
 */
export async function apiAuthor(
  deps: Deps,
  workspace: Workspace,
  authorEmail: string | undefined,
  field = 'author_email',
): Promise<StaffAuthor> {
  if (authorEmail === undefined) return { kind: 'api', memberId: null, name: workspace.name }
  const member = await deps.db
    .selectFrom('members')
    .select(['id', 'name'])
    .where('workspace_id', '=', workspace.id)
    .where('email', '=', authorEmail)
    .executeTakeFirst()
  if (!member) throw validationError([{ field, problem: 'field.unknown_member' }])
  // The member's name only: the post does not count as the member having read the board.
  return { kind: 'api', memberId: null, name: member.name }
}

export async function updateBoardFromApi({
  deps,
  caller,
  boardId,
  input,
}: {
  deps: Deps
  caller: ApiCaller
  boardId: string
  input: ApiUpdateBoardInput
}) {
  const { workspace } = caller
  if (Object.keys(input).length === 0)
    throw validationError([{ field: 'body', problem: 'field.required' }])
  if (input.closed !== undefined && input.status) {
    throw validationError([{ field: 'closed', problem: 'field.conflict' }])
  }
  const current = await getBoard({ deps, workspace, boardId })
  const status = input.closed !== undefined ? statusWhenClosed(current, input.closed) : input.status
  const category =
    input.category === undefined
      ? undefined
      : ((await categoryFor({ deps, workspace, value: input.category, by: 'name' }))?.id ?? 'none')
  // tags: the set the board should have, as changes (and a board.tags_changed) in the batch
  let tagStatements: Compilable[] = []
  if (input.tags !== undefined) {
    const wanted = cleanTagNames(input.tags, 'tags')
    const has = await tagsOfBoard(deps, workspace.id, current.id)
    tagStatements = (
      await tagChangeStatements({
        deps,
        workspace,
        boardIds: [current.id],
        add: wanted,
        remove: has.filter((tag) => !wanted.some((w) => w.key === tag.key)),
        now: deps.clock.now().getTime(),
      })
    ).statements
  }
  // Corrected details and the rest commit in one batch: a system line per real change.
  const details = changedDetails(current, input)
  const also =
    Object.keys(details).length > 0
      ? detailStatements({
          deps,
          workspace,
          board: current,
          changes: details,
          actor: { kind: 'api', memberId: null, name: caller.apiKey.name },
          audit: { ip: null },
        })
      : []
  return updateBoard({
    deps,
    workspace,
    boardId: current.id,
    input: {
      status,
      next_contact_on: input.next_contact_on,
      next_contact_time: input.next_contact_time,
      expires_at: input.expires_at ? Date.parse(input.expires_at) : undefined,
      // "me" and "none" are the side panel's words; the API names a member or null
      assignee:
        input.assignee_id === undefined
          ? undefined
          : input.assignee_id === null
            ? 'none'
            : input.assignee_id === 'me' || input.assignee_id === 'none'
              ? '\u0000'
              : input.assignee_id,
      category,
    },
    actor: { kind: 'api', name: caller.apiKey.name },
    alsoWrite: [...also, ...tagStatements],
  })
}

export async function listMessagesForApi({
  deps,
  caller,
  boardId,
  afterSeq,
  limit,
}: {
  deps: Deps
  caller: ApiCaller
  boardId: string
  afterSeq?: number
  limit: number
}) {
  const board = await getBoard({ deps, workspace: caller.workspace, boardId })
  const rows = await createMessagesRepository(deps).listForBoard(board.id, { afterSeq })
  const messages = rows.slice(0, limit)
  return { messages, nextAfterSeq: rows.length > limit ? (messages.at(-1)?.seq ?? null) : null }
}

/**
 * A staff message in a member's name (`author_email`) or the shop's: the same rules and emails
 * as the composer. Under an
 * Idempotency-Key the post's batch carries the key's commit record, and a retry whose first
 * attempt committed (then died) gets that message back instead of posting again.
 */
export async function postMessageFromApi({
  deps,
  caller,
  boardId,
  input,
  idempotency,
}: {
  deps: Deps
  caller: ApiCaller
  boardId: string
  input: ApiPostMessageInput
  idempotency?: IdempotentRun
}): Promise<{ message: MessageRow; board: BoardRow }> {
  const resumed = idempotency?.resume?.messageId
  if (resumed) {
    const board = await getBoard({ deps, workspace: caller.workspace, boardId })
    const message = await createMessagesRepository(deps).findById(caller.workspace.id, resumed)
    if (!message || message.board_id !== board.id) throw notFound()
    return { message, board }
  }
  const messageId = deps.ids.id()
  return postStaffMessage({
    messageId,
    claim: idempotency ? idempotency.commit(boardId, messageId) : undefined,
    deps,
    workspace: caller.workspace,
    author: await apiAuthor(deps, caller.workspace, input.author_email),
    boardId,
    input: {
      body: input.body,
      internal: input.internal,
      template_id: input.template,
      decides_no: input.decides_no,
      silent: !input.notify,
      ...nextContactFields(
        deps,
        caller.workspace,
        input.body,
        input,
        await calendarFor({ deps, workspace: caller.workspace, text: input.body }),
      ),
    },
  })
}

/**
 * The composer's rule for the next contact date: a date given is used as it is, `null` sets
 * none, and without one the date the text promises ("12月5日までにお送りします") is taken.
 */
function nextContactFields(
  deps: Deps,
  workspace: Workspace,
  body: string,
  given: { next_contact_on?: string | null; next_contact_time?: string },
  calendar: BusinessHours,
) {
  if (given.next_contact_on === null) return {}
  if (given.next_contact_on)
    return { next_contact_on: given.next_contact_on, next_contact_time: given.next_contact_time }
  const found = readNextContact({ body, workspace, now: deps.clock.now(), calendar })
  if (!found) return {}
  return {
    next_contact_on: found.date,
    next_contact_time: found.time,
    next_contact_phrase: found.text.slice(0, 200),
  }
}
