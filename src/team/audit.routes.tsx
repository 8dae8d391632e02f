import { Hono } from 'hono'
import { z } from 'zod'
import { requireMember } from '../auth/auth.middleware'
import type { Locale } from '../db/schema'
import { requireAuth, type AppContext, type AppEnv } from '../http'
import { formatDateTime, endOfLocalDay } from '../shared/time'
import { parseInput } from '../shared/validation'
import { AuditPage } from '../../views/team/audit'
import { AUDIT_ACTIONS, auditCsv, listAudit, type AuditAction } from './audit'
import { toAuditLines } from './team.view-model'

const LABELS: Record<Locale, Record<AuditAction, string>> = {
  ja: {
    'login.succeeded': 'ログイン',
    'login.failed': 'ログイン失敗',
    'member.invited': 'メンバーを招待',
    'invitation.resent': '招待を再送',
    'invitation.revoked': '招待を取り消し',
    'invitation.accepted': '招待を承諾',
    'member.role_changed': '役割を変更',
    'member.removed': 'メンバーを削除',
    'member.password_changed': 'パスワードを変更',
    'member.password_reset': 'パスワードを再設定',
    'member.email_changed': 'メールアドレスを変更',
    'member.2fa_enabled': '2段階認証をオン',
    'member.2fa_disabled': '2段階認証をオフ',
    'workspace.2fa_required': '2段階認証の必須設定',
    'workspace.settings_changed': 'ワークスペース設定を変更',
    'api_key.created': 'APIキーを作成',
    'api_key.revoked': 'APIキーを無効化',
    'webhook.created': 'Webhookを作成',
    'webhook.changed': 'Webhookを変更',
    'webhook.deleted': 'Webhookを削除',
    'board.deleted': 'チャットボードを削除',
    'board.decision_edited': '決定事項を事後に編集',
    'guest_link.reissued': 'お客様リンクを再発行',
    'board.customer_email_changed': 'お客様のメールアドレスを変更',
    'data.exported': 'CSVを書き出し',
  },
  en: {
    'login.succeeded': 'Signed in',
    'login.failed': 'Sign-in failed',
    'member.invited': 'Invited a member',
    'invitation.resent': 'Resent an invitation',
    'invitation.revoked': 'Revoked an invitation',
    'invitation.accepted': 'Accepted an invitation',
    'member.role_changed': 'Changed a role',
    'member.removed': 'Removed a member',
    'member.password_changed': 'Changed password',
    'member.password_reset': 'Reset password',
    'member.email_changed': 'Changed email address',
    'member.2fa_enabled': 'Turned on two-step sign-in',
    'member.2fa_disabled': 'Turned off two-step sign-in',
    'workspace.2fa_required': 'Two-step sign-in requirement',
    'workspace.settings_changed': 'Changed workspace settings',
    'api_key.created': 'Created an API key',
    'api_key.revoked': 'Revoked an API key',
    'webhook.created': 'Created a webhook',
    'webhook.changed': 'Changed a webhook',
    'webhook.deleted': 'Deleted a webhook',
    'board.deleted': 'Deleted a board',
    'board.decision_edited': 'Edited a decision afterwards',
    'guest_link.reissued': 'Reissued a customer link',
    'board.customer_email_changed': "Changed a customer's email address",
    'data.exported': 'Exported a CSV',
  },
}

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'field.invalid' })
  .optional()
  .or(z.literal('').transform(() => undefined))
const filterSchema = z.object({
  action: z
    .enum(AUDIT_ACTIONS, { error: 'field.invalid_choice' })
    .optional()
    .or(z.literal('').transform(() => undefined)),
  q: z.string().max(100, { error: 'field.too_long' }).optional(),
  from: day,
  to: day,
  before: z.coerce.number().int().positive().optional(),
})

function readFilter(c: AppContext) {
  const input = parseInput(filterSchema, c.req.query())
  const tz = requireAuth(c).workspace.time_zone
  return {
    input,
    filter: {
      action: input.action,
      actor: input.q?.trim() || undefined,
      from: input.from ? endOfLocalDay(input.from, tz) - 86_400_000 + 1 : undefined,
      to: input.to ? endOfLocalDay(input.to, tz) + 1 : undefined,
      before: input.before,
    },
  }
}

const PAGE = 100
const CSV_LIMIT = 50_000

/** Settings → Audit log, mounted at /w/:slug/settings/audit: owners and admins. */
export function auditRoutes() {
  const routes = new Hono<AppEnv>()
  routes.use('*', requireMember({ role: 'admin' }))

  routes.get('/', async (c) => {
    const auth = requireAuth(c)
    const { input, filter } = readFilter(c)
    const rows = await listAudit(c.get('deps'), auth.workspace.id, filter, PAGE + 1)
    const labels = LABELS[c.get('locale')]
    const shown = rows.slice(0, PAGE)
    return c.html(
      <AuditPage
        t={c.get('t')}
        locale={c.get('locale')}
        auth={auth.view}
        rows={toAuditLines(shown)}
        filter={{ action: input.action, q: input.q, from: input.from, to: input.to }}
        more={rows.length > PAGE ? shown[shown.length - 1]!.at : undefined}
        actionLabel={(action) => labels[action as AuditAction] ?? action}
      />,
    )
  })

  routes.get('/csv', async (c) => {
    const auth = requireAuth(c)
    const locale = c.get('locale')
    const { filter } = readFilter(c)
    const rows = await listAudit(c.get('deps'), auth.workspace.id, filter, CSV_LIMIT)
    const labels = LABELS[locale]
    const tz = auth.workspace.time_zone
    const header =
      locale === 'ja'
        ? ['日時', '誰が', '操作', '操作コード', '対象', '詳細', 'アドレス']
        : ['When', 'Who', 'Action', 'Action code', 'Target', 'Detail', 'Address']
    const body = auditCsv(
      rows.map((row) => ({
        cells: [
          formatDateTime(row.at, tz, locale),
          row.actor_name,
          labels[row.action as AuditAction] ?? row.action,
          row.action,
          row.target,
          row.detail,
          row.ip,
        ],
      })),
      header,
    )
    return c.body(body, 200, {
      'Content-Type': 'text/csv; charset=utf-8',
      'Content-Disposition': `attachment; filename="audit-${auth.workspace.slug}.csv"`,
      'Cache-Control': 'no-store',
    })
  })

  return routes
}
