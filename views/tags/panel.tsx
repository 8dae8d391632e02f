import type { BoardView } from '../../src/boards/boards.view-model'
import type { SignedInMember } from '../../src/http'
import type { FieldProblem } from '../../src/shared/errors'
import type { Translate } from '../../src/shared/i18n'
import { CsrfField, FieldError } from '../components'
import { TagChips, type TagChip } from './chips'

export type { TagChip }

interface TagsProps {
  t: Translate
  auth: SignedInMember
  board: Pick<BoardView, 'id' | 'categoryId'>
  tags?: TagChip[]
  tagNames?: string[]
  categories?: { id: string; name: string }[]
  problems?: FieldProblem[]
}

/** The board's category and tags under its title (swapped out of band when they change). */
export function BoardTagsHead(props: TagsProps & { oob?: boolean }) {
  const category = props.categories?.find((c) => c.id === props.board.categoryId)?.name
  return (
    <div id="board-tags-head" class="board-tags" hx-swap-oob={props.oob ? 'true' : undefined}>
      <TagChips t={props.t} tags={props.tags ?? []} category={category} />
    </div>
  )
}

/**
 * The side panel's tags: each with a button that takes it off, and a box that adds one (or
 * several, separated by spaces) with the workspace's tags as suggestions.
 */
export function PanelTags(props: TagsProps) {
  const { t, auth, board } = props
  const url = `/w/${auth.workspace.slug}/boards/${board.id}/tags`
  const tags = props.tags ?? []
  return (
    <section class="panel-tags" aria-labelledby="panel-tags-title">
      <h2 id="panel-tags-title">{t('board.tags')}</h2>
      {tags.length > 0 ? (
        <ul>
          {tags.map((tag) => (
            <li>
              <span class={`tag-chip tag-${tag.colour}`}>
                #<bdi>{tag.name}</bdi>
                <form
                  method="post"
                  action={`${url}/remove`}
                  hx-post={`${url}/remove`}
                  hx-target="#board-panel"
                  hx-swap="outerHTML"
                >
                  <CsrfField token={auth.csrfToken} />
                  <input type="hidden" name="tag" value={tag.name} />
                  <button type="submit" aria-label={t('board.tag_remove', { name: tag.name })}>
                    ×
                  </button>
                </form>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p class="muted small">{t('board.tags_none')}</p>
      )}
      <form
        method="post"
        action={url}
        hx-post={url}
        hx-target="#board-panel"
        hx-swap="outerHTML"
        class="tag-add"
      >
        <CsrfField token={auth.csrfToken} />
        <input
          name="tag"
          list="tag-suggestions"
          maxlength={200}
          autocomplete="off"
          aria-label={t('board.tag_add')}
          placeholder={t('board.tag_placeholder')}
        />
        <datalist id="tag-suggestions">
          {(props.tagNames ?? []).map((name) => (
            <option value={name} />
          ))}
        </datalist>
        <button type="submit" class="small">
          {t('board.tag_add')}
        </button>
      </form>
      <FieldError t={t} field="tag" problems={props.problems} />
    </section>
  )
}
