import type { SignedInView } from '../../src/auth/auth.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'
import { MemberNotificationForm } from '../notifications/settings-form'
import { DigestForm } from '../next-contact/settings'

export type ProfileForm = 'profile' | 'password' | 'email'

/** One's own profile: name and language, password, email, two-step sign-in, notifications. */
export function ProfilePage(
  props: PageProps & {
    auth: SignedInView
    notice?: string
    /** the form the problems belong to */
    form?: ProfileForm
    problems?: FieldProblem[]
    values?: Record<string, string>
  },
) {
  const { t, auth, locale } = props
  const ja = locale === 'ja'
  const me = auth.member
  const base = `/w/${auth.workspace.slug}/me`
  const L = ja
    ? {
        title: 'プロフィール',
        name: '表示名（お客様にも表示されます）',
        language: '表示言語',
        followWorkspace: 'ワークスペースに合わせる',
        save: '保存',
        passwordTitle: 'パスワードの変更',
        passwordLead: '変更すると、この端末以外のすべての端末からログアウトします。',
        current: '現在のパスワード',
        next: '新しいパスワード（8文字以上）',
        change: '変更する',
        emailTitle: 'ログイン用メールアドレス',
        emailLead: (email: string) =>
          `現在: ${email}。新しいアドレスに確認リンクを送り、リンクを開いた時点で変更されます。`,
        newEmail: '新しいメールアドレス',
        sendLink: '確認リンクを送る',
        twofaTitle: '2段階認証',
        twofaOn: 'オンになっています。',
        twofaOff: 'オフです。ログインのたびに認証アプリのコードを求めるようにできます。',
        twofaLink: '2段階認証の設定',
      }
    : {
        title: 'Profile',
        name: 'Display name (customers see it too)',
        language: 'Language',
        followWorkspace: 'Same as the workspace',
        save: 'Save',
        passwordTitle: 'Change password',
        passwordLead: 'Every other device is signed out when you change it.',
        current: 'Current password',
        next: 'New password (8 characters or more)',
        change: 'Change',
        emailTitle: 'Sign-in email address',
        emailLead: (email: string) =>
          `Now: ${email}. A confirmation link goes to the new address; it changes when you open the link.`,
        newEmail: 'New email address',
        sendLink: 'Send confirmation link',
        twofaTitle: 'Two-step sign-in',
        twofaOn: 'On.',
        twofaOff: 'Off. You can be asked for a code from an authenticator app at every sign-in.',
        twofaLink: 'Two-step sign-in settings',
      }
  const problemsFor = (form: ProfileForm) => (props.form === form ? props.problems : undefined)
  const v = props.values ?? {}
  const alertFor = (form: ProfileForm) =>
    problemsFor(form)?.length ? (
      <p class="alert error" role="alert">
        {t('error.validation')}
      </p>
    ) : null
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={L.title}>
      <div class="page-head">
        <h1>{L.title}</h1>
      </div>
      {props.notice ? (
        <p class="alert info" role="status">
          ✓ {props.notice}
        </p>
      ) : null}
      <form method="post" action={base} class="card form">
        <CsrfField token={auth.csrfToken} />
        {alertFor('profile')}
        <div class="row">
          <label class="grow">
            {L.name}
            <input name="name" value={v.name ?? me.name} required maxlength={100} />
            <FieldError t={t} field="name" problems={problemsFor('profile')} />
          </label>
          <label class="grow">
            {t('profile.name_kana')}
            <input name="name_kana" value={v.name_kana ?? me.nameKana ?? ''} maxlength={100} />
            <span class="hint">{t('profile.name_kana_hint')}</span>
            <FieldError t={t} field="name_kana" problems={problemsFor('profile')} />
          </label>
          <label>
            {L.language}
            <select name="locale">
              <option value="" selected={me.locale === null}>
                {L.followWorkspace}
              </option>
              <option value="ja" selected={me.locale === 'ja'}>
                日本語
              </option>
              <option value="en" selected={me.locale === 'en'}>
                English
              </option>
            </select>
          </label>
        </div>
        <div class="actions">
          <button type="submit" class="primary">
            {L.save}
          </button>
        </div>
      </form>
      <form method="post" action={`${base}/password`} class="card form" id="password">
        <CsrfField token={auth.csrfToken} />
        <h2>{L.passwordTitle}</h2>
        <p class="muted small">{L.passwordLead}</p>
        {alertFor('password')}
        <label>
          {L.current}
          <input type="password" name="current_password" autocomplete="current-password" required />
          <FieldError t={t} field="current_password" problems={problemsFor('password')} />
        </label>
        <label>
          {L.next}
          <input
            type="password"
            name="new_password"
            autocomplete="new-password"
            required
            minlength={8}
          />
          <FieldError t={t} field="new_password" problems={problemsFor('password')} />
        </label>
        <div class="actions">
          <button type="submit">{L.change}</button>
        </div>
      </form>
      <form method="post" action={`${base}/email`} class="card form" id="email">
        <CsrfField token={auth.csrfToken} />
        <h2>{L.emailTitle}</h2>
        <p class="muted small">{L.emailLead(me.email)}</p>
        {alertFor('email')}
        <label>
          {L.newEmail}
          <input type="email" name="email" value={v.email ?? ''} required maxlength={254} />
          <FieldError t={t} field="email" problems={problemsFor('email')} />
        </label>
        <label>
          {L.current}
          <input type="password" name="current_password" autocomplete="current-password" required />
          <FieldError t={t} field="current_password" problems={problemsFor('email')} />
        </label>
        <div class="actions">
          <button type="submit">{L.sendLink}</button>
        </div>
      </form>
      <section class="card form" id="two-factor">
        <h2>{L.twofaTitle}</h2>
        <p>{me.twoFactor ? L.twofaOn : L.twofaOff}</p>
        <p>
          <a href={`${base}/2fa`}>{L.twofaLink}</a>
        </p>
      </section>
      <MemberNotificationForm t={t} locale={locale} auth={auth} />
      <DigestForm t={t} auth={auth} />
    </MemberLayout>
  )
}
