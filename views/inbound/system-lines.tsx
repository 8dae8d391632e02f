import type { SignedInView } from '../../src/auth/auth.view-model'
import type { InboundSystemLine } from '../../src/inbound/inbound.board.routes'
import { formatDateTime } from '../../src/shared/time'
import type { PageProps } from '../layout'

/**
 * Inbound mail that reached the board without becoming a customer post, as small system lines
 * in the side panel: an out-of-office answer, a bounce of our notification, a mail we could not
 * read (with its download). Empty when there is none, so nothing shows.
 */
export function InboundMailLines(
  props: PageProps & { auth: SignedInView; boardId: string; lines: InboundSystemLine[] },
) {
  const { t, auth, locale } = props
  const base = `/w/${auth.workspace.slug}/boards/${props.boardId}/inbound-mail`
  return (
    <section
      id="inbound-mail"
      class="inbound-mail"
      hx-get={base}
      hx-trigger="thread-changed from:body delay:1s"
      hx-swap="outerHTML"
    >
      {props.lines.length > 0 ? (
        <ul aria-label={t('inbound.system_lines')}>
          {props.lines.map((line) => (
            <li class={`system-line system-${line.outcome}`}>
              <span>{t(`inbound.line.${line.outcome}`)}</span>
              {line.subject ? (
                <span class="muted">
                  {locale === 'ja' ? ' 「' : ' “'}
                  <bdi>{line.subject}</bdi>
                  {locale === 'ja' ? '」' : '”'}
                </span>
              ) : null}
              <span class="muted">
                {' '}
                · {formatDateTime(line.at, auth.workspace.timeZone, locale)}
              </span>
              {line.rawKey ? (
                <>
                  {' '}
                  <a href={`${base}/${line.rawKey}.eml`} download>
                    {t('inbound.download_raw')}
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  )
}

/** The placeholder the side panel carries; htmx fills it once the page has loaded. */
export function InboundMailSlot(props: { slug: string; boardId: string }) {
  return (
    <section
      id="inbound-mail"
      class="inbound-mail"
      hx-get={`/w/${props.slug}/boards/${props.boardId}/inbound-mail`}
      hx-trigger="load"
      hx-swap="outerHTML"
    />
  )
}
