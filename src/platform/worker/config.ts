import type { Config } from '../../deps'
import { parseSendRate } from '../../notifications/send-rate'

/** Plain-text vars (wrangler.toml `[vars]`) and secrets (`wrangler secret put`). */
export interface WorkerVars {
  /** secret, required: signs customer links and sessions */
  APP_SECRET?: string
  /** the public origin, e.g. https://orderboard.example.com; links in emails use it */
  BASE_URL?: string
  MAIL_FROM?: string
  /** secret: sends mail through Resend when set */
  RESEND_API_KEY?: string
  /** Resend's API origin; only tests point it at a local stand-in */
  RESEND_BASE_URL?: string
  /** "1" (or "true") keeps mail in D1 and mounts /_dev/mail — local development and tests only */
  DEV_MAILBOX?: string
  /** customers' replies come back to board+<secret>@INBOUND_DOMAIN */
  INBOUND_DOMAIN?: string
  /** secret: bearer token of POST /inbound/raw */
  INBOUND_SECRET?: string
  /** secret: Resend webhook signing secret (whsec_…) */
  RESEND_WEBHOOK_SECRET?: string
  /** sends per second across every isolate (default: Resend's 2); "0" turns the limit off */
  MAIL_SEND_RATE_PER_SECOND?: string | number
}

export class WorkerConfigError extends Error {}

/**
 * Configuration from vars and secrets. `origin` (the request's) stands in for BASE_URL in local
 * development; queue and cron handlers have no request, so deployments must set BASE_URL.
 */
export function loadWorkerConfig(env: WorkerVars, origin?: string): Config {
  const appSecret = env.APP_SECRET?.trim()
  if (!appSecret || appSecret.length < 32) {
    throw new WorkerConfigError(
      'APP_SECRET is missing or shorter than 32 characters: run `wrangler secret put APP_SECRET`',
    )
  }
  const baseUrl = (env.BASE_URL?.trim() || origin || '').replace(/\/$/, '')
  if (!baseUrl) throw new WorkerConfigError('BASE_URL is not set (wrangler.toml [vars])')
  const devMailboxOn = env.DEV_MAILBOX === 'true' || env.DEV_MAILBOX === '1'
  let mailSendRatePerSecond: number | undefined
  try {
    mailSendRatePerSecond = parseSendRate(env.MAIL_SEND_RATE_PER_SECOND)
  } catch (error) {
    throw new WorkerConfigError((error as Error).message)
  }
  return {
    baseUrl,
    appSecret,
    secureCookies: baseUrl.startsWith('https://'),
    mailFrom: env.MAIL_FROM?.trim() || 'Orderboard <no-reply@orderboard.localhost>',
    // Unlike Node (a machine of one's own), a worker is public the moment it is deployed: the dev
    // mailbox would publish every customer's mail, so it needs an explicit opt-in.
    devMailbox: !env.RESEND_API_KEY && devMailboxOn,
    mailNotSent: !env.RESEND_API_KEY && !devMailboxOn,
    mailSendRatePerSecond,
    inboundDomain: env.INBOUND_DOMAIN?.trim().toLowerCase() || undefined,
    inboundSecret: env.INBOUND_SECRET?.trim() || undefined,
    resendWebhookSecret: env.RESEND_WEBHOOK_SECRET?.trim() || undefined,
    resendApiKey: env.RESEND_API_KEY?.trim() || undefined,
    resendBaseUrl: env.RESEND_BASE_URL?.trim() || undefined,
  }
}
