import type { Deps } from '../deps'
import { tooManyRequests } from '../shared/errors'
import { invalidLogin } from './auth.errors'
import { DUMMY_PASSWORD_HASH, randomToken, sha256Hex, verifyPassword } from '../shared/crypto'
import { clearRateLimit, passBackoff, refundAttempt } from '../shared/rate-limit'
import { createAuthRepository } from './auth.repository'
import { recordAudit } from '../team/audit'
import { openChallenge } from '../team/two-factor'

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
 * before login is worthless), or, for a member with two-step sign-in, a challenge for the code.
 * Attempts are throttled per (account, client) and per client (LOGIN_BACKOFF); both outcomes go
 * to the audit log.
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
  const audit = (action: 'login.succeeded' | 'login.failed', method: string) =>
    recordAudit(deps, {
      workspaceId: member!.workspace_id,
      actor: { id: member!.id, name: member!.name },
      action,
      target: member!.email,
      detail: { method },
      ip: clientKey,
    })
  if (!member || !valid) {
    if (member) await audit('login.failed', 'password')
    throw invalidLogin()
  }

  await clearRateLimit(deps, accountClientKey)
  await refundAttempt(deps, clientLimitKey)
  // With two-step sign-in on, the password only opens a challenge for the code (/login/2fa).
  if (member.totp_enabled_at) return { member, challengeId: await openChallenge(deps, member.id) }
  await audit('login.succeeded', 'password')
  return { sessionId: await openSession(deps, member), member }
}

/**
 * Opens a new session for a member who has proven who they are (password, invitation link,
 * second factor) and records the sign-in time. Returns the session id for the cookie.
 */
export async function openSession(
  deps: Deps,
  member: { id: string; workspace_id: string },
): Promise<string> {
  const sessionId = randomToken(32)
  const now = deps.clock.now().getTime()
  await deps.batch([
    deps.db.insertInto('sessions').values({
      id_hash: await sha256Hex(sessionId),
      member_id: member.id,
      workspace_id: member.workspace_id,
      csrf_token: randomToken(24),
      created_at: now,
      expires_at: now + SESSION_TTL_MS,
    }),
    deps.db.updateTable('members').set({ last_login_at: now }).where('id', '=', member.id),
  ])
  return sessionId
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
