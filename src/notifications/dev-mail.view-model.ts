// What the dev mailbox shows of one stored mail (dev_mail: snake_case, headers as JSON text),
// mapped once so the view only renders.
import type { Selectable } from 'kysely'
import type { DevMailTable } from '../db/schema'

/** One mail of the dev mailbox (views/notifications/dev-mail.tsx). */
export interface DevMailItem {
  id: number
  to: string
  from: string
  subject: string
  text: string
  /** the decoded header values, in stored order */
  headers: Record<string, string>
  idempotencyKey: string
  /** epoch ms */
  createdAt: number
}

/** Maps a dev_mail row (its `headers` column parsed). */
export function toDevMailItem(row: Selectable<DevMailTable>): DevMailItem {
  return {
    id: row.id,
    to: row.to_address,
    from: row.from_address,
    subject: row.subject,
    text: row.text,
    headers: JSON.parse(row.headers) as Record<string, string>,
    idempotencyKey: row.idempotency_key,
    createdAt: row.created_at,
  }
}
