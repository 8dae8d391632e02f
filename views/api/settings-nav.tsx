import type { Locale } from '../../src/db/schema'

/** Tabs between the workspace settings and its API and webhook pages. */
export function SettingsTabs(props: {
  locale: Locale
  slug: string
  active: 'general' | 'hours' | 'api' | 'webhooks'
}) {
  const ja = props.locale === 'ja'
  const tabs = [
    { key: 'general', href: `/w/${props.slug}/settings`, label: ja ? '基本設定' : 'General' },
    {
      key: 'hours',
      href: `/w/${props.slug}/settings/hours`,
      label: ja ? '営業時間と自動応答' : 'Hours & answers',
    },
    { key: 'api', href: `/w/${props.slug}/settings/api`, label: ja ? 'APIキー' : 'API keys' },
    { key: 'webhooks', href: `/w/${props.slug}/settings/webhooks`, label: 'Webhook' },
  ] as const
  return (
    <nav class="settings-tabs" aria-label={ja ? '設定' : 'Settings'}>
      {tabs.map((tab) => (
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
