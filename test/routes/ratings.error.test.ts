import { describe, expect, it } from 'vitest'
import { injectWriteFault, sqliteError } from '../helpers/db-faults'
import {
  setRating,
  board,
  customerMails,
  outboxOf,
  rate,
  ratedSetup,
  ratingLinksIn,
} from './ratings.helpers'

const text = (response: Response) => response.text()

describe('rating: bad input and refusals change nothing', () => {
  it.each([
    ['no score', {}],
    ['0', { score: '0' }],
    ['6', { score: '6' }],
    ['a word', { score: 'good' }],
    ['4.5', { score: '4.5' }],
  ])('refuses %s with a clear Japanese error (422)', async (_name, form) => {
    const setup = await ratedSetup()
    const response = await rate(setup, setup.boardId, { comment: '残しておく', ...form })
    expect(response.status).toBe(422)
    const html = await text(response)
    expect(html).toContain('1〜5のいずれかをお選びください。')
    expect(html).toContain('残しておく') // the comment is kept for the next try
    expect(await board(setup.testApp, setup.boardId)).toMatchObject({
      rating_score: null,
      rated_at: null,
    })
    expect(await outboxOf(setup.testApp, 'rating-alert')).toEqual([])
  })

  it('refuses a comment over 2,000 characters or with control characters', async () => {
    const setup = await ratedSetup()
    const long = await rate(setup, setup.boardId, { score: '2', comment: 'あ'.repeat(2001) })
    expect(long.status).toBe(422)
    expect(await text(long)).toContain('2000文字以内で入力してください。')
    const control = await rate(setup, setup.boardId, { score: '2', comment: 'bell\u0007' })
    expect(control.status).toBe(422)
    expect((await board(setup.testApp, setup.boardId)).rating_score).toBeNull()
    expect(await outboxOf(setup.testApp, 'rating-alert')).toEqual([])
    // exactly 2,000 is fine, and line breaks are kept
    const ok = await rate(setup, setup.boardId, {
      score: '3',
      comment: `一行目\r\n${'あ'.repeat(1995)}`,
    })
    expect(ok.status).toBe(303)
    expect((await board(setup.testApp, setup.boardId)).rating_comment).toBe(
      `一行目\n${'あ'.repeat(1995)}`,
    )
  })

  it('refuses a board that is not done (409), and one that was reopened after the link went out', async () => {
    const setup = await ratedSetup({ done: false })
    const refused = await rate(setup, setup.boardId, { score: '5' })
    expect(refused.status).toBe(409)
    expect(await text(refused)).toContain(
      'ご評価は、チャットボードが「完了」になってからお受けしています。',
    )
    expect((await board(setup.testApp, setup.boardId)).rating_score).toBeNull()

    // Done, then the customer writes again (要対応): the email's link is stale now.
    const done = await ratedSetup()
    await done.guest.post(`/g/${done.boardId}/messages`, { body: 'やはり色を変えたいです' })
    expect((await board(done.testApp, done.boardId)).status).toBe('replied')
    const page = await text(await done.guest.get(`/g/${done.boardId}/rating?score=4`))
    expect(page).toContain('ご評価は、チャットボードが「完了」になってからお受けしています。')
    expect(page).not.toContain('name="score"')
    expect((await rate(done, done.boardId, { score: '4' })).status).toBe(409)
  })

  it('refuses a board the shop closed (not done any more)', async () => {
    const setup = await ratedSetup()
    await setup.member.post(`${setup.staffUrl}/close`, {})
    expect((await board(setup.testApp, setup.boardId)).status).toBe('closed')
    expect((await rate(setup, setup.boardId, { score: '4' })).status).toBe(409)
    expect((await board(setup.testApp, setup.boardId)).rating_score).toBeNull()
  })

  it('answers 410 past the expiry, for the link, the form and the post', async () => {
    const setup = await ratedSetup()
    const links = ratingLinksIn(customerMails(setup.testApp).at(-1)!.text)
    setup.testApp.clock.advance(31 * 24 * 60 * 60 * 1000)
    expect((await setup.testApp.app.request(new URL(links[0]!).pathname)).status).toBe(410)
    expect((await setup.guest.get(`/g/${setup.boardId}/rating?score=1`)).status).toBe(410)
    expect((await rate(setup, setup.boardId, { score: '1' })).status).toBe(410)
    expect((await setup.guest.post(`/g/${setup.boardId}/settle`, {})).status).toBe(410)
    expect((await board(setup.testApp, setup.boardId)).rating_score).toBeNull()
  })

  it('with the setting off: no prompt, no links in the done email, and the POST is refused (403)', async () => {
    const setup = await ratedSetup({ rating: false })
    const { testApp, boardId } = setup
    const done = customerMails(testApp).find((mail) => mail.text.includes('確定いたしました'))!
    expect(ratingLinksIn(done.text)).toEqual([])
    expect(done.text).not.toContain('ご対応はいかがでしたか')
    const page = await text(await setup.guest.get(`/g/${boardId}`))
    expect(page).not.toContain('rating-question')
    const form = await text(await setup.guest.get(`/g/${boardId}/rating?score=5`))
    expect(form).toContain('このお店は現在、満足度のご評価を受け付けていません。')
    expect(form).not.toContain('name="score"')
    const refused = await rate(setup, boardId, { score: '5' })
    expect(refused.status).toBe(403)
    expect(await text(refused)).toContain('このお店は現在、満足度のご評価を受け付けていません。')
    expect((await board(testApp, boardId)).rating_score).toBeNull()
  })

  it('switched off after the email went out: its links lead to the notice, nothing is recorded', async () => {
    const setup = await ratedSetup()
    const links = ratingLinksIn(customerMails(setup.testApp).at(-1)!.text)
    expect(links).toHaveLength(5)
    await setRating(setup.testApp, setup.workspace.id, { on: false })
    const opened = await setup.testApp.app.request(new URL(links[4]!).pathname)
    const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0]!
    const page = await text(
      await setup.testApp.app.request(opened.headers.get('location')!, {
        headers: { Cookie: cookie },
      }),
    )
    expect(page).toContain('このお店は現在、満足度のご評価を受け付けていません。')
    expect((await rate(setup, setup.boardId, { score: '5' })).status).toBe(403)
  })

  it('in English for an English workspace', async () => {
    const setup = await ratedSetup({ locale: 'en' })
    const mail = customerMails(setup.testApp).at(-1)!
    expect(mail.text).toContain('How did we do?')
    expect(mail.html).toContain('4 Satisfied')
    const refused = await rate(setup, setup.boardId, { score: '9' })
    expect(refused.status).toBe(422)
    expect(await text(refused)).toContain('Please choose one of 1 to 5.')
    expect((await rate(setup, setup.boardId, { score: '4' })).status).toBe(303)
    setup.testApp.clock.advance(8 * 24 * 60 * 60 * 1000)
    const locked = await rate(setup, setup.boardId, { score: '1' })
    expect(await text(locked)).toContain('A rating can be changed for 7 days')
  })

  it('「解決しました」 on a closed board is refused (403) and changes nothing', async () => {
    const setup = await ratedSetup({ done: false })
    await setup.member.post(`${setup.staffUrl}/close`, {})
    const page = await text(await setup.guest.get(`/g/${setup.boardId}`))
    expect(page).not.toContain('/settle')
    const refused = await setup.guest.post(`/g/${setup.boardId}/settle`, {})
    expect(refused.status).toBe(403)
    expect((await board(setup.testApp, setup.boardId)).status).toBe('closed')
    expect(
      await setup.testApp.deps.db
        .selectFrom('status_changes')
        .select('actor_kind')
        .where('actor_kind', '=', 'guest')
        .execute(),
    ).toEqual([])
  })

  it('a rating whose write fails (disk full) records nothing, alerts nobody; the retry records it once', async () => {
    const setup = await ratedSetup()
    const { testApp, boardId } = setup
    const fault = injectWriteFault(testApp.deps, sqliteError('SQLITE_FULL'))
    const failed = await rate(setup, boardId, { score: '1', comment: 'ひどい' })
    expect(failed.status).toBe(503)
    fault.disarm()
    expect((await board(testApp, boardId)).rating_score).toBeNull()
    expect(await outboxOf(testApp, 'rating-alert')).toEqual([])
    expect((await rate(setup, boardId, { score: '1', comment: 'ひどい' })).status).toBe(303)
    expect(await outboxOf(testApp, 'rating-alert')).toHaveLength(1)
    expect((await board(testApp, boardId)).rating_score).toBe(1)
  })
})
