import type { MailTransport, OutgoingMail } from '../../deps'

/** Keeps sent mail in memory (tests); dedupes on the idempotency key like a real provider. */
export function createMemoryMailer(): MailTransport & {
  sent: (OutgoingMail & { providerId: string })[]
} {
  const sent: (OutgoingMail & { providerId: string })[] = []
  return {
    name: 'memory',
    sent,
    async send(mail) {
      const earlier = sent.find((m) => m.idempotencyKey === mail.idempotencyKey)
      if (earlier) return { providerId: earlier.providerId }
      const providerId = `mem-${sent.length + 1}`
      sent.push({ ...mail, providerId })
      return { providerId }
    },
  }
}
