/** @jsxImportSource react */
import { Link, Section, Text } from '@react-email/components'
import { Fragment, type ReactNode } from 'react'
import {
  colors,
  Divider,
  EmailFrame,
  MessageCard,
  Name,
  PrimaryButton,
  paragraph,
  small,
  UrlLine,
} from './layout'
import type { EmailAttachment } from './layout'

/** The customer's email for one public staff post. */
export interface GuestNotificationProps {
  locale: 'ja' | 'en'
  workspaceName: string
  customerName: string
  boardName: string
  message: {
    no: number
    authorName: string
    body: string
    /** already formatted in the workspace time zone */
    postedAt: string
    /** files posted with the message, named only (the board holds them) */
    attachments?: EmailAttachment[]
  }
  /** the customer's link to the board (carries the secret) */
  boardUrl: string
  /** the board's expiry date, formatted in the workspace time zone */
  expiresOn: string
  contactEmail?: string | null
  contactPhone?: string | null
  /** replies by email reach the board (INBOUND_DOMAIN set): show the separator, not "no-reply" */
  replyByEmail?: boolean
  /**
   * The post made the board 完了 and the workspace asks for a rating: the question and one link
   * per point of the scale, worst first (each opens a confirmation form; nothing is recorded
   * until the customer sends it).
   */
  rating?: { question: string; links: { score: number; label: string; url: string }[] }
}

/** The line the inbound parser cuts at (src/inbound/inbound.strip.ts): keep both in step. */
export const REPLY_SEPARATOR = '---- この線より上にご返信ください / Reply above this line ----'

const copy = {
  ja: {
    greeting: (name: ReactNode) => <>{name} 様</>,
    intro: (workspace: ReactNode, board: ReactNode) => (
      <>
        {workspace}から「{board}」に新しいメッセージが届きました。
      </>
    ),
    button: 'チャットボードを開いて返信する',
    expires: (date: string) =>
      `このチャットボードは ${date} まで表示されます（やりとりがあると自動で延長されます）。`,
    fallback: 'ボタンが開けない場合は、次のURLをブラウザに貼り付けてください。',
    noReply: 'このメールは送信専用です。ご返信はチャットボードからお願いいたします。',
    replyOk: 'このメールに返信すると、チャットボードに投稿されます。',
    private: 'このメールのリンクはお客様専用です。ほかの方に転送しないでください。',
    contact: 'お問い合わせ',
    ratingHint: '当てはまるものを押すと、確認画面が開きます（コメントも書き添えられます）。',
  },
  en: {
    greeting: (name: ReactNode) => <>Dear {name},</>,
    intro: (workspace: ReactNode, board: ReactNode) => (
      <>
        {workspace} posted a new message on “{board}”.
      </>
    ),
    button: 'Open the board and reply',
    expires: (date: string) =>
      `This board stays available until ${date} (it is extended whenever someone posts).`,
    fallback: 'If the button does not work, paste this address into your browser:',
    noReply: 'Replies to this email are not read. Please answer on the board.',
    replyOk: 'Replying to this email posts your answer on the board.',
    private: 'The link in this email is yours alone; please do not forward it.',
    contact: 'Contact',
    ratingHint: 'Choose one to open a short confirmation page (you can add a comment there).',
  },
} as const

export function guestNotificationSubject(
  props: Pick<GuestNotificationProps, 'locale' | 'workspaceName'>,
) {
  return props.locale === 'ja'
    ? `チャットボード通知【${props.workspaceName}】`
    : `Board update [${props.workspaceName}]`
}

export default function GuestNotification(props: GuestNotificationProps) {
  const c = copy[props.locale]
  const contact = [props.contactEmail, props.contactPhone].filter((value): value is string =>
    Boolean(value),
  )
  return (
    <EmailFrame
      lang={props.locale}
      brand={<Name>{props.workspaceName}</Name>}
      preview={`No.${props.message.no} ${props.message.authorName}: ${props.message.body.slice(0, 90)}`}
      footer={
        <>
          <Text style={small}>{props.replyByEmail ? c.replyOk : c.noReply}</Text>
          <Text style={small}>{c.private}</Text>
          <Text style={small}>
            <Name>{props.workspaceName}</Name>
            {contact.length ? ` · ${c.contact}: ` : null}
            {contact.map((value, i) => (
              <Fragment key={i}>
                {i > 0 ? ' / ' : null}
                <Name>{value}</Name>
              </Fragment>
            ))}
          </Text>
        </>
      }
    >
      {props.replyByEmail ? <Text style={small}>{REPLY_SEPARATOR}</Text> : null}
      <Text style={{ ...paragraph, fontWeight: 700 }}>
        {c.greeting(<Name>{props.customerName}</Name>)}
      </Text>
      <Text style={paragraph}>
        {c.intro(<Name>{props.workspaceName}</Name>, <Name>{props.boardName}</Name>)}
      </Text>
      <MessageCard
        heading={
          <>
            {`No.${props.message.no} · `}
            <Name>{props.message.authorName}</Name>
            {` · ${props.message.postedAt}`}
          </>
        }
        body={props.message.body}
        attachments={props.message.attachments}
      />
      <PrimaryButton href={props.boardUrl}>{c.button}</PrimaryButton>
      {props.rating ? <RatingLinks {...props.rating} hint={c.ratingHint} /> : null}
      <Divider />
      <Text style={small}>{c.expires(props.expiresOn)}</Text>
      <Text style={small}>{c.fallback}</Text>
      <UrlLine href={props.boardUrl} />
    </EmailFrame>
  )
}

/** The question and its five one-click links, one per line so they read well in plain text too. */
function RatingLinks(props: NonNullable<GuestNotificationProps['rating']> & { hint: string }) {
  return (
    <Section
      style={{
        border: `1px solid ${colors.line}`,
        borderRadius: '8px',
        padding: '12px 16px',
        margin: '16px 0 4px',
      }}
    >
      <Text style={{ ...paragraph, fontWeight: 700, margin: '0 0 4px' }}>{props.question}</Text>
      <Text style={small}>{props.hint}</Text>
      {props.links.map((link) => (
        <Text style={{ ...paragraph, margin: '0 0 4px' }} key={link.score}>
          <Link href={link.url} style={{ color: colors.accent, fontWeight: 700 }}>
            {`${link.score} ${link.label}`}
          </Link>
        </Text>
      ))}
    </Section>
  )
}

export const PreviewProps = {
  locale: 'ja',
  workspaceName: 'さくら印刷',
  customerName: '山田 太郎',
  boardName: '名刺 100枚（両面カラー）',
  message: {
    no: 3,
    authorName: '佐藤 彩',
    body: '山田様\n\n校正データをお送りします。\nロゴの位置と電話番号をご確認のうえ、問題なければ「決定」とご返信ください。\n\n再校正デザインは12月5日(金)にご提示します。',
    postedAt: '11月24日(火) 10:00',
  },
  boardUrl:
    'https://orderboard.example/g/3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f/q8Zk1mW0pT3vX5yA7bC9dE1fG3hJ5kL7',
  expiresOn: '12月24日(木)',
  contactEmail: 'info@sakura-print.example',
  contactPhone: '03-1234-5678',
} satisfies GuestNotificationProps

GuestNotification.PreviewProps = PreviewProps
