import type { Deps } from '../deps'
import type { BoardRow, Workspace } from '../db/schema'
import { postGuestMessage, guestBoardState } from '../guest/guest.usecases'
import { guestMessageSchema } from '../guest/guest.schemas'
import { LIMITS } from '../boards/boards.schemas'
import { drainOutbox } from '../notifications/outbox'
import { outboxHandlers } from '../notifications/outbox.handlers'
import { isMessageId, messageIdHost } from '../notifications/mail-headers'
import { MAX_ATTACHMENTS_PER_MESSAGE } from '../attachments/attachments.rules'
import { email as emailAddress, parseInput, withoutBidiControls } from '../shared/validation'
import { sha256Hex, toHex } from '../shared/crypto'
import { isValidReplySecret, ourThreadIds, parseReplyAddress } from './inbound.address'
import { INBOUND_ANSWER_KIND, inboundAnswerKey, type InboundAnswerPayload } from './inbound.answer'
import { parseInboundEmail, type InboundEmail } from './inbound.parse'
import { stripReply } from './inbound.strip'

export type InboundOutcome =
  'posted' | 'duplicate' | 'skipped_auto' | 'unknown_board' | 'expired' | 'closed' | 'empty'

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
  email: InboundEmail,
): Promise<{ board: BoardRow; workspace: Workspace } | undefined> {
  const load = async (boardId: string) => {
    const board = await deps.db
      .selectFrom('boards')
      .selectAll()
      .where('id', '=', boardId)
      .executeTakeFirst()
    if (!board) return undefined
    const workspace = await deps.db
      .selectFrom('workspaces')
      .selectAll()
      .where('id', '=', board.workspace_id)
      .executeTakeFirst()
    return workspace ? { board, workspace } : undefined
  }
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
  const candidates = [...boardIds]
  if (messageIds.length > 0) {
    const rows = await deps.db
      .selectFrom('messages')
      .select('board_id')
      .where('id', 'in', messageIds)
      .execute()
    candidates.unshift(...rows.map((row) => row.board_id))
  }
  for (const boardId of new Set(candidates)) {
    const found = await load(boardId)
    if (found && email.from && found.board.customer_email.toLowerCase() === email.from) return found
  }
  return undefined
}

/** Stores the email's files like customer uploads (blob + pending attachment rows). */
async function storeAttachments(
  deps: Deps,
  email: InboundEmail,
  board: BoardRow,
): Promise<string[]> {
  const ids: string[] = []
  const now = deps.clock.now().getTime()
  for (const file of email.attachments.slice(0, MAX_ATTACHMENTS_PER_MESSAGE)) {
    if (file.content.byteLength === 0) continue
    const id = deps.ids.id()
    const blobKey = `att/${board.workspace_id}/${id}`
    const bytes = new Uint8Array(file.content)
    await deps.blobs.put(blobKey, bytes)
    await deps.db
      .insertInto('attachments')
      .values({
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
      .execute()
    ids.push(id)
  }
  return ids
}

async function queueAnswer(
  deps: Deps,
  email: InboundEmail,
  messageId: string,
  payload: Omit<InboundAnswerPayload, 'to' | 'inReplyTo'>,
  workspaceId: string | null,
) {
  // Never answer a robot or ourselves: that is how mail loops start.
  if (!email.from || email.autoSubmitted) return
  if (deps.config.inboundDomain && email.from.endsWith(`@${deps.config.inboundDomain}`)) return
  const now = deps.clock.now().getTime()
  const full: InboundAnswerPayload = {
    ...payload,
    to: email.from,
    inReplyTo: isMessageId(`<${messageId}>`) ? `<${messageId}>` : null,
  }
  await deps.db
    .insertInto('outbox')
    .values({
      id: deps.ids.id(),
      // the outbox needs a workspace; mail to no board belongs to none
      workspace_id: workspaceId ?? '',
      kind: INBOUND_ANSWER_KIND,
      idempotency_key: inboundAnswerKey(messageId),
      board_id: null,
      message_id: null,
      payload: JSON.stringify(full),
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      created_at: now,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .execute()
  deps.defer(() => drainOutbox({ deps, handlers: outboxHandlers }))
}

/**
 * One inbound email, from any entry (Resend webhook, raw MIME, the dev mailbox). Robots are
 * recorded and dropped; mail to no board, or to one that no longer takes replies, gets one
 * polite automatic answer; anything else is posted as the customer, with every rule of a
 * customer post. A Message-ID is claimed before anything happens, so redelivery posts nothing.
 */
export async function receiveInboundEmail({
  deps,
  raw,
}: {
  deps: Deps
  raw: string | Uint8Array | ArrayBuffer
}): Promise<InboundResult> {
  const parsed = await parseInboundEmail(raw)
  // A sender address a mail server would refuse (the rule the form and the API apply) can be
  // neither a board's customer nor the recipient of an answer.
  const email: InboundEmail = {
    ...parsed,
    from: emailAddress.safeParse(parsed.from).success ? parsed.from : undefined,
  }
  const bytes = typeof raw === 'string' ? new TextEncoder().encode(raw) : new Uint8Array(raw)
  // Without a Message-ID the content itself is the identity, so a resend is still one email.
  const messageId = (email.messageId ?? `sha256.${await sha256Hex(bytes)}@inbound.invalid`).slice(
    0,
    250,
  )
  const now = deps.clock.now().getTime()

  const claimed = await deps.db
    .insertInto('inbound_emails')
    .values({
      message_id: messageId,
      from_address: parsed.from?.slice(0, 254) ?? null,
      subject: email.subject.replace(CONTROL, ' ').slice(0, 200),
      outcome: 'processing',
      created_at: now,
    })
    .onConflict((oc) => oc.column('message_id').doNothing())
    .executeTakeFirst()
  if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0)
    return { outcome: 'duplicate', messageId }

  const record = (values: {
    outcome: InboundOutcome
    board?: BoardRow
    postedMessageId?: string
  }) =>
    deps.db
      .updateTable('inbound_emails')
      .set({
        outcome: values.outcome,
        workspace_id: values.board?.workspace_id ?? null,
        board_id: values.board?.id ?? null,
        posted_message_id: values.postedMessageId ?? null,
      })
      .where('message_id', '=', messageId)
      .execute()

  try {
    if (email.autoSubmitted) {
      await record({ outcome: 'skipped_auto' })
      return { outcome: 'skipped_auto', messageId }
    }
    const found = await findBoard(deps, email)
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
    const attachmentIds = await storeAttachments(deps, email, board)
    if (!body && attachmentIds.length > 0) {
      body = email.attachments
        .map((file) => `📎 ${file.filename}`)
        .join('\n')
        .slice(0, LIMITS.messageBody)
    }
    if (!body) {
      await record({ outcome: 'empty', board })
      return { outcome: 'empty', messageId, boardId: board.id }
    }
    const input = parseInput(guestMessageSchema, {
      body,
      attachment_ids: attachmentIds.length > 0 ? attachmentIds : undefined,
    })
    const { message } = await postGuestMessage({ deps, access: { board, workspace }, input })
    await record({ outcome: 'posted', board, postedMessageId: message.id })
    return { outcome: 'posted', messageId, boardId: board.id, postedMessageId: message.id }
  } catch (error) {
    // Give the claim back so the provider's retry can try again.
    await deps.db.deleteFrom('inbound_emails').where('message_id', '=', messageId).execute()
    throw error
  }
}
