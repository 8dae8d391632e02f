import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { Config } from '../../deps'
import { randomToken } from '../../shared/crypto'
import { parseTrustProxy } from '../../shared/client-address'

export interface NodeConfig extends Config {
  port: number
  dataDir: string
}

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
  return {
    port,
    dataDir,
    baseUrl,
    appSecret,
    secureCookies: baseUrl.startsWith('https://'),
    mailFrom: env.MAIL_FROM ?? 'Orderboard <no-reply@orderboard.localhost>',
    devMailbox: !realTransport,
    trustProxy: parseTrustProxy(env.TRUST_PROXY, env.TRUST_PROXY_HOPS),
    apiRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE
      ? Number(env.API_RATE_LIMIT_PER_MINUTE)
      : undefined,
    inboundDomain: env.INBOUND_DOMAIN?.trim().toLowerCase() || undefined,
    inboundSecret: env.INBOUND_SECRET?.trim() || undefined,
    resendWebhookSecret: env.RESEND_WEBHOOK_SECRET?.trim() || undefined,
    resendApiKey: env.RESEND_API_KEY?.trim() || undefined,
    resendBaseUrl: env.RESEND_BASE_URL?.trim() || undefined,
  }
}
