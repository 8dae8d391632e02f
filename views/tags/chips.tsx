import type { Translate } from '../../src/shared/i18n'
import { isTagColour } from '../../src/tags/tags.rules'

export interface TagChip {
  name: string
  colour: string
}

/** A board list row's `tag_list` (JSON [[name, colour], …]) as chips, by name. */
export function tagsFromList(tagList: string | null | undefined): TagChip[] {
  if (!tagList) return []
  try {
    const pairs = JSON.parse(tagList) as [string, string][]
    return pairs
      .filter((pair) => Array.isArray(pair) && typeof pair[0] === 'string')
      .map(([name, colour]) => ({ name, colour }))
      .sort((a, b) => a.name.localeCompare(b.name, 'ja'))
  } catch {
    return []
  }
}

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
