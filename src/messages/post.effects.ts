// The registry of post effects: every statement a post adds to its batch besides the message
// itself. See messages.post.ts for how an effect is written and registered; the order here is
// the order of the batch (and of the ids drawn), so append new effects at the end.
import { createBoardsRepository } from '../boards/boards.repository'
import { attachFilesEffect } from '../attachments/attachments.usecases'
import { postEmailsEffect } from '../notifications/notifications.effects'
import { postWebhooksEffect } from '../webhooks/webhooks.effects'
import { autoAnswerEffect } from '../auto-answers/auto-answers.usecases'
import { closedAtEffect, statisticsEffect } from '../statistics/statistics.effects'
import { sha256Hex } from '../shared/crypto'
import type { PostEffect } from './messages.post'
import { createMessagesRepository } from './messages.repository'
import { indexMessageStatements } from '../search/search.index'
import { mentionsEffect } from '../mentions/mentions.effects'
import { noteTagsEffect } from '../tags/tags.usecases'

/** A member who posts has read the board up to their own message. */
const readPositionEffect: PostEffect = {
  name: 'read-position',
  statements: ({ deps, board, message }) =>
    message.authorMemberId
      ? [createBoardsRepository(deps).markRead(message.authorMemberId, board.id, message.now)]
      : [],
}

/** A decision freezes what was decided: the decided message's text and hash at this moment. */
const decisionRecordEffect: PostEffect = {
  name: 'decision-record',
  statements: async ({ deps, workspace, board, message, decided }) =>
    decided?.no
      ? [
          createMessagesRepository(deps).decisionQuery({
            id: deps.ids.id(),
            workspaceId: workspace.id,
            boardId: board.id,
            decisionNo: decided.no,
            decidedMessageId: decided.id,
            decidedBody: decided.body,
            decidedSha256: await sha256Hex(decided.body),
            confirmingMessageId: message.id,
            memberId: message.authorMemberId,
            memberName: message.authorName,
            now: message.now,
          }),
        ]
      : [],
}

/** The message's text goes into the search index with the message itself (issue #17). */
const searchIndexEffect: PostEffect = {
  name: 'search-index',
  statements: ({ deps, message }) => indexMessageStatements(deps.db, message.id, message.body),
}

export const POST_EFFECTS: readonly PostEffect[] = [
  readPositionEffect,
  decisionRecordEffect,
  attachFilesEffect,
  postEmailsEffect,
  postWebhooksEffect,
  autoAnswerEffect,
  statisticsEffect,
  closedAtEffect,
  searchIndexEffect,
  mentionsEffect,
  noteTagsEffect,
]
