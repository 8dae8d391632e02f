import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Config } from '../../deps'
import { randomToken } from '../../shared/crypto'
import { parseTrustProxy } from '../../shared/client-address'
import { parseSendRate } from '../../notifications/send-rate'

export interface NodeConfig extends Config {
  port: number
  dataDir: string
  /** seed the demo workspace (and print its login) on an empty database */
  seedDemo: boolean
}

/**
 * Whether BASE_URL names this machine (localhost, *.localhost, 127.0.0.0/8, ::1): the one case
 * where the demo login and the dev mailbox (every customer's link, readable without login) are
 * on without being asked for.
 */
export function isLocalBaseUrl(baseUrl: string): boolean {
  let host: string
  try {
    host = new URL(baseUrl).hostname.toLowerCase()
  } catch {
    return false
  }
  return (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    /^127(\.\d{1,3}){3}$/.test(host) ||
    host === '[::1]'
  )
}

const flag = (value: string | undefined) =>
  value === undefined || value.trim() === '' ? undefined : /^(1|true|yes|on)$/i.test(value.trim())

/** Configuration from the environment; APP_SECRET is generated once and kept in DATA_DIR. */
export function loadNodeConfig(env: NodeJS.ProcessEnv = process.env): NodeConfig {
  const port = Number(env.PORT ?? 8787)
  const dataDir = resolve(env.DATA_DIR ?? './data')
  mkdirSync(dataDir, { recursive: true })
  let appSecret = env.APP_SECRET
  if (!appSecret) {
    const secretFile = join(dataDir, 'app-secret')
    if (!existsSync(secretFile)) writeFileSync(secretFile, randomToken(32), { mode: 0o600 })
    appSecret = readFileSync(secretFile, 'utf8').trim()
  }
  const baseUrl = (env.BASE_URL ?? `http://localhost:${port}`).replace(/\/$/, '')
  const realTransport = Boolean(env.RESEND_API_KEY || env.SMTP_URL)
  const local = isLocalBaseUrl(baseUrl)
  const devMailbox = !realTransport && (flag(env.DEV_MAILBOX) ?? local)
  return {
    port,
    dataDir,
    baseUrl,
    appSecret,
    secureCookies: baseUrl.startsWith('https://'),
    mailFrom: env.MAIL_FROM ?? 'Orderboard <no-reply@orderboard.localhost>',
    devMailbox,
    mailNotSent: !realTransport && !devMailbox,
    seedDemo: flag(env.SEED_DEMO) ?? local,
    trustProxy: parseTrustProxy(env.TRUST_PROXY, env.TRUST_PROXY_HOPS),
    mailSendRatePerSecond: parseSendRate(env.MAIL_SEND_RATE_PER_SECOND),
    apiRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE
      ? Number(env.API_RATE_LIMIT_PER_MINUTE)
      : undefined,
    inboundDomain: env.INBOUND_DOMAIN?.trim().toLowerCase() || undefined,
    inboundSecret: env.INBOUND_SECRET?.trim() || undefined,
    resendWebhookSecret: env.RESEND_WEBHOOK_SECRET?.trim() || undefined,
    resendApiKey: env.RESEND_API_KEY?.trim() || undefined,
    resendBaseUrl: env.RESEND_BASE_URL?.trim() || undefined,
    // One server process per database: a claim of another start belongs to a dead process.
    instanceId: randomToken(16),
  }
}
