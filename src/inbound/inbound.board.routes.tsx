import { Hono } from 'hono'
import { requireAuth, type AppEnv } from '../http'
import { notFound } from '../shared/errors'
import { contentDisposition } from '../attachments/attachments.rules'
import type { Deps } from '../deps'
import type { Workspace } from '../db/schema'
import { InboundMailLines } from '../../views/inbound/system-lines'

/** Outcomes of inbound mail that the board shows as system lines (not customer posts). */
export const SYSTEM_LINE_OUTCOMES = ['auto_reply', 'bounced', 'unreadable'] as const

export interface InboundSystemLine {
  outcome: (typeof SYSTEM_LINE_OUTCOMES)[number]
  subject: string
  at: number
  /** the key to download the raw mail with, for unreadable mail */
  rawKey: string | null
}

/** The board's latest inbound mails that did not become posts, newest first (at most 20). */
export async function listInboundSystemLines({
  deps,
  workspace,
  boardId,
}: {
  deps: Deps
  workspace: Workspace
  boardId: string
}): Promise<InboundSystemLine[]> {
  const rows = await deps.db
    .selectFrom('inbound_emails')
    .select(['outcome', 'subject', 'created_at', 'raw_key'])
    .where('workspace_id', '=', workspace.id)
    .where('board_id', '=', boardId)
    .where('outcome', 'in', [...SYSTEM_LINE_OUTCOMES])
    .orderBy('created_at', 'desc')
    .limit(20)
    .execute()
  return rows.map((row) => ({
    outcome: row.outcome as InboundSystemLine['outcome'],
    subject: row.subject,
    at: row.created_at,
    rawKey: row.raw_key ? (row.raw_key.split('/').at(-1) ?? null) : null,
  }))
}

/**
 * Members: the board's inbound system lines (GET …/:id/inbound-mail, loaded into the side panel
 * by htmx) and the download of a mail kept raw (GET …/:id/inbound-mail/:key.eml).
 */
export function inboundBoardRoutes() {
  const routes = new Hono<AppEnv>()

  routes.get('/:id/inbound-mail', async (c) => {
    const auth = requireAuth(c)
    const boardId = c.req.param('id')
    const lines = await listInboundSystemLines({
      deps: c.get('deps'),
      workspace: auth.workspace,
      boardId,
    })
    return c.html(
      <InboundMailLines
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        boardId={boardId}
        lines={lines}
      />,
    )
  })

  routes.get('/:id/inbound-mail/:file', async (c) => {
    const deps = c.get('deps')
    const auth = requireAuth(c)
    const key = /^([A-Za-z0-9_-]{1,100})\.eml$/.exec(c.req.param('file'))?.[1]
    if (!key) throw notFound()
    const rawKey = `inbound/${auth.workspace.id}/${key}`
    const row = await deps.db
      .selectFrom('inbound_emails')
      .select(['subject'])
      .where('workspace_id', '=', auth.workspace.id)
      .where('board_id', '=', c.req.param('id'))
      .where('raw_key', '=', rawKey)
      .executeTakeFirst()
    if (!row) throw notFound()
    const blob = await deps.blobs.get(rawKey)
    if (!blob) throw notFound()
    return new Response(blob.body, {
      headers: {
        // opaque bytes: a browser must not render a stranger's mail as a page
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': contentDisposition(
          'attachment',
          `${row.subject.replace(/[\\/:*?"<>|]+/g, '_').trim() || 'mail'}.eml`,
        ),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        'Cache-Control': 'private, no-cache',
      },
    })
  })

  return routes
}
