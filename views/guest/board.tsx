import type { Child } from 'hono/jsx'
import { raw } from 'hono/html'
import type { ShopView } from '../../src/workspaces/workspaces.view-model'
import type { GuestBoardView } from '../../src/boards/boards.view-model'
import type { GuestThreadMessage } from '../../src/messages/messages.view-model'
import type { RatingState } from '../../src/ratings/ratings.rules'
import type { FieldProblem } from '../../src/shared/errors'
import { writtenDate, writtenDateTime } from '../../src/shared/time'
import { bracketed, FieldError, Sentence } from '../components'
import { Document, type PageProps } from '../layout'
import { AttachmentList, AttachmentPicker } from '../attachments/attachments'
import type { AttachmentView } from '../../src/attachments/attachments.usecases'
import { fragmentCache } from '../fragments'
import { GuestAutoAnswer } from '../auto-answers/notice'
import type { AutoAnswerView } from '../../src/auto-answers/auto-answers.usecases'
import type { DecisionView } from '../../src/messages/decision'
import { DecisionRecord } from '../decision/record'
import type { RatingPrompt } from '../../src/ratings/ratings.prompt'
import { GuestRatingPanel, GuestSettle } from '../ratings/rating'

// The customer's page: mobile first, in the workspace's language, nothing a member alone may see.

export interface GuestPageProps extends PageProps {
  workspace: ShopView
  board: GuestBoardView
  /** the public messages, or null when `threadHtml` holds them as rendered before */
  messages: GuestThreadMessage[] | null
  threadHtml?: string
  /** the key of the whole thread's kept markup (guestThreadKey, known before its rows are read) */
  threadKey: string
  csrfToken: string
  state: 'open' | 'closed'
  composer?: { values: Record<string, string>; problems: FieldProblem[] }
  /** the automatic answer the customer is still waiting on (shown under the thread) */
  autoAnswer?: AutoAnswerView | null
  /** the board's decision record (frozen text, who, when, SHA-256, files) */
  decision?: DecisionView
  /** the workspace's rating question, read while the board is done (else null) */
  ratingPrompt?: RatingPrompt | null
  /** ratingState of the board at `now` (off without a prompt) */
  ratingState: RatingState
  /**
   * The instant of this view (epoch ms): dates in its year are written without the year, and
   * whether the rating may still be changed.
   */
  now: number
  /** the customer has just pressed 「解決しました」 */
  settled?: boolean
}

const guestBoardUrl = (board: { id: string }) => `/g/${board.id}`

export function GuestMessageItem(
  props: PageProps & {
    workspace: ShopView
    /** the board's id only (links): all a message shows of its board is in its model */
    board: Pick<GuestBoardView, 'id'>
    message: GuestThreadMessage
    now: number
  },
) {
  const { t, locale, message, board, workspace } = props
  const mine = message.mine
  const decided = message.decided
  const classes = ['guest-msg', mine ? 'mine' : 'shop', decided ? 'decided' : '']
  return (
    <article class={classes.join(' ')} id={`no-${message.no}`} data-no={String(message.no)}>
      <header class="guest-msg-head">
        <span class="guest-no">No.{message.no}</span>
        <bdi class="guest-author">{mine ? t('guest.you') : message.authorName}</bdi>
        {decided ? <span class="guest-decided">✔ {t('guest.decided')}</span> : null}
        {message.decisionChanged ? (
          <a class="guest-decided-changed" href="#decision-record">
            {t('decision.edited_after')}
          </a>
        ) : null}
      </header>
      <div class="guest-msg-body" dir="auto">
        {message.body}
      </div>
      <AttachmentList t={t} base={guestBoardUrl(board)} files={message.files} />
      <footer class="guest-msg-foot">
        {message.decidesNo ? (
          <span class="guest-confirms">{t('guest.confirms', { no: message.decidesNo })}</span>
        ) : null}
        <time datetime={new Date(message.createdAt).toISOString()}>
          {writtenDateTime(message.createdAt, {
            locale,
            timeZone: workspace.timeZone,
            now: props.now,
          })}
        </time>
        {message.editedAt ? (
          <span class="guest-edited">{bracketed(locale, t('guest.edited'))}</span>
        ) : null}
      </footer>
    </article>
  )
}

export function GuestMessages(
  props: PageProps & {
    workspace: ShopView
    /** the board's id only (links): all a message shows of its board is in its model */
    board: Pick<GuestBoardView, 'id'>
    messages: GuestThreadMessage[]
    now: number
  },
) {
  return (
    <>
      {props.messages.map((message) => (
        <GuestMessageItem
          t={props.t}
          locale={props.locale}
          workspace={props.workspace}
          board={props.board}
          message={message}
          now={props.now}
        />
      ))}
    </>
  )
}

/** Asks for public messages after `afterNo` every few seconds, and at once after a post. */
export function GuestPoller(props: { board: { id: string }; afterNo: number }) {
  return (
    <div
      id="guest-poller"
      hx-get={`${guestBoardUrl(props.board)}?after=${props.afterNo}`}
      hx-trigger="every 5s, thread-changed from:body"
      hx-swap="outerHTML"
      hx-sync="this:queue last"
    />
  )
}

export function GuestComposer(
  props: PageProps & {
    workspace: ShopView
    board: Pick<GuestBoardView, 'id'>
    csrfToken: string
    composer?: GuestPageProps['composer']
  },
) {
  const { t, board } = props
  const values = props.composer?.values ?? {}
  const problems = props.composer?.problems
  const invalid = problems?.some((problem) => problem.field === 'body')
  const action = `${guestBoardUrl(board)}/messages`
  return (
    <form
      id="guest-composer"
      class="guest-composer"
      method="post"
      action={action}
      hx-post={action}
      hx-swap="outerHTML"
      hx-disabled-elt="find button[type=submit]"
    >
      <input type="hidden" name="_csrf" value={props.csrfToken} />
      {/* filled with a random key by app.js: the server posts each submit once (double tap, resend) */}
      <input type="hidden" name="submit_key" value="" />
      <label for="guest-body" class="guest-label">
        {t('guest.reply_label')}
      </label>
      <textarea
        id="guest-body"
        name="body"
        rows={4}
        maxlength={20000}
        placeholder={t('guest.reply_placeholder')}
        aria-invalid={invalid ? 'true' : undefined}
        aria-describedby={invalid ? 'body-error' : undefined}
      >
        {values.body ?? ''}
      </textarea>
      <FieldError t={t} field="body" problems={problems} />
      <AttachmentPicker
        t={t}
        uploadUrl={`${guestBoardUrl(board)}/uploads`}
        inputId="guest-files"
        problems={problems}
      />
      <button type="submit" class="guest-send">
        {t('guest.send')}
      </button>
      <p class="guest-hint">
        <Sentence t={t} k="guest.reply_hint" names={{ shop: props.workspace.name }} />
      </p>
    </form>
  )
}

export function GuestShopContact(props: PageProps & { workspace: ShopView }) {
  const { t, workspace } = props
  if (!workspace.contactEmail && !workspace.contactPhone) return null
  return (
    <dl class="guest-contact">
      {workspace.contactPhone ? (
        <>
          <dt>{t('guest.contact_phone')}</dt>
          <dd>
            <a href={`tel:${workspace.contactPhone.replace(/[^\d+]/g, '')}`}>
              <bdi>{workspace.contactPhone}</bdi>
            </a>
          </dd>
        </>
      ) : null}
      {workspace.contactEmail ? (
        <>
          <dt>{t('guest.contact_email')}</dt>
          <dd>
            <a href={`mailto:${workspace.contactEmail}`}>
              <bdi>{workspace.contactEmail}</bdi>
            </a>
          </dd>
        </>
      ) : null}
    </dl>
  )
}

/**
 * The decision record on the customer's page (an empty slot without a decision, so the poller
 * can fill it out of band when the shop decides while the page is open).
 */
export function GuestDecision(
  props: PageProps & {
    workspace: ShopView
    board: Pick<GuestBoardView, 'id'>
    decision?: DecisionView
    oob?: boolean
    now: number
  },
) {
  return (
    <div id="guest-decision" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.decision ? (
        <DecisionRecord
          t={props.t}
          locale={props.locale}
          decision={props.decision}
          timeZone={props.workspace.timeZone}
          filesBase={guestBoardUrl(props.board)}
          printUrl={`${guestBoardUrl(props.board)}/decision`}
          level={2}
          class="guest-record"
          now={props.now}
        />
      ) : null}
    </div>
  )
}

export function GuestLayout(
  props: PageProps & { title: string; csrfToken?: string; children: Child },
) {
  const bodyAttrs: Record<string, string> = { class: 'guest' }
  if (props.csrfToken) bodyAttrs['hx-headers'] = JSON.stringify({ 'X-CSRF-Token': props.csrfToken })
  return (
    <Document title={props.title} locale={props.locale} bodyAttrs={bodyAttrs}>
      {props.children}
    </Document>
  )
}

function GuestThreadItems(props: GuestPageProps) {
  const messages = props.messages
  if (messages === null) return raw(props.threadHtml ?? '')
  const items = () => (
    <GuestMessages
      t={props.t}
      locale={props.locale}
      workspace={props.workspace}
      board={props.board}
      messages={messages}
      now={props.now}
    />
  )
  // Rows read after a new post are newer than the board row: not kept under its key.
  return (messages.at(-1)?.no ?? 0) === props.board.lastNo
    ? fragmentCache.render(props.threadKey, items)
    : items()
}

export function GuestBoardPage(props: GuestPageProps) {
  const { t, locale, workspace, board, messages } = props
  // Kept markup holds every public message up to last_no (public numbers are never taken back).
  const lastNo = messages ? (messages.at(-1)?.no ?? 0) : board.lastNo
  const count = messages ? messages.length : board.lastNo
  return (
    <GuestLayout
      t={t}
      locale={locale}
      title={`${board.name} · ${workspace.name}`}
      csrfToken={props.csrfToken}
    >
      <header class="guest-top">
        <p class="guest-shop">
          <bdi>{workspace.name}</bdi>
        </p>
        <h1 class="guest-board">
          <bdi>{board.name}</bdi>
        </h1>
        <p class="guest-for">
          <Sentence t={t} k="guest.greeting" names={{ name: board.customerName }} />
        </p>
        <p class="guest-expiry">
          <span class="guest-expiry-label">{t('guest.expires')}</span>
          <span class="guest-expiry-date">
            {writtenDate(board.expiresAt, {
              locale,
              timeZone: workspace.timeZone,
              now: props.now,
            })}
          </span>
          {count >= 3 ? (
            <a class="guest-jump" href={`#no-${lastNo}`}>
              {t('guest.jump_to_latest')}
            </a>
          ) : null}
        </p>
      </header>
      <main class="guest-main">
        {props.state === 'closed' ? (
          <p class="guest-notice" role="status">
            {t('guest.closed_notice')}
          </p>
        ) : null}
        <GuestDecision
          t={t}
          locale={locale}
          workspace={workspace}
          board={board}
          decision={props.decision}
          now={props.now}
        />
        <section id="guest-thread" class="guest-thread" aria-live="polite">
          <p class="guest-empty">{t('guest.empty')}</p>
          <GuestThreadItems {...props} />
        </section>
        <GuestAutoAnswer
          locale={locale}
          workspace={workspace}
          answer={props.autoAnswer ?? null}
          now={props.now}
        />
        <GuestPoller board={board} afterNo={lastNo} />
        {props.settled && board.done ? (
          <p class="guest-notice guest-settled" role="status">
            {t('settle.done')}
          </p>
        ) : null}
        <GuestRatingPanel
          t={t}
          locale={locale}
          workspace={workspace}
          board={board}
          prompt={props.ratingPrompt ?? null}
          state={props.ratingState}
          csrfToken={props.csrfToken}
        />
        {props.state === 'open' ? (
          <GuestComposer
            t={t}
            locale={locale}
            workspace={workspace}
            board={board}
            csrfToken={props.csrfToken}
            composer={props.composer}
          />
        ) : null}
        {props.state === 'open' && !board.done ? (
          <GuestSettle t={t} locale={locale} board={board} csrfToken={props.csrfToken} />
        ) : null}
        {/* A closed board takes no posts: nothing will extend it, so nothing promises it. */}
        <p class="guest-expiry-note">
          {t(props.state === 'closed' ? 'guest.closed_expires_note' : 'guest.expires_note')}
        </p>
      </main>
      <footer class="guest-foot">
        <p class="guest-foot-shop">
          <bdi>{workspace.name}</bdi>
        </p>
        <GuestShopContact t={t} locale={locale} workspace={workspace} />
      </footer>
    </GuestLayout>
  )
}

/**
 * 410: the board has ended, or the customer came with a link the shop has since replaced; either
 * way the customer still learns who the shop is and how to reach it.
 */
export function GuestExpiredPage(
  props: PageProps & { workspace: ShopView; reason?: 'expired' | 'revoked' },
) {
  const { t, locale, workspace } = props
  const reachable = Boolean(workspace.contactEmail || workspace.contactPhone)
  const revoked = props.reason === 'revoked'
  const title = t(revoked ? 'guest.revoked_title' : 'guest.expired_title')
  return (
    <GuestLayout t={t} locale={locale} title={`${title} · ${workspace.name}`}>
      <header class="guest-top">
        <p class="guest-shop">
          <bdi>{workspace.name}</bdi>
        </p>
      </header>
      <main class="guest-main">
        <section class="guest-ended">
          <h1>{title}</h1>
          <p>
            <Sentence
              t={t}
              k={revoked ? 'guest.revoked_body' : 'guest.expired_body'}
              names={{ shop: workspace.name }}
            />
          </p>
          {reachable ? (
            <>
              <h2>{t('guest.contact')}</h2>
              <GuestShopContact t={t} locale={locale} workspace={workspace} />
            </>
          ) : (
            <p>
              <Sentence t={t} k="guest.contact_by_email" names={{ shop: workspace.name }} />
            </p>
          )}
        </section>
      </main>
    </GuestLayout>
  )
}
