// What the API keys page shows of each key, mapped once from its row (snake_case; the key itself
// is stored hashed and never shown again) so the view only renders.

/** One key on Settings → API keys. */
export interface ApiKeyListItem {
  id: string
  name: string
  /** the key's first characters, to tell keys apart */
  prefix: string
  scope: 'read' | 'write'
  /** epoch ms */
  createdAt: number
  /** epoch ms of its last use, or null (never) */
  lastUsedAt: number | null
  /** epoch ms it was revoked, or null (in use) */
  revokedAt: number | null
  /** who created it, or null (a member since removed) */
  createdByName: string | null
}

/** Maps the key rows (the API repository's `listKeys`), in their order. */
export function toApiKeyListItems(
  rows: {
    id: string
    name: string
    prefix: string
    scope: 'read' | 'write'
    created_at: number
    last_used_at: number | null
    revoked_at: number | null
    created_by_name: string | null
  }[],
): ApiKeyListItem[] {
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scope: row.scope,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
    createdByName: row.created_by_name,
  }))
}
