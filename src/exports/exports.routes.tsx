import { Hono } from 'hono'
import { requireAuth, type AppEnv } from '../http'
import { requireMember } from '../auth/auth.middleware'
import { auditFrom, recordAudit } from '../team/audit'
import { parseInput } from '../shared/validation'
import type { CsvEncoding } from '../shared/csv'
import { exportQuerySchema } from './exports.schemas'
import { exportBoards, exportFileName, exportMessages } from './exports.usecases'

/** The headers of a CSV download (RFC 4180's media type, with the charset it is written in). */
export function csvHeaders(fileName: string, encoding: CsvEncoding): Record<string, string> {
  return {
    'Content-Type': `text/csv; charset=${encoding === 'utf-8' ? 'utf-8' : 'Shift_JIS'}; header=present`,
    'Content-Disposition': `attachment; filename="${fileName}"`,
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
  }
}

/**
 * CSV exports for members, mounted at /w/:slug/exports: owners and admins (an export takes every
 * customer's name and address out of the product; each one is written to the audit log).
 */
export function exportsRoutes() {
  const routes = new Hono<AppEnv>()
  routes.use('*', requireMember({ role: 'admin' }))

  for (const kind of ['boards', 'messages'] as const) {
    routes.get(`/${kind}.csv`, async (c) => {
      const auth = requireAuth(c)
      const deps = c.get('deps')
      const query = parseInput(exportQuerySchema, c.req.query())
      const request = { ...query, header: c.get('locale') }
      const args = { deps, workspace: auth.workspace, locale: c.get('locale'), request }
      const stream = await (kind === 'boards' ? exportBoards(args) : exportMessages(args))
      await recordAudit(
        deps,
        auditFrom(c, 'data.exported', `${kind}.csv`, {
          ...(query.q ? { q: query.q } : {}),
          ...(query.status ? { status: query.status } : {}),
          ...(query.from ? { from: query.from } : {}),
          ...(query.to ? { to: query.to } : {}),
          ...(kind === 'messages' ? { internal: query.internal } : {}),
          encoding: query.encoding,
        }),
      )
      const name = exportFileName(kind, auth.workspace, deps.clock.now().getTime())
      return c.body(stream, 200, csvHeaders(name, query.encoding))
    })
  }

  return routes
}
