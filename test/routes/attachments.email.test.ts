import { describe, expect, it } from 'vitest'
import { fileBytes, uploadClient } from './attachments.helpers'
import { setupBoard } from './guest.helpers'

describe('emails name attachments, never attach them', () => {
  it('the customer’s email lists each public file by name and size; internal files stay out', async () => {
    const { testApp, member, staffUrl } = await setupBoard()
    const uploads = uploadClient(testApp, staffUrl, member.cookie, member.csrf)
    const proof = await uploads.upload('校正_第2稿.pdf', fileBytes(2_400_000), 'application/pdf')
    const posted = await member.post(`${staffUrl}/messages`, {
      body: '第2稿をお送りします。',
      attachment_ids: proof.attachmentId,
    })
    expect(posted.status).toBe(303)
    const note = await uploads.upload(
      '社内用_原価表.xlsx',
      fileBytes(1000),
      'application/vnd.ms-excel',
    )
    await member.post(`${staffUrl}/messages`, {
      body: '原価メモ',
      internal: '1',
      attachment_ids: note.attachmentId,
    })
    await testApp.drain()

    const mails = testApp.mailer.sent.filter((mail) => mail.to === 'yamada@example.jp')
    expect(mails).toHaveLength(1)
    const [mail] = mails
    for (const part of [mail!.text, mail!.html]) {
      expect(part).toContain('校正_第2稿.pdf')
      expect(part).toContain('2.3 MB')
      expect(part).not.toContain('原価表')
    }
    expect(JSON.stringify(mail!.headers)).not.toMatch(/attachment/i)
  })
})
