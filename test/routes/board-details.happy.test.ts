import { describe, expect, it } from 'vitest'
import { findBoard, openAsGuest, setupBoard } from './guest.helpers'
import { boardEvents, boardWithApi, textOf } from './board-details.helpers'
import { outboxRows } from './notifications.helpers'

// #15.5: board name, customer name and customer email can be corrected from the staff board
// and through PATCH /api/v1/boards/:id; each change is a system line on the board.

const NEW_DETAILS = {
  name: '名刺 200枚（両面カラー）',
  customer_name: '山田 太郎',
  customer_email: 'taro.yamada@example.jp',
}

describe('correcting the details from the staff board', () => {
  it('changes what changed and notes each change on the board as a system line', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard({
      board: { customer_name: '山田 太朗' },
    })
    await member.post(`${staffUrl}/messages`, { body: '校正をお送りします。' })
    testApp.clock.advance(60_000)
    const response = await member.post(`${staffUrl}/details`, NEW_DETAILS)
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe(staffUrl)
    expect(await findBoard(testApp, boardId)).toMatchObject(NEW_DETAILS)

    const events = await boardEvents(testApp, boardId)
    expect(
      events.map((e) => [e.kind, e.field, e.old_value, e.new_value, e.actor_name, e.after_seq]),
    ).toEqual([
      ['detail_changed', 'name', '名刺 100枚', NEW_DETAILS.name, 'オーナー', 1],
      ['detail_changed', 'customer_name', '山田 太朗', '山田 太郎', 'オーナー', 1],
      [
        'detail_changed',
        'customer_email',
        'yamada@example.jp',
        'taro.yamada@example.jp',
        'オーナー',
        1,
      ],
    ])

    const page = await (await member.get(staffUrl)).text()
    const thread = textOf(page.slice(page.indexOf('id="thread"'), page.indexOf('id="poller"')))
    expect(thread).toContain(
      'お客様のメールアドレスを yamada@example.jp → taro.yamada@example.jp に変更しました',
    )
    expect(thread).toContain('お客様名を 山田 太朗 → 山田 太郎 に変更しました')
    expect(thread).toContain(`ボード名を 名刺 100枚 → ${NEW_DETAILS.name} に変更しました`)
    // the line follows the message that was the latest when it was made
    expect(thread.indexOf('校正をお送りします')).toBeLessThan(thread.indexOf('ボード名を'))
    expect(page).toContain(`<bdi>${NEW_DETAILS.name}</bdi>`)

    // the new address is who may now receive the board's mail: recorded in the audit log
    const audit = await testApp.deps.db
      .selectFrom('audit_log')
      .select(['action', 'actor_name', 'detail'])
      .where('action', '=', 'board.customer_email_changed')
      .execute()
    expect(audit).toHaveLength(1)
    expect(JSON.parse(audit[0]!.detail!)).toEqual({
      from: 'yamada@example.jp',
      to: 'taro.yamada@example.jp',
    })
  })

  it('saving the form unchanged changes nothing and leaves no line', async () => {
    const { testApp, member, staffUrl, boardId } = await setupBoard()
    const before = await findBoard(testApp, boardId)
    const response = await member.post(`${staffUrl}/details`, {
      name: before.name,
      customer_name: before.customer_name,
      customer_email: before.customer_email,
    })
    expect(response.status).toBe(303)
    expect(await boardEvents(testApp, boardId)).toEqual([])
    expect(await findBoard(testApp, boardId)).toEqual(before)
  })

  it('the next notification goes to the corrected address; the customer sees the new name, no system line', async () => {
    const { testApp, member, staffUrl, boardId, linkPath } = await setupBoard()
    await member.post(`${staffUrl}/details`, NEW_DETAILS)
    await member.post(`${staffUrl}/messages`, { body: '修正版をお送りします。' })
    const [row] = await outboxRows(testApp, boardId)
    expect(JSON.parse(row!.payload).to).toBe('taro.yamada@example.jp')
    await testApp.drain()
    expect(testApp.mailer.sent.map((mail) => mail.to)).toContain('taro.yamada@example.jp')

    const guest = await openAsGuest(testApp, await linkPath())
    expect(guest.html).toContain(NEW_DETAILS.name)
    expect(guest.html).not.toContain('変更しました')
    expect(guest.html).not.toContain('yamada@example.jp')
  })

  it('shows the form in the side panel with the current values, in English too', async () => {
    const { member, staffUrl } = await setupBoard({ locale: 'en' })
    await member.post(`${staffUrl.split('/boards')[0]}/me/locale`, { locale: 'en' })
    const page = await (await member.get(staffUrl)).text()
    expect(page).toContain('<summary>Correct the details</summary>')
    expect(page).toContain(`action="${staffUrl}/details"`)
    expect(page).toContain('value="yamada@example.jp"')
    await member.post(`${staffUrl}/details`, { ...NEW_DETAILS, name: '名刺 100枚' })
    const after = textOf(await (await member.get(staffUrl)).text())
    expect(after).toContain(
      "Changed the customer's email address from yamada@example.jp to taro.yamada@example.jp",
    )
  })
})

describe('PATCH /api/v1/boards/:id with details', () => {
  it('corrects name, customer name and email; each change is a system line by the API', async () => {
    const { testApp, api, boardId, member, staffUrl } = await boardWithApi({
      board: { customer_name: '山田 太朗' },
    })
    const response = await api.request('PATCH', `/boards/${boardId}`, NEW_DETAILS)
    expect(response.status).toBe(200)
    const body = (await response.json()) as { board: Record<string, unknown> }
    expect(body.board).toMatchObject(NEW_DETAILS)
    const events = await boardEvents(testApp, boardId)
    expect(events.map((e) => [e.field, e.actor_kind, e.actor_name])).toEqual([
      ['name', 'api', '受注システム'],
      ['customer_name', 'api', '受注システム'],
      ['customer_email', 'api', '受注システム'],
    ])
    const page = textOf(await (await member.get(staffUrl)).text())
    expect(page).toContain('API（受注システム）: お客様のメールアドレスを')
  })

  it('details and status in one request commit together', async () => {
    const { testApp, api, boardId } = await boardWithApi()
    const response = await api.request('PATCH', `/boards/${boardId}`, {
      customer_email: 'new@example.jp',
      status: 'on_hold',
    })
    expect(response.status).toBe(200)
    expect(await findBoard(testApp, boardId)).toMatchObject({
      customer_email: 'new@example.jp',
      status: 'on_hold',
    })
    expect(await boardEvents(testApp, boardId)).toHaveLength(1)
  })

  it('the same values again leave no second line', async () => {
    const { testApp, api, boardId } = await boardWithApi()
    await api.request('PATCH', `/boards/${boardId}`, { customer_name: '山田 太郎 様' })
    await api.request('PATCH', `/boards/${boardId}`, { customer_name: '山田 太郎 様' })
    expect(await boardEvents(testApp, boardId)).toHaveLength(1)
  })

  it('the OpenAPI document describes the new fields (generated from the validator)', async () => {
    const { testApp } = await boardWithApi()
    const doc = (await (await testApp.app.request('/api/v1/openapi.json')).json()) as {
      components: { schemas: { UpdateBoard: { properties: Record<string, unknown> } } }
      paths: Record<string, { patch?: { summary?: string } }>
    }
    expect(Object.keys(doc.components.schemas.UpdateBoard.properties)).toEqual(
      expect.arrayContaining(['name', 'customer_name', 'customer_email', 'status']),
    )
    expect(doc.paths['/boards/{id}']?.patch?.summary).toContain('Correct the details')
  })
})
