import type { Locale, Role } from '../../src/db/schema'
import { roleAtLeast } from '../../src/auth/auth.middleware'

export type SettingsTab = 'general' | 'hours' | 'members' | 'api' | 'webhooks' | 'audit' | 'tags'

/**
 * Tabs between the settings pages; each tab shows only to the roles its page admits (the
 * server checks again: test/routes/route-table.test.ts). The viewer's role is required: a page
 * that left it out once showed members tabs they could not open.
 */
export function SettingsTabs(props: {
  locale: Locale
  slug: string
  active: SettingsTab
  role: Role
}) {
  const ja = props.locale === 'ja'
  const role = props.role
  const base = `/w/${props.slug}/settings`
  const tabs: { key: SettingsTab; href: string; label: string; least: Role }[] = [
    { key: 'general', href: base, label: ja ? '基本設定' : 'General', least: 'member' },
    {
      key: 'hours',
      href: `${base}/hours`,
      label: ja ? '営業時間と自動応答' : 'Hours & answers',
      least: 'member',
    },
    { key: 'members', href: `${base}/members`, label: ja ? 'メンバー' : 'Members', least: 'admin' },
    { key: 'tags', href: `${base}/tags`, label: ja ? 'タグ' : 'Tags', least: 'admin' },
    { key: 'api', href: `${base}/api`, label: ja ? 'APIキー' : 'API keys', least: 'admin' },
    { key: 'webhooks', href: `${base}/webhooks`, label: 'Webhook', least: 'member' },
    { key: 'audit', href: `${base}/audit`, label: ja ? '操作履歴' : 'Audit log', least: 'admin' },
  ]
  return (
    <nav class="settings-tabs" aria-label={ja ? '設定' : 'Settings'}>
      {tabs
        .filter((tab) => roleAtLeast(role, tab.least))
        .map((tab) => (
          <a href={tab.href} aria-current={props.active === tab.key ? 'page' : undefined}>
            {tab.label}
          </a>
        ))}
      <a href="/api/docs" class="settings-docs">
        {ja ? 'APIドキュメント ↗' : 'API docs ↗'}
      </a>
    </nav>
  )
}
