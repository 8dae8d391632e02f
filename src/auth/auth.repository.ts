import { sql, type Kysely } from 'kysely'
import type { Database } from '../db/schema'
import { preparedQuery } from '../db/prepared'

/** The session, its member and workspace: one query, compiled once (it runs on every request). */
const findSessionQuery = preparedQuery((db: Kysely<Database>, idHash: string, now: number) =>
  db
    .selectFrom('sessions as s')
    .innerJoin('members as m', 'm.id', 's.member_id')
    .innerJoin('workspaces as w', 'w.id', 's.workspace_id')
    .where('s.id_hash', '=', idHash)
    .where('s.expires_at', '>', now)
    .select([
      's.csrf_token',
      'm.id as m_id',
      'm.workspace_id as m_workspace_id',
      'm.email as m_email',
      'm.name as m_name',
      'm.password_hash as m_password_hash',
      'm.role as m_role',
      'm.locale as m_locale',
      'm.notify_email as m_notify_email',
      'm.digest_enabled as m_digest_enabled',
      'm.created_at as m_created_at',
      'm.last_login_at as m_last_login_at',
      'm.totp_enabled_at as m_totp_enabled_at',
      'm.notify_assigned as m_notify_assigned',
      'm.notify_mention as m_notify_mention',
      'm.name_kana as m_name_kana',
      'm.round_robin as m_round_robin',
      'm.round_robin_turn as m_round_robin_turn',
      'w.id as w_id',
      'w.name as w_name',
      'w.slug as w_slug',
      'w.time_zone as w_time_zone',
      'w.locale as w_locale',
      'w.expiry_days as w_expiry_days',
      'w.contact_email as w_contact_email',
      'w.contact_phone as w_contact_phone',
      'w.closed_days as w_closed_days',
      'w.digest_time as w_digest_time',
      'w.status_labels as w_status_labels',
      'w.attachment_retention_days as w_attachment_retention_days',
      'w.unread_warning_days as w_unread_warning_days',
      'w.require_2fa as w_require_2fa',
      'w.created_at as w_created_at',
      'w.round_robin as w_round_robin',
      // the header's メンション badge (issue #17), from the mentions_unread index
      sql<number>`(SELECT COUNT(*) FROM mentions mn WHERE mn.member_id = m.id AND mn.read_at IS NULL)`.as(
        'unread_mentions',
      ),
    ]),
)

export function createAuthRepository({ db }: { db: Kysely<Database> }) {
  return {
    findMemberByEmail(email: string) {
      return db.selectFrom('members').selectAll().where('email', '=', email).executeTakeFirst()
    },

    async createSession(session: {
      idHash: string
      memberId: string
      workspaceId: string
      csrfToken: string
      now: number
      expiresAt: number
    }) {
      await db
        .insertInto('sessions')
        .values({
          id_hash: session.idHash,
          member_id: session.memberId,
          workspace_id: session.workspaceId,
          csrf_token: session.csrfToken,
          created_at: session.now,
          expires_at: session.expiresAt,
        })
        .execute()
    },

    /** The session, its member and workspace in one query. */
    async findSession(idHash: string, now: number) {
      const [row] = await findSessionQuery(db, idHash, now)
      if (!row) return undefined
      return {
        csrfToken: row.csrf_token,
        unreadMentions: Number(row.unread_mentions),
        member: {
          id: row.m_id,
          workspace_id: row.m_workspace_id,
          email: row.m_email,
          name: row.m_name,
          password_hash: row.m_password_hash,
          role: row.m_role,
          locale: row.m_locale,
          notify_email: row.m_notify_email,
          digest_enabled: row.m_digest_enabled,
          created_at: row.m_created_at,
          last_login_at: row.m_last_login_at,
          totp_enabled_at: row.m_totp_enabled_at,
          notify_assigned: row.m_notify_assigned,
          notify_mention: row.m_notify_mention,
          name_kana: row.m_name_kana,
          round_robin: row.m_round_robin,
          round_robin_turn: row.m_round_robin_turn,
          // never carried on a request: read where a code is checked
          totp_secret: null,
          totp_last_step: null,
        },
        workspace: {
          id: row.w_id,
          name: row.w_name,
          slug: row.w_slug,
          time_zone: row.w_time_zone,
          locale: row.w_locale,
          expiry_days: row.w_expiry_days,
          contact_email: row.w_contact_email,
          contact_phone: row.w_contact_phone,
          closed_days: row.w_closed_days,
          digest_time: row.w_digest_time,
          status_labels: row.w_status_labels,
          attachment_retention_days: row.w_attachment_retention_days,
          unread_warning_days: row.w_unread_warning_days,
          require_2fa: row.w_require_2fa,
          created_at: row.w_created_at,
          round_robin: row.w_round_robin,
        },
      }
    },

    async deleteSession(idHash: string) {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute()
    },

    async setMemberLocale(memberId: string, locale: 'ja' | 'en') {
      await db.updateTable('members').set({ locale }).where('id', '=', memberId).execute()
    },
  }
}
