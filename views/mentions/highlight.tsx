import type { Child } from 'hono/jsx'
import { findMentions, type MentionableMember } from '../../src/mentions/mentions.rules'

/**
 * An internal note's text with each `@name` of a workspace member shown as a highlighted name
 * (escaped by JSX like the rest of the text). Other `@…` stay plain text.
 */
export function MentionedText(props: { text: string; members: readonly MentionableMember[] }) {
  const spans = findMentions(props.text, props.members)
  if (spans.length === 0) return <>{props.text}</>
  const parts: Child[] = []
  let at = 0
  for (const span of spans) {
    parts.push(props.text.slice(at, span.start))
    parts.push(
      <mark class="mention" data-member-id={span.memberId}>
        <bdi>{props.text.slice(span.start, span.start + span.length)}</bdi>
      </mark>,
    )
    at = span.start + span.length
  }
  parts.push(props.text.slice(at))
  return <>{parts}</>
}
