import type { SignedInView } from '../../src/auth/auth.view-model'
import { AUDIT_ACTIONS } from '../../src/team/audit'
import type { AuditLineView } from '../../src/team/team.view-model'
import { formatDateTime } from '../../src/shared/time'
import { MemberLayout, type PageProps } from '../layout'
import { SettingsTabs } from '../api/settings-nav'

/** Settings → Audit log (owners and admins): who did what, when, from where; filters; CSV. */
export function AuditPage(
  props: PageProps & {
    auth: SignedInView
    rows: AuditLineView[]
    filter: { action?: string; q?: string; from?: string; to?: string }
    /** the `before` value of the next page, when there is one */
    more?: number
    actionLabel: (action: string) => string
  },
) {
  const { t, auth, locale } = props
  const ja = locale === 'ja'
  const tz = auth.workspace.timeZone
  const base = `/w/${auth.workspace.slug}/settings/audit`
  const L = ja
    ? {
        title: '操作履歴',
        lead: 'ログイン、招待、役割の変更、APIキーやWebhookの作成と無効化などの記録です。1年間保存されます。',
        action: '操作',
        all: 'すべて',
        q: '人・対象',
        from: '開始日',
        to: '終了日',
        filter: '絞り込む',
        csv: 'CSVをダウンロード',
        colAt: '日時',
        colWho: '誰が',
        colWhat: '操作',
        colTarget: '対象',
        colIp: 'アドレス',
        empty: '記録はありません。',
        older: 'さらに古い記録',
      }
    : {
        title: 'Audit log',
        lead: 'Sign-ins, invitations, role changes, API keys and webhooks created or revoked, and more. Kept for one year.',
        action: 'Action',
        all: 'All',
        q: 'Person or target',
        from: 'From',
        to: 'To',
        filter: 'Filter',
        csv: 'Download CSV',
        colAt: 'When',
        colWho: 'Who',
        colWhat: 'Action',
        colTarget: 'Target',
        colIp: 'Address',
        empty: 'No entries.',
        older: 'Older entries',
      }
  const f = props.filter
  const query = new URLSearchParams(
    Object.entries(f).filter((entry): entry is [string, string] => Boolean(entry[1])),
  )
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={L.title} active="settings">
      <div class="page-head">
        <h1>{L.title}</h1>
      </div>
      <SettingsTabs
        locale={locale}
        slug={auth.workspace.slug}
        active="audit"
        role={auth.member.role}
      />
      <p class="muted">{L.lead}</p>
      <form method="get" action={base} class="card form">
        <div class="row">
          <label>
            {L.action}
            <select name="action">
              <option value="">{L.all}</option>
              {AUDIT_ACTIONS.map((action) => (
                <option value={action} selected={f.action === action}>
                  {props.actionLabel(action)}
                </option>
              ))}
            </select>
          </label>
          <label class="grow">
            {L.q}
            <input name="q" value={f.q ?? ''} maxlength={100} />
          </label>
          <label>
            {L.from}
            <input type="date" name="from" value={f.from ?? ''} />
          </label>
          <label>
            {L.to}
            <input type="date" name="to" value={f.to ?? ''} />
          </label>
        </div>
        <div class="actions">
          <button type="submit">{L.filter}</button>{' '}
          <a class="button" href={`${base}/csv?${query.toString()}`} download>
            {L.csv}
          </a>
        </div>
      </form>
      <div class="board-table settings-table">
        {props.rows.length === 0 ? (
          <p class="empty">{L.empty}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{L.colAt}</th>
                <th>{L.colWho}</th>
                <th>{L.colWhat}</th>
                <th>{L.colTarget}</th>
                <th>{L.colIp}</th>
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row) => (
                <tr>
                  <td class="small">{formatDateTime(row.at, tz, locale)}</td>
                  <td>{row.actorName ? <bdi>{row.actorName}</bdi> : '—'}</td>
                  <td>{props.actionLabel(row.action)}</td>
                  <td class="small">{row.target ? <bdi>{row.target}</bdi> : ''}</td>
                  <td class="small">
                    <code>{row.ip ?? ''}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      {props.more ? (
        <p>
          <a
            href={`${base}?${new URLSearchParams({ ...Object.fromEntries(query), before: String(props.more) }).toString()}`}
          >
            {L.older} →
          </a>
        </p>
      ) : null}
    </MemberLayout>
  )
}
