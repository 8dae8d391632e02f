import type { Kysely } from 'kysely'
import type { Database } from '../../db/schema'
import type { Batch, MailTransport } from '../../deps'
import { assertSafeMail } from '../mail-headers'
import { firstRowRelaxed } from '../../db/relaxed'

/**
 * The default transport in development: mail is kept in the database (dev_mail) and read at
 * /_dev/mail. Headers are stored decoded, as a reader would see them. Dedupes on the
 * idempotency key like a real provider. Given `batch`, each mail is written relaxed (no wait for
 * fsync: a development mailbox has nothing to lose to a power cut, and a real provider costs the
 * server no disk write either).
 */
export function createDevMailbox(
  db: Kysely<Database>,
  clock: { now(): Date } = { now: () => new Date() },
  batch?: Batch,
): MailTransport {
  return {
    name: 'dev-mailbox',
    async send(mail) {
      assertSafeMail(mail)
      const insert = db
        .insertInto('dev_mail')
        .values({
          idempotency_key: mail.idempotencyKey,
          to_address: mail.to,
          from_address: mail.from,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          headers: JSON.stringify(mail.headers),
          created_at: clock.now().getTime(),
        })
        .onConflict((oc) => oc.column('idempotency_key').doNothing())
        .returning('id')
      const inserted = await firstRowRelaxed(insert, batch)
      // A key sent before: the first mail's id, as a provider answers a repeated request.
      const stored =
        inserted ??
        (await db
          .selectFrom('dev_mail')
          .select('id')
          .where('idempotency_key', '=', mail.idempotencyKey)
          .executeTakeFirstOrThrow())
      return { providerId: `dev-${stored.id}` }
    },
  }
}
