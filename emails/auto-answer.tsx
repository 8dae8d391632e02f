/** @jsxImportSource react */
import { Text } from '@react-email/components'
import { Divider, EmailFrame, MessageCard, Name, PrimaryButton, small, UrlLine } from './layout'

/** The customer's email for one automatic answer (設定 → 営業時間と自動応答). */
export interface AutoAnswerProps {
  locale: 'ja' | 'en'
  workspaceName: string
  /** the answer as sent: the workspace's text with its variables filled in */
  body: string
  /** already formatted in the workspace time zone */
  sentAt: string
  /** the customer's link to the board (carries the secret) */
  boardUrl: string
  /** replies by email reach the board (INBOUND_DOMAIN set) */
  replyByEmail?: boolean
}

const copy = {
  ja: {
    label: '自動応答',
    button: 'チャットボードを開く',
    fallback: 'ボタンが開けない場合は、次のURLをブラウザに貼り付けてください。',
    auto: 'このメールは、お客様のメッセージに自動でお送りしています。担当者からのご返信は、あらためてお知らせします。',
    replyOk: 'このメールに返信すると、チャットボードに投稿されます。',
    private: 'このメールのリンクはお客様専用です。ほかの方に転送しないでください。',
  },
  en: {
    label: 'Automatic answer',
    button: 'Open the board',
    fallback: 'If the button does not work, paste this address into your browser:',
    auto: 'This email was sent automatically in answer to your message. We will let you know when a person has answered.',
    replyOk: 'Replying to this email posts your answer on the board.',
    private: 'The link in this email is yours alone; please do not forward it.',
  },
} as const

export function autoAnswerSubject(props: Pick<AutoAnswerProps, 'locale' | 'workspaceName'>) {
  return props.locale === 'ja'
    ? `メッセージを受け付けました【${props.workspaceName}】`
    : `We received your message [${props.workspaceName}]`
}

export default function AutoAnswer(props: AutoAnswerProps) {
  const c = copy[props.locale]
  return (
    <EmailFrame
      lang={props.locale}
      brand={<Name>{props.workspaceName}</Name>}
      preview={props.body.slice(0, 90)}
      footer={
        <>
          <Text style={small}>{c.auto}</Text>
          {props.replyByEmail ? <Text style={small}>{c.replyOk}</Text> : null}
          <Text style={small}>{c.private}</Text>
        </>
      }
    >
      <MessageCard
        heading={
          <>
            {`${c.label} · `}
            <Name>{props.workspaceName}</Name>
            {` · ${props.sentAt}`}
          </>
        }
        body={props.body}
      />
      <PrimaryButton href={props.boardUrl}>{c.button}</PrimaryButton>
      <Divider />
      <Text style={small}>{c.fallback}</Text>
      <UrlLine href={props.boardUrl} />
    </EmailFrame>
  )
}

export const PreviewProps = {
  locale: 'ja',
  workspaceName: 'さくら印刷',
  body: 'メッセージをありがとうございます。さくら印刷です。\n内容を確認し、12月7日(月) 9:00以降、担当者より順にご返信いたします。通常、ご返信には1営業日いただいております。',
  sentAt: '12月5日(土) 19:02',
  boardUrl:
    'https://orderboard.example/g/3f6c1d1e-5a6b-4c8e-9f10-1a2b3c4d5e6f/q8Zk1mW0pT3vX5yA7bC9dE1fG3hJ5kL7',
} satisfies AutoAnswerProps

AutoAnswer.PreviewProps = PreviewProps
