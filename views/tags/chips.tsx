import type { Translate } from '../../src/shared/i18n'
import { isTagColour, type TagChip } from '../../src/tags/tags.rules'

export type { TagChip }

/** A board's tags and category, as small labels (list rows, the board's head). */
export function TagChips(props: { t: Translate; tags: TagChip[]; category?: string | null }) {
  const { t } = props
  if (props.tags.length === 0 && !props.category) return null
  return (
    <span class="tag-chips">
      {props.category ? (
        <span class="category-chip">
          <span class="sr-only">{t('board.category')}: </span>
          <bdi>{props.category}</bdi>
        </span>
      ) : null}
      {props.tags.map((tag) => (
        <span class={`tag-chip tag-${isTagColour(tag.colour) ? tag.colour : 'grey'}`}>
          #<bdi>{tag.name}</bdi>
        </span>
      ))}
    </span>
  )
}
