import { describe, expect, it } from 'vitest'
import { findBoard, setupBoard } from './guest.helpers'
import { boardEvents, boardWithApi } from './board-details.helpers'

// Bad corrections get a clear error in the member's language, and nothing changes.

const VALID = { name: '名刺 200枚', customer_name: '山田 太郎', customer_email: 'taro@example.jp' }

describe('correcting the details: errors', () => {
  it.each([
    [{ ...VALID, name: '   ' }, 'name', '入力してください。'],
    [{ ...VALID, customer_name: '' }, 'customer_name', '入力してください。'],
    [
      { ...VALID, customer_email: 'taro@@example' },
      'customer_email',
      'メールアドレスの形式が正しくありません。',
    ],
    [{ ...VALID, name: 'あ'.repeat(201) }, 'name', '200文字以内で入力してください。'],
    [{ ...VALID, customer_name: '山田\u0000太郎' }, 'customer_name', '値が正しくありません。'],
  ])(
    '%o → 422 on %s, the form open with what was typed, nothing saved',
    async (form, field, text) => {
      const { testApp, member, staffUrl, boardId } = await setupBoard()
      const before = await findBoard(testApp, boardId)
      const response = await member.post(`${staffUrl}/details`, form)
      expect(response.status).toBe(422)
      const html = await response.text()
      expect(html).toContain(`id="${field}-error"`)
      expect(html).toContain(text)
      expect(html).toMatch(/<details class="details-edit" id="board-details" open/)
      expect(html).toContain('aria-invalid="true"')
      expect(await findBoard(testApp, boardId)).toEqual(before)
      expect(await boardEvents(testApp, boardId)).toEqual([])
    },
  )

  it('answers in English for an English-speaking member', async () => {
    const { member, staffUrl, workspace } = await setupBoard()
    await member.post(`/w/${workspace.slug}/me/locale`, { locale: 'en' })
    const response = await member.post(`${staffUrl}/details`, {
      ...VALID,
      customer_email: 'not an address',
    })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain('Not a valid email address.')
  })

  it('an unknown board is 404', async () => {
    const { member, workspace } = await setupBoard()
    const response = await member.post(`/w/${workspace.slug}/boards/nope/details`, VALID)
    expect(response.status).toBe(404)
  })

  it('a re-send with no offer behind it queues nothing', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    const response = await member.post(`${staffUrl}/resend-notification`, { event_id: 'made-up' })
    expect(response.status).toBe(303)
    const rows = await testApp.deps.db
      .selectFrom('outbox')
      .select('id')
      .where('board_id', '=', boardId)
      .execute()
    expect(rows).toEqual([])
    expect((await member.post(`${staffUrl}/resend-notification`, {})).status).toBe(422)
  })
})

describe('PATCH /api/v1/boards/:id with details: errors', () => {
  it('a bad email, an empty name or an unknown field is 422 JSON; nothing changes', async () => {
    const { testApp, api, boardId } = await boardWithApi()
    const before = await findBoard(testApp, boardId)
    for (const body of [
      { customer_email: 'nope' },
      { name: '' },
      { customer_name: 42 },
      { customer_mail: 'typo@example.jp' },
      { customer_email: 'ok@example.jp', status: 'finished' },
    ]) {
      const response = await api.request('PATCH', `/boards/${boardId}`, body)
      expect(response.status, JSON.stringify(body)).toBe(422)
      const json = (await response.json()) as { error: { code: string; details: unknown[] } }
      expect(json.error.code).toBe('validation_failed')
      expect(json.error.details.length).toBeGreaterThan(0)
    }
    expect(await findBoard(testApp, boardId)).toEqual(before)
    expect(await boardEvents(testApp, boardId)).toEqual([])
  })

  it('posting in the name of someone who is not a member is 422 and posts nothing', async () => {
    const { testApp, api, boardId } = await boardWithApi()
    const response = await api.request('POST', `/boards/${boardId}/messages`, {
      body: 'こんにちは',
      author_email: 'stranger@example.jp',
    })
    expect(response.status).toBe(422)
    const json = (await response.json()) as { error: { details: { field: string }[] } }
    expect(json.error.details[0]?.field).toBe('author_email')
    const messages = await testApp.deps.db
      .selectFrom('messages')
      .select('id')
      .where('board_id', '=', boardId)
      .execute()
    expect(messages).toEqual([])
  })
})
