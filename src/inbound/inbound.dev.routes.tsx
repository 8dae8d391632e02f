import { Hono } from 'hono'
import type { AppEnv } from '../http'
import { csrfFailed, notFound } from '../shared/errors'
import { hmacSha256, timingSafeEqual, toBase64Url } from '../shared/crypto'
import { parseMailbox } from '../notifications/mail-headers'
import { DevReplyForm } from '../../views/inbound/dev-reply'
import { receiveInboundEmail } from './inbound.usecases'

const b64 = (text: string) => {
  const bytes = new TextEncoder().encode(text)
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/.{1,76}/g, '$&\r\n')
}

/** The raw email a mail client would send when the customer hits reply on `mail`. */
export function devReplyMime(
  mail: { to_address: string; subject: string; text: string; headers: string; id: number },
  body: string,
  fallbackTo: string,
  now: Date,
) {
  const headers = JSON.parse(mail.headers) as Record<string, string>
  const to = headers['Reply-To'] ?? fallbackTo
  const original = headers['Message-ID']
  const quoted = mail.text
    .split('\n')
    .map((line) => `> ${line}`)
    .join('\n')
  const text = `${body}\n\nOn ${now.toUTCString()} ${fallbackTo} wrote:\n${quoted}\n`
  return [
    `From: ${mail.to_address}`,
    `To: ${to}`,
    `Subject: =?UTF-8?B?${b64(`Re: ${mail.subject}`).replace(/\r\n/g, '')}?=`,
    `Date: ${now.toUTCString()}`,
    `Message-ID: <dev-reply.${mail.id}.${now.getTime()}.${Math.random().toString(36).slice(2)}@dev.invalid>`,
    original ? `In-Reply-To: ${original}` : undefined,
    original ? `References: ${original}` : undefined,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: base64',
    '',
    b64(text),
  ]
    .filter((line) => line !== undefined)
    .join('\r\n')
}

/**
 * The dev reply form's CSRF token: the mailbox has no session, so the token is bound to the
 * email under APP_SECRET. A cross-site form cannot read the page to learn it.
 */
async function devReplyToken(appSecret: string, mailId: number) {
  return toBase64Url(await hmacSha256(appSecret, `dev-reply/${mailId}`))
}

/** Dev mailbox only (mounted with it): "reply as the customer", through the real inbound path. */
export function devInboundRoutes() {
  const routes = new Hono<AppEnv>()

  const load = async (c: { get(key: 'deps'): AppEnv['Variables']['deps'] }, id: string) => {
    if (!/^\d{1,12}$/.test(id)) throw notFound()
    const mail = await c
      .get('deps')
      .db.selectFrom('dev_mail')
      .selectAll()
      .where('id', '=', Number(id))
      .executeTakeFirst()
    if (!mail) throw notFound()
    return mail
  }

  routes.get('/mail/:id/reply', async (c) => {
    const mail = await load(c, c.req.param('id'))
    const headers = JSON.parse(mail.headers) as Record<string, string>
    const to = headers['Reply-To'] ?? parseMailbox(c.get('deps').config.mailFrom).address
    return c.html(
      <DevReplyForm
        mailId={mail.id}
        subject={mail.subject}
        to={to}
        from={mail.to_address}
        csrfToken={await devReplyToken(c.get('deps').config.appSecret, mail.id)}
      />,
    )
  })

  routes.post('/mail/:id/reply', async (c) => {
    const deps = c.get('deps')
    const mail = await load(c, c.req.param('id'))
    const form = await c.req.parseBody()
    const csrfToken = await devReplyToken(deps.config.appSecret, mail.id)
    if (typeof form._csrf !== 'string' || !timingSafeEqual(form._csrf, csrfToken))
      throw csrfFailed()
    const body = typeof form.body === 'string' ? form.body : ''
    const fallback = parseMailbox(deps.config.mailFrom).address
    const raw = devReplyMime(mail, body, fallback, deps.clock.now())
    const result = await receiveInboundEmail({ deps, raw })
    const headers = JSON.parse(mail.headers) as Record<string, string>
    return c.html(
      <DevReplyForm
        mailId={mail.id}
        subject={mail.subject}
        to={headers['Reply-To'] ?? fallback}
        from={mail.to_address}
        csrfToken={csrfToken}
        outcome={result.outcome}
      />,
    )
  })

  return routes
}
