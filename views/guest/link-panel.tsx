import type { BoardView } from '../../src/boards/boards.view-model'
import { formatDateTime } from '../../src/shared/time'
import { CsrfField } from '../components'
import type { PageProps } from '../layout'

// The staff side of the customer link: shown in the board's side panel, loaded on its own so
// the board page needs no secret to render.

const linkBase = (slug: string, board: Pick<BoardView, 'id'>) =>
  `/w/${slug}/boards/${board.id}/guest-link`

/** The side panel placeholder: htmx loads the panel; without JS it is a plain link to it. */
export function GuestLinkSlot(props: PageProps & { slug: string; board: Pick<BoardView, 'id'> }) {
  const url = linkBase(props.slug, props.board)
  return (
    <section
      id="guest-link"
      class="guest-link-panel"
      hx-get={url}
      hx-trigger="load"
      hx-swap="outerHTML"
    >
      <a href={url}>{props.t('guest_link.title')}</a>
    </section>
  )
}

export function GuestLinkPanel(
  props: PageProps & {
    /** the workspace's slug (links) and time zone (the read time) */
    slug: string
    timeZone: string
    board: Pick<BoardView, 'id' | 'guestReadNo' | 'guestReadAt'>
    url: string
    csrfToken: string
    reissued?: boolean
  },
) {
  const { t, locale, board } = props
  const base = linkBase(props.slug, board)
  return (
    <section id="guest-link" class="guest-link-panel">
      <h3>{t('guest_link.title')}</h3>
      <div class="copy-row">
        <input
          type="text"
          id="guest-link-url"
          readonly
          value={props.url}
          aria-label={t('guest_link.title')}
        />
        <button
          type="button"
          class="small"
          data-copy={props.url}
          data-copy-field="#guest-link-url"
          data-copied={t('guest_link.copied')}
        >
          {t('guest_link.copy')}
        </button>
      </div>
      <p class="hint">{t('guest_link.hint')}</p>
      <p class="muted small guest-read-state">
        {board.guestReadAt
          ? t('guest_link.read', {
              no: board.guestReadNo,
              at: formatDateTime(board.guestReadAt, props.timeZone, locale),
            })
          : t('guest_link.not_opened')}
      </p>
      <form
        method="post"
        action={`${base}/reissue`}
        hx-post={`${base}/reissue`}
        hx-target="#guest-link"
        hx-swap="outerHTML"
        hx-confirm={t('guest_link.reissue_confirm')}
      >
        <CsrfField token={props.csrfToken} />
        <button type="submit" class="small danger-outline">
          {t('guest_link.reissue')}
        </button>
      </form>
      {props.reissued ? (
        <p class="saved" role="status">
          ✓ {t('guest_link.reissued')}
        </p>
      ) : null}
    </section>
  )
}
