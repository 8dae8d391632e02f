import { Secret, TOTP } from 'otpauth'
import QRCode from 'qrcode'
import type { Member } from '../db/schema'
import type { Deps } from '../deps'
import { isSealed, randomToken, seal, sha256Hex, unseal, verifyPassword } from '../shared/crypto'
import { openSession } from '../auth/auth.usecases'
import { auditStatement, type AuditEntry } from './audit'
import { badCode, challengeGone, twoFactorRequired, wrongPassword } from './team.errors'

// RFC 6238 TOTP through the `otpauth` package: SHA-1, 6 digits, 30-second steps, the parameters
// every authenticator app reads from an otpauth:// URI.
const PERIOD_S = 30
/** ±1 step of clock drift between the phone and the server. */
const WINDOW = 1
export const RECOVERY_CODE_COUNT = 10
export const CHALLENGE_TTL_MS = 10 * 60 * 1000
const CHALLENGE_ATTEMPTS = 5
export const CHALLENGE_COOKIE = 'ob_2fa'

function totpFor(secret: string, label: string) {
  return new TOTP({
    issuer: 'Orderboard',
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_S,
    secret: Secret.fromBase32(secret),
  })
}

/**
 * The step (RFC 6238 T) a code belongs to, or undefined when it matches none within ±1 step of
 * `now`. Only digits count; spaces people type between groups are ignored.
 */
export function matchTotp(secret: string, code: string, now: number): number | undefined {
  const token = code.replace(/\s/g, '')
  if (!/^\d{6}$/.test(token)) return undefined
  const delta = totpFor(secret, 'x').validate({ token, timestamp: now, window: WINDOW })
  if (delta === null) return undefined
  return Math.floor(now / 1000 / PERIOD_S) + delta
}

/** Key purpose for members' TOTP secrets (src/shared/crypto.ts `seal`). */
const TOTP_SEAL = 'totp-secret'

const sealTotp = (deps: Pick<Deps, 'config'>, memberId: string, secret: string) =>
  seal(deps.config.appSecret, TOTP_SEAL, secret, memberId)

/**
 * A member's TOTP secret from its stored form: sealed with AES-GCM under APP_SECRET (bound to the
 * member), or, for a row written before secrets were sealed, the base32 text itself, which is
 * sealed in place on this first read. Undefined when there is none or it no longer opens
 * (APP_SECRET changed: the member signs in with a recovery code and enrols again).
 */
export async function openTotpSecret(
  deps: Pick<Deps, 'db' | 'config'>,
  memberId: string,
  stored: string | null,
): Promise<string | undefined> {
  if (!stored) return undefined
  if (isSealed(stored)) return unseal(deps.config.appSecret, TOTP_SEAL, stored, memberId)
  await deps.db
    .updateTable('members')
    .set({ totp_secret: await sealTotp(deps, memberId, stored) })
    .where('id', '=', memberId)
    .where('totp_secret', '=', stored)
    .execute()
  return stored
}

/**
 * Seals TOTP secrets still stored as plain text (rows from before sealing), up to `limit` per
 * run, so a member who never signs in again does not keep one in clear. Returns how many.
 */
export async function sealPlainTotpSecrets(
  deps: Pick<Deps, 'db' | 'config'>,
  limit = 500,
): Promise<number> {
  const rows = await deps.db
    .selectFrom('members')
    .select(['id', 'totp_secret'])
    .where('totp_secret', 'is not', null)
    .where('totp_secret', 'not like', 'aes1:%')
    .limit(limit)
    .execute()
  for (const row of rows) await openTotpSecret(deps, row.id, row.totp_secret)
  return rows.length
}

/**
 * The enrolment screen's material: a fresh secret is kept on the member (not yet live) until a
 * code from it is confirmed; the QR code (SVG, from the `qrcode` package) carries the otpauth URI.
 */
export async function enrolment(deps: Deps, member: Member, workspaceName: string) {
  const row = await deps.db
    .selectFrom('members')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', member.id)
    .executeTakeFirstOrThrow()
  if (row.totp_enabled_at) return undefined
  let secret = await openTotpSecret(deps, member.id, row.totp_secret)
  if (!secret) {
    secret = new Secret({ size: 20 }).base32
    await deps.db
      .updateTable('members')
      .set({ totp_secret: await sealTotp(deps, member.id, secret) })
      .where('id', '=', member.id)
      .where('totp_enabled_at', 'is', null)
      .execute()
  }
  const uri = totpFor(secret, `${workspaceName}:${member.email}`).toString()
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' })
  return { secret, uri, svg }
}

/** Ten codes of 10 characters (xxxxx-xxxxx), shown once; only their SHA-256 is stored. */
async function newRecoveryCodes(deps: Deps, memberId: string) {
  const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789'
  const codes: string[] = []
  for (let i = 0; i < RECOVERY_CODE_COUNT; i++) {
    const bytes = crypto.getRandomValues(new Uint8Array(10))
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join('')
    codes.push(`${chars.slice(0, 5)}-${chars.slice(5)}`)
  }
  const rows = await Promise.all(
    codes.map(async (code) => ({ member_id: memberId, code_hash: await sha256Hex(code) })),
  )
  return {
    codes,
    statements: [
      deps.db.deleteFrom('recovery_codes').where('member_id', '=', memberId),
      deps.db.insertInto('recovery_codes').values(rows),
    ],
  }
}

/**
 * Turns two-step sign-in on once a code from the pending secret checks out; returns the
 * recovery codes to show once. Errors: 422 for a wrong code.
 */
export async function enableTwoFactor({
  deps,
  member,
  code,
  audit,
}: {
  deps: Deps
  member: Member
  code: string
  audit: AuditEntry
}) {
  const row = await deps.db
    .selectFrom('members')
    .select(['totp_secret', 'totp_enabled_at'])
    .where('id', '=', member.id)
    .executeTakeFirstOrThrow()
  if (row.totp_enabled_at) throw badCode()
  const secret = await openTotpSecret(deps, member.id, row.totp_secret)
  if (!secret) throw badCode()
  const now = deps.clock.now().getTime()
  const step = matchTotp(secret, code, now)
  if (step === undefined) throw badCode()
  const recovery = await newRecoveryCodes(deps, member.id)
  await deps.batch([
    deps.db
      .updateTable('members')
      .set({ totp_enabled_at: now, totp_last_step: step })
      .where('id', '=', member.id),
    ...recovery.statements,
    auditStatement(deps, audit),
  ])
  return recovery.codes
}

/** Turns it off after the current password (not while the workspace requires it). */
export async function disableTwoFactor({
  deps,
  member,
  requireTwoFactor,
  currentPassword,
  audit,
}: {
  deps: Deps
  member: Member
  requireTwoFactor: boolean
  currentPassword: string
  audit: AuditEntry
}) {
  if (requireTwoFactor) throw twoFactorRequired()
  const row = await deps.db
    .selectFrom('members')
    .select('password_hash')
    .where('id', '=', member.id)
    .executeTakeFirstOrThrow()
  if (!(await verifyPassword(currentPassword, row.password_hash))) throw wrongPassword()
  await deps.batch([
    deps.db
      .updateTable('members')
      .set({ totp_secret: null, totp_enabled_at: null, totp_last_step: null })
      .where('id', '=', member.id),
    deps.db.deleteFrom('recovery_codes').where('member_id', '=', member.id),
    auditStatement(deps, audit),
  ])
}

export async function remainingRecoveryCodes(deps: Deps, memberId: string) {
  const row = await deps.db
    .selectFrom('recovery_codes')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('member_id', '=', memberId)
    .where('used_at', 'is', null)
    .executeTakeFirstOrThrow()
  return Number(row.n)
}

/** After a correct password: a hashed challenge that the second step must present. */
export async function openChallenge(deps: Deps, memberId: string) {
  const id = randomToken(32)
  const now = deps.clock.now().getTime()
  await deps.db
    .insertInto('login_challenges')
    .values({
      id_hash: await sha256Hex(id),
      member_id: memberId,
      created_at: now,
      expires_at: now + CHALLENGE_TTL_MS,
    })
    .execute()
  return id
}

/**
 * The second step of a sign-in: a TOTP code (±1 step, never one already used) or an unused
 * recovery code. Five tries per challenge; then a new password entry is needed. Returns the new
 * session id and the member, or throws 422 (wrong code) / 410 (challenge gone or used up).
 */
export async function completeChallenge({
  deps,
  challengeId,
  code,
  ip,
}: {
  deps: Deps
  challengeId: string
  code: string
  ip: string
}) {
  const now = deps.clock.now().getTime()
  const idHash = await sha256Hex(challengeId.slice(0, 100))
  const challenge = await deps.db
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('id_hash', '=', idHash)
    .where('expires_at', '>', now)
    .where('attempts', '<', CHALLENGE_ATTEMPTS)
    .returning(['member_id'])
    .executeTakeFirst()
  if (!challenge) throw challengeGone()
  const member = await deps.db
    .selectFrom('members')
    .select(['id', 'workspace_id', 'name', 'email', 'totp_secret', 'totp_last_step'])
    .where('id', '=', challenge.member_id)
    .executeTakeFirstOrThrow()
  const audit = (action: 'login.succeeded' | 'login.failed', method: string) =>
    auditStatement(deps, {
      workspaceId: member.workspace_id,
      actor: { id: member.id, name: member.name },
      action,
      target: member.email,
      detail: { method },
      ip,
    })
  const secret = await openTotpSecret(deps, member.id, member.totp_secret)
  const step = secret ? matchTotp(secret, code, now) : undefined
  let method: string | undefined
  if (step !== undefined && step > (member.totp_last_step ?? -1)) {
    // the step is written only if still newer: a code can't be used twice, even concurrently
    const taken = await deps.db
      .updateTable('members')
      .set({ totp_last_step: step })
      .where('id', '=', member.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .returning('id')
      .executeTakeFirst()
    if (taken) method = 'totp'
  } else {
    const normalized = code.trim().toLowerCase()
    if (/^[a-z0-9]{5}-[a-z0-9]{5}$/.test(normalized)) {
      const used = await deps.db
        .updateTable('recovery_codes')
        .set({ used_at: now })
        .where('member_id', '=', member.id)
        .where('code_hash', '=', await sha256Hex(normalized))
        .where('used_at', 'is', null)
        .returning('member_id')
        .executeTakeFirst()
      if (used) method = 'recovery_code'
    }
  }
  if (!method) {
    await deps.batch([audit('login.failed', 'second_factor')])
    throw badCode()
  }
  await deps.batch([
    deps.db.deleteFrom('login_challenges').where('id_hash', '=', idHash),
    audit('login.succeeded', method),
  ])
  const sessionId = await openSession(deps, member)
  return { sessionId, member }
}
