import type { SignedInMember } from '../../src/http'
import type { WorkspaceSettingsView } from '../../src/workspaces/workspaces.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'
import { SettingsTabs } from '../api/settings-nav'
import { MemberNotificationForm } from '../notifications/settings-form'
import { DigestForm, NextContactSettingsFields } from '../next-contact/settings'
import { RoundRobinCard } from '../assignee/round-robin'

export function SettingsPage(
  props: PageProps & {
    auth: SignedInMember
    /** the workspace's settings as the form starts (toWorkspaceSettingsView) */
    settings: WorkspaceSettingsView
    problems?: FieldProblem[]
    saved?: boolean
    values?: Record<string, string>
    notifySaved?: boolean
    digestSaved?: boolean
    /** who takes part in round-robin (issue #17); the card shows when given */
    roundRobin?: { members: { id: string; name: string }[]; saved?: boolean }
  },
) {
  const { t, auth } = props
  const w = props.settings
  const slug = auth.workspace.slug
  const v = props.values ?? {}
  const canEdit = auth.member.role !== 'member'
  const labels =
    props.locale === 'ja'
      ? {
          title: 'ワークスペース設定',
          name: 'ワークスペース名',
          tz: 'タイムゾーン',
          locale: 'お客様向けの言語',
          expiry: '表示期限（最終投稿からの日数）',
          email: 'お問い合わせ先メール',
          phone: 'お問い合わせ先電話番号',
          adminOnly: '変更できるのは管理者だけです。',
        }
      : {
          title: 'Workspace settings',
          name: 'Workspace name',
          tz: 'Time zone',
          locale: 'Customer language',
          expiry: 'Expiry (days after the last post)',
          email: 'Contact email',
          phone: 'Contact phone',
          adminOnly: 'Only admins can change these.',
        }
  return (
    <MemberLayout t={t} locale={props.locale} auth={auth} title={labels.title} active="settings">
      <div class="page-head">
        <h1>{labels.title}</h1>
      </div>
      <SettingsTabs locale={props.locale} slug={slug} active="general" role={auth.member.role} />
      <form method="post" action={`/w/${slug}/settings`} class="card form">
        <CsrfField token={auth.csrfToken} />
        {props.saved ? (
          <p class="alert info" role="status">
            ✓ {t('board.updated')}
          </p>
        ) : null}
        {props.problems?.length ? (
          <p class="alert error" role="alert">
            {t('error.validation')}
          </p>
        ) : null}
        {!canEdit ? <p class="muted">{labels.adminOnly}</p> : null}
        <fieldset disabled={!canEdit}>
          <label>
            {labels.name}
            <input name="name" value={v.name ?? w.name} required maxlength={100} />
            <FieldError t={t} field="name" problems={props.problems} />
          </label>
          <div class="row">
            <label>
              {labels.tz}
              <input name="time_zone" value={v.time_zone ?? w.timeZone} required />
              <FieldError t={t} field="time_zone" problems={props.problems} />
            </label>
            <label>
              {labels.locale}
              <select name="locale">
                <option value="ja" selected={(v.locale ?? w.locale) === 'ja'}>
                  日本語
                </option>
                <option value="en" selected={(v.locale ?? w.locale) === 'en'}>
                  English
                </option>
              </select>
            </label>
            <label>
              {labels.expiry}
              <input
                name="expiry_days"
                type="number"
                min={1}
                max={365}
                value={v.expiry_days ?? String(w.expiryDays)}
                required
              />
              <FieldError t={t} field="expiry_days" problems={props.problems} />
            </label>
          </div>
          <div class="row">
            <label>
              {labels.email}
              <input
                name="contact_email"
                type="email"
                value={v.contact_email ?? w.contactEmail ?? ''}
              />
              <FieldError t={t} field="contact_email" problems={props.problems} />
            </label>
            <label>
              {labels.phone}
              <input name="contact_phone" value={v.contact_phone ?? w.contactPhone ?? ''} />
              <FieldError t={t} field="contact_phone" problems={props.problems} />
            </label>
          </div>
          <label>
            {t('attachment.retention_days')}
            <input
              name="attachment_retention_days"
              type="number"
              min={1}
              max={3650}
              value={
                v.attachment_retention_days ??
                (w.attachmentRetentionDays === null ? '' : String(w.attachmentRetentionDays))
              }
            />
            <FieldError t={t} field="attachment_retention_days" problems={props.problems} />
          </label>
          <label>
            {t('inbound.unread_warning_days')}
            <input
              name="unread_warning_days"
              type="number"
              min={0}
              max={90}
              value={v.unread_warning_days ?? String(w.unreadWarningDays)}
            />
            <span class="hint">{t('inbound.unread_warning_hint')}</span>
            <FieldError t={t} field="unread_warning_days" problems={props.problems} />
          </label>
          <NextContactSettingsFields t={t} settings={w} values={v} problems={props.problems} />
          <div class="actions">
            <button type="submit" class="primary">
              {t('board.save')}
            </button>
          </div>
        </fieldset>
      </form>
      <MemberNotificationForm t={t} locale={props.locale} auth={auth} saved={props.notifySaved} />
      <DigestForm t={t} auth={auth} saved={props.digestSaved} />
      {props.roundRobin ? (
        <RoundRobinCard
          t={t}
          locale={props.locale}
          auth={auth}
          members={props.roundRobin.members}
          saved={props.roundRobin.saved}
        />
      ) : null}
    </MemberLayout>
  )
}
