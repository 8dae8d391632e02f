import { z } from 'zod'
import type { BoardStatus, Locale, OutboxRow } from '../db/schema'
import type { Deps, OutgoingMail } from '../deps'
import { staffBoardUrl } from '../guest/guest.link'
import {
  AUTO_GENERATED_HEADERS,
  assertAddress,
  formatMailbox,
  messageIdHost,
  parseMailbox,
} from '../notifications/mail-headers'
import { PermanentError } from '../notifications/outbox'
import { translator } from '../shared/i18n'
import { localDate, writtenDate } from '../shared/time'
import { renderEmail } from '../../emails/render'
import { partOfDayAt } from '../../emails/daily-digest'
import { statusLabel, statusLabels } from '../boards/boards.labels'
import { withoutBidiControls } from '../shared/validation'
import { createDigestRepository } from './digest.repository'

// The daily digest: each member who wants it gets, once per local day of the workspace, one
// email listing the boards whose next contact date is today or past (work still open). The
// outbox row's idempotency key `digest/<member>/<day>` is the "once": whichever runner inserts
// it first wins (INSERT … ON CONFLICT DO NOTHING, the same on SQLite and D1), a restart or a
// second runner finds it there, and the provider sees the same key on any resend.

export const digestKey = (memberId: string, day: string) => `digest/${memberId}/${day}`

/**
 * Digests go out from the workspace's digest_time for this long: a server that was down at 8:00
 * still sends at start-up, but nobody gets a "morning" digest in the afternoon.
 */
export const DIGEST_CATCH_UP_MINUTES = 180
/** Boards listed in one email; the rest are counted ("ほか N件") behind the list link. */
export const DIGEST_MAX_BOARDS = 50
const DEFAULT_DIGEST_TIME = '08:00'

const digestBoardSchema = z.object({
  id: z.string(),
  name: z.string(),
  customerName: z.string(),
  on: z.string(),
  time: z.string().nullable(),
  status: z.string(),
})

/** What a digest row carries: the list as it was when queued, so a resend is the same mail. */
export const digestPayloadSchema = z.object({
  template: z.literal('daily-digest'),
  memberId: z.string(),
  day: z.string(),
  boards: z.array(digestBoardSchema),
  more: z.number().int().min(0),
})
export type DigestPayload = z.infer<typeof digestPayloadSchema>

/** The digest payload of an outbox row, or undefined for any other row. */
export function parseDigestPayload(payload: string): DigestPayload | undefined {
  try {
    const parsed = digestPayloadSchema.safeParse(JSON.parse(payload))
    return parsed.success ? parsed.data : undefined
  } catch {
    return undefined
  }
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/

function minutesOf(clock: string): number | undefined {
  const match = CLOCK.exec(clock)
  return match ? Number(match[1]) * 60 + Number(match[2]) : undefined
}

const clockFormatters = new Map<string, Intl.DateTimeFormat>()

/** Local HH:mm of an instant in a time zone. */
function localClock(instant: Date, timeZone: string): string {
  let formatter = clockFormatters.get(timeZone)
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
    clockFormatters.set(timeZone, formatter)
  }
  const parts = Object.fromEntries(
    formatter.formatToParts(instant).map((part) => [part.type, part.value]),
  )
  return `${parts.hour}:${parts.minute}`
}

/** The local hour (0–23) of an instant in a time zone. */
export function localHour(instant: Date, timeZone: string): number {
  return Number(localClock(instant, timeZone).slice(0, 2))
}

/**
 * The local day a workspace's digest is due for at `now`, or undefined outside its window
 * (before digest_time, or more than DIGEST_CATCH_UP_MINUTES after it).
 */
export function digestDayAt(
  workspace: { time_zone: string; digest_time: string },
  now: Date,
): string | undefined {
  const start = minutesOf(workspace.digest_time) ?? minutesOf(DEFAULT_DIGEST_TIME)!
  const clock = minutesOf(localClock(now, workspace.time_zone))
  if (clock === undefined) return undefined
  const since = clock - start
  if (since < 0 || since >= DIGEST_CATCH_UP_MINUTES) return undefined
  return localDate(now, workspace.time_zone)
}

export interface QueueDigestsResult {
  /** digest rows written by this call (0 when another runner or an earlier call got there) */
  queued: number
  /** workspaces inside their digest window */
  workspaces: number
}

/**
 * Queues today's digest for every member who wants one, in every workspace whose digest_time
 * has come. Safe to call every minute from any number of runners (Node's in-process timer,
 * a Workers cron trigger): each member gets at most one row per local day, and none on a day
 * with nothing due. The rows are ordinary `email` outbox rows; the outbox sender delivers them.
 */
export async function queueDailyDigests({
  deps,
  now = deps.clock.now(),
}: {
  deps: Deps
  now?: Date
}): Promise<QueueDigestsResult> {
  const result: QueueDigestsResult = { queued: 0, workspaces: 0 }
  const digests = createDigestRepository(deps)
  const workspaces = await digests.workspaces()
  for (const workspace of workspaces) {
    const day = digestDayAt(workspace, now)
    if (!day) continue
    result.workspaces += 1

    const members = await digests.subscribers(workspace.id)
    if (members.length === 0) continue
    // A cheap look first, so the every-minute call does nothing once today's rows exist; the
    // unique key below is what actually guarantees "once".
    const sent = await digests.existingKeys(members.map((member) => digestKey(member.id, day)))
    const waiting = members.filter((member) => !sent.has(digestKey(member.id, day)))
    if (waiting.length === 0) continue

    const { boards, total } = await digests.dueOnOrBefore(workspace.id, day, DIGEST_MAX_BOARDS)
    if (boards.length === 0) continue

    const list = boards.map((board) => ({
      id: board.id,
      name: board.name,
      customerName: board.customer_name,
      on: board.next_contact_on ?? day,
      time: board.next_contact_time,
      status: board.status,
    }))
    const more = Math.max(0, total - boards.length)
    const at = now.getTime()
    const rows = waiting.map((member) => ({
      id: deps.ids.id(),
      workspace_id: workspace.id,
      kind: 'email',
      idempotency_key: digestKey(member.id, day),
      board_id: null,
      message_id: null,
      payload: JSON.stringify({
        template: 'daily-digest',
        memberId: member.id,
        day,
        boards: list,
        more,
      } satisfies DigestPayload),
      next_attempt_at: at,
      created_at: at,
    }))
    const written = await deps.batch(digests.insertRows(rows))
    for (const statement of written) result.queued += statement.rows.length
  }
  return result
}

const MESSAGE_ID_PART = /^[A-Za-z0-9_-]{1,100}$/

/**
 * Builds the digest mail for one outbox row. Undefined when there is nothing to send any more:
 * the member was removed or switched the digest off after it was queued.
 */
export async function buildDigestMail(
  deps: Deps,
  row: OutboxRow,
  payload: DigestPayload,
): Promise<OutgoingMail | undefined> {
  const { workspace, member } = await createDigestRepository(deps).recipient(
    row.workspace_id,
    payload.memberId,
  )
  if (!workspace) throw new PermanentError('the workspace no longer exists')
  if (!member || member.digest_enabled !== 1) return undefined

  const locale: Locale = member.locale ?? workspace.locale
  const t = translator(locale)
  const labels = statusLabels(workspace.status_labels)
  const base = deps.config.baseUrl
  const written = {
    locale,
    timeZone: workspace.time_zone,
    now: deps.clock.now().getTime(),
  }
  const rendered = await renderEmail({
    template: 'daily-digest',
    props: {
      locale,
      workspaceName: workspace.name,
      memberName: member.name,
      // queued at the workspace's digest time (or on catching up later): greet for that hour
      partOfDay: partOfDayAt(localHour(new Date(row.created_at), workspace.time_zone)),
      dateLabel: writtenDate(payload.day, written),
      boards: payload.boards.map((board) => ({
        name: board.name,
        customerName: locale === 'ja' ? `${board.customerName} 様` : board.customerName,
        when: `${writtenDate(board.on, written)}${board.time ? ` ${board.time}` : ''}`,
        overdue: board.on < payload.day,
        statusLabel: statusLabel(t, board.status as BoardStatus, labels),
        url: staffBoardUrl(deps.config, workspace.slug, board.id),
      })),
      more: payload.more,
      listUrl: `${base}/w/${workspace.slug}/boards?due=1&sort=next_contact`,
      settingsUrl: `${base}/w/${workspace.slug}/settings#daily-digest`,
    },
  })
  const sender = parseMailbox(deps.config.mailFrom)
  const headers: Record<string, string> = { ...AUTO_GENERATED_HEADERS }
  if (MESSAGE_ID_PART.test(member.id)) {
    headers['Message-ID'] = `<digest.${member.id}.${payload.day}@${messageIdHost(base)}>`
  }
  return {
    from: formatMailbox(sender.name || 'Orderboard', sender.address),
    to: assertAddress(member.email),
    // bidi controls in a name would reorder the subject around it in the inbox
    subject: withoutBidiControls(rendered.subject),
    html: rendered.html,
    text: rendered.text,
    headers,
    idempotencyKey: row.idempotency_key,
  }
}

/** Sends a digest row (called by the `email` outbox handler for rows with a digest payload). */
export async function sendDailyDigest(
  deps: Deps,
  row: OutboxRow,
  payload: DigestPayload,
): Promise<{ providerId: string }> {
  const mail = await buildDigestMail(deps, row, payload)
  if (!mail) return { providerId: 'skipped:digest-off' }
  return deps.mailer.send(mail)
}
