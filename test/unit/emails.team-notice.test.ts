// The team email (issue #17): assigned to a board, mentioned in an internal note.
import { describe, expect, it } from 'vitest'
import { PreviewProps } from '../../emails/team-notice'
import { renderEmail } from '../../emails/render'

describe('team notice email', () => {
  it('renders a mention with the note, the board link and the settings link', async () => {
    const mail = await renderEmail({ template: 'team-notice', props: PreviewProps })
    expect(mail.subject).toBe('【メンション】名刺 100枚（両面カラー）')
    expect(mail.text).toContain(
      '田中 一郎 さんが「名刺 100枚（両面カラー）」の社内メモであなたをメンションしました。',
    )
    expect(mail.text).toContain('@佐藤 彩 ロゴの色校正をお願いします。')
    expect(mail.text).toContain('社内メモ（お客様には表示されません）')
    expect(mail.html).toContain(PreviewProps.boardUrl)
    expect(mail.html).toContain(PreviewProps.settingsUrl)
  })

  it('renders an assignment, by a member and in turn (round-robin), in English too', async () => {
    const base = { ...PreviewProps, kind: 'assigned' as const, note: undefined }
    const byMember = await renderEmail({ template: 'team-notice', props: base })
    expect(byMember.subject).toBe('【担当】名刺 100枚（両面カラー）')
    expect(byMember.text).toContain(
      '田中 一郎 さんが「名刺 100枚（両面カラー）」（山田 太郎 様）の担当者をあなたにしました。',
    )
    const inTurn = await renderEmail({
      template: 'team-notice',
      props: { ...base, actorName: null },
    })
    expect(inTurn.text).toContain('順番の割り当てであなたの担当になりました。')
    const english = await renderEmail({
      template: 'team-notice',
      props: { ...base, locale: 'en', actorName: null },
    })
    expect(english.subject).toBe('[Assigned to you] 名刺 100枚（両面カラー）')
    expect(english.text).toContain('was assigned to you in turn (round-robin).')
  })

  it('escapes names and note text', async () => {
    const mail = await renderEmail({
      template: 'team-notice',
      props: {
        ...PreviewProps,
        actorName: '<script>alert(1)</script>',
        note: { body: '<img src=x onerror=alert(1)>', postedAt: '今日' },
      },
    })
    expect(mail.html).not.toContain('<script>alert(1)')
    expect(mail.html).not.toContain('<img src=x')
    expect(mail.html).toContain('&lt;img src=x')
  })
})
