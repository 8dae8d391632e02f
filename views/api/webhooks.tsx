import type { SignedInView } from '../../src/auth/auth.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { formatDateTime } from '../../src/shared/time'
import { WEBHOOK_EVENTS, type WebhookEvent } from '../../src/webhooks/webhooks.schemas'
import type { WebhookDeliveryView } from '../../src/webhooks/webhooks.usecases'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'
import { SettingsTabs } from './settings-nav'

export interface WebhookEndpointView {
  id: string
  url: string
  events: WebhookEvent[]
  active: boolean
  createdAt: number
}

const EVENT_LABELS: Record<'ja' | 'en', Record<WebhookEvent, string>> = {
  ja: {
    'message.created': 'お客様の投稿',
    'board.status_changed': 'ステータスの変更',
    'board.decided': '決定',
    'board.rated': 'お客様の満足度',
    'board.assigned': '担当者の変更',
    'board.tags_changed': 'タグの変更',
  },
  en: {
    'message.created': 'Customer posts',
    'board.status_changed': 'Status changes',
    'board.decided': 'Decisions',
    'board.rated': 'Customer ratings',
    'board.assigned': 'Assignee changes',
    'board.tags_changed': 'Tag changes',
  },
}

/** Settings → Webhooks: endpoints (the signing secret shown once) and recent deliveries. */
export function WebhooksPage(
  props: PageProps & {
    auth: SignedInView
    endpoints: WebhookEndpointView[]
    deliveries: WebhookDeliveryView[]
    created?: { url: string; secret: string }
    problems?: FieldProblem[]
    values?: { url: string; events: string[] }
  },
) {
  const { t, auth, locale } = props
  const ja = locale === 'ja'
  const tz = auth.workspace.timeZone
  const base = `/w/${auth.workspace.slug}/settings/webhooks`
  const canEdit = auth.member.role !== 'member'
  const labels = EVENT_LABELS[locale]
  const L = ja
    ? {
        title: 'Webhook',
        lead: 'お客様の投稿・ステータス変更・決定・満足度を、お使いのシステムへ署名付きで通知します（HMAC-SHA256、Orderboard-Signature ヘッダー）。',
        createdTitle: 'エンドポイントを登録しました',
        createdNote: '署名用シークレットは今だけ表示されます。受信側で署名の検証に使ってください。',
        url: '送信先URL（https）',
        events: '通知するイベント',
        add: 'エンドポイントを追加',
        adminOnly: '変更できるのは管理者だけです。',
        endpoints: 'エンドポイント',
        noEndpoints: 'まだエンドポイントはありません。',
        active: '有効',
        inactive: '停止中',
        enable: '再開',
        disable: '停止',
        remove: '削除',
        confirmRemove: 'このエンドポイントを削除しますか？未送信の通知も送られなくなります。',
        deliveries: '最近の配信',
        noDeliveries: 'まだ配信はありません。',
        colTime: '日時',
        colEvent: 'イベント',
        colEndpoint: '送信先',
        colBoard: 'ボード',
        colStatus: '結果',
        colAttempts: '試行',
        open: '開く',
        retryAt: '次回',
        deleted: '（削除済み）',
        status: { pending: '送信待ち', sending: '送信中', sent: '成功', failed: '失敗' },
      }
    : {
        title: 'Webhooks',
        lead: 'Tell your systems about customer posts, status changes, decisions and ratings, signed with HMAC-SHA256 (Orderboard-Signature header).',
        createdTitle: 'Endpoint added',
        createdNote:
          'This is the only time the signing secret is shown. Use it to verify signatures on your side.',
        url: 'Endpoint URL (https)',
        events: 'Events',
        add: 'Add endpoint',
        adminOnly: 'Only admins can change these.',
        endpoints: 'Endpoints',
        noEndpoints: 'No endpoints yet.',
        active: 'Active',
        inactive: 'Paused',
        enable: 'Resume',
        disable: 'Pause',
        remove: 'Delete',
        confirmRemove: 'Delete this endpoint? Deliveries not yet sent will not be sent.',
        deliveries: 'Recent deliveries',
        noDeliveries: 'No deliveries yet.',
        colTime: 'Time',
        colEvent: 'Event',
        colEndpoint: 'Endpoint',
        colBoard: 'Board',
        colStatus: 'Result',
        colAttempts: 'Tries',
        open: 'Open',
        retryAt: 'next',
        deleted: '(deleted)',
        status: { pending: 'Pending', sending: 'Sending', sent: 'Delivered', failed: 'Failed' },
      }
  const urls = new Map(props.endpoints.map((endpoint) => [endpoint.id, endpoint.url]))
  const chosen = new Set(props.values?.events ?? WEBHOOK_EVENTS)
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={L.title} active="settings">
      <div class="page-head">
        <h1>{L.title}</h1>
      </div>
      <SettingsTabs
        locale={locale}
        slug={auth.workspace.slug}
        active="webhooks"
        role={auth.member.role}
      />
      <p class="muted">
        {L.lead} <a href="/api/docs#webhooks">{ja ? '検証のしかた' : 'How to verify'}</a>
      </p>
      {props.created ? (
        <section class="card secret-card" role="status">
          <h2>
            {L.createdTitle}: <bdi class="break">{props.created.url}</bdi>
          </h2>
          <p>{L.createdNote}</p>
          <input
            class="secret-value"
            readonly
            value={props.created.secret}
            aria-label="secret"
            data-select-on-focus
          />
        </section>
      ) : null}
      {canEdit ? (
        <form method="post" action={base} class="card form">
          <CsrfField token={auth.csrfToken} />
          {props.problems?.length ? (
            <p class="alert error" role="alert">
              {t('error.validation')}
            </p>
          ) : null}
          <label>
            {L.url}
            <input
              name="url"
              type="url"
              value={props.values?.url ?? ''}
              required
              maxlength={500}
              placeholder="https://example.com/hooks/orderboard"
            />
            <FieldError t={t} field="url" problems={props.problems} />
          </label>
          <fieldset class="checks">
            <legend>{L.events}</legend>
            {WEBHOOK_EVENTS.map((event) => (
              <label class="check">
                <input type="checkbox" name="events" value={event} checked={chosen.has(event)} />{' '}
                {labels[event]} <code class="small">{event}</code>
              </label>
            ))}
            <FieldError t={t} field="events" problems={props.problems} />
          </fieldset>
          <div class="actions">
            <button type="submit" class="primary">
              {L.add}
            </button>
          </div>
        </form>
      ) : (
        <p class="muted">{L.adminOnly}</p>
      )}
      <h2>{L.endpoints}</h2>
      <div class="board-table settings-table">
        {props.endpoints.length === 0 ? (
          <p class="empty">{L.noEndpoints}</p>
        ) : (
          <table>
            <tbody>
              {props.endpoints.map((endpoint) => (
                <tr class={endpoint.active ? undefined : 'revoked'}>
                  <td class="break">
                    <code>
                      <bdi>{endpoint.url}</bdi>
                    </code>
                  </td>
                  <td class="small">{endpoint.events.map((event) => labels[event]).join(' · ')}</td>
                  <td>
                    <span class={`badge ${endpoint.active ? 'status-done' : 'status-closed'}`}>
                      {endpoint.active ? L.active : L.inactive}
                    </span>
                  </td>
                  <td class="small muted">{formatDateTime(endpoint.createdAt, tz, locale)}</td>
                  <td>
                    {canEdit ? (
                      <span class="inline-actions">
                        <form
                          method="post"
                          action={`${base}/${endpoint.id}/${endpoint.active ? 'disable' : 'enable'}`}
                          class="inline"
                        >
                          <CsrfField token={auth.csrfToken} />
                          <button type="submit" class="small-button">
                            {endpoint.active ? L.disable : L.enable}
                          </button>
                        </form>
                        <form
                          method="post"
                          action={`${base}/${endpoint.id}/delete`}
                          class="inline"
                          data-confirm={L.confirmRemove}
                        >
                          <CsrfField token={auth.csrfToken} />
                          <button type="submit" class="danger-outline small-button">
                            {L.remove}
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
      <h2>{L.deliveries}</h2>
      <div class="board-table settings-table">
        {props.deliveries.length === 0 ? (
          <p class="empty">{L.noDeliveries}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{L.colTime}</th>
                <th>{L.colEvent}</th>
                <th>{L.colEndpoint}</th>
                <th>{L.colBoard}</th>
                <th>{L.colStatus}</th>
                <th>{L.colAttempts}</th>
              </tr>
            </thead>
            <tbody>
              {props.deliveries.map((delivery) => (
                <tr>
                  <td class="small">{formatDateTime(delivery.createdAt, tz, locale)}</td>
                  <td>
                    <code class="small">{delivery.eventType}</code>
                  </td>
                  <td class="small break">{urls.get(delivery.endpointId) ?? L.deleted}</td>
                  <td class="small">
                    {delivery.boardId ? (
                      <a href={`/w/${auth.workspace.slug}/boards/${delivery.boardId}`}>{L.open}</a>
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <span class={`badge delivery-${delivery.status}`}>
                      {L.status[delivery.status]}
                    </span>
                    {delivery.result ? <span class="small muted"> {delivery.result}</span> : null}
                    {delivery.status === 'pending' && delivery.attempts > 0 ? (
                      <span class="small muted">
                        {' '}
                        · {L.retryAt} {formatDateTime(delivery.nextAttemptAt, tz, locale)}
                      </span>
                    ) : null}
                  </td>
                  <td class="small">{delivery.attempts}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </MemberLayout>
  )
}
