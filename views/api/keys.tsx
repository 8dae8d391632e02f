import type { SignedInView } from '../../src/auth/auth.view-model'
import type { ApiKeyListItem } from '../../src/api/api-keys.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { formatDateTime } from '../../src/shared/time'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'
import { SettingsTabs } from './settings-nav'

export type { ApiKeyListItem }

/** Settings → API keys: create (the key is shown once, right here), list, revoke. */
export function ApiKeysPage(
  props: PageProps & {
    auth: SignedInView
    keys: ApiKeyListItem[]
    /** the key just created: shown this once */
    created?: { name: string; key: string }
    problems?: FieldProblem[]
    values?: Record<string, string>
    revoked?: boolean
  },
) {
  const { t, auth, locale } = props
  const ja = locale === 'ja'
  const tz = auth.workspace.timeZone
  const base = `/w/${auth.workspace.slug}/settings/api`
  const L = ja
    ? {
        title: 'APIキー',
        lead: '受注システムなどから API でチャットボードを作成するためのキーです。キーはワークスペース内だけで有効です。',
        createdTitle: 'APIキーを作成しました',
        createdNote:
          'このキーは今だけ表示されます。安全な場所に保管してください（再表示はできません）。',
        name: 'キーの名前（管理用。お客様には表示されません）',
        scope: '権限',
        write: '読み書き',
        read: '読み取りのみ',
        create: 'キーを作成',
        colName: '名前',
        colKey: 'キー',
        colScope: '権限',
        colCreated: '作成',
        colUsed: '最終使用',
        colState: '状態',
        never: '未使用',
        active: '有効',
        revokedAt: '無効化',
        revoke: '無効にする',
        confirm: 'このキーを無効にしますか？使っているシステムは接続できなくなります。',
        empty: 'まだAPIキーはありません。',
        revokedDone: 'キーを無効にしました。',
        docs: 'API の使い方',
      }
    : {
        title: 'API keys',
        lead: 'Keys let your order system open boards through the API. A key only reaches this workspace.',
        createdTitle: 'API key created',
        createdNote:
          'This is the only time the key is shown. Store it somewhere safe; it cannot be shown again.',
        name: 'Key name (for your records; customers never see it)',
        scope: 'Access',
        write: 'Read and write',
        read: 'Read only',
        create: 'Create key',
        colName: 'Name',
        colKey: 'Key',
        colScope: 'Access',
        colCreated: 'Created',
        colUsed: 'Last used',
        colState: 'State',
        never: 'Never',
        active: 'Active',
        revokedAt: 'Revoked',
        revoke: 'Revoke',
        confirm: 'Revoke this key? Systems using it will stop working.',
        empty: 'No API keys yet.',
        revokedDone: 'The key was revoked.',
        docs: 'How to use the API',
      }
  const v = props.values ?? {}
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={L.title} active="settings">
      <div class="page-head">
        <h1>{L.title}</h1>
      </div>
      <SettingsTabs
        locale={locale}
        slug={auth.workspace.slug}
        active="api"
        role={auth.member.role}
      />
      <p class="muted">
        {L.lead} <a href="/api/docs">{L.docs}</a>
      </p>
      {props.created ? (
        <section class="card secret-card" role="status">
          <h2>
            {L.createdTitle}: <bdi>{props.created.name}</bdi>
          </h2>
          <p>{L.createdNote}</p>
          <input
            class="secret-value"
            readonly
            value={props.created.key}
            aria-label={L.colKey}
            data-select-on-focus
          />
        </section>
      ) : null}
      {props.revoked ? (
        <p class="alert info" role="status">
          ✓ {L.revokedDone}
        </p>
      ) : null}
      <form method="post" action={base} class="card form">
        <CsrfField token={auth.csrfToken} />
        {props.problems?.length ? (
          <p class="alert error" role="alert">
            {t('error.validation')}
          </p>
        ) : null}
        <div class="row">
          <label class="grow">
            {L.name}
            <input
              name="name"
              value={v.name ?? ''}
              required
              maxlength={100}
              placeholder={ja ? '例: 受注システム' : 'e.g. Order system'}
            />
            <FieldError t={t} field="name" problems={props.problems} />
          </label>
          <label>
            {L.scope}
            <select name="scope">
              <option value="write" selected={v.scope !== 'read'}>
                {L.write}
              </option>
              <option value="read" selected={v.scope === 'read'}>
                {L.read}
              </option>
            </select>
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {L.create}
          </button>
        </div>
      </form>
      <div class="board-table settings-table">
        {props.keys.length === 0 ? (
          <p class="empty">{L.empty}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{L.colName}</th>
                <th>{L.colKey}</th>
                <th>{L.colScope}</th>
                <th>{L.colCreated}</th>
                <th>{L.colUsed}</th>
                <th>{L.colState}</th>
              </tr>
            </thead>
            <tbody>
              {props.keys.map((key) => (
                <tr class={key.revokedAt ? 'revoked' : undefined}>
                  <td>
                    <bdi>{key.name}</bdi>
                  </td>
                  <td>
                    <code>{key.prefix}…</code>
                  </td>
                  <td>{key.scope === 'write' ? L.write : L.read}</td>
                  <td class="small">
                    {formatDateTime(key.createdAt, tz, locale)}
                    {key.createdByName ? (
                      <span class="muted">
                        {' · '}
                        <bdi>{key.createdByName}</bdi>
                      </span>
                    ) : null}
                  </td>
                  <td class="small">
                    {key.lastUsedAt ? (
                      formatDateTime(key.lastUsedAt, tz, locale)
                    ) : (
                      <span class="muted">{L.never}</span>
                    )}
                  </td>
                  <td>
                    {key.revokedAt ? (
                      <span class="muted small">
                        {L.revokedAt} {formatDateTime(key.revokedAt, tz, locale)}
                      </span>
                    ) : (
                      <form
                        method="post"
                        action={`${base}/${key.id}/revoke`}
                        class="inline"
                        data-confirm={L.confirm}
                      >
                        <CsrfField token={auth.csrfToken} />
                        <span class="badge status-done">{L.active}</span>{' '}
                        <button type="submit" class="danger-outline small-button">
                          {L.revoke}
                        </button>
                      </form>
                    )}
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
