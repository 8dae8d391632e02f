import type { BoardRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { isExpired } from '../boards/boards.rules'
import { customerMessage, writePost } from '../messages/messages.post'
import { hitRateLimit } from '../shared/rate-limit'
import { tooManyRequests } from '../shared/errors'
import {
  GuestLinkReplacedError,
  guestBoardClosed,
  guestBoardExpired,
  guestNotFound,
} from './guest.errors'
import { guestBoardTokens, isReplacedGuestCredential, isValidGuestSecret } from './guest.link'
import { timingSafeEqual } from '../shared/crypto'
import { createGuestRepository, type GuestMessage } from './guest.repository'
import type { GuestMessageInput } from './guest.schemas'

/** Link opens per client address and window: far above a real customer, far below guessing. */
export const GUEST_LINK_LIMIT = { limit: 20, windowMs: 10 * 60 * 1000 }

export interface GuestAccess {
  board: BoardRow
  workspace: Workspace
}

async function loadAccess(deps: Deps, boardId: string): Promise<GuestAccess | undefined> {
  const repository = createGuestRepository(deps)
  const board = await repository.findBoard(boardId)
  if (!board) return undefined
  const workspace = await repository.findWorkspace(board.workspace_id)
  return workspace ? { board, workspace } : undefined
}

async function throttle(deps: Deps, clientKey: string) {
  const { allowed, retryAfterSeconds } = await hitRateLimit(deps, {
    key: `guest-link:${clientKey}`,
    ...GUEST_LINK_LIMIT,
  })
  if (!allowed) throw tooManyRequests(retryAfterSeconds)
}

/**
 * The customer opens the link from an email. Every open counts against the client's budget
 * (before the secret is even looked at), so guessing is throttled whatever the answer.
 * Returns the cookie that stands in for the link from now on. A link a member has since
 * replaced throws GuestLinkReplacedError (410, the shop's contact); any other wrong one is 404.
 */
export async function openGuestLink({
  deps,
  boardId,
  secret,
  clientKey,
}: {
  deps: Deps
  boardId: string
  secret: string
  clientKey: string
}): Promise<GuestAccess & { cookie: string }> {
  await throttle(deps, clientKey)
  const access = await loadAccess(deps, boardId)
  if (!access) throw guestNotFound()
  if (!(await isValidGuestSecret(deps.config, access.board, secret))) {
    if (await isReplacedGuestCredential(deps.config, access.board, { secret }))
      throw new GuestLinkReplacedError(access.workspace)
    throw guestNotFound()
  }
  return { ...access, cookie: (await guestBoardTokens(deps.config, access.board)).cookie }
}

/**
 * The customer comes back with the board cookie. A missing cookie answers 404 without touching
 * the database; a wrong one (forged, another board's, revoked) counts as a guess. A cookie of a
 * link a member has since replaced throws GuestLinkReplacedError (410, the shop's contact).
 */
export async function resolveGuest({
  deps,
  boardId,
  cookie,
  clientKey,
}: {
  deps: Deps
  boardId: string
  cookie: string | undefined
  clientKey: string
}): Promise<GuestAccess & { csrfToken: string }> {
  if (!cookie) throw guestNotFound()
  const access = await loadAccess(deps, boardId)
  const tokens = access && (await guestBoardTokens(deps.config, access.board))
  if (!access || !tokens || !timingSafeEqual(cookie, tokens.cookie)) {
    await throttle(deps, clientKey)
    if (access && (await isReplacedGuestCredential(deps.config, access.board, { cookie })))
      throw new GuestLinkReplacedError(access.workspace)
    throw guestNotFound()
  }
  return { ...access, csrfToken: tokens.csrfToken }
}

export function guestBoardState(board: BoardRow, now: number): 'open' | 'closed' | 'expired' {
  if (isExpired(board.expires_at, now)) return 'expired'
  return board.status === 'closed' ? 'closed' : 'open'
}

/** How long a page view that shows nothing new leaves the recorded visit time as it is. */
export const GUEST_VISIT_INTERVAL_MS = 60_000

/**
 * Moves the read receipt up to `upToNo` and records the visit. A view that shows nothing new
 * within a minute of the recorded visit writes nothing (the staff side shows the visit to the
 * minute). The write is relaxed: a receipt lost to a power cut is only a hint lost, and waiting
 * for fsync on every page view was the largest part of answering one.
 */
async function recordGuestRead(deps: Deps, access: GuestAccess, upToNo: number) {
  const { board, workspace } = access
  const now = deps.clock.now().getTime()
  const moves = upToNo > board.guest_read_no
  const stale = board.guest_read_at === null || now - board.guest_read_at >= GUEST_VISIT_INTERVAL_MS
  if (!moves && !stale) return
  await deps.batch(
    [createGuestRepository(deps).markGuestReadQuery(workspace.id, board.id, upToNo, now)],
    { relaxed: true },
  )
}

/**
 * The customer's view of the thread: public messages after `afterNo`. When it shows anything
 * new (or on a fresh open), the read receipt moves up to the last number shown.
 */
export async function readGuestThread({
  deps,
  access,
  afterNo = 0,
  fresh,
}: {
  deps: Deps
  access: GuestAccess
  afterNo?: number
  /** a page open (not a poll): records the visit even when nothing is new */
  fresh: boolean
}): Promise<GuestMessage[]> {
  const messages = await createGuestRepository(deps).listPublicMessages(access.board.id, afterNo)
  const lastNo = messages.at(-1)?.no
  if (fresh || lastNo !== undefined) await recordGuestRead(deps, access, lastNo ?? afterNo)
  return messages
}

/**
 * A page open: the whole public thread, or — when the page already keeps its markup (`kept`) —
 * nothing loaded at all: the kept thread is every public message up to the board's `last_no`
 * (public numbers are never taken back). Records the visit either way.
 */
export async function openGuestThread({
  deps,
  access,
  kept,
}: {
  deps: Deps
  access: GuestAccess
  kept: boolean
}): Promise<{ messages: GuestMessage[] | null; lastNo: number }> {
  if (kept) {
    await recordGuestRead(deps, access, access.board.last_no)
    return { messages: null, lastNo: access.board.last_no }
  }
  const messages = await readGuestThread({ deps, access, fresh: true })
  return { messages, lastNo: messages.at(-1)?.no ?? 0 }
}

/**
 * The customer posts (from the page or an email reply), through the post pipeline (writePost):
 * one batch writes the message, the board's counters, status (→ replied unless closed), expiry
 * and markers, and the members' notification rows, so an acknowledged post always comes with
 * its notifications.
 */
export async function postGuestMessage({
  deps,
  access,
  input,
}: {
  deps: Deps
  access: GuestAccess
  input: GuestMessageInput
}): Promise<{ message: GuestMessage; board: BoardRow }> {
  const { board, workspace } = access
  const now = deps.clock.now().getTime()
  const state = guestBoardState(board, now)
  if (state === 'expired') throw guestBoardExpired()
  if (state === 'closed') throw guestBoardClosed()

  const repository = createGuestRepository(deps)
  const messageId = deps.ids.id()
  let posted: { message: { id: string } }
  try {
    posted = await writePost({
      deps,
      workspace,
      board,
      // The form's per-submit key, in the post's batch: a repeat of this submit fails whole.
      claim: input.submit_key
        ? repository.submissionQuery(board.id, input.submit_key, messageId, now)
        : undefined,
      message: customerMessage({
        id: messageId,
        workspaceId: workspace.id,
        boardId: board.id,
        authorName: board.customer_name,
        body: input.body,
        now,
      }),
      event: { kind: 'guest_post' },
      attachmentIds: input.attachment_ids,
    })
  } catch (error) {
    // This very submit was posted already (a double tap, a resend after a timeout or a
    // crash): answer as the first one did, with its message.
    const earlier = input.submit_key
      ? await repository.findSubmission(board.id, input.submit_key)
      : undefined
    if (earlier) posted = { message: { id: earlier.message_id } }
    else return rethrowGuestPostError(deps, board.id, now, error)
  }
  const message = posted.message

  const [saved, updated] = await Promise.all([
    repository.findPublicMessage(board.id, message.id),
    repository.findBoard(board.id),
  ])
  if (!saved || !updated) throw new Error('posted guest message vanished')
  return { message: saved, board: updated }
}

async function rethrowGuestPostError(
  deps: Deps,
  boardId: string,
  now: number,
  error: unknown,
): Promise<never> {
  // The board closed or expired between the check above and the write (see guestPostAt).
  const current = await createGuestRepository(deps).findBoard(boardId)
  if (current && guestBoardState(current, now) === 'closed') throw guestBoardClosed()
  if (current && guestBoardState(current, now) === 'expired') throw guestBoardExpired()
  throw error
}

/** A member revokes the customer's link (and every cookie it gave out) and gets a new one. */
export async function reissueGuestLink({
  deps,
  workspace,
  boardId,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
}): Promise<BoardRow> {
  const board = await createGuestRepository(deps).reissueLink(
    workspace.id,
    boardId,
    deps.clock.now().getTime(),
  )
  if (!board) throw guestNotFound()
  return board
}
