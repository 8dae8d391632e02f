import type { Child } from 'hono/jsx'
import type { Locale } from '../../src/db/schema'
import type { FieldProblem } from '../../src/shared/errors'
import { FieldError } from '../components'
import { Document, type PageProps } from '../layout'

/** The signed-out pages' frame: one card, like the login page. */
function AccountCard(
  props: PageProps & {
    title: string
    /** the card's heading when it names something (a workspace): the title with it isolated */
    heading?: Child
    action?: string
    error?: string
    children: Child
  },
) {
  const body = (
    <>
      <h1 class="login-brand">
        <span class="brand-mark" aria-hidden="true">
          ◧
        </span>{' '}
        Orderboard
      </h1>
      <h2>{props.heading ?? props.title}</h2>
      {props.error ? (
        <p class="alert error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.children}
    </>
  )
  return (
    <Document title={`${props.title} · Orderboard`} locale={props.locale}>
      <main class="page narrow center">
        {props.action ? (
          <form class="card login" method="post" action={props.action}>
            {body}
          </form>
        ) : (
          <div class="card login">{body}</div>
        )}
      </main>
    </Document>
  )
}

const words = (locale: Locale) =>
  locale === 'ja'
    ? {
        acceptTitle: (w: string) => `${w} に参加`,
        acceptHeading: (w: Child) => <>{w} に参加</>,
        acceptLead: (email: Child, role: string) => (
          <>
            {email} を「{role}」として登録します。表示名とパスワードを決めてください。
          </>
        ),
        name: '表示名（お客様にも表示されます）',
        password: 'パスワード（8文字以上）',
        join: '参加する',
        invalidTitle: 'リンクが使えません',
        toLogin: 'ログイン画面へ',
        forgotTitle: 'パスワードをお忘れの方',
        forgotLead: '登録したメールアドレスを入力してください。再設定用のリンクをお送りします。',
        email: 'メールアドレス',
        send: 'リンクを送る',
        sent: 'このアドレスが登録されていれば、再設定用のリンクを送りました（1時間有効）。メールをご確認ください。',
        resetTitle: '新しいパスワード',
        resetLead: '設定すると、すべての端末からログアウトします。',
        newPassword: '新しいパスワード（8文字以上）',
        save: 'パスワードを設定',
        codeTitle: '2段階認証',
        codeLead:
          '認証アプリに表示されている6桁のコード、またはリカバリーコードを入力してください。',
        code: '確認コード',
        verify: 'ログイン',
        emailChangedTitle: 'メールアドレスを変更しました',
        emailChanged: (email: Child) => <>次回から {email} でログインしてください。</>,
      }
    : {
        acceptTitle: (w: string) => `Join ${w}`,
        acceptHeading: (w: Child) => <>Join {w}</>,
        acceptLead: (email: Child, role: string) => (
          <>
            {email} joins as {role}. Choose your display name and password.
          </>
        ),
        name: 'Display name (customers see it too)',
        password: 'Password (8 characters or more)',
        join: 'Join',
        invalidTitle: 'This link cannot be used',
        toLogin: 'Go to sign-in',
        forgotTitle: 'Forgot your password?',
        forgotLead:
          'Enter the address you sign in with; we will send a link to set a new password.',
        email: 'Email address',
        send: 'Send link',
        sent: 'If this address is registered, a link to set a new password is on its way (valid for 1 hour). Check your email.',
        resetTitle: 'New password',
        resetLead: 'Setting it signs you out on every device.',
        newPassword: 'New password (8 characters or more)',
        save: 'Set password',
        codeTitle: 'Two-step sign-in',
        codeLead: 'Enter the 6-digit code from your authenticator app, or a recovery code.',
        code: 'Code',
        verify: 'Sign in',
        emailChangedTitle: 'Email address changed',
        emailChanged: (email: Child) => <>From now on, sign in with {email}.</>,
      }

export function AcceptInvitationPage(
  props: PageProps & {
    token: string
    workspaceName: string
    email: string
    roleLabel: string
    problems?: FieldProblem[]
    values?: Record<string, string>
  },
) {
  const W = words(props.locale)
  return (
    <AccountCard
      {...props}
      title={W.acceptTitle(props.workspaceName)}
      heading={W.acceptHeading(<bdi>{props.workspaceName}</bdi>)}
      action={`/invite/${props.token}`}
    >
      <p class="muted">{W.acceptLead(<bdi>{props.email}</bdi>, props.roleLabel)}</p>
      <label>
        {W.name}
        <input name="name" value={props.values?.name ?? ''} required maxlength={100} autofocus />
        <FieldError t={props.t} field="name" problems={props.problems} />
      </label>
      <label>
        {W.password}
        <input type="password" name="password" autocomplete="new-password" required minlength={8} />
        <FieldError t={props.t} field="password" problems={props.problems} />
      </label>
      <button class="primary wide" type="submit">
        {W.join}
      </button>
    </AccountCard>
  )
}

export function LinkInvalidPage(props: PageProps) {
  const W = words(props.locale)
  return (
    <AccountCard {...props} title={W.invalidTitle}>
      <p>{props.t('team.link_invalid')}</p>
      <p>
        <a href="/login">{W.toLogin}</a>
      </p>
    </AccountCard>
  )
}

export function ForgotPasswordPage(
  props: PageProps & { sent?: boolean; email?: string; error?: string; problems?: FieldProblem[] },
) {
  const W = words(props.locale)
  return (
    <AccountCard {...props} title={W.forgotTitle} action="/password/forgot">
      {props.sent ? (
        <p class="alert info" role="status">
          {W.sent}
        </p>
      ) : (
        <p class="muted">{W.forgotLead}</p>
      )}
      <label>
        {W.email}
        <input
          type="email"
          name="email"
          value={props.email ?? ''}
          autocomplete="username"
          required
          autofocus
        />
        <FieldError t={props.t} field="email" problems={props.problems} />
      </label>
      <button class="primary wide" type="submit">
        {W.send}
      </button>
      <p class="muted small center">
        <a href="/login">{W.toLogin}</a>
      </p>
    </AccountCard>
  )
}

export function ResetPasswordPage(props: PageProps & { token: string; problems?: FieldProblem[] }) {
  const W = words(props.locale)
  return (
    <AccountCard {...props} title={W.resetTitle} action={`/reset/${props.token}`}>
      <p class="muted">{W.resetLead}</p>
      <label>
        {W.newPassword}
        <input
          type="password"
          name="password"
          autocomplete="new-password"
          required
          minlength={8}
          autofocus
        />
        <FieldError t={props.t} field="password" problems={props.problems} />
      </label>
      <button class="primary wide" type="submit">
        {W.save}
      </button>
    </AccountCard>
  )
}

export function TwoFactorLoginPage(props: PageProps & { error?: string; next?: string }) {
  const W = words(props.locale)
  return (
    <AccountCard {...props} title={W.codeTitle} action="/login/2fa">
      <p class="muted">{W.codeLead}</p>
      <label>
        {W.code}
        <input
          name="code"
          inputmode="numeric"
          autocomplete="one-time-code"
          required
          maxlength={20}
          autofocus
        />
      </label>
      {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
      <button class="primary wide" type="submit">
        {W.verify}
      </button>
      <p class="muted small center">
        <a href="/login">{W.toLogin}</a>
      </p>
    </AccountCard>
  )
}

export function EmailChangedPage(props: PageProps & { email: string }) {
  const W = words(props.locale)
  return (
    <AccountCard {...props} title={W.emailChangedTitle}>
      <p>{W.emailChanged(<bdi>{props.email}</bdi>)}</p>
      <p>
        <a href="/login">{W.toLogin}</a>
      </p>
    </AccountCard>
  )
}
