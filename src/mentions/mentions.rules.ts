// Mentions in internal notes (issue #17): `@` + a member's display name (as the composer's list
// inserts it) or `@` + their email address. Only this workspace's members can be mentioned, so
// an `@name` of anyone else stays plain text.

/** A member as a mention can name them. */
export interface MentionableMember {
  id: string
  name: string
  email: string
}

/** One `@name` in a text: where it starts (the `@`), its length, and the member. */
export interface MentionSpan {
  start: number
  length: number
  memberId: string
}

/**
 * The mentions in `text`, in order: at each `@`, the longest member name or email that follows
 * (so 「@佐藤 彩」 is 佐藤 彩 even when a member is called 佐藤), never overlapping. Names are
 * matched exactly as written; an empty name never matches.
 */
export function findMentions(text: string, members: readonly MentionableMember[]): MentionSpan[] {
  if (!text.includes('@') || members.length === 0) return []
  const handles = members
    .flatMap((member) =>
      [member.name, member.email]
        .filter((handle) => handle.trim().length > 0)
        .map((handle) => ({ handle, memberId: member.id })),
    )
    .sort((a, b) => b.handle.length - a.handle.length)
  const spans: MentionSpan[] = []
  let at = text.indexOf('@')
  while (at >= 0) {
    const match = handles.find(({ handle }) => text.startsWith(handle, at + 1))
    if (match) {
      spans.push({ start: at, length: match.handle.length + 1, memberId: match.memberId })
      at = text.indexOf('@', at + match.handle.length + 1)
    } else {
      at = text.indexOf('@', at + 1)
    }
  }
  return spans
}

/** The members a text mentions, each once, in order of first mention. */
export function mentionedMemberIds(text: string, members: readonly MentionableMember[]): string[] {
  return [...new Set(findMentions(text, members).map((span) => span.memberId))]
}
