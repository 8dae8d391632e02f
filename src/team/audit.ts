import { sql, type Compilable, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import type { Deps } from '../deps'
import type { AppContext } from '../http'
import { csvField } from '../shared/csv'

export { csvField }

/** Every action the audit log records (設定 → 操作履歴). */
export const AUDIT_ACTIONS = [
  'login.succeeded',
  'login.failed',
  'member.invited',
  'invitation.resent',
  'invitation.revoked',
  'invitation.accepted',
  'member.role_changed',
  'member.removed',
  'member.password_changed',
  'member.password_reset',
  'member.email_changed',
  'member.2fa_enabled',
  'member.2fa_disabled',
  'workspace.2fa_required',
  'workspace.settings_changed',
  'api_key.created',
  'api_key.revoked',
  'webhook.created',
  'webhook.changed',
  'webhook.deleted',
  'board.deleted',
  'board.decision_edited',
  'guest_link.reissued',
  'data.exported',
] as const
export type AuditAction = (typeof AUDIT_ACTIONS)[number]

/** Entries are kept this long, then the hourly job deletes them. */
export const AUDIT_RETENTION_MS = 365 * 24 * 60 * 60 * 1000

export interface AuditEntry {
  workspaceId: string
  actor: { id: string; name: string } | null
  action: AuditAction
  /** what the action was done to, in words a person reads (an email, a key's name, a board) */
  target?: string | null
  detail?: Record<string, string | number | boolean | null>
  ip?: string | null
}

/**
 * The client's address as far as this server can verify it (src/shared/client-address.ts,
 * TRUST_PROXY; an IPv6 client as its /64). Only shown to owners and admins.
 */
export function clientAddress(c: AppContext): string {
  return (c.get('clientKey') ?? 'unknown').slice(0, 64)
}

/** The insert for one entry, to put into the batch of the change it records. */
export function auditStatement(
  deps: Pick<Deps, 'db' | 'ids' | 'clock'>,
  entry: AuditEntry,
): Compilable {
  return insert(deps.db, deps, entry)
}

/**
 * The insert for one entry, written only while the board `boardId` still exists: put before the
 * board's own delete in a batch, a delete that lost a race to another one records nothing.
 */
export function auditStatementWhileBoardExists(
  deps: Pick<Deps, 'db' | 'ids' | 'clock'>,
  entry: AuditEntry,
  boardId: string,
): Compilable {
  const row = auditRow(deps, entry)
  const columns = Object.keys(row) as (keyof typeof row)[]
  return deps.db
    .insertInto('audit_log')
    .columns(columns)
    .expression(
      deps.db
        .selectFrom('boards')
        .select(columns.map((column) => sql`${row[column]}`.as(column)))
        .where('id', '=', boardId),
    )
}

function insert(db: Kysely<Database>, deps: Pick<Deps, 'ids' | 'clock'>, entry: AuditEntry) {
  return db.insertInto('audit_log').values(auditRow(deps, entry))
}

function auditRow(deps: Pick<Deps, 'ids' | 'clock'>, entry: AuditEntry) {
  return {
    id: deps.ids.id(),
    workspace_id: entry.workspaceId,
    at: deps.clock.now().getTime(),
    actor_id: entry.actor?.id ?? null,
    actor_name: entry.actor?.name ?? null,
    action: entry.action,
    target: entry.target?.slice(0, 300) ?? null,
    detail: entry.detail ? JSON.stringify(entry.detail) : null,
    ip: entry.ip ?? null,
  }
}

/** Records one entry on its own (when there is no batch to join). */
export async function recordAudit(deps: Pick<Deps, 'db' | 'ids' | 'clock'>, entry: AuditEntry) {
  await insert(deps.db, deps, entry).execute()
}

/** The audit entry for a request by the signed-in member. */
export function auditFrom(
  c: AppContext,
  action: AuditAction,
  target?: string | null,
  detail?: AuditEntry['detail'],
): AuditEntry {
  const auth = c.get('auth')!
  return {
    workspaceId: auth.workspace.id,
    actor: { id: auth.member.id, name: auth.member.name },
    action,
    target,
    detail,
    ip: clientAddress(c),
  }
}

/** Deletes entries older than a year; returns how many went. */
export async function pruneAuditLog(deps: Pick<Deps, 'db' | 'clock'>): Promise<number> {
  const result = await deps.db
    .deleteFrom('audit_log')
    .where('at', '<', deps.clock.now().getTime() - AUDIT_RETENTION_MS)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/** One page of the audit log, newest first, with the filters the page offers. */
export async function listAudit(
  deps: Pick<Deps, 'db'>,
  workspaceId: string,
  filter: { action?: string; actor?: string; from?: number; to?: number; before?: number },
  limit = 100,
) {
  let query = deps.db
    .selectFrom('audit_log')
    .select(['id', 'at', 'actor_name', 'action', 'target', 'detail', 'ip'])
    .where('workspace_id', '=', workspaceId)
  if (filter.action) query = query.where('action', '=', filter.action)
  if (filter.actor) {
    // the words as typed: LIKE's own wildcards (and the escape character) are escaped
    const needle = `%${filter.actor.replace(/[\\%_]/g, (char) => `\\${char}`)}%`
    query = query.where((eb) =>
      eb.or([
        sql<boolean>`${eb.ref('actor_name')} LIKE ${needle} ESCAPE '\\'`,
        sql<boolean>`${eb.ref('target')} LIKE ${needle} ESCAPE '\\'`,
      ]),
    )
  }
  if (filter.from !== undefined) query = query.where('at', '>=', filter.from)
  if (filter.to !== undefined) query = query.where('at', '<', filter.to)
  if (filter.before !== undefined) query = query.where('at', '<', filter.before)
  return query.orderBy('at', 'desc').orderBy('id', 'desc').limit(limit).execute()
}
export type AuditRow = Awaited<ReturnType<typeof listAudit>>[number]

/** The CSV download: UTF-8 with a BOM (Excel reads Japanese correctly), CRLF line ends. */
export function auditCsv(rows: { cells: (string | number | null)[] }[], header: string[]): string {
  const lines = [header, ...rows.map((row) => row.cells)].map((cells) =>
    cells.map(csvField).join(','),
  )
  return `\uFEFF${lines.join('\r\n')}\r\n`
}
