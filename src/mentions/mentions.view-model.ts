// What the mentions page and the composer's mention list show, mapped once from their rows
// (snake_case) so the views only render.
import type { Member } from '../db/schema'

/** One note that mentions the signed-in member (views/mentions/page.tsx). */
export interface MentionItem {
  id: string
  /** epoch ms the note mentioned them */
  createdAt: number
  /** not opened yet */
  unread: boolean
  boardId: string
  boardName: string
  customerName: string
  /** the note's message sequence (its anchor on the board) */
  seq: number
  body: string
  authorName: string
}

/** Maps a mention row (mentions repository `listForMember`). */
export function toMentionItem(row: {
  id: string
  created_at: number
  read_at: number | null
  board_id: string
  board_name: string
  customer_name: string
  seq: number
  body: string
  author_name: string
}): MentionItem {
  return {
    id: row.id,
    createdAt: row.created_at,
    unread: row.read_at === null,
    boardId: row.board_id,
    boardName: row.board_name,
    customerName: row.customer_name,
    seq: row.seq,
    body: row.body,
    authorName: row.author_name,
  }
}

/** A member the board page offers (担当者, `@` mentions with their フリガナ). */
export interface BoardMember {
  id: string
  name: string
  email: string
  /** フリガナ, or null */
  nameKana: string | null
}

/** Maps the workspace's member rows for the board page (in their order). */
export function toBoardMembers(
  rows: Pick<Member, 'id' | 'name' | 'email' | 'name_kana'>[],
): BoardMember[] {
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    email: row.email,
    nameKana: row.name_kana,
  }))
}
