/** @jsxImportSource react */
import { Text } from '@react-email/components'
import { Fragment, type ReactNode } from 'react'
import {
  Divider,
  EmailFrame,
  MessageCard,
  Name,
  PrimaryButton,
  paragraph,
  SettingsFooter,
  UrlLine,
} from './layout'

/**
 * A member's email about their team (issue #17): a board was assigned to them (担当者), or
 * someone mentioned them in an internal note. Never sent to customers.
 */
export interface TeamNoticeProps {
  locale: 'ja' | 'en'
  kind: 'assigned' | 'mentioned'
  workspaceName: string
  memberName: string
  /** who assigned or mentioned; null for round-robin (the workspace assigned in turn) */
  actorName: string | null
  customerName: string
  boardName: string
  /** the internal note that mentions the member (mentions only) */
  note?: { body: string; postedAt: string }
  /** the staff board page */
  boardUrl: string
  /** where the member turns these emails off */
  settingsUrl: string
}

const copy = {
  ja: {
    greeting: (name: ReactNode) => <>{name} さん</>,
    assigned: (actor: ReactNode | null, board: ReactNode, customer: ReactNode) =>
      actor
        ? [actor, ' さんが「', board, '」（', customer, ' 様）の担当者をあなたにしました。']
        : ['「', board, '」（', customer, ' 様）が順番の割り当てであなたの担当になりました。'],
    mentioned: (actor: ReactNode | null, board: ReactNode) => [
      actor ?? 'メンバー',
      ' さんが「',
      board,
      '」の社内メモであなたをメンションしました。',
    ],
    note: '社内メモ（お客様には表示されません）',
    button: 'チャットボードを開く',
    settings: 'このメールは、担当・メンションの通知をオンにしているメンバーに送られます。',
    settingsLink: '通知の設定を変更する',
  },
  en: {
    greeting: (name: ReactNode) => <>Hi {name},</>,
    assigned: (actor: ReactNode | null, board: ReactNode, customer: ReactNode) =>
      actor
        ? [actor, ' assigned “', board, '” (', customer, ') to you.']
        : ['“', board, '” (', customer, ') was assigned to you in turn (round-robin).'],
    mentioned: (actor: ReactNode | null, board: ReactNode) => [
      actor ?? 'A member',
      ' mentioned you in an internal note on “',
      board,
      '”.',
    ],
    note: 'Internal note (never shown to the customer)',
    button: 'Open the board',
    settings: 'You get this email because your assignment and mention notifications are on.',
    settingsLink: 'Change notification settings',
  },
} as const

export function teamNoticeSubject(props: Pick<TeamNoticeProps, 'locale' | 'kind' | 'boardName'>) {
  if (props.locale === 'ja')
    return props.kind === 'assigned'
      ? `【担当】${props.boardName}`
      : `【メンション】${props.boardName}`
  return props.kind === 'assigned'
    ? `[Assigned to you] ${props.boardName}`
    : `[Mentioned] ${props.boardName}`
}

export default function TeamNotice(props: TeamNoticeProps) {
  const c = copy[props.locale]
  const line = (actor: ReactNode | null, board: ReactNode, customer: ReactNode) =>
    props.kind === 'assigned' ? c.assigned(actor, board, customer) : c.mentioned(actor, board)
  return (
    <EmailFrame
      lang={props.locale}
      brand={<Name>{props.workspaceName}</Name>}
      preview={line(props.actorName, props.boardName, props.customerName).join('')}
      footer={<SettingsFooter text={c.settings} link={c.settingsLink} href={props.settingsUrl} />}
    >
      <Text style={{ ...paragraph, fontWeight: 700 }}>
        {c.greeting(<Name>{props.memberName}</Name>)}
      </Text>
      <Text style={paragraph}>
        {line(
          props.actorName === null ? null : <Name>{props.actorName}</Name>,
          <Name>{props.boardName}</Name>,
          <Name>{props.customerName}</Name>,
        ).map((part, i) => (
          <Fragment key={i}>{part}</Fragment>
        ))}
      </Text>
      {props.note ? (
        <MessageCard heading={`${c.note} · ${props.note.postedAt}`} body={props.note.body} />
      ) : null}
      <PrimaryButton href={props.boardUrl}>{c.button}</PrimaryButton>
      <Divider />
      <UrlLine href={props.boardUrl} />
    </EmailFrame>
  )
}

export const PreviewProps = {
  locale: 'ja',
  kind: 'mentioned',
  workspaceName: 'さくら印刷',
  memberName: '佐藤 彩',
  actorName: '田中 一郎',
  customerName: '山田 太郎',
  boardName: '名刺 100枚（両面カラー）',
  note: { body: '@佐藤 彩 ロゴの色校正をお願いします。', postedAt: '12月5日(土) 19:02' },
  boardUrl: 'https://orderboard.example/w/sakura/boards/3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f',
  settingsUrl: 'https://orderboard.example/w/sakura/me',
} satisfies TeamNoticeProps

TeamNotice.PreviewProps = PreviewProps
