/** @jsxImportSource react */
import { Text } from '@react-email/components'
import { Fragment, type ReactNode } from 'react'
import { Divider, EmailFrame, Name, PrimaryButton, paragraph, small, UrlLine } from './layout'

/**
 * The emails that carry a one-time link to a person's own account: an invitation to a
 * workspace, a password reset, the confirmation of a new email address. Each link is single use
 * and stored hashed; the email says how long it stays valid.
 */
export interface AccountLinkProps {
  locale: 'ja' | 'en'
  kind: 'invitation' | 'password-reset' | 'email-change'
  workspaceName: string
  /** invitation: who invited; others: the member's own name */
  personName: string
  /** invitation: the role offered, already translated */
  roleLabel?: string
  url: string
  /** the moment the link stops working, already formatted in the workspace's time zone */
  validUntil: string
}

/** How a sentence sets a name: isolated in the email, as it is in the preview line. */
type Named = (name: string) => ReactNode

const copy = {
  ja: {
    invitation: {
      subject: (p: AccountLinkProps) => `${p.workspaceName} の Orderboard に招待されました`,
      lead: (p: AccountLinkProps, n: Named) => [
        n(p.personName),
        ' さんから、',
        n(p.workspaceName),
        ` の Orderboard に「${p.roleLabel ?? ''}」として招待されました。下のボタンから名前とパスワードを決めて参加してください。`,
      ],
      button: '招待を受ける',
      ignore: 'お心当たりがない場合は、このメールを破棄してください。',
    },
    'password-reset': {
      subject: (p: AccountLinkProps) => `パスワードの再設定（${p.workspaceName}）`,
      lead: (p: AccountLinkProps, n: Named) => [
        n(p.personName),
        ' さん、パスワードの再設定を受け付けました。下のボタンから新しいパスワードを設定してください。設定すると、すべての端末からログアウトします。',
      ],
      button: 'パスワードを再設定',
      ignore: 'お心当たりがない場合は、このメールを破棄してください。パスワードは変わりません。',
    },
    'email-change': {
      subject: (p: AccountLinkProps) => `メールアドレスの確認（${p.workspaceName}）`,
      lead: (p: AccountLinkProps, n: Named) => [
        n(p.personName),
        ' さん、Orderboard のログイン用メールアドレスをこのアドレスに変更します。下のボタンで確定してください。',
      ],
      button: 'このアドレスに変更',
      ignore: 'お心当たりがない場合は、このメールを破棄してください。何も変わりません。',
    },
    valid: (until: string) => `このリンクは ${until} まで、一度だけ使えます。`,
  },
  en: {
    invitation: {
      subject: (p: AccountLinkProps) => `You are invited to ${p.workspaceName} on Orderboard`,
      lead: (p: AccountLinkProps, n: Named) => [
        n(p.personName),
        ' invited you to ',
        n(p.workspaceName),
        ` on Orderboard as ${p.roleLabel ?? ''}. Choose your name and password to join.`,
      ],
      button: 'Accept the invitation',
      ignore: 'If you did not expect this, ignore this email.',
    },
    'password-reset': {
      subject: (p: AccountLinkProps) => `Reset your password (${p.workspaceName})`,
      lead: (p: AccountLinkProps, n: Named) => [
        n(p.personName),
        ', we received a request to reset your password. Set a new one with the button below; every device will be signed out.',
      ],
      button: 'Reset password',
      ignore: 'If you did not ask for this, ignore this email. Your password stays as it is.',
    },
    'email-change': {
      subject: (p: AccountLinkProps) => `Confirm your email address (${p.workspaceName})`,
      lead: (p: AccountLinkProps, n: Named) => [
        n(p.personName),
        ', confirm that you want to sign in to Orderboard with this address.',
      ],
      button: 'Use this address',
      ignore: 'If you did not ask for this, ignore this email. Nothing changes.',
    },
    valid: (until: string) => `This link works once, until ${until}.`,
  },
} as const

export function accountLinkSubject(props: AccountLinkProps) {
  return copy[props.locale][props.kind].subject(props)
}

export default function AccountLink(props: AccountLinkProps) {
  const c = copy[props.locale]
  const k = c[props.kind]
  return (
    <EmailFrame
      lang={props.locale}
      brand={
        <>
          Orderboard · <Name>{props.workspaceName}</Name>
        </>
      }
      preview={k
        .lead(props, (name) => name)
        .join('')
        .slice(0, 90)}
      footer={<Text style={small}>{k.ignore}</Text>}
    >
      <Text style={paragraph}>
        {k
          .lead(props, (name) => <Name>{name}</Name>)
          .map((part, i) => (
            <Fragment key={i}>{part}</Fragment>
          ))}
      </Text>
      <PrimaryButton href={props.url}>{k.button}</PrimaryButton>
      <Text style={small}>{c.valid(props.validUntil)}</Text>
      <Divider />
      <UrlLine href={props.url} />
    </EmailFrame>
  )
}

export const PreviewProps = {
  locale: 'ja',
  kind: 'invitation',
  workspaceName: 'さくら印刷',
  personName: '佐藤 彩',
  roleLabel: 'メンバー',
  url: 'https://orderboard.example.com/invite/abc',
  validUntil: '12月1日(火) 10:00',
} satisfies AccountLinkProps
