/** @jsxImportSource react */
import type { ReactNode } from 'react'
import { Link, Section, Text } from '@react-email/components'
import {
  Divider,
  EmailFrame,
  PrimaryButton,
  colors,
  paragraph,
  small,
  SettingsFooter,
  UrlLine,
  Name,
} from './layout'

/** A member's morning email: the boards whose next contact date is today or already past. */
export interface DailyDigestProps {
  locale: 'ja' | 'en'
  workspaceName: string
  memberName: string
  /** the local day of the digest, already written (11月24日(火)) */
  dateLabel: string
  boards: {
    name: string
    customerName: string
    /** the next contact date (and time), already formatted */
    when: string
    overdue: boolean
    statusLabel: string
    url: string
  }[]
  /** due boards beyond the ones listed */
  more: number
  /** the board list filtered to today and overdue */
  listUrl: string
  settingsUrl: string
}

const copy = {
  ja: {
    greeting: (name: ReactNode) => <>{name} さん、おはようございます。</>,
    intro: (day: string) => `${day} の次回連絡予定です。`,
    counts: (today: number, overdue: number) => `今日 ${today}件・期限切れ ${overdue}件`,
    overdue: '期限切れ',
    today: '今日',
    more: (n: number) => `ほか ${n}件`,
    button: '一覧で見る',
    settings: 'このメールはデイリーダイジェストをオンにしているメンバーに送られます。',
    settingsLink: '設定を変更する',
  },
  en: {
    greeting: (name: ReactNode) => <>Good morning, {name}.</>,
    intro: (day: string) => `Next contacts for ${day}.`,
    counts: (today: number, overdue: number) => `${today} today, ${overdue} overdue`,
    overdue: 'Overdue',
    today: 'Today',
    more: (n: number) => `and ${n} more`,
    button: 'Open the list',
    settings: 'You get this email because your daily digest is on.',
    settingsLink: 'Change settings',
  },
} as const

function counts(props: Pick<DailyDigestProps, 'boards' | 'more'>) {
  const overdue = props.boards.filter((board) => board.overdue).length
  // Boards past the listed ones are the latest dates, so today's.
  return { overdue, today: props.boards.length - overdue + props.more }
}

export function dailyDigestSubject(
  props: Pick<DailyDigestProps, 'locale' | 'workspaceName' | 'boards' | 'more'>,
) {
  const { today, overdue } = counts(props)
  const line = copy[props.locale].counts(today, overdue)
  return props.locale === 'ja'
    ? `【次回連絡】${line}（${props.workspaceName}）`
    : `[Next contacts] ${line} (${props.workspaceName})`
}

export default function DailyDigest(props: DailyDigestProps) {
  const c = copy[props.locale]
  const { today, overdue } = counts(props)
  return (
    <EmailFrame
      lang={props.locale}
      brand={
        <>
          Orderboard · <Name>{props.workspaceName}</Name>
        </>
      }
      preview={`${c.counts(today, overdue)} · ${props.boards
        .map((board) => board.name)
        .join(' / ')
        .slice(0, 90)}`}
      footer={<SettingsFooter text={c.settings} link={c.settingsLink} href={props.settingsUrl} />}
    >
      <Text style={{ ...paragraph, fontWeight: 700 }}>
        {c.greeting(<Name>{props.memberName}</Name>)}
      </Text>
      <Text style={paragraph}>
        {c.intro(props.dateLabel)} <strong>{c.counts(today, overdue)}</strong>
      </Text>
      {props.boards.map((board) => (
        <Section
          key={board.url}
          style={{
            borderLeft: `4px solid ${board.overdue ? '#dc2626' : '#ca8a04'}`,
            backgroundColor: board.overdue ? '#fef2f2' : '#fefce8',
            borderRadius: '8px',
            padding: '10px 14px',
            margin: '0 0 10px',
          }}
        >
          <Text
            style={{
              margin: '0 0 4px',
              fontSize: '12px',
              fontWeight: 700,
              color: board.overdue ? '#b91c1c' : '#854d0e',
            }}
          >
            {board.overdue ? c.overdue : c.today} · {board.when} · {board.statusLabel}
          </Text>
          <Text style={{ margin: 0, fontSize: '15px', lineHeight: '1.6', color: colors.text }}>
            <Link href={board.url} style={{ color: colors.accent, fontWeight: 700 }}>
              <Name>{board.name}</Name>
            </Link>{' '}
            <span style={{ color: colors.muted }}>
              <Name>{board.customerName}</Name>
            </span>
          </Text>
        </Section>
      ))}
      {props.more > 0 ? <Text style={small}>{c.more(props.more)}</Text> : null}
      <PrimaryButton href={props.listUrl}>{c.button}</PrimaryButton>
      <Divider />
      <UrlLine href={props.listUrl} />
    </EmailFrame>
  )
}

export const PreviewProps = {
  locale: 'ja',
  workspaceName: 'さくら印刷',
  memberName: '佐藤 彩',
  dateLabel: '11月24日(火)',
  boards: [
    {
      name: 'チラシ A4 5000部',
      customerName: '鈴木 一郎 様',
      when: '11月20日(金)',
      overdue: true,
      statusLabel: '要対応',
      url: 'https://orderboard.example/w/sakura/boards/1',
    },
    {
      name: '名刺 100枚（両面カラー）',
      customerName: '山田 太郎 様',
      when: '11月24日(火) 15:00',
      overdue: false,
      statusLabel: '返答待ち',
      url: 'https://orderboard.example/w/sakura/boards/2',
    },
  ],
  more: 0,
  listUrl: 'https://orderboard.example/w/sakura/boards?due=1&sort=next_contact',
  settingsUrl: 'https://orderboard.example/w/sakura/settings#daily-digest',
} satisfies DailyDigestProps

DailyDigest.PreviewProps = PreviewProps
