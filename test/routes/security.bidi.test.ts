// Issue #21 point 3: bidi controls cannot reorder the labels around a name, on any page or in
// any email header.
import { describe, expect, it } from 'vitest'
import { createDevMailbox } from '../../src/notifications/transports/dev-mailbox'
import { fileBytes, uploadClient } from './attachments.helpers'
import { openAsGuest, setupBoard } from './guest.helpers'

const RLO = '\u202e'
const CONTROLS = /[\u202a-\u202e\u2066-\u2069]/
const PAYLOADS = [
  `invoice${RLO}fdp.exe`,
  `\u2067山田\u2069 ${RLO}様`,
  `\u202aA\u202bB\u202cC\u202dD\u2066E\u2068F`,
]

/** The page's text outside message bodies (which keep what the customer typed, isolated). */
const labelsOnly = (html: string) =>
  html.replace(/<div class="(?:message-body|guest-msg-body)" dir="auto">[\s\S]*?<\/div>/g, '')

describe('bidi spoofing', () => {
  it.each(PAYLOADS)(
    '%j: stripped from names, isolated in every view, out of mail headers',
    async (payload) => {
      const { testApp, member, staffUrl, boardId, workspace, linkPath } = await setupBoard({
        board: { name: `注文 ${payload}`, customer_name: `客 ${payload}` },
      })
      testApp.deps.mailer = createDevMailbox(testApp.deps.db, testApp.clock)
      const board = await testApp.deps.db
        .selectFrom('boards')
        .select(['name', 'customer_name'])
        .where('id', '=', boardId)
        .executeTakeFirstOrThrow()
      expect(CONTROLS.test(board.name) || CONTROLS.test(board.customer_name)).toBe(false)

      const uploads = uploadClient(testApp, staffUrl, member.cookie, member.csrf)
      const file = await uploads.upload(`${payload}.pdf`, fileBytes(10))
      const posted = await member.post(`${staffUrl}/messages`, {
        body: `本文 ${payload} おわり`,
        attachment_ids: file.attachmentId,
      })
      expect(posted.status).toBe(303)
      const stored = await testApp.deps.db
        .selectFrom('attachments')
        .select('name')
        .executeTakeFirstOrThrow()
      expect(CONTROLS.test(stored.name)).toBe(false)

      const staffPage = await (await member.get(staffUrl)).text()
      const listPage = await (await member.get(`/w/${workspace.slug}/boards`)).text()
      const { client } = await openAsGuest(testApp, await linkPath())
      const guestPage = await (await client.get(`/g/${boardId}`)).text()
      for (const [name, page] of [
        ['board', staffPage],
        ['list', listPage],
        ['guest', guestPage],
      ] as const) {
        // controls survive only inside the isolated message text, never next to a label
        expect(CONTROLS.test(labelsOnly(page)), name).toBe(false)
        if (name !== 'list') expect(page, name).toMatch(/dir="auto">\s*本文 /)
      }
      // names sit in <bdi>, labels stay as they are
      expect(staffPage).toContain(`<bdi>${board.name.replace(/&/g, '&amp;')}</bdi>`)
      expect(staffPage).toContain(`<bdi>${board.customer_name}</bdi>`)
      expect(listPage).toContain(`<bdi>${board.name}</bdi>`)
      expect(guestPage).toContain(`<bdi>${board.name}</bdi>`)
      expect(staffPage).toContain('No.1')

      await testApp.drain()
      const mails = await testApp.deps.db
        .selectFrom('dev_mail')
        .select(['subject', 'from_address'])
        .execute()
      expect(mails.length).toBeGreaterThan(0)
      for (const mail of mails) {
        expect(CONTROLS.test(mail.subject)).toBe(false)
        expect(CONTROLS.test(mail.from_address)).toBe(false)
      }
    },
  )
})
