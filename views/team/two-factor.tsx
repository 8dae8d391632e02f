import type { SignedInView } from '../../src/auth/auth.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'

/** Profile → two-step sign-in: enrol with a QR code, see recovery codes once, turn it off. */
export function TwoFactorPage(
  props: PageProps & {
    auth: SignedInView
    /** present while not enrolled */
    enrolment?: { secret: string; svg: string }
    /** right after enabling: shown this once */
    recoveryCodes?: string[]
    remaining?: number
    /** the workspace requires it and this member has not enrolled yet */
    required?: boolean
    problems?: FieldProblem[]
    disableProblems?: FieldProblem[]
  },
) {
  const { t, auth, locale } = props
  const ja = locale === 'ja'
  const base = `/w/${auth.workspace.slug}/me/2fa`
  const L = ja
    ? {
        title: '2段階認証',
        required:
          'このワークスペースでは2段階認証が必須です。設定が終わるまで、ほかの画面は使えません。',
        step1:
          '1. 認証アプリ（Google Authenticator、Microsoft Authenticator、1Password など）でこのQRコードを読み取ってください。',
        manual: '読み取れない場合は、このキーを入力してください:',
        step2: '2. アプリに表示された6桁のコードを入力してください。',
        code: '確認コード',
        enable: '2段階認証をオンにする',
        on: '2段階認証はオンです。ログインのたびに認証アプリのコードを入力します。',
        codesTitle: 'リカバリーコード',
        codesNote:
          'スマートフォンをなくしたときに、コードの代わりに1回ずつ使えます。今だけ表示されます。安全な場所に保管してください。',
        remaining: (n: number) => `未使用のリカバリーコード: ${n}個`,
        disableTitle: '2段階認証をオフにする',
        password: '現在のパスワード',
        disable: 'オフにする',
        back: '← プロフィール',
      }
    : {
        title: 'Two-step sign-in',
        required: 'This workspace requires two-step sign-in. Other pages open once it is set up.',
        step1:
          '1. Scan this QR code with an authenticator app (Google Authenticator, Microsoft Authenticator, 1Password …).',
        manual: 'If you cannot scan it, enter this key:',
        step2: '2. Enter the 6-digit code the app shows.',
        code: 'Code',
        enable: 'Turn on two-step sign-in',
        on: 'Two-step sign-in is on: every sign-in asks for a code from your authenticator app.',
        codesTitle: 'Recovery codes',
        codesNote:
          'If you lose your phone, each of these works once instead of a code. They are shown only now: keep them somewhere safe.',
        remaining: (n: number) => `Unused recovery codes: ${n}`,
        disableTitle: 'Turn off two-step sign-in',
        password: 'Current password',
        disable: 'Turn off',
        back: '← Profile',
      }
  const qr = props.enrolment ? `data:image/svg+xml;base64,${btoa(props.enrolment.svg)}` : undefined
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={L.title}>
      <p>
        <a class="back" href={`/w/${auth.workspace.slug}/me`}>
          {L.back}
        </a>
      </p>
      <div class="page-head">
        <h1>{L.title}</h1>
      </div>
      {props.required ? (
        <p class="alert error" role="alert">
          {L.required}
        </p>
      ) : null}
      {props.recoveryCodes ? (
        <section class="card secret-card" role="status">
          <h2>{L.codesTitle}</h2>
          <p>{L.codesNote}</p>
          <ul class="recovery-codes">
            {props.recoveryCodes.map((code) => (
              <li>
                <code>{code}</code>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {props.enrolment ? (
        <form method="post" action={`${base}/enable`} class="card form">
          <CsrfField token={auth.csrfToken} />
          {props.problems?.length ? (
            <p class="alert error" role="alert">
              {t('error.validation')}
            </p>
          ) : null}
          <p>{L.step1}</p>
          <img class="totp-qr" src={qr} width={200} height={200} alt="QR code" />
          <p class="small">
            {L.manual} <code class="totp-secret">{props.enrolment.secret}</code>
          </p>
          <p>{L.step2}</p>
          <label>
            {L.code}
            <input
              name="code"
              inputmode="numeric"
              autocomplete="one-time-code"
              required
              maxlength={10}
            />
            <FieldError t={t} field="code" problems={props.problems} />
          </label>
          <div class="actions">
            <button type="submit" class="primary">
              {L.enable}
            </button>
          </div>
        </form>
      ) : (
        <>
          <section class="card">
            <p>✓ {L.on}</p>
            {props.remaining !== undefined ? (
              <p class="muted small">{L.remaining(props.remaining)}</p>
            ) : null}
          </section>
          {auth.workspace.require2fa ? null : (
            <form method="post" action={`${base}/disable`} class="card form">
              <CsrfField token={auth.csrfToken} />
              <h2>{L.disableTitle}</h2>
              <label>
                {L.password}
                <input
                  type="password"
                  name="current_password"
                  autocomplete="current-password"
                  required
                />
                <FieldError t={t} field="current_password" problems={props.disableProblems} />
              </label>
              <div class="actions">
                <button type="submit" class="danger-outline">
                  {L.disable}
                </button>
              </div>
            </form>
          )}
        </>
      )}
    </MemberLayout>
  )
}
