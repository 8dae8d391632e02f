/** @jsxImportSource react */
import type { ReactNode } from 'react'
import { Text } from '@react-email/components'
import {
  Divider,
  EmailFrame,
  MessageCard,
  PrimaryButton,
  paragraph,
  small,
  SettingsFooter,
  UrlLine,
  Name,
} from './layout'
import type { EmailAttachment } from './layout'

/** A member's email for one customer post. */
export interface MemberNotificationProps {
  locale: 'ja' | 'en'
  workspaceName: string
  memberName: string
  customerName: string
  boardName: string
  message: {
    no: number
    body: string
    /** already formatted in the workspace time zone */
    postedAt: string
    /** files posted with the message, named only (the board holds them) */
    attachments?: EmailAttachment[]
  }
  /** the staff board page */
  boardUrl: string
  /** where the member turns these emails off */
  settingsUrl: string
}

const copy = {
  ja: {
    greeting: (name: ReactNode) => <>{name} さん</>,
    intro: (customer: ReactNode, board: ReactNode) => (
      <>
        {customer} 様から「{board}」に返信がありました。
      </>
    ),
    customer: 'お客様',
    button: 'チャットボードを開く',
    board: 'チャットボード',
    settings: 'このメールは通知をオンにしているメンバーに送られます。',
    settingsLink: '通知の設定を変更する',
  },
  en: {
    greeting: (name: ReactNode) => <>Hi {name},</>,
    intro: (customer: ReactNode, board: ReactNode) => (
      <>
        {customer} replied on “{board}”.
      </>
    ),
    customer: 'customer',
    button: 'Open the board',
    board: 'Board',
    settings: 'You get this email because your notifications are on.',
    settingsLink: 'Change notification settings',
  },
} as const

/** One subject per board, so a board's replies thread together in the member's mailbox too. */
export function memberNotificationSubject(
  props: Pick<MemberNotificationProps, 'locale' | 'boardName' | 'customerName'>,
) {
  return props.locale === 'ja'
    ? `【返信あり】${props.boardName}（${props.customerName} 様）`
    : `[Reply] ${props.boardName} (${props.customerName})`
}

export default function MemberNotification(props: MemberNotificationProps) {
  const c = copy[props.locale]
  return (
    <EmailFrame
      lang={props.locale}
      brand={
        <>
          Orderboard · <Name>{props.workspaceName}</Name>
        </>
      }
      preview={`${props.customerName}: ${props.message.body.slice(0, 90)}`}
      footer={<SettingsFooter text={c.settings} link={c.settingsLink} href={props.settingsUrl} />}
    >
      <Text style={{ ...paragraph, fontWeight: 700 }}>
        {c.greeting(<Name>{props.memberName}</Name>)}
      </Text>
      <Text style={paragraph}>
        {c.intro(<Name>{props.customerName}</Name>, <Name>{props.boardName}</Name>)}
      </Text>
      <MessageCard
        tone="guest"
        heading={
          <>
            {`No.${props.message.no} · `}
            <Name>{props.customerName}</Name>
            {`（${c.customer}） · ${props.message.postedAt}`}
          </>
        }
        body={props.message.body}
        attachments={props.message.attachments}
      />
      <PrimaryButton href={props.boardUrl}>{c.button}</PrimaryButton>
      <Divider />
      <Text style={small}>
        {c.board}: <Name>{props.boardName}</Name>
      </Text>
      <UrlLine href={props.boardUrl} />
    </EmailFrame>
  )
}

export const PreviewProps = {
  locale: 'ja',
  workspaceName: 'さくら印刷',
  memberName: '佐藤 彩',
  customerName: '山田 太郎',
  boardName: '名刺 100枚（両面カラー）',
  message: {
    no: 4,
    body: '校正ありがとうございます。\n電話番号の市外局番を 03 から 045 に直していただけますか？\nそれ以外は問題ありません。',
    postedAt: '11月24日(火) 18:42',
  },
  boardUrl: 'https://orderboard.example/w/sakura/boards/3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f',
  settingsUrl: 'https://orderboard.example/w/sakura/settings',
} satisfies MemberNotificationProps

MemberNotification.PreviewProps = PreviewProps
