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

/** A member's email when a customer rates a board 1 or 2 (満足度, issue #18). */
export interface RatingAlertProps {
  locale: 'ja' | 'en'
  workspaceName: string
  memberName: string
  customerName: string
  boardName: string
  /** 1–2, with its words ("2 不満") */
  score: number
  scoreLabel: string
  comment: string | null
  /** already formatted in the workspace time zone */
  ratedAt: string
  /** the staff board page */
  boardUrl: string
  /** where the member turns these emails off */
  settingsUrl: string
}

const copy = {
  ja: {
    greeting: (name: ReactNode) => <>{name} さん</>,
    intro: (customer: ReactNode, board: ReactNode) => [
      customer,
      ' 様が「',
      board,
      '」に低い評価をつけました。早めにご様子をうかがってください。',
    ],
    rating: '満足度',
    noComment: '（コメントはありません）',
    button: 'チャットボードを開く',
    settings: 'このメールは、お客様の投稿の通知をオンにしているメンバーに送られます。',
    settingsLink: '通知の設定を変更する',
  },
  en: {
    greeting: (name: ReactNode) => <>Hi {name},</>,
    intro: (customer: ReactNode, board: ReactNode) => [
      customer,
      ' gave “',
      board,
      '” a low rating. Please check in with them soon.',
    ],
    rating: 'Rating',
    noComment: '(no comment)',
    button: 'Open the board',
    settings: 'You get this email because your notifications of customer posts are on.',
    settingsLink: 'Change notification settings',
  },
} as const

export function ratingAlertSubject(
  props: Pick<RatingAlertProps, 'locale' | 'boardName' | 'score'>,
) {
  return props.locale === 'ja'
    ? `【満足度 ${props.score}/5】${props.boardName}`
    : `[Rating ${props.score}/5] ${props.boardName}`
}

export default function RatingAlert(props: RatingAlertProps) {
  const c = copy[props.locale]
  return (
    <EmailFrame
      lang={props.locale}
      brand={<Name>{props.workspaceName}</Name>}
      preview={c.intro(props.customerName, props.boardName).join('')}
      footer={<SettingsFooter text={c.settings} link={c.settingsLink} href={props.settingsUrl} />}
    >
      <Text style={{ ...paragraph, fontWeight: 700 }}>
        {c.greeting(<Name>{props.memberName}</Name>)}
      </Text>
      <Text style={paragraph}>
        {c
          .intro(<Name>{props.customerName}</Name>, <Name>{props.boardName}</Name>)
          .map((part, i) => (
            <Fragment key={i}>{part}</Fragment>
          ))}
      </Text>
      <MessageCard
        heading={`${c.rating} ${props.score}/5 · ${props.scoreLabel} · ${props.ratedAt}`}
        body={props.comment ?? c.noComment}
      />
      <PrimaryButton href={props.boardUrl}>{c.button}</PrimaryButton>
      <Divider />
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
  score: 2,
  scoreLabel: '不満',
  comment: '仕上がりは良かったのですが、返信が遅く不安でした。',
  ratedAt: '12月5日(土) 19:02',
  boardUrl: 'https://orderboard.example/w/sakura/boards/3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f',
  settingsUrl: 'https://orderboard.example/w/sakura/settings',
} satisfies RatingAlertProps

RatingAlert.PreviewProps = PreviewProps
