import type { Role } from '../../src/db/schema'
import type { SignedInView } from '../../src/auth/auth.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { formatDateTime } from '../../src/shared/time'
import { roleAtLeast, ROLES } from '../../src/auth/auth.middleware'
import type { TeamView } from '../../src/team/team.view-model'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'
import { withoutBidiControls } from '../../src/shared/validation'
import { SettingsTabs } from '../api/settings-nav'

/** Settings → Members: the team, invitations by email, roles, removal (owners and admins). */
export function MembersPage(
  props: PageProps & {
    auth: SignedInView
    team: TeamView
    notice?: string
    problems?: FieldProblem[]
    values?: Record<string, string>
  },
) {
  const { t, auth, locale } = props
  const ja = locale === 'ja'
  const tz = auth.workspace.timeZone
  const base = `/w/${auth.workspace.slug}/settings/members`
  const me = auth.member
  const L = ja
    ? {
        title: 'メンバー',
        lead: 'メールで招待したスタッフは、届いたリンクから名前とパスワードを決めて参加します。リンクは7日間、一度だけ使えます。',
        email: '招待するメールアドレス',
        role: '役割',
        invite: '招待メールを送る',
        roles:
          'オーナー: すべて（2段階認証の必須化など）／管理者: メンバー・定型文・APIキー・Webhook・設定／メンバー: チャットボードと自分のプロフィール',
        colName: '名前',
        colEmail: 'メール',
        colRole: '役割',
        colLast: '最終ログイン',
        col2fa: '2段階認証',
        never: '未ログイン',
        on: 'オン',
        off: 'オフ',
        change: '変更',
        remove: '削除',
        confirmRemove:
          'このメンバーを削除しますか？ログイン中のセッションと作成したAPIキーはすぐに無効になります。投稿は名前付きで残ります。',
        you: '（あなた）',
        pending: '招待中',
        colSent: '送信',
        colUntil: '有効期限',
        expired: '期限切れ',
        resend: '再送',
        revoke: '取り消す',
        confirmRevoke: 'この招待を取り消しますか？リンクは使えなくなります。',
        noPending: '招待中の人はいません。',
        actions: '操作',
        securityTitle: 'セキュリティ（オーナーのみ）',
        require2fa:
          '全員に2段階認証を必須にする（未設定のメンバーは次の操作で設定画面に案内されます）',
        save: '保存',
      }
    : {
        title: 'Members',
        lead: 'People you invite by email choose their name and password from the link they get. The link works once, for 7 days.',
        email: 'Email address to invite',
        role: 'Role',
        invite: 'Send invitation',
        roles:
          'Owner: everything (e.g. requiring two-step sign-in) / Admin: members, templates, API keys, webhooks, settings / Member: boards and their own profile',
        colName: 'Name',
        colEmail: 'Email',
        colRole: 'Role',
        colLast: 'Last sign-in',
        col2fa: 'Two-step',
        never: 'Never',
        on: 'On',
        off: 'Off',
        change: 'Change',
        remove: 'Remove',
        confirmRemove:
          'Remove this member? Their sessions and the API keys they created stop working at once. Their posts keep their name.',
        you: ' (you)',
        pending: 'Invitations',
        colSent: 'Sent',
        colUntil: 'Valid until',
        expired: 'Expired',
        resend: 'Resend',
        revoke: 'Revoke',
        confirmRevoke: 'Revoke this invitation? The link stops working.',
        noPending: 'No open invitations.',
        actions: 'Actions',
        securityTitle: 'Security (owners only)',
        require2fa:
          'Require two-step sign-in for everyone (members without it are taken to set it up)',
        save: 'Save',
      }
  const grantable = ROLES.filter((role) => role !== 'owner' || me.role === 'owner')
  const roleOptions = (selected: Role) =>
    grantable.map((role) => (
      <option value={role} selected={role === selected}>
        {t(`role.${role}`)}
      </option>
    ))
  const v = props.values ?? {}
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={L.title} active="settings">
      <div class="page-head">
        <h1>{L.title}</h1>
      </div>
      <SettingsTabs locale={locale} slug={auth.workspace.slug} active="members" role={me.role} />
      <p class="muted">{L.lead}</p>
      {props.notice ? (
        <p class="alert info" role="status">
          ✓ {props.notice}
        </p>
      ) : null}
      <form method="post" action={`${base}/invite`} class="card form" id="invite">
        <CsrfField token={auth.csrfToken} />
        {props.problems?.length ? (
          <p class="alert error" role="alert">
            {t('error.validation')}
          </p>
        ) : null}
        <div class="row">
          <label class="grow">
            {L.email}
            <input
              type="email"
              name="email"
              value={v.email ?? ''}
              required
              maxlength={254}
              autocomplete="off"
            />
            <FieldError t={t} field="email" problems={props.problems} />
          </label>
          <label>
            {L.role}
            <select name="role">{roleOptions((v.role as Role) || 'member')}</select>
          </label>
        </div>
        <p class="muted small">{L.roles}</p>
        <div class="actions">
          <button type="submit" class="primary">
            {L.invite}
          </button>
        </div>
      </form>
      <div class="board-table settings-table">
        <table>
          <thead>
            <tr>
              <th>{L.colName}</th>
              <th>{L.colEmail}</th>
              <th>{L.colRole}</th>
              <th>{L.colLast}</th>
              <th>{L.col2fa}</th>
              <th>
                <span class="sr-only">{L.actions}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {props.team.members.map((member) => {
              const self = member.id === me.id
              const manageable = !self && roleAtLeast(me.role, member.role)
              return (
                <tr>
                  <td>
                    <bdi>{member.name}</bdi>
                    {self ? <span class="muted">{L.you}</span> : null}
                  </td>
                  <td class="small">
                    <bdi>{member.email}</bdi>
                  </td>
                  <td>
                    {manageable ? (
                      <form method="post" action={`${base}/${member.id}/role`} class="inline">
                        <CsrfField token={auth.csrfToken} />
                        <select
                          name="role"
                          aria-label={`${L.colRole}: ${withoutBidiControls(member.name)}`}
                        >
                          {roleOptions(member.role)}
                        </select>{' '}
                        <button type="submit" class="small-button">
                          {L.change}
                        </button>
                      </form>
                    ) : (
                      t(`role.${member.role}`)
                    )}
                  </td>
                  <td class="small">
                    {member.lastLoginAt ? (
                      formatDateTime(member.lastLoginAt, tz, locale)
                    ) : (
                      <span class="muted">{L.never}</span>
                    )}
                  </td>
                  <td class="small">{member.twoFactor ? L.on : L.off}</td>
                  <td>
                    {manageable ? (
                      <form
                        method="post"
                        action={`${base}/${member.id}/remove`}
                        class="inline"
                        data-confirm={L.confirmRemove}
                      >
                        <CsrfField token={auth.csrfToken} />
                        <button type="submit" class="danger-outline small-button">
                          {L.remove}
                        </button>
                      </form>
                    ) : null}
                  </td>
                </tr>
              )
            })}
          </tbody>
        </table>
      </div>
      {me.role === 'owner' ? (
        <form method="post" action={`${base}/require-2fa`} class="card form" id="require-2fa">
          <CsrfField token={auth.csrfToken} />
          <h2>{L.securityTitle}</h2>
          <label class="check">
            <input
              type="checkbox"
              name="require_2fa"
              value="1"
              checked={auth.workspace.require2fa}
            />{' '}
            {L.require2fa}
          </label>
          <div class="actions">
            <button type="submit">{L.save}</button>
          </div>
        </form>
      ) : null}
      <h2>{L.pending}</h2>
      <div class="board-table settings-table">
        {props.team.invitations.length === 0 ? (
          <p class="empty">{L.noPending}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{L.colEmail}</th>
                <th>{L.colRole}</th>
                <th>{L.colSent}</th>
                <th>{L.colUntil}</th>
                <th>
                  <span class="sr-only">{L.actions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.team.invitations.map((invitation) => (
                <tr>
                  <td class="small">
                    <bdi>{invitation.email}</bdi>
                  </td>
                  <td>{t(`role.${invitation.role}`)}</td>
                  <td class="small">{formatDateTime(invitation.createdAt, tz, locale)}</td>
                  <td class="small">
                    {invitation.expired ? (
                      <span class="badge status-closed">{L.expired}</span>
                    ) : (
                      formatDateTime(invitation.expiresAt, tz, locale)
                    )}
                  </td>
                  <td>
                    {roleAtLeast(me.role, invitation.role) ? (
                      <span class="inline-actions">
                        <form
                          method="post"
                          action={`${base}/invitations/${invitation.id}/resend`}
                          class="inline"
                        >
                          <CsrfField token={auth.csrfToken} />
                          <button type="submit" class="small-button">
                            {L.resend}
                          </button>
                        </form>{' '}
                        <form
                          method="post"
                          action={`${base}/invitations/${invitation.id}/revoke`}
                          class="inline"
                          data-confirm={L.confirmRevoke}
                        >
                          <CsrfField token={auth.csrfToken} />
                          <button type="submit" class="danger-outline small-button">
                            {L.revoke}
                          </button>
                        </form>
                      </span>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </MemberLayout>
  )
}
