import type { Child } from 'hono/jsx'
import type { ShopView } from '../../src/workspaces/workspaces.view-model'
import type { BoardView } from '../../src/boards/boards.view-model'
import { shortHash, type DecisionView } from '../../src/messages/decision'
import { formatDateTime, writtenDateTime } from '../../src/shared/time'
import { Sentence } from '../components'
import { Document, type PageProps } from '../layout'

// The decision record, the same for the shop and the customer: the text as it was decided (not
// as the message reads now), who decided and when, the SHA-256 of that text and the decided
// message's files. Shown in the staff side panel and on the customer's page, and as a one-page
// A4 print view for the order file (@media print in app.css).

/** A heading of the given level (the record sits under an h2 on one page, an h1 on another). */
function Heading(props: { level: 2 | 3; id?: string; class?: string; children: Child }) {
  return props.level === 2 ? (
    <h2 id={props.id} class={props.class}>
      {props.children}
    </h2>
  ) : (
    <h3 id={props.id} class={props.class}>
      {props.children}
    </h3>
  )
}

/** The record's files: name (a download link while the contents exist), size, SHA-256. */
function DecidedFiles(props: PageProps & { decision: DecisionView; filesBase: string }) {
  const { t, decision } = props
  if (decision.files.length === 0) return null
  return (
    <ul class="decision-files" aria-label={t('decision.files')}>
      {decision.files.map((file) => (
        <li>
          {file.removed ? (
            <bdi class="decision-file-name">{file.name}</bdi>
          ) : (
            <a
              class="decision-file-name"
              href={`${props.filesBase}/attachments/${file.id}`}
              download={file.name}
            >
              <bdi>{file.name}</bdi>
            </a>
          )}
          <span class="decision-file-meta">
            {file.sizeLabel}
            {file.removed ? ` · ${t('decision.file_removed')}` : ''}
          </span>
          <code class="hash" title={file.sha256}>
            SHA-256 {shortHash(file.sha256)}
          </code>
        </li>
      ))}
    </ul>
  )
}

/**
 * The record as a card: on the staff board's side panel (`level` 3) and on the customer's page
 * (`level` 2). `filesBase` is the board's URL on that side, `printUrl` its print view.
 */
export function DecisionRecord(
  props: PageProps & {
    decision: DecisionView
    timeZone: string
    filesBase: string
    printUrl: string
    level: 2 | 3
    class?: string
    /** on the customer's page: the moment of the view, so dates are written as a person would */
    now?: number
  },
) {
  const { t, locale, decision } = props
  const decidedAt =
    props.now === undefined
      ? formatDateTime(decision.decidedAt, props.timeZone, locale)
      : writtenDateTime(decision.decidedAt, { locale, timeZone: props.timeZone, now: props.now })
  return (
    <section
      id="decision-record"
      class={`decision-record ${props.class ?? ''}`}
      aria-labelledby="decision-record-title"
    >
      <Heading level={props.level} id="decision-record-title">
        ✔ {t('decision.title')} · No.{decision.decisionNo}
      </Heading>
      <p class="decision-meta">
        <span>
          {t('decision.decided_by')}: <bdi>{decision.decidedByName}</bdi>
        </span>
        <span>
          {t('decision.decided_at')}:{' '}
          <time datetime={new Date(decision.decidedAt).toISOString()}>{decidedAt}</time>
        </span>
        {decision.confirmingNo !== null ? (
          <span>
            {t('decision.confirmed_in')}: No.{decision.confirmingNo}
          </span>
        ) : null}
      </p>
      <blockquote class="decision-text" dir="auto">
        {decision.decidedBody}
      </blockquote>
      {decision.changedSince ? (
        <p class="decision-changed" role="note">
          <strong>⚠ {t('decision.edited_after')}</strong>{' '}
          {t('decision.original_kept', { no: decision.decisionNo })}
        </p>
      ) : null}
      <DecidedFiles t={t} locale={locale} decision={decision} filesBase={props.filesBase} />
      <p class="decision-hash">
        <span class="decision-hash-label">{t('decision.hash')}</span>{' '}
        <code class="hash" title={decision.sha256}>
          {shortHash(decision.sha256)}
        </code>
        <span class="decision-hash-hint">{t('decision.hash_hint')}</span>
      </p>
      <p class="decision-print">
        <a href={props.printUrl}>{t('decision.print_view')}</a>
      </p>
    </section>
  )
}

/**
 * The print view: one A4 page for the order file, in either language (`otherLanguageUrl` switches).
 * On screen a small toolbar (back, print, language) sits above the sheet; on paper only the
 * sheet prints. The customer's version carries nothing a member alone may see.
 */
export function DecisionPrintPage(
  props: PageProps & {
    /** the shop's name, zone and contact (the same on the staff and the customer's print) */
    workspace: ShopView
    /** the board's names (BoardView or GuestBoardView: both carry them) */
    board: Pick<BoardView, 'name' | 'customerName'>
    decision: DecisionView
    backUrl: string
    otherLanguageUrl: string
    printedAt: number
  },
) {
  const { t, locale, workspace, board, decision } = props
  // A record for the order file always names the year: written as of no particular year.
  const written = (instant: number) =>
    writtenDateTime(instant, { locale, timeZone: workspace.timeZone, now: 0 })
  const contact = [workspace.contactPhone, workspace.contactEmail].filter((item): item is string =>
    Boolean(item),
  )
  return (
    <Document
      title={`${t('decision.title')} · ${board.name} · ${workspace.name}`}
      locale={locale}
      bodyAttrs={{ class: 'print-body' }}
    >
      <nav class="print-tools" aria-label={t('decision.title')}>
        <a href={props.backUrl}>← {t('decision.back')}</a>
        <button type="button" class="primary" data-print>
          {t('decision.print')}
        </button>
        <a href={props.otherLanguageUrl} lang={locale === 'ja' ? 'en' : 'ja'}>
          {t('decision.other_language')}
        </a>
      </nav>
      <main class="record-sheet">
        <header class="record-head">
          <p class="record-shop">
            <bdi>{workspace.name}</bdi>
          </p>
          <h1>
            {t('decision.title')} · No.{decision.decisionNo}
          </h1>
        </header>
        <dl class="record-facts">
          <dt>{t('decision.board')}</dt>
          <dd>
            <bdi>{board.name}</bdi>
          </dd>
          <dt>{t('decision.customer')}</dt>
          <dd>
            <Sentence t={t} k="decision.customer_name" names={{ name: board.customerName }} />
          </dd>
          <dt>{t('decision.decided_by')}</dt>
          <dd>
            <bdi>{decision.decidedByName}</bdi>
          </dd>
          <dt>{t('decision.decided_at')}</dt>
          <dd>
            <time datetime={new Date(decision.decidedAt).toISOString()}>
              {written(decision.decidedAt)}
            </time>
          </dd>
          {decision.confirmingNo !== null ? (
            <>
              <dt>{t('decision.confirmed_in')}</dt>
              <dd>No.{decision.confirmingNo}</dd>
            </>
          ) : null}
        </dl>
        <section class="record-section" aria-labelledby="record-text-title">
          <h2 id="record-text-title">{t('decision.decided_no', { no: decision.decisionNo })}</h2>
          <div class="record-text" dir="auto">
            {decision.decidedBody}
          </div>
          {decision.changedSince ? (
            <p class="decision-changed" role="note">
              <strong>⚠ {t('decision.edited_after')}</strong>{' '}
              {t('decision.original_kept', { no: decision.decisionNo })}
            </p>
          ) : null}
        </section>
        {decision.files.length > 0 ? (
          <section class="record-section" aria-labelledby="record-files-title">
            <h2 id="record-files-title">{t('decision.files')}</h2>
            <table class="record-files">
              <thead>
                <tr>
                  <th scope="col">{t('decision.col_name')}</th>
                  <th scope="col">{t('decision.col_size')}</th>
                  <th scope="col">SHA-256</th>
                </tr>
              </thead>
              <tbody>
                {decision.files.map((file) => (
                  <tr>
                    <td>
                      <bdi>{file.name}</bdi>
                      {file.removed ? (
                        <span class="record-removed"> · {t('decision.file_removed')}</span>
                      ) : null}
                    </td>
                    <td class="record-size">{file.sizeLabel}</td>
                    <td>
                      <code class="hash-full">{file.sha256}</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        ) : null}
        <section class="record-section" aria-labelledby="record-hash-title">
          <h2 id="record-hash-title">{t('decision.hash')}</h2>
          <p class="record-hash">
            <code class="hash-short">{shortHash(decision.sha256)}</code>
            <code class="hash-full">{decision.sha256}</code>
          </p>
          <p class="record-hint">{t('decision.hash_hint')}</p>
        </section>
        <footer class="record-foot">
          <span>
            <bdi>{workspace.name}</bdi>
            {contact.map((item, index) => (
              <>
                {index === 0 ? ' · ' : ' / '}
                <bdi>{item}</bdi>
              </>
            ))}
          </span>
          <span>{t('decision.printed_at', { at: written(props.printedAt) })}</span>
        </footer>
      </main>
    </Document>
  )
}
