import type { Deps } from '../deps'
import type { BoardRow, Workspace } from '../db/schema'
import { postGuestMessage, guestBoardState } from '../guest/guest.usecases'
import { guestMessageSchema } from '../guest/guest.schemas'
import { LIMITS } from '../boards/boards.schemas'
import { drainOutbox } from '../notifications/outbox'
import { outboxHandlers } from '../notifications/outbox.handlers'
import { isMessageId, messageIdHost, parseMailbox } from '../notifications/mail-headers'
import { MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS_PER_MESSAGE } from '../attachments/attachments.rules'
import { email as emailAddress, parseInput, withoutBidiControls } from '../shared/validation'
import { sha256Hex, toHex } from '../shared/crypto'
import { isValidReplySecret, ourThreadIds, parseReplyAddress } from './inbound.address'
import {
  ANSWER_MARKERS,
  INBOUND_ANSWER_KIND,
  inboundAnswerKey,
  type InboundAnswerPayload,
} from './inbound.answer'
import { flagBounced, recordBouncedNotifications } from './inbound.delivery'
import { parseInboundEmail, type InboundAttachment, type InboundEmail } from './inbound.parse'
import { quotesOurAnswer, stripReply } from './inbound.strip'
import { createInboundRepository } from './inbound.repository'

/**
 * What became of one inbound mail (inbound_emails.outcome):
 * posted; duplicate (seen before); auto_reply (an out-of-office, shown on its board as a
 * system line); bounced (a delivery failure of our notification: the board warns);
 * skipped_auto (bulk mail, a bounce of nothing of ours); loop (our own mail came back);
 * unknown_board / expired / closed (not posted, one automatic answer); unreadable (kept raw and
 * shown to members for download).
 */
export type InboundOutcome =
  | 'posted'
  | 'duplicate'
  | 'auto_reply'
  | 'bounced'
  | 'skipped_auto'
  | 'loop'
  | 'unknown_board'
  | 'expired'
  | 'closed'
  | 'unreadable'

export interface InboundResult {
  outcome: InboundOutcome
  messageId: string
  boardId?: string
  postedMessageId?: string
}

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g

/** The board an inbound email answers, found by what the customer cannot forge. */
async function findBoard(
  deps: Deps,
  email: Pick<InboundEmail, 'to' | 'inReplyTo' | 'references' | 'from'>,
): Promise<{ board: BoardRow; workspace: Workspace } | undefined> {
  const inbound = createInboundRepository(deps)
  const load = (boardId: string) => inbound.boardWithWorkspace(boardId)
  // 1. The reply address: its secret dies with the customer's link.
  for (const address of email.to) {
    const parsed = parseReplyAddress(deps.config, address)
    if (!parsed) continue
    const found = await load(parsed.boardId)
    if (found && (await isValidReplySecret(deps.config, found.board, parsed.secret))) return found
  }
  // 2. Threading: our own Message-IDs in In-Reply-To / References. The ids are not secret
  // enough on their own (they travel in every copy of the mail), so the sender must also be the
  // board's customer.
  const { messageIds, boardIds } = ourThreadIds(
    [...email.inReplyTo, ...email.references],
    messageIdHost(deps.config.baseUrl),
  )
  const candidates = [...(await inbound.boardIdsOfMessages(messageIds)), ...boardIds]
  for (const boardId of new Set(candidates)) {
    const found = await load(boardId)
    if (found && email.from && found.board.customer_email.toLowerCase() === email.from) return found
  }
  return undefined
}

/**
 * Stores the email's files like customer uploads (blob + pending attachment rows), under the
 * upload rules: at most MAX_ATTACHMENTS_PER_MESSAGE files of at most MAX_ATTACHMENT_BYTES each.
 * Returns the stored ids and the names of files left out (named in the post so nobody wonders).
 */
async function storeAttachments(
  deps: Deps,
  files: InboundAttachment[],
  board: BoardRow,
): Promise<{ ids: string[]; refused: string[] }> {
  const ids: string[] = []
  const refused: string[] = []
  const now = deps.clock.now().getTime()
  for (const file of files) {
    if (file.content.byteLength === 0) continue
    if (
      ids.length >= MAX_ATTACHMENTS_PER_MESSAGE ||
      file.content.byteLength > MAX_ATTACHMENT_BYTES
    ) {
      refused.push(file.filename)
      continue
    }
    const id = deps.ids.id()
    const blobKey = `att/${board.workspace_id}/${id}`
    const bytes = new Uint8Array(file.content)
    await deps.blobs.put(blobKey, bytes)
    await createInboundRepository(deps).insertAttachment({
      id,
      workspace_id: board.workspace_id,
      board_id: board.id,
      message_id: null,
      // no upload session: the file arrived whole with the email
      upload_id: `inbound:${id}`,
      uploader: 'guest',
      name: (
        withoutBidiControls(file.filename.replace(CONTROL, '')).replace(/[\\/]/g, '_').trim() ||
        'attachment'
      ).slice(0, 200),
      size: bytes.byteLength,
      type: file.contentType.slice(0, 100) || 'application/octet-stream',
      sha256: toHex(await crypto.subtle.digest('SHA-256', bytes)),
      blob_key: blobKey,
      created_at: now,
    })
    ids.push(id)
  }
  return { ids, refused }
}

function ourSenderAddress(deps: Deps): string | undefined {
  try {
    return parseMailbox(deps.config.mailFrom).address.toLowerCase()
  } catch {
    return undefined
  }
}

/**
 * Whether an automatic answer may go to this mail. Never to a robot, never to ourselves, never
 * to a mail that answers our own automatic answer (by its Message-ID, subject or text): that is
 * how mail loops start.
 */
function mayAnswer(deps: Deps, email: InboundEmail): boolean {
  if (!email.from || email.kind !== 'person') return false
  if (email.from === ourSenderAddress(deps)) return false
  if (deps.config.inboundDomain && email.from.endsWith(`@${deps.config.inboundDomain}`))
    return false
  const host = messageIdHost(deps.config.baseUrl)
  const answered = [...email.inReplyTo, ...email.references, ...email.quotedIds]
  if (answered.some((id) => id.startsWith('answer.') && id.endsWith(`@${host}`))) return false
  if (quotesOurAnswer(`${email.subject}\n${email.text}`, ANSWER_MARKERS)) return false
  return true
}

async function queueAnswer(
  deps: Deps,
  email: InboundEmail,
  messageId: string,
  payload: Omit<InboundAnswerPayload, 'to' | 'inReplyTo'>,
  workspaceId: string | null,
) {
  if (!mayAnswer(deps, email) || !email.from) return
  const now = deps.clock.now().getTime()
  const full: InboundAnswerPayload = {
    ...payload,
    to: email.from,
    inReplyTo: isMessageId(`<${messageId}>`) ? `<${messageId}>` : null,
  }
  await createInboundRepository(deps).queueAnswer({
    id: deps.ids.id(),
    // the outbox needs a workspace; mail to no board belongs to none
    workspace_id: workspaceId ?? '',
    kind: INBOUND_ANSWER_KIND,
    // one answer per address per day, whatever arrives
    idempotency_key: inboundAnswerKey(email.from, now),
    board_id: null,
    message_id: null,
    payload: JSON.stringify(full),
    status: 'pending',
    attempts: 0,
    next_attempt_at: now,
    created_at: now,
  })
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
}

/**
 * Our own notifications a mail names in its threading or quoted originals: Message-IDs
 * `notify.<message id>.<recipient>@<our host>` (notifications/mail-headers.ts).
 */
function quotedNotifications(
  deps: Deps,
  email: InboundEmail,
): { messageId: string; recipient: string }[] {
  const host = messageIdHost(deps.config.baseUrl)
  const found = new Map<string, { messageId: string; recipient: string }>()
  for (const id of [...email.quotedIds, ...email.inReplyTo, ...email.references]) {
    const at = id.lastIndexOf('@')
    if (at < 0 || id.slice(at + 1).toLowerCase() !== host) continue
    const match = /^notify\.([A-Za-z0-9_-]{1,100})\.([A-Za-z0-9_-]{1,100})$/.exec(id.slice(0, at))
    if (match?.[1] && match[2]) found.set(id, { messageId: match[1], recipient: match[2] })
  }
  return [...found.values()]
}

/** The raw mail below its own header block (what a bounce quotes, not whom it was sent to). */
function bodyOf(bytes: Uint8Array): Uint8Array {
  for (let i = 0; i + 3 < bytes.length; i++) {
    if (bytes[i] === 10 && (bytes[i + 1] === 10 || (bytes[i + 1] === 13 && bytes[i + 2] === 10)))
      return bytes.subarray(i + 1)
  }
  return new Uint8Array(0)
}

/** Reply addresses written in a raw mail postal-mime could not read. */
function replyAddressesIn(deps: Deps, bytes: Uint8Array): string[] {
  const domain = deps.config.inboundDomain
  if (!domain) return []
  const text = new TextDecoder('latin1').decode(bytes.subarray(0, 256 * 1024)).toLowerCase()
  const escaped = domain.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  return [...text.matchAll(new RegExp(`board\\+[a-z0-9]+\\.[a-z2-7]{26}@${escaped}`, 'g'))].map(
    (match) => match[0],
  )
}

/**
 * One inbound email, from any entry (Resend webhook, raw MIME, the dev mailbox):
 * - a bounce of our notification marks it bounced and warns on its board (never answered);
 * - an out-of-office answer is recorded on its board as a system line (never posted or answered);
 * - bulk mail and our own mail coming back are recorded and dropped;
 * - mail to no board, or to one that no longer takes replies, gets one polite automatic answer
 *   (at most one per address per day);
 * - anything else is posted as the customer, with every rule of a customer post;
 * - a mail that cannot be read or leaves nothing to post is kept raw and shown to members as
 *   unreadable, with a download. Nothing is dropped silently.
 * A Message-ID is claimed before anything happens, so redelivery posts nothing.
 */
export async function receiveInboundEmail({
  deps,
  raw,
}: {
  deps: Deps
  raw: string | Uint8Array | ArrayBuffer
}): Promise<InboundResult> {
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : new Uint8Array(raw)
  let parsed: InboundEmail | undefined
  try {
    parsed = await parseInboundEmail(bytes)
  } catch {
    // unreadable MIME: kept raw below, never dropped
    parsed = undefined
  }
  // A sender address a mail server would refuse (the rule the form and the API apply) can be
  // neither a board's customer nor the recipient of an answer.
  const email: InboundEmail | undefined = parsed && {
    ...parsed,
    from: emailAddress.safeParse(parsed.from).success ? parsed.from : undefined,
  }
  // Without a Message-ID the content itself is the identity, so a resend is still one email.
  const messageId = (email?.messageId ?? `sha256.${await sha256Hex(bytes)}@inbound.invalid`).slice(
    0,
    250,
  )
  const now = deps.clock.now().getTime()

  const inbound = createInboundRepository(deps)
  const claimed = await inbound.claim({
    messageId,
    fromAddress: parsed?.from?.slice(0, 254) ?? null,
    subject: (email?.subject ?? '').replace(CONTROL, ' ').slice(0, 200),
    now,
  })
  if (!claimed) return { outcome: 'duplicate', messageId }

  const record = (values: Parameters<typeof inbound.record>[1]) => inbound.record(messageId, values)

  /** Keeps the raw mail and shows it on the board (when one is known) as unreadable. */
  const keepUnreadable = async (board: BoardRow | undefined): Promise<InboundResult> => {
    const rawKey = `inbound/${board?.workspace_id ?? 'none'}/${deps.ids.id()}`
    await deps.blobs.put(rawKey, bytes)
    await record({ outcome: 'unreadable', board, rawKey })
    return { outcome: 'unreadable', messageId, boardId: board?.id }
  }

  try {
    if (!email) {
      let found: Awaited<ReturnType<typeof findBoard>>
      for (const address of replyAddressesIn(deps, bytes)) {
        found ??= await findBoard(deps, {
          to: [address],
          inReplyTo: [],
          references: [],
          from: undefined,
        })
      }
      return await keepUnreadable(found?.board)
    }
    if (email.kind === 'bounce') {
      let { boardIds } = await recordBouncedNotifications({
        deps,
        notifications: quotedNotifications(deps, email),
      })
      if (boardIds.length === 0) {
        // No Message-ID of ours survived (a carrier that keeps only some headers): the quoted
        // original's Reply-To is the board's reply address, secret and all.
        for (const address of replyAddressesIn(deps, bodyOf(bytes))) {
          const found = await findBoard(deps, {
            to: [address],
            inReplyTo: [],
            references: [],
            from: undefined,
          })
          if (found) boardIds = [found.board.id]
        }
        if (boardIds.length > 0) await flagBounced(deps, boardIds, now).execute()
      }
      const board = boardIds[0] ? await inbound.board(boardIds[0]) : undefined
      await record({ outcome: board ? 'bounced' : 'skipped_auto', board })
      return { outcome: board ? 'bounced' : 'skipped_auto', messageId, boardId: board?.id }
    }
    if (email.from && email.from === ourSenderAddress(deps)) {
      await record({ outcome: 'loop' })
      return { outcome: 'loop', messageId }
    }
    if (email.kind === 'bulk') {
      await record({ outcome: 'skipped_auto' })
      return { outcome: 'skipped_auto', messageId }
    }
    const found = await findBoard(deps, email)
    if (email.kind === 'auto_reply') {
      await record({ outcome: 'auto_reply', board: found?.board })
      return { outcome: 'auto_reply', messageId, boardId: found?.board.id }
    }
    if (!found) {
      await record({ outcome: 'unknown_board' })
      await queueAnswer(
        deps,
        email,
        messageId,
        { reason: 'unknown', locale: null, workspaceName: null, contact: null },
        null,
      )
      return { outcome: 'unknown_board', messageId }
    }
    const { board, workspace } = found
    const state = guestBoardState(board, now)
    if (state !== 'open') {
      await record({ outcome: state, board })
      const contact =
        [workspace.contact_email, workspace.contact_phone].filter(Boolean).join(' / ') || null
      await queueAnswer(
        deps,
        email,
        messageId,
        { reason: state, locale: workspace.locale, workspaceName: workspace.name, contact },
        workspace.id,
      )
      return { outcome: state, messageId, boardId: board.id }
    }

    let body = stripReply(email.text).replace(CONTROL, '').slice(0, LIMITS.messageBody)
    const { ids: attachmentIds, refused } = await storeAttachments(deps, email.attachments, board)
    if (!body && attachmentIds.length > 0) {
      body = email.attachments
        .filter((file) => !refused.includes(file.filename))
        .map((file) => `📎 ${file.filename}`)
        .join('\n')
    }
    if (refused.length > 0 && (body || attachmentIds.length > 0)) {
      const note =
        workspace.locale === 'ja'
          ? '上限を超えるため保存されていません'
          : 'not kept: over the upload limits'
      body = `${body}\n\n${refused.map((name) => `📎 ${name} (${note})`).join('\n')}`.trim()
    }
    body = body.slice(0, LIMITS.messageBody)
    if (!body) return await keepUnreadable(board)
    const input = parseInput(guestMessageSchema, {
      body,
      attachment_ids: attachmentIds.length > 0 ? attachmentIds : undefined,
    })
    const { message } = await postGuestMessage({ deps, access: { board, workspace }, input })
    await record({ outcome: 'posted', board, postedMessageId: message.id })
    return { outcome: 'posted', messageId, boardId: board.id, postedMessageId: message.id }
  } catch (error) {
    // Give the claim back so the provider's retry can try again.
    await inbound.release(messageId)
    throw error
  }
}
