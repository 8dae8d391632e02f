import type { Deps } from '../deps'
import { tooManyRequests } from '../shared/errors'
import { invalidLogin } from './auth.errors'
import { DUMMY_PASSWORD_HASH, randomToken, sha256Hex, verifyPassword } from '../shared/crypto'
import { clearRateLimit, passBackoff, refundAttempt } from '../shared/rate-limit'
import { createAuthRepository } from './auth.repository'

export const SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000
/**
 * Login throttling (issue #21): by (account, client) and by client, with exponential delays and
 * never a lockout of the account itself, so nobody can keep a member out by failing on purpose
 * from elsewhere. Clients are what src/shared/client-address.ts says they are (TRUST_PROXY).
 */
export const LOGIN_BACKOFF = {
  /** one account from one client: 5 tries, then 1 s, 2 s, 4 s … at most 15 min apart */
  accountClient: { free: 5, baseMs: 1000, maxMs: 15 * 60_000, forgetAfterMs: 24 * 3600_000 },
  /** one client across accounts (password spraying); a success gives its attempt back */
  client: { free: 30, baseMs: 1000, maxMs: 15 * 60_000, forgetAfterMs: 3600_000 },
}

/**
 * Checks a password and opens a new session (a new id at every login, so a session id planted
 * before login is worthless). Attempts are throttled per (account, client) and per client
 * (LOGIN_BACKOFF).
 */
export async function logIn({
  deps,
  email,
  password,
  clientKey,
}: {
  deps: Deps
  email: string
  password: string
  clientKey: string
}) {
  const normalizedEmail = email.trim().toLowerCase()
  const accountClientKey = `login:account-client:${normalizedEmail}:${clientKey}`
  const clientLimitKey = `login:client:${clientKey}`
  for (const [key, backoff] of [
    [accountClientKey, LOGIN_BACKOFF.accountClient],
    [clientLimitKey, LOGIN_BACKOFF.client],
  ] as const) {
    const { allowed, retryAfterSeconds } = await passBackoff(deps, { key, ...backoff })
    if (!allowed) throw tooManyRequests(retryAfterSeconds)
  }

  const repository = createAuthRepository(deps)
  const member = await repository.findMemberByEmail(normalizedEmail)
  // Hash even for unknown emails so response time does not tell which emails exist.
  const valid = await verifyPassword(password, member?.password_hash ?? DUMMY_PASSWORD_HASH)
  if (!member || !valid) throw invalidLogin()

  await clearRateLimit(deps, accountClientKey)
  await refundAttempt(deps, clientLimitKey)
  const sessionId = randomToken(32)
  const now = deps.clock.now().getTime()
  await repository.createSession({
    idHash: await sha256Hex(sessionId),
    memberId: member.id,
    workspaceId: member.workspace_id,
    csrfToken: randomToken(24),
    now,
    expiresAt: now + SESSION_TTL_MS,
  })
  return { sessionId, member }
}

// WebCrypto digests are asynchronous and cost far more per call than the lookup they key, so
// the hash of each recently seen session id is kept (ids stay in this process only).
const sessionHashes = new Map<string, string>()

async function hashSessionId(sessionId: string) {
  let hash = sessionHashes.get(sessionId)
  if (!hash) {
    hash = await sha256Hex(sessionId)
    if (sessionHashes.size > 2000) sessionHashes.clear()
    sessionHashes.set(sessionId, hash)
  }
  return hash
}

export async function resolveSession({ deps, sessionId }: { deps: Deps; sessionId: string }) {
  if (sessionId.length > 100) return undefined
  const sessionHash = await hashSessionId(sessionId)
  const session = await createAuthRepository(deps).findSession(
    sessionHash,
    deps.clock.now().getTime(),
  )
  return session ? { ...session, sessionHash } : undefined
}

export async function logOut({ deps, sessionHash }: { deps: Deps; sessionHash: string }) {
  await createAuthRepository(deps).deleteSession(sessionHash)
}
