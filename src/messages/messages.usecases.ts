import { reindexMessageStatement } from '../search/search.index'
import type { Compilable } from 'kysely'
import type { BoardRow, MessageRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { getBoard } from '../boards/boards.usecases'
import type { StatusEvent } from '../boards/boards.rules'
import { forbidden, notFound, validationError } from '../shared/errors'
import { fillableNames, unfilledPlaceholders } from '../templates/templates.fill'
import { createTemplatesRepository } from '../templates/templates.repository'
import { createMessagesRepository } from './messages.repository'
import { writePost } from './messages.post'
import { calendarFor, rereadNextContact } from '../next-contact/next-contact.usecases'
import type { PostMessageInput } from './messages.schemas'
import { auditStatement, type AuditEntry } from '../team/audit'
import { mentionsEffect } from '../mentions/mentions.effects'
import { noteTagsEffect } from '../tags/tags.usecases'
import { tagsInNote } from '../tags/tags.rules'
import { startSending } from '../notifications/notifications.effects'

export interface StaffAuthor {
  kind: 'member' | 'api'
  memberId: string | null
  name: string
}

/**
 * A member (or an API key in a member's name) posts to a board: checks the placeholders, the
 * template and the decided number, then writes through the post pipeline (writePost), so an
 * acknowledged post always comes with its notifications and never half of it.
 */
export async function postStaffMessage({
  deps,
  workspace,
  author,
  boardId,
  input,
  claim,
  messageId = deps.ids.id(),
}: {
  deps: Deps
  workspace: Workspace
  author: StaffAuthor
  boardId: string
  input: PostMessageInput
  /** statements that fail on a repeat (unique key), run in the same batch: post at most once */
  claim?: Compilable | Compilable[]
  /** the new message's id, when a claim must name it (default: a fresh one) */
  messageId?: string
}): Promise<{ message: MessageRow; board: BoardRow }> {
  const board = await getBoard({ deps, workspace, boardId })
  const unfilled = unfilledPlaceholders(
    input.body,
    fillableNames({
      customerName: board.customer_name,
      boardName: board.name,
      workspaceName: workspace.name,
      authorName: author.name,
    }),
  )
  if (unfilled.length > 0) {
    throw validationError([
      { field: 'body', problem: 'field.unfilled', params: { fields: unfilled.join(' ') } },
    ])
  }

  const template = input.template_id
    ? await createTemplatesRepository(deps).findTemplate(workspace.id, input.template_id)
    : undefined
  if (input.template_id && !template) {
    throw validationError([{ field: 'template_id', problem: 'field.invalid_choice' }])
  }

  const messages = createMessagesRepository(deps)
  const decided =
    input.decides_no && !input.internal
      ? await messages.findByNo(board.id, input.decides_no)
      : undefined
  if (input.decides_no && !input.internal && !decided) {
    throw validationError([{ field: 'decides_no', problem: 'field.not_public_message' }])
  }

  const now = deps.clock.now().getTime()
  const event: StatusEvent = input.internal
    ? { kind: 'internal_note' }
    : decided
      ? { kind: 'decision' }
      : { kind: 'staff_post', templateStatus: template?.status ?? null }
  return writePost({
    deps,
    workspace,
    board,
    message: {
      id: messageId,
      workspaceId: workspace.id,
      boardId: board.id,
      internal: input.internal,
      authorKind: author.kind,
      authorMemberId: author.memberId,
      authorName: author.name,
      body: input.body,
      decidesNo: decided?.no ?? null,
      nextContactPhrase: input.next_contact_on ? (input.next_contact_phrase ?? null) : null,
      nextContactOn: input.next_contact_on ?? null,
      nextContactTime: input.next_contact_on ? (input.next_contact_time ?? null) : null,
      notifyGuest: !input.internal && !input.silent,
      now,
    },
    event,
    decided: decided ?? null,
    attachmentIds: input.attachment_ids,
    claim,
  })
}

/** Members correct their own side's messages; a decided message then shows it changed. */
/**
 * A member edits a staff message's text (the customer's own posts can't be edited). When the
 * message is part of a decision (the decided message or the one confirming it) and its text
 * changes, the audit log records it in the same batch as `board.decision_edited`, with who and
 * from where (`audit`). Errors: 404 for a message of another board or workspace, 403 for a
 * customer's post, 422 for unfilled placeholders.
 */
export async function editStaffMessage({
  deps,
  workspace,
  boardId,
  messageId,
  body,
  audit,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
  messageId: string
  body: string
  /** the editing member and their address, for the audit entry of an edited decision */
  audit?: Pick<AuditEntry, 'actor' | 'ip'>
}) {
  const messages = createMessagesRepository(deps)
  const existing = await messages.findById(workspace.id, messageId)
  if (!existing || existing.board_id !== boardId) throw notFound()
  if (existing.author_kind === 'guest') throw forbidden()
  const board = await getBoard({ deps, workspace, boardId })
  const unfilled = unfilledPlaceholders(
    body,
    fillableNames({
      customerName: board.customer_name,
      boardName: board.name,
      workspaceName: workspace.name,
      authorName: existing.author_name,
    }),
  )
  if (unfilled.length > 0) {
    throw validationError([
      { field: 'body', problem: 'field.unfilled', params: { fields: unfilled.join(' ') } },
    ])
  }
  // The date follows the text (#22): read again as the composer would have read it.
  const reread = rereadNextContact({
    message: existing,
    body,
    workspace,
    calendar: await calendarFor({ deps, workspace, text: `${existing.body}\n${body}` }),
  })
  const decisions =
    audit && body !== existing.body
      ? await deps.db
          .selectFrom('decisions')
          .select(['decision_no', 'decided_message_id'])
          .where('workspace_id', '=', workspace.id)
          .where('board_id', '=', boardId)
          .where((eb) =>
            eb.or([
              eb('decided_message_id', '=', messageId),
              eb('confirming_message_id', '=', messageId),
            ]),
          )
          .orderBy('decided_at', 'desc')
          .execute()
      : []
  const decision = decisions[0]
  const now = deps.clock.now().getTime()
  const noteEffects = await noteEditStatements(deps, workspace, board, existing, body, now)
  const [edit] = await deps.batch([
    ...messages.updateBodyQueries(
      workspace.id,
      boardId,
      messageId,
      body,
      now,
      reread
        ? {
            ...reread,
            was: {
              on: existing.next_contact_on,
              time: existing.next_contact_time,
              seq: existing.seq,
            },
          }
        : undefined,
    ),
    reindexMessageStatement(deps.db, messageId, body),
    ...(decision && audit
      ? [
          auditStatement(deps, {
            workspaceId: workspace.id,
            ...audit,
            action: 'board.decision_edited',
            target: existing.no === null ? board.name : `${board.name} No.${existing.no}`,
            detail: {
              decision_no: decision.decision_no,
              message: decision.decided_message_id === messageId ? 'decided' : 'confirming',
            },
          }),
        ]
      : []),
    ...noteEffects,
  ])
  const updated = edit?.rows[0] as MessageRow | undefined
  if (!updated) throw notFound()
  if (noteEffects.length > 0) startSending(deps)
  return updated
}

/**
 * An internal note is read again when edited, as it was when posted (issue #17): members
 * mentioned for the first time are notified (a member already mentioned in it is not, again:
 * the mention rows and their emails are keyed by note and member), and #tags written for the
 * first time are put on the board (a tag someone took off since stays off). Statements for the
 * edit's batch; none for a public message.
 */
async function noteEditStatements(
  deps: Deps,
  workspace: Workspace,
  board: BoardRow,
  existing: MessageRow,
  body: string,
  now: number,
): Promise<Compilable[]> {
  if (!existing.internal || existing.author_kind === 'guest' || body === existing.body) return []
  const message = {
    id: existing.id,
    workspaceId: workspace.id,
    boardId: board.id,
    internal: true,
    authorKind: existing.author_kind,
    authorMemberId: existing.author_member_id,
    authorName: existing.author_name,
    body,
    decidesNo: null,
    nextContactPhrase: null,
    nextContactOn: null,
    nextContactTime: null,
    notifyGuest: false,
    now,
  }
  const post = {
    deps,
    workspace,
    board,
    message,
    statusAfter: board.status,
    decided: null,
    attachmentIds: undefined,
  }
  const before = new Set(tagsInNote(existing.body).map((tag) => tag.key))
  const newTags = tagsInNote(body).filter((tag) => !before.has(tag.key))
  return [
    ...(await mentionsEffect.statements(post)),
    ...(newTags.length > 0
      ? await noteTagsEffect.statements({
          ...post,
          message: { ...message, body: newTags.map((tag) => `#${tag.name}`).join(' ') },
        })
      : []),
  ]
}
