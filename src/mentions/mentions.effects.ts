import type { PostEffect } from '../messages/messages.post'
import { createMentionsRepository } from './mentions.repository'
import { mentionedMemberIds } from './mentions.rules'

/**
 * Post effect (issue #17): an internal note's mentions — one row per member mentioned (not the
 * author), and their email (outbox, `notify_mention`) — in the note's own batch. Public
 * messages and customer posts never mention anyone: a mention never reaches the customer. The
 * members are read only for a note with an `@` in it.
 */
export const mentionsEffect: PostEffect = {
  name: 'mentions',
  statements: async ({ deps, workspace, board, message }) => {
    if (!message.internal || message.authorKind === 'guest' || !message.body.includes('@'))
      return []
    const repository = createMentionsRepository(deps)
    const members = await repository.mentionable(workspace.id)
    const memberIds = mentionedMemberIds(message.body, members).filter(
      (id) => id !== message.authorMemberId,
    )
    if (memberIds.length === 0) return []
    return repository.insertQueries({
      ids: () => deps.ids.id(),
      workspaceId: workspace.id,
      boardId: board.id,
      messageId: message.id,
      memberIds,
      author: { memberId: message.authorMemberId, name: message.authorName },
      now: message.now,
    })
  },
  startsSending: true,
}
