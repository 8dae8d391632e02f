import type { Child } from 'hono/jsx'
import type { Locale } from '../src/db/schema'
import type { SignedInView } from '../src/auth/auth.view-model'
import type { Translate } from '../src/shared/i18n'
import { withoutBidiControls } from '../src/shared/validation'

// 422 answers carry the form with its errors, so htmx swaps them in like a success.
const HTMX_CONFIG = JSON.stringify({
  includeIndicatorStyles: false,
  allowEval: false,
  historyCacheSize: 0,
  responseHandling: [
    { code: '204', swap: false },
    { code: '[23]..', swap: true },
    { code: '422', swap: true },
    { code: '[45]..', swap: false, error: true },
  ],
})

export interface PageProps {
  t: Translate
  locale: Locale
}

export function Document(props: {
  title: string
  locale: Locale
  children: Child
  bodyAttrs?: Record<string, string>
}) {
  return (
    <html lang={props.locale}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="htmx-config" content={HTMX_CONFIG} />
        <meta name="referrer" content="no-referrer" />
        {/* a title is drawn by the browser, where no markup can isolate a name */}
        <title>{withoutBidiControls(props.title)}</title>
        <link rel="icon" href="/static/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/htmx.min.js" defer></script>
        <script src="/static/app.js" defer></script>
        <script src="/static/uploads.js" defer></script>
      </head>
      <body {...(props.bodyAttrs ?? {})}>{props.children}</body>
    </html>
  )
}

/** The staff shell: header with navigation, CSRF token for every htmx request. */
export function MemberLayout(
  props: PageProps & {
    auth: SignedInView
    title: string
    active?: 'boards' | 'templates' | 'settings' | 'statistics' | 'mentions'
    children: Child
  },
) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}`
  return (
    <Document
      title={`${props.title} · ${auth.workspace.name}`}
      locale={props.locale}
      bodyAttrs={{
        'hx-headers': JSON.stringify({ 'X-CSRF-Token': auth.csrfToken }),
        class: 'staff',
      }}
    >
      <header class="topbar">
        <a class="brand" href={`${base}/boards`}>
          <span class="brand-mark" aria-hidden="true">
            ◧
          </span>
          <bdi>{auth.workspace.name}</bdi>
        </a>
        {/* On a phone the navigation and the account links fold behind this button (app.js). */}
        <button
          type="button"
          class="menu-toggle"
          aria-expanded="false"
          aria-controls="topmenu"
          data-menu-toggle
        >
          <span class="menu-icon" aria-hidden="true" />
          {t('nav.menu')}
        </button>
        <div class="topmenu" id="topmenu">
          <nav class="topnav" aria-label={t('nav.menu')}>
            <a
              href={`${base}/boards`}
              aria-current={props.active === 'boards' ? 'page' : undefined}
            >
              {t('nav.boards')}
            </a>
            <a
              href={`${base}/stats`}
              aria-current={props.active === 'statistics' ? 'page' : undefined}
            >
              {t('nav.statistics')}
            </a>
            {auth.member.role !== 'member' ? (
              <a
                href={`${base}/templates`}
                aria-current={props.active === 'templates' ? 'page' : undefined}
              >
                {t('nav.templates')}
              </a>
            ) : null}
            <a
              href={`${base}/settings`}
              aria-current={props.active === 'settings' ? 'page' : undefined}
            >
              {t('nav.settings')}
            </a>
            <a
              href={`${base}/mentions`}
              aria-current={props.active === 'mentions' ? 'page' : undefined}
            >
              {t('mentions.title')}
              {auth.unreadMentions ? (
                <span class="mention-count">
                  {' '}
                  {t('mentions.unread_badge', { count: auth.unreadMentions })}
                </span>
              ) : null}
            </a>
          </nav>
          <div class="topbar-end">
            <form method="post" action={`${base}/me/locale`} class="inline">
              <input type="hidden" name="_csrf" value={auth.csrfToken} />
              <input type="hidden" name="locale" value={props.locale === 'ja' ? 'en' : 'ja'} />
              <button class="link" type="submit">
                {t('nav.language')}
              </button>
            </form>
            <a class="who" href={`${base}/me`}>
              <bdi>{auth.member.name}</bdi>
            </a>
            <form method="post" action={`${base}/logout`} class="inline">
              <input type="hidden" name="_csrf" value={auth.csrfToken} />
              <button class="link" type="submit">
                {t('nav.logout')}
              </button>
            </form>
          </div>
        </div>
      </header>
      {auth.mailNotSent ? (
        <p class="mail-not-sent" role="alert">
          {t('mail.not_sent')}
        </p>
      ) : null}
      <main class="page">{props.children}</main>
    </Document>
  )
}

export function ErrorPage(props: PageProps & { status: number; message: string; detail?: string }) {
  return (
    <Document title={`${props.status} · ${props.t('error.title')}`} locale={props.locale}>
      <main class="page narrow center">
        <div class="card error-card">
          <p class="error-status">{props.status}</p>
          <h1>{props.message}</h1>
          {props.detail ? <p class="muted">{props.detail}</p> : null}
          <p>
            <a href="/">{props.t('error.back')}</a>
          </p>
        </div>
      </main>
    </Document>
  )
}
