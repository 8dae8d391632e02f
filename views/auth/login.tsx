import { Document, type PageProps } from '../layout'

export function LoginPage(
  props: PageProps & { email?: string; next?: string; error?: string; notice?: string },
) {
  const { t } = props
  return (
    <Document title={`${t('login.title')} · Orderboard`} locale={props.locale}>
      <main class="page narrow center">
        <form class="card login" method="post" action="/login">
          <h1 class="login-brand">
            <span class="brand-mark" aria-hidden="true">
              ◧
            </span>{' '}
            Orderboard
          </h1>
          {props.notice ? (
            <p class="alert info" role="status">
              {props.notice}
            </p>
          ) : null}
          {props.error ? (
            <p class="alert error" role="alert">
              {props.error}
            </p>
          ) : null}
          <label>
            {t('login.email')}
            <input
              type="email"
              name="email"
              value={props.email ?? ''}
              autocomplete="username"
              required
              autofocus
            />
          </label>
          <label>
            {t('login.password')}
            <input type="password" name="password" autocomplete="current-password" required />
          </label>
          {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
          <button class="primary wide" type="submit">
            {t('login.submit')}
          </button>
          <p class="muted small center">
            <a href="/password/forgot">{t('login.forgot')}</a>
          </p>
          <p class="muted small center">
            <a href={`/login?lang=${props.locale === 'ja' ? 'en' : 'ja'}`}>{t('nav.language')}</a>
          </p>
        </form>
      </main>
    </Document>
  )
}
