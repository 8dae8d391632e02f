import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

let testApp: TestApp
let member: Browserish
let slug: string

const count = async (table: 'boards' | 'messages' | 'decisions' | 'templates' | 'template_sets') =>
  Number(
    (
      await testApp.deps.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )

async function snapshot() {
  return {
    boards: await count('boards'),
    messages: await count('messages'),
    decisions: await count('decisions'),
    templates: await count('templates'),
  }
}

beforeEach(async () => {
  testApp = createTestApp()
  const owner = await createTestWorkspace(testApp)
  slug = owner.workspace.slug
  member = await loginAs(testApp, owner.email, owner.password)
})

const valid = { name: '名刺', customer_name: '山田', customer_email: 'yamada@example.jp' }

describe('create board: bad input gets a clear Japanese error and stores nothing', () => {
  it.each([
    ['missing name', { ...valid, name: '' }, 'name', '入力してください'],
    [
      'blank customer name',
      { ...valid, customer_name: '   ' },
      'customer_name',
      '入力してください',
    ],
    ['missing email', { ...valid, customer_email: '' }, 'customer_email', '入力してください'],
    ['10,000-character name', { ...valid, name: 'あ'.repeat(10_000) }, 'name', '200文字以内'],
    [
      '10,000-character customer',
      { ...valid, customer_name: 'x'.repeat(10_000) },
      'customer_name',
      '100文字以内',
    ],
    [
      'malformed email',
      { ...valid, customer_email: 'yamada@' },
      'customer_email',
      'メールアドレスの形式',
    ],
    [
      'email with spaces',
      { ...valid, customer_email: 'ya mada@example.jp' },
      'customer_email',
      'メールアドレスの形式',
    ],
    [
      'email with CRLF',
      { ...valid, customer_email: 'a@example.jp\r\nBcc: x@evil.example' },
      'customer_email',
      'メールアドレスの形式',
    ],
    [
      'name with CRLF',
      { ...valid, name: '名刺\r\nBcc: x@evil.example' },
      'name',
      '値が正しくありません',
    ],
    ['bad message id', { ...valid, message_id: 'not-a-message-id' }, 'message_id', 'Message-ID'],
    ['message id with CRLF', { ...valid, message_id: '<a@b>\r\nX: y' }, 'message_id', 'Message-ID'],
  ])('%s', async (_label, form, field, message) => {
    const before = await snapshot()
    const response = await member.post(`/w/${slug}/boards`, form as Record<string, string>)
    expect(response.status).toBe(422)
    const html = await response.text()
    expect(html).toContain(`id="${field}-error"`)
    expect(html).toContain(message)
    expect(await snapshot()).toEqual(before)
  })

  it('keeps what the member typed on error', async () => {
    const html = await (
      await member.post(`/w/${slug}/boards`, { ...valid, customer_email: 'bad' })
    ).text()
    expect(html).toContain('value="名刺"')
    expect(html).toContain('value="bad"')
  })

  it('points to the existing board on a duplicate dedupe key, creating nothing', async () => {
    const first = await member.post(`/w/${slug}/boards`, { ...valid, dedupe_key: 'ORD-9' })
    const url = first.headers.get('location')!
    const before = await snapshot()
    const second = await member.post(`/w/${slug}/boards`, {
      ...valid,
      name: '別の名前',
      dedupe_key: 'ORD-9',
    })
    expect(second.status).toBe(409)
    const html = await second.text()
    expect(html).toContain('この重複防止キーのチャットボードはすでにあります')
    expect(html).toContain(`href="${url}"`)
    expect(await snapshot()).toEqual(before)
  })
})

describe('posting: bad input stores nothing', () => {
  let url: string
  beforeEach(async () => {
    url = (await member.post(`/w/${slug}/boards`, valid)).headers.get('location')!
  })

  it.each([
    ['empty body', { body: '   ' }, '入力してください'],
    ['over 20,000 characters', { body: 'あ'.repeat(20_001) }, '20000文字以内'],
    [
      'unfilled template variable',
      { body: '{{customer_name}} 様、{{next_contact_date}}までに' },
      '未入力の差し込み項目',
    ],
    [
      'decision of a missing message',
      { body: 'No.9 で確定', decides_no: '9' },
      '公開メッセージの番号',
    ],
    ['unknown template', { body: 'こんにちは', template_id: 'nope' }, '選択肢が正しくありません'],
    ['bad next contact date', { body: 'こんにちは', next_contact_on: '2026-13-45' }, '日付の形式'],
    ['control characters', { body: 'abc\u0000def' }, '値が正しくありません'],
  ])('%s', async (_label, form, message) => {
    const before = await snapshot()
    const board = await testApp.deps.db.selectFrom('boards').selectAll().executeTakeFirstOrThrow()
    const response = await member.post(`${url}/messages`, form as Record<string, string>, {
      'HX-Request': 'true',
    })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain(message)
    expect(await snapshot()).toEqual(before)
    expect(
      await testApp.deps.db.selectFrom('boards').selectAll().executeTakeFirstOrThrow(),
    ).toEqual(board)
  })

  it('refuses a 100,000-character message with a clear error (not a crash)', async () => {
    const response = await member.post(`${url}/messages`, { body: 'x'.repeat(100_000) })
    expect(response.status).toBe(422)
    expect(await count('messages')).toBe(0)
  })

  it('refuses a body over the form limit with 413', async () => {
    const response = await member.post(`${url}/messages`, { body: 'x'.repeat(1_100_000) })
    expect(response.status).toBe(413)
    expect(await count('messages')).toBe(0)
  })
})

describe('side panel and templates: bad input', () => {
  it.each([
    [{ status: 'archived' }, 'ステータスが正しくありません'],
    [{ next_contact_on: '12/07' }, '日付の形式'],
    [{ next_contact_on: '2026-12-07', next_contact_time: '25:00' }, '時刻の形式'],
    [{ expires_on: 'tomorrow' }, '日付の形式'],
  ])('%o', async (form, message) => {
    const url = (await member.post(`/w/${slug}/boards`, valid)).headers.get('location')!
    const before = await testApp.deps.db.selectFrom('boards').selectAll().executeTakeFirstOrThrow()
    const response = await member.post(url, form, { 'HX-Request': 'true' })
    expect(response.status).toBe(422)
    expect(await response.text()).toContain(message)
    expect(
      await testApp.deps.db.selectFrom('boards').selectAll().executeTakeFirstOrThrow(),
    ).toEqual(before)
  })

  it('refuses a template without a label or with an unknown status', async () => {
    const set = await testApp.deps.db
      .selectFrom('template_sets')
      .select('id')
      .executeTakeFirstOrThrow()
    const before = await count('templates')
    expect(
      (
        await member.post(`/w/${slug}/templates/sets/${set.id}/templates`, {
          label: '',
          body: 'x',
          kind: 'normal',
        })
      ).status,
    ).toBe(422)
    expect(
      (
        await member.post(`/w/${slug}/templates/sets/${set.id}/templates`, {
          label: 'a',
          body: 'x',
          status: 'nope',
          kind: 'normal',
        })
      ).status,
    ).toBe(422)
    expect(
      (
        await member.post(`/w/${slug}/templates/sets/${set.id}/templates`, {
          label: 'a',
          body: 'x',
          kind: 'weird',
        })
      ).status,
    ).toBe(422)
    expect(await count('templates')).toBe(before)
  })

  it('an unknown board is a 404 page', async () => {
    const response = await member.get(`/w/${slug}/boards/does-not-exist`)
    expect(response.status).toBe(404)
    expect(await response.text()).toContain('ページが見つかりません')
  })
})
