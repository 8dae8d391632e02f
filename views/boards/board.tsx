import { raw } from 'hono/html'
import type {
  BoardEventView,
  BoardView,
  StatusChangeView,
} from '../../src/boards/boards.view-model'
import type { TemplateSetView } from '../../src/templates/templates.view-model'
import type { SignedInView } from '../../src/auth/auth.view-model'
import type { DecisionView } from '../../src/messages/decision'
import { DecisionRecord } from '../decision/record'
import { BOARD_STATUSES } from '../../src/boards/boards.rules'
import type { FieldProblem } from '../../src/shared/errors'
import type { NextContactPreview } from '../../src/next-contact/next-contact.usecases'
import { statusLabel } from '../../src/boards/boards.labels'
import { formatCalendarDate, formatDate, formatDateTime } from '../../src/shared/time'
import {
  fillableNames,
  fillForBoard,
  fillTemplateAround,
  templateValuesFor,
  writtenLocaleOf,
  type TemplateSource,
  type UnfilledReason,
} from '../../src/templates/templates.fill'
import { bracketed, CsrfField, FieldError, NamedSelect, StatusBadge } from '../components'
import { GuestLinkSlot } from '../guest/link-panel'
import { MentionedText } from '../mentions/highlight'
import { MentionPicker, mentionable } from '../mentions/picker'
import type { BoardMember } from '../../src/mentions/mentions.view-model'
import { MemberLayout, type PageProps } from '../layout'
import { AttachmentList, AttachmentPicker } from '../attachments/attachments'
import type { AttachmentView } from '../../src/attachments/attachments.usecases'
import { NotificationProblemsSlot } from '../notifications/problems'
import { BoardTagsHead, PanelTags, type TagChip } from '../tags/panel'
import { AutoAnswersSlot } from '../auto-answers/notice'
import { NextContactField } from '../next-contact/preview'
import { GuestEmailWarningLines } from '../inbound/email-health'
import { InboundMailSlot } from '../inbound/system-lines'
import { fragmentCache } from '../fragments'
import { threadMessageKey, type ThreadMessage } from '../../src/messages/messages.view-model'
import { BoardDetailsForm, BoardEventLine, ResendOffer } from './details'
import { StaffRating, StatusSetBy } from '../ratings/rating'
import type { BusinessHours } from '../../src/business-hours/business-hours'

export interface BoardPageProps extends PageProps {
  auth: SignedInView
  board: BoardView
  /** the workspace's members, for 担当者 and mentions (name order) */
  members?: BoardMember[]
  /** the messages, or null when `threadHtml` holds the thread as rendered before */
  thread: ThreadMessage[] | null
  threadHtml?: string
  /** the key of the whole thread's kept markup (threadKey, known before its rows are read) */
  threadKey: string
  decision?: DecisionView
  templateSets: TemplateSetView[]
  decisionTemplate: { id: string | null; body: string }
  labels: Record<string, string>
  now: number
  composer?: { values: Record<string, string>; problems: FieldProblem[] }
  /** extra composer fields contributed by other features (next contact preview, files) */
  composerExtras?: unknown
  /** files of sent messages, by message id (routes map later rows with them; views read `files`) */
  attachments?: Record<string, AttachmentView[]>
  /** system lines (corrected details, re-sent notifications), loaded with the thread's rows */
  events?: BoardEventView[]
  /** the last notification may be re-sent to a corrected address (shown at the top) */
  resendOffer?: { eventId: string; no: number; to: string }
  /** the "correct the details" form sent back with its errors */
  details?: { values: Record<string, string>; problems: FieldProblem[] }
  /** who set the current status (done or closed) by hand, when nothing was posted since */
  statusSetBy?: StatusChangeView | null
  /** the workspace's business days, which the next-contact preview counts with */
  calendar: BusinessHours
  /** タグ: the board's tags, the workspace's tag names (suggestions), its categories */
  tags?: TagChip[]
  tagNames?: string[]
  categories?: { id: string; name: string }[]
  /** the composer's next-contact box as it first renders */
  nextContact: NextContactPreview
}

/** What the composer and its template buttons read (src/boards/boards.page.ts composerProps). */
export type ComposerProps = Pick<
  BoardPageProps,
  | 't'
  | 'locale'
  | 'auth'
  | 'board'
  | 'members'
  | 'templateSets'
  | 'decisionTemplate'
  | 'labels'
  | 'now'
  | 'calendar'
  | 'composer'
  | 'composerExtras'
  | 'nextContact'
>

const boardUrl = (props: { auth: SignedInView; board: Pick<BoardView, 'id'> }) =>
  `/w/${props.auth.workspace.slug}/boards/${props.board.id}`

export function MessageItem(
  props: PageProps & {
    auth: SignedInView
    /** the board's id only (links): all the message shows of its board is in its model */
    board: Pick<BoardView, 'id'>
    message: ThreadMessage
    /** the workspace's members: an internal note's `@name`s are highlighted (issue #17) */
    members?: BoardPageProps['members']
  },
) {
  const { t, message, auth, locale } = props
  const tz = auth.workspace.timeZone
  const isGuest = message.fromGuest
  const decided = message.decided
  const classes = [
    'message',
    isGuest ? 'from-guest' : 'from-staff',
    message.internal ? 'internal' : '',
    decided ? 'decided' : '',
  ]
  return (
    <article class={classes.join(' ')} id={`m-${message.seq}`} data-no={message.no ?? undefined}>
      <header class="message-head">
        {message.internal ? (
          <span class="tag internal-tag">{t('board.internal_note')}</span>
        ) : (
          <span class="no">No.{message.no}</span>
        )}
        <span class="author">
          <bdi>{message.authorName}</bdi>
          {isGuest ? bracketed(locale, t('board.customer')) : null}
        </span>
        <time datetime={new Date(message.createdAt).toISOString()}>
          {formatDateTime(message.createdAt, tz, locale)}
        </time>
        {message.editedAt ? (
          <span class="muted small">{bracketed(locale, t('board.edited'))}</span>
        ) : null}
        {decided ? (
          <span class={`tag decided-tag ${message.decisionChanged ? 'changed' : ''}`}>
            ✔ {t('board.decided')}
            {message.decisionChanged ? ` · ${t('board.decided_changed')}` : ''}
          </span>
        ) : null}
        {message.decisionChanged ? (
          <a class="small" href="#decision-record">
            {t('decision.see_original')}
          </a>
        ) : null}
        {message.decidesNo ? (
          <span class="tag">
            → No.{message.decidesNo} {t('board.decision')}
          </span>
        ) : null}
        {message.readByGuest ? <span class="read-receipt">{t('board.read_by_guest')}</span> : null}
      </header>
      <div class="message-body" dir="auto">
        {message.mentions && props.members ? (
          <MentionedText text={message.body} members={mentionable(props.members)} />
        ) : (
          renderBody(message)
        )}
      </div>
      <AttachmentList t={t} base={boardUrl(props)} files={message.files} />
      {message.nextContactOn ? (
        <p class="contact-note">
          {t('board.next_contact')}: {formatCalendarDate(message.nextContactOn, locale)}
          {message.nextContactTime ? ` ${message.nextContactTime}` : ''}
        </p>
      ) : null}
      <footer class="message-actions">
        {message.no !== null ? (
          <button type="button" class="small decide" data-decide-no={String(message.no)}>
            {t('board.decision')}
          </button>
        ) : null}
        {!isGuest ? (
          // The edit form is fetched on demand: fifty hidden copies of every message would
          // double the page for an action members rarely take.
          <button
            type="button"
            class="link small edit-button"
            hx-get={`${boardUrl(props)}/messages/${message.id}/edit`}
            hx-target={`#m-${message.seq} .message-actions`}
            hx-swap="innerHTML"
          >
            {t('board.edit')}
          </button>
        ) : null}
      </footer>
    </article>
  )
}

/** Inline editor for a staff message, swapped into its action bar. */
export function EditMessageForm(
  props: PageProps & {
    auth: SignedInView
    board: Pick<BoardView, 'id'>
    message: Pick<ThreadMessage, 'id' | 'seq' | 'body'>
  },
) {
  const { t, message } = props
  return (
    <form
      class="edit-form"
      hx-post={`${boardUrl(props)}/messages/${message.id}`}
      hx-target={`#m-${message.seq}`}
      hx-swap="outerHTML"
    >
      <CsrfField token={props.auth.csrfToken} />
      <textarea name="body" rows={4} maxlength={20000} aria-label={t('board.edit')}>
        {message.body}
      </textarea>
      <button type="submit" class="small primary">
        {t('board.save')}
      </button>
    </form>
  )
}

/** The phrase that set the next contact date is highlighted for members. */
function renderBody(message: ThreadMessage) {
  const phrase = message.nextContactPhrase
  if (!phrase) return message.body
  const at = message.body.indexOf(phrase)
  if (at < 0) return message.body
  return (
    <>
      {message.body.slice(0, at)}
      <mark class="contact-phrase">{phrase}</mark>
      {message.body.slice(at + phrase.length)}
    </>
  )
}

export function Poller(props: { url: string; afterSeq: number; readNo: number }) {
  return (
    <div
      id="poller"
      hx-get={`${props.url}?after=${props.afterSeq}&read=${props.readNo}`}
      hx-trigger="every 3s, thread-changed from:body"
      hx-swap="outerHTML"
      hx-sync="this:queue last"
    />
  )
}

export function SidePanel(
  props: BoardPageProps & { oob?: boolean; saved?: boolean; problems?: FieldProblem[] },
) {
  const { t, board, auth, locale } = props
  const tz = auth.workspace.timeZone
  return (
    <aside id="board-panel" class="panel" hx-swap-oob={props.oob ? 'true' : undefined}>
      <form
        hx-post={boardUrl(props)}
        hx-target="#board-panel"
        hx-swap="outerHTML"
        method="post"
        action={boardUrl(props)}
        class="panel-form"
      >
        <CsrfField token={auth.csrfToken} />
        <h2>{t('board.details')}</h2>
        <label>
          {t('board.assignee')}
          <NamedSelect
            name="assignee"
            items={props.members ?? []}
            selected={board.assigneeId}
            none={{ value: 'none', label: t('board.assignee_none') }}
          />
          <FieldError t={t} field="assignee" problems={props.problems} />
        </label>
        <label>
          {t('board.category')}
          <NamedSelect
            name="category"
            items={props.categories ?? []}
            selected={board.categoryId}
            none={{ value: 'none', label: t('board.category_none') }}
          />
          <FieldError t={t} field="category" problems={props.problems} />
        </label>
        <label>
          {t('board.status')}
          <select name="status">
            {BOARD_STATUSES.map((status) => (
              <option value={status} selected={board.status === status}>
                {statusLabel(t, status, props.labels)}
              </option>
            ))}
          </select>
          <FieldError t={t} field="status" problems={props.problems} />
        </label>
        <StatusSetBy
          t={t}
          locale={locale}
          timeZone={tz}
          change={props.statusSetBy ?? null}
          status={board.status}
          labels={props.labels}
        />
        <div class="row tight">
          <label>
            {t('board.next_contact')}
            <input type="date" name="next_contact_on" value={board.nextContactOn ?? ''} />
            <FieldError t={t} field="next_contact_on" problems={props.problems} />
          </label>
          <label class="time">
            {t('board.next_contact_time')}
            <input type="time" name="next_contact_time" value={board.nextContactTime ?? ''} />
            <FieldError t={t} field="next_contact_time" problems={props.problems} />
          </label>
        </div>
        <label>
          {t('board.expires')}
          <input type="date" name="expires_on" value={board.expiresOn} />
          <FieldError t={t} field="expires_on" problems={props.problems} />
        </label>
        <button type="submit" class="primary wide">
          {t('board.save')}
        </button>
        {props.saved ? (
          <p class="saved" role="status">
            ✓ {t('board.updated')}
          </p>
        ) : null}
      </form>
      {board.assigneeId !== auth.member.id ? (
        <form
          method="post"
          action={boardUrl(props)}
          hx-post={boardUrl(props)}
          hx-target="#board-panel"
          hx-swap="outerHTML"
          class="assign-me"
        >
          <CsrfField token={auth.csrfToken} />
          <button type="submit" name="assignee" value="me" class="link">
            {t('board.assign_me')}
          </button>
        </form>
      ) : null}
      <PanelTags {...props} />
      <dl class="facts">
        <dt>{t('board.customer_name')}</dt>
        <dd>
          <bdi>{board.customerName}</bdi>
        </dd>
        <dt>{t('board.customer_email')}</dt>
        <dd class="break">
          <bdi>{board.customerEmail}</bdi>
        </dd>
        {board.dedupeKey ? (
          <>
            <dt>{t('board.dedupe_key')}</dt>
            <dd class="break">
              <bdi>{board.dedupeKey}</bdi>
            </dd>
          </>
        ) : null}
        <dt>{t('board.expires')}</dt>
        <dd>{formatDate(board.expiresAt, tz, locale)}</dd>
      </dl>
      <BoardDetailsForm
        t={t}
        locale={locale}
        auth={auth}
        board={board}
        action={`${boardUrl(props)}/details`}
        values={props.details?.values}
        problems={props.details?.problems}
      />
      {props.decision ? (
        <DecisionRecord
          t={t}
          locale={locale}
          decision={props.decision}
          timeZone={tz}
          filesBase={boardUrl(props)}
          printUrl={`${boardUrl(props)}/decision`}
          level={3}
        />
      ) : null}
      <StaffRating t={t} locale={locale} timeZone={tz} rating={board.rating} />
      <GuestLinkSlot t={t} locale={locale} slug={auth.workspace.slug} board={board} />
      <form
        method="post"
        action={`${boardUrl(props)}/${board.status === 'closed' ? 'reopen' : 'close'}`}
        class="close-form"
      >
        <CsrfField token={auth.csrfToken} />
        {board.status === 'closed' ? (
          <button type="submit" class="wide">
            {t('board.reopen')}
          </button>
        ) : (
          <>
            <button type="submit" class="wide danger-outline">
              {t('board.close')}
            </button>
            <p class="hint">{t('board.close_hint')}</p>
          </>
        )}
      </form>
      {auth.member.role === 'owner' ? (
        <details class="delete-board">
          <summary>{t('board.delete')}</summary>
          <form
            method="post"
            action={`${boardUrl(props)}/delete`}
            data-confirm={t('board.delete_confirm')}
          >
            <CsrfField token={auth.csrfToken} />
            <p class="hint">{t('board.delete_hint')}</p>
            <label class="check">
              <input type="checkbox" name="confirm" value="1" required />
              {t('board.delete_confirm_box')}
            </label>
            <button type="submit" class="wide danger-outline">
              {t('board.delete_button')}
            </button>
          </form>
        </details>
      ) : null}
      <NotificationProblemsSlot slug={auth.workspace.slug} boardId={board.id} />
      <AutoAnswersSlot slug={auth.workspace.slug} boardId={board.id} />
      <InboundMailSlot slug={auth.workspace.slug} boardId={board.id} />
    </aside>
  )
}

/** What a board gives its templates (names, the next contact date, the zone and "now"). */
function templateSource(props: ComposerProps): TemplateSource {
  const { auth, board } = props
  return {
    customerName: board.customerName,
    boardName: board.name,
    workspaceName: auth.workspace.name,
    memberName: auth.member.name,
    nextContactOn: board.nextContactOn,
    timeZone: auth.workspace.timeZone,
    now: props.now,
  }
}

function unfilledReasonText(t: BoardPageProps['t'], reason: UnfilledReason): string {
  if (reason.kind === 'no_next_contact_date') return t('board.template_needs_next_contact')
  if (reason.kind === 'comment_no') return t('board.template_needs_decide')
  return t('board.template_unknown_variable', { name: reason.placeholder })
}

/**
 * The composer's template buttons. A template that this board cannot fill (no next contact
 * date yet, a comment number only a Decide button knows, a variable that does not exist) is
 * shown disabled with the reason next to it, so nobody sends 「{{next_contact_date}}までに」.
 * Re-sent out of band when the side panel changes the board's date.
 */
export function ComposerTemplates(props: ComposerProps & { oob?: boolean }) {
  const { t, auth } = props
  const sets = props.templateSets.filter((set) => set.templates.length > 0)
  const source = templateSource(props)
  return (
    <div
      id="composer-templates"
      class="templates"
      aria-label={t('board.templates')}
      hidden={sets.length === 0}
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {sets.map((set) => (
        <div class="template-set">
          <bdi class="set-name">{set.name}</bdi>
          {set.templates.map((template) => {
            const filled = fillForBoard(template.body, source, auth.workspace.locale)
            const why = filled.reasons.map((reason) => unfilledReasonText(t, reason)).join(' ')
            const status = template.status
              ? `→ ${statusLabel(t, template.status, props.labels)}`
              : undefined
            const button = (
              <button
                type="button"
                class={`chip template ${template.kind === 'decision' ? 'decision' : ''}`}
                data-template-id={why ? undefined : template.id}
                data-body={why ? undefined : filled.text}
                disabled={why ? true : undefined}
                title={why || status}
                aria-describedby={why ? `template-why-${template.id}` : undefined}
              >
                <bdi>{template.label}</bdi>
                {template.status ? (
                  <span class="chip-status">→{statusLabel(t, template.status, props.labels)}</span>
                ) : null}
              </button>
            )
            return why ? (
              <span class="template-unavailable">
                {button}
                <span class="template-why" id={`template-why-${template.id}`}>
                  {why}
                </span>
              </span>
            ) : (
              button
            )
          })}
        </div>
      ))}
    </div>
  )
}

export function Composer(props: ComposerProps & { sent?: 'message' | 'note' }) {
  const { t, auth, board } = props
  const values = props.composer?.values ?? {}
  const problems = props.composer?.problems
  const source = templateSource(props)
  const decisionBody = props.decisionTemplate.body
  const internal = values.internal === '1'
  const placeholder = t(internal ? 'board.internal_placeholder' : 'board.composer_placeholder')
  return (
    <form
      id="composer"
      // Compact until used (CSS :focus-within opens it; app.js keeps it open while it holds a
      // draft), so the newest message stays on screen; a refused post comes back open.
      // In note mode (社内メモ) it takes the note colour and says nothing about the customer.
      class={`composer card ${values.body || problems?.length ? '' : 'is-compact'} ${internal ? 'is-internal' : ''}`}
      method="post"
      action={`${boardUrl(props)}/messages`}
      hx-post={`${boardUrl(props)}/messages`}
      hx-swap="outerHTML"
      hx-disabled-elt="find button[type=submit]"
      data-decision-parts={JSON.stringify(
        fillTemplateAround(
          decisionBody,
          templateValuesFor(source, writtenLocaleOf(decisionBody, auth.workspace.locale)),
          'comment_no',
        ),
      )}
      data-filled-values={JSON.stringify(
        fillableNames({
          customerName: board.customerName,
          boardName: board.name,
          workspaceName: auth.workspace.name,
          authorName: auth.member.name,
        }).filter((value) => value.includes('{{')),
      )}
      data-decision-template-id={props.decisionTemplate.id ?? ''}
      data-send-failed={t('board.send_failed')}
      data-send-offline={t('board.send_offline')}
    >
      <CsrfField token={auth.csrfToken} />
      {/* 送信 always answers: a sent message says so here, a refused one shows its errors, and
          a failure the server could not answer with a form (offline, 5xx) is written here by
          app.js from data-send-failed / data-send-offline. */}
      <p class="send-result" role="status" aria-live="polite" hidden={!props.sent}>
        {props.sent === 'note'
          ? `✓ ${t('board.note_saved')}`
          : props.sent === 'message'
            ? `✓ ${t('board.message_sent')}`
            : ''}
      </p>
      <ComposerTemplates {...props} />
      <textarea
        name="body"
        rows={5}
        maxlength={20000}
        placeholder={placeholder}
        aria-label={placeholder}
        data-placeholder={t('board.composer_placeholder')}
        data-internal-placeholder={t('board.internal_placeholder')}
        aria-keyshortcuts="Control+Enter Meta+Enter"
        aria-invalid={problems?.some((p) => p.field === 'body') ? 'true' : undefined}
      >
        {values.body ?? ''}
      </textarea>
      <MentionPicker t={t} members={props.members ?? []} />
      <p
        class="unfilled-warning"
        hidden
        data-template={t('board.unfilled', { fields: '{fields}' })}
      ></p>
      <FieldError t={t} field="body" problems={problems} />
      <FieldError t={t} field="decides_no" problems={problems} />
      <FieldError t={t} field="template_id" problems={problems} />
      <FieldError t={t} field="next_contact_on" problems={problems} />
      <FieldError t={t} field="next_contact_time" problems={problems} />
      <NextContactField
        t={t}
        locale={props.locale}
        slug={auth.workspace.slug}
        timeZone={auth.workspace.timeZone}
        board={board}
        now={props.now}
        preview={props.nextContact}
      />
      <input type="hidden" name="template_id" value={values.template_id ?? ''} />
      <input type="hidden" name="decides_no" value={values.decides_no ?? ''} />
      {props.composerExtras as never}
      <AttachmentPicker
        t={t}
        uploadUrl={`${boardUrl(props)}/uploads`}
        inputId={`files-${board.id}`}
        problems={problems}
      />
      <div class="composer-actions">
        <label class="check internal-toggle">
          <input type="checkbox" name="internal" value="1" checked={internal} />{' '}
          {t('board.internal_note')}
          <span class="muted small when-public">
            {bracketed(props.locale, t('board.internal_hint'))}
          </span>
          <span class="small when-internal">
            {bracketed(props.locale, t('board.internal_on_hint'))}
          </span>
        </label>
        <label class="check silent-toggle">
          <input type="checkbox" name="silent" value="1" checked={values.silent === '1'} />{' '}
          {t('board.silent')}
          <span class="muted small">{bracketed(props.locale, t('board.silent_hint'))}</span>
        </label>
        <span class="send-shortcut muted small">{t('board.send_shortcut')}</span>
        <button type="submit" class="primary" title={t('board.send_shortcut')}>
          <span class="when-public">{t('board.send')}</span>
          <span class="when-internal">{t('board.internal_save')}</span>
        </button>
      </div>
    </form>
  )
}

/** What the thread's markup reads from the viewer: language, time zone, workspace (links). */
const threadViewer = (props: Pick<BoardPageProps, 'locale' | 'auth'>) => ({
  locale: props.locale,
  timeZone: props.auth.workspace.timeZone,
  slug: props.auth.workspace.slug,
})

export function ThreadItems(props: BoardPageProps & { messages: ThreadMessage[] }) {
  const { auth, board, locale } = props
  // Everything MessageItem reads is in the message's view model (which message is decided and
  // whether it changed since, how far the customer has read, the files) or the viewer's language
  // and time zone. Nothing of the viewer's own: the markup is the same for every member.
  const viewer = { ...threadViewer(props), boardId: board.id }
  return (
    <>
      {props.messages.map((message) => {
        // A note's highlighted mentions follow the members' names: not kept with the message's key.
        if (message.mentions)
          return (
            <MessageItem
              t={props.t}
              locale={locale}
              auth={auth}
              board={board}
              message={message}
              members={props.members}
            />
          )
        return fragmentCache.render(threadMessageKey(message, viewer), () => (
          <MessageItem t={props.t} locale={locale} auth={auth} board={board} message={message} />
        ))
      })}
    </>
  )
}

/**
 * What the member must see before anything else, at the top of the board: the customer's
 * address bounced or was reported, the customer hasn't read for days, the board has expired.
 * Re-sent out of band with the side panel's updates.
 */
export function BoardAlerts(props: BoardPageProps & { oob?: boolean }) {
  const { t, board, auth } = props
  return (
    <div id="board-alerts" class="board-alerts" hx-swap-oob={props.oob ? 'true' : undefined}>
      {props.resendOffer ? (
        <ResendOffer
          t={t}
          locale={props.locale}
          auth={auth}
          action={`${boardUrl(props)}/resend-notification`}
          offer={props.resendOffer}
        />
      ) : null}
      <GuestEmailWarningLines
        t={t}
        health={{ problem: board.emailProblem, unreadDays: board.unreadDays }}
      />
      {board.expired ? <p class="alert warning small">{t('board.expired_banner')}</p> : null}
    </div>
  )
}

/** The status badge next to the board name; re-sent out of band whenever the status may change. */
export function HeaderStatus(props: BoardPageProps & { oob?: boolean }) {
  return (
    <span id="board-status" hx-swap-oob={props.oob ? 'true' : undefined}>
      <StatusBadge t={props.t} status={props.board.status} labels={props.labels} />
    </span>
  )
}

/**
 * The messages with the board's system lines between them: a line follows the message that was
 * the board's latest when it happened (before any message: at the top).
 */
function ThreadWithEvents(props: BoardPageProps & { messages: ThreadMessage[] }) {
  const events = props.events ?? []
  if (events.length === 0) return <ThreadItems {...props} messages={props.messages} />
  const seqs = new Set(props.messages.map((message) => message.seq))
  const numbers = new Map(props.messages.map((message) => [message.id, message.no]))
  const line = (event: BoardEventView) => (
    <BoardEventLine
      t={props.t}
      locale={props.locale}
      event={event}
      timeZone={props.auth.workspace.timeZone}
      messageNo={event.messageId ? numbers.get(event.messageId) : null}
    />
  )
  const after = new Map<number, BoardEventView[]>()
  const leading: BoardEventView[] = []
  for (const event of events) {
    if (seqs.has(event.afterSeq))
      after.set(event.afterSeq, [...(after.get(event.afterSeq) ?? []), event])
    else leading.push(event)
  }
  const parts: unknown[] = leading.map(line)
  let run: ThreadMessage[] = []
  for (const message of props.messages) {
    run.push(message)
    const lines = after.get(message.seq)
    if (lines) {
      parts.push(<ThreadItems {...props} messages={run} />, ...lines.map(line))
      run = []
    }
  }
  if (run.length > 0) parts.push(<ThreadItems {...props} messages={run} />)
  return <>{parts as never}</>
}

export function Thread(props: BoardPageProps & { oob?: boolean }) {
  const thread = props.thread
  const items = (messages: ThreadMessage[]) => (
    <>
      {messages.length === 0 ? <p class="empty">{props.t('board.no_messages')}</p> : null}
      <ThreadWithEvents {...props} messages={messages} />
    </>
  )
  return (
    <section
      id="thread"
      class="thread"
      aria-live="polite"
      hx-swap-oob={props.oob ? 'true' : undefined}
    >
      {thread === null
        ? raw(props.threadHtml ?? '')
        : // rows read after a new post are newer than the board row: not kept under its key
          (thread.at(-1)?.seq ?? 0) === props.board.messageSeq
          ? fragmentCache.render(props.threadKey, () => items(thread))
          : items(thread)}
    </section>
  )
}

export function BoardPage(props: BoardPageProps & { readSeq?: number | null }) {
  const { t, board, auth } = props
  // The kept thread is exactly the board's messages up to message_seq; loaded rows may already
  // hold a message posted after the board was read, and the poller must not append it again.
  const lastSeq = props.thread ? (props.thread.at(-1)?.seq ?? 0) : board.messageSeq
  return (
    <MemberLayout t={t} locale={props.locale} auth={auth} title={board.name} active="boards">
      <div class="board-head">
        <a class="back" href={`/w/${auth.workspace.slug}/boards`}>
          ← {t('boards.title')}
        </a>
        <h1>
          <bdi>{board.name}</bdi> <HeaderStatus {...props} />
        </h1>
        <p class="muted">
          <bdi>{board.customerName}</bdi> &lt;<bdi>{board.customerEmail}</bdi>&gt;
        </p>
        <BoardTagsHead {...props} />
        {board.status === 'closed' ? <p class="alert info">{t('board.closed_banner')}</p> : null}
        <BoardAlerts {...props} />
      </div>
      <div class="board-layout">
        {/* The thread's markup is the same for every member; the "unread from here" line is
            drawn by app.js from this member's read position, and a draft is kept per board. */}
        <div
          class="board-main"
          data-read-seq={String(props.readSeq ?? 0)}
          data-unread-label={t('board.unread_from_here')}
          data-draft-key={`orderboard:draft:${auth.workspace.slug}:${board.id}`}
        >
          <Thread {...props} />
          <Poller url={boardUrl(props)} afterSeq={lastSeq} readNo={props.board.guestReadNo} />
          <Composer {...props} />
        </div>
        <SidePanel {...props} />
      </div>
    </MemberLayout>
  )
}
