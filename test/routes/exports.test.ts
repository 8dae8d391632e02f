// CSV exports: bytes as Excel reads them (BOM, CP932), RFC 4180 quoting, CSV injection, the
// list's filters and periods, chunked streaming, workspace scoping, roles, and the API.
import Encoding from 'encoding-japanese'
import { describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { EXPORT_CHUNK_ROWS } from '../../src/exports/exports.usecases'
import { csvField, encodeCsvText } from '../../src/shared/csv'
import { createTestApp, createTestWorkspace, loginAs, type TestApp } from '../helpers/app'

const bytesOf = async (response: Response) => new Uint8Array(await response.arrayBuffer())
const utf8 = (bytes: Uint8Array) => new TextDecoder().decode(bytes)

/** A minimal RFC 4180 reader for checking what was written (quoted fields, CRLF records). */
function parseCsv(text: string): string[][] {
  const records: string[][] = []
  let field = ''
  let record: string[] = []
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        field += '"'
        i++
      } else if (char === '"') quoted = false
      else field += char
    } else if (char === '"') quoted = true
    else if (char === ',') {
      record.push(field)
      field = ''
    } else if (char === '\r' && text[i + 1] === '\n') {
      record.push(field)
      records.push(record)
      record = []
      field = ''
      i++
    } else field += char
  }
  return records
}

async function setup() {
  const testApp = createTestApp()
  const { workspace, email, password } = await createTestWorkspace(testApp)
  const owner = await loginAs(testApp, email, password)
  const base = `/w/${workspace.slug}`
  const open = async (name: string, customer = '山田 太郎') => {
    const response = await owner.post(`${base}/boards`, {
      name,
      customer_name: customer,
      customer_email: 'yamada@example.jp',
    })
    return response.headers.get('location')!.split('/').pop()!
  }
  return { testApp, workspace, owner, base, open }
}

describe('CSV cells', () => {
  it('quotes per RFC 4180 and neutralises formulas', () => {
    expect(csvField('名刺, 100枚')).toBe('"名刺, 100枚"')
    expect(csvField('He said "OK"')).toBe('"He said ""OK"""')
    expect(csvField('一行目\r\n二行目')).toBe('"一行目\r\n二行目"')
    for (const start of ['=', '+', '-', '@', '\t', '\r']) {
      expect(csvField(`${start}1+1`).replace(/^"/, '')).toMatch(/^'/)
    }
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`)
    expect(csvField(-5)).toBe('-5')
    expect(csvField(null)).toBe('')
  })

  it("CP932 bytes are encoding-japanese's for every UTF-16 code unit, emoji and lone halves too", () => {
    const every = String.fromCharCode(...Array.from({ length: 0x10000 }, (_, unit) => unit))
    const samples = [every, '名刺①～髙橋 ｶﾀｶﾅ ¥ é 😀 \ud800x \udc00 "A案", B案\r\n', '😀😀 👨‍👩‍👧']
    for (const text of samples) {
      const expected = Uint8Array.from(
        Encoding.convert(Encoding.stringToCode(text), { to: 'SJIS', from: 'UNICODE' }),
      )
      expect(Buffer.from(encodeCsvText(text, 'shift_jis')).equals(Buffer.from(expected))).toBe(true)
    }
  })
})

describe('boards.csv (members)', () => {
  it('UTF-8 with BOM, Japanese headers, one row per board, quoting and injection', async () => {
    const { testApp, owner, base, open } = await setup()
    const id = await open('=SUM(A1:A9), "特急"')
    testApp.clock.advance(60_000)
    await open('封筒 "角2"')
    const response = await owner.get(`${base}/exports/boards.csv`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    expect(response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="boards-shop-\d+-2026-11-24\.csv"$/,
    )
    const bytes = await bytesOf(response)
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const text = utf8(bytes.slice(3))
    expect(text.endsWith('\r\n')).toBe(true)
    const [header, ...rows] = parseCsv(text)
    expect(header!.slice(0, 6)).toEqual([
      'ボードID',
      'ボード名',
      'お客様名',
      'メールアドレス',
      'ステータスコード',
      'ステータス',
    ])
    expect(rows).toHaveLength(2)
    expect(rows[0]![0]).toBe(id)
    expect(rows[0]![1]).toBe(`'=SUM(A1:A9), "特急"`)
    expect(rows[0]![5]).toBe('新規')
    expect(rows[1]![1]).toBe('封筒 "角2"')
    expect(rows[0]![header!.indexOf('作成日時')]).toBe('2026-11-24 10:00')
    expect(rows[0]![header!.indexOf('URL')]).toBe(`http://orderboard.test${base}/boards/${id}`)
  })

  it('the assignee (name as it is now) and the rating with its comment and moment', async () => {
    const { testApp, workspace, owner, base, open } = await setup()
    const id = await open('名刺')
    testApp.clock.advance(60_000)
    await open('封筒')
    const tanaka = await createMember({
      deps: testApp.deps,
      workspace,
      input: {
        email: 'tanaka@example.jp',
        name: '田中',
        password: 'correct horse',
        role: 'member',
      },
    })
    await testApp.deps.db
      .updateTable('boards')
      .set({
        assignee_member_id: tanaka,
        rating_score: 4,
        rating_comment: '=早かった, "助かりました"',
        rated_at: Date.parse('2026-11-24T12:30:00+09:00'),
      })
      .where('id', '=', id)
      .execute()
    const [header, first, second] = parseCsv(
      utf8((await bytesOf(await owner.get(`${base}/exports/boards.csv`))).slice(3)),
    )
    const cell = (row: string[] | undefined, label: string) => row![header!.indexOf(label)]
    expect(cell(first, '担当者')).toBe('田中')
    expect(cell(first, '担当者ID')).toBe(tanaka)
    expect(cell(first, '満足度')).toBe('4')
    expect(cell(first, '満足度のコメント')).toBe(`'=早かった, "助かりました"`)
    expect(cell(first, '評価日時')).toBe('2026-11-24 12:30')
    for (const label of ['担当者', '担当者ID', '満足度', '満足度のコメント', '評価日時'])
      expect(cell(second, label)).toBe('')
  })

  it('Shift_JIS (CP932) on request: no BOM, Windows bytes for Japanese and ①', async () => {
    const { owner, base, open } = await setup()
    await open('名刺①～', '髙橋')
    const response = await owner.get(`${base}/exports/boards.csv?encoding=cp932`)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=Shift_JIS; header=present')
    const bytes = await bytesOf(response)
    expect(bytes[0]).not.toBe(0xef)
    const hex = Buffer.from(bytes).toString('hex')
    // 名 96BC 刺 8E68 ① 8740 ～ 8160
    expect(hex).toContain('96bc8e6887408160')
    const text = Encoding.codeToString(Encoding.convert(bytes, { to: 'UNICODE', from: 'SJIS' }))
    expect(text).toContain('名刺①～')
    expect(text).toContain('髙橋')
    expect(text.split('\r\n')[0]).toMatch(/^ボードID,ボード名,/)
  })

  it("follows the list's filters and the period, and never shows another workspace", async () => {
    const { testApp, owner, base, open } = await setup()
    await open('名刺 A')
    testApp.clock.set('2026-11-26T09:00:00+09:00')
    await open('チラシ B')
    const other = await createTestWorkspace(testApp)
    const stranger = await loginAs(testApp, other.email, other.password)
    await stranger.post(`/w/${other.workspace.slug}/boards`, {
      name: '名刺 よその店',
      customer_name: '他人',
      customer_email: 'other@example.jp',
    })
    const names = async (query: string) =>
      parseCsv(
        utf8((await bytesOf(await owner.get(`${base}/exports/boards.csv${query}`))).slice(3)),
      )
        .slice(1)
        .map((row) => row[1])
    expect(await names('')).toEqual(['名刺 A', 'チラシ B'])
    expect(await names('?q=名刺')).toEqual(['名刺 A'])
    expect(await names('?from=2026-11-25&to=2026-11-30')).toEqual(['チラシ B'])
    expect(await names('?status=done')).toEqual([])
    const bad = await owner.get(`${base}/exports/boards.csv?encoding=latin1`)
    expect(bad.status).toBe(422)
  })

  it('streams in chunks: every board once, oldest first, past the chunk size', async () => {
    const { testApp, workspace, owner, base } = await setup()
    const total = EXPORT_CHUNK_ROWS * 2 + 7
    const rows = Array.from({ length: total }, (_, i) => ({
      id: `b${String(i).padStart(5, '0')}`,
      workspace_id: workspace.id,
      name: `ボード ${i}`,
      customer_name: '山田',
      customer_email: 'yamada@example.jp',
      expires_at: 2_000_000_000_000,
      last_activity_at: 1_700_000_000_000,
      // Ties on created_at across chunk edges: the id breaks them.
      created_at: 1_700_000_000_000 + Math.floor(i / 3),
      updated_at: 1_700_000_000_000,
    }))
    for (let i = 0; i < rows.length; i += 200) {
      await testApp.deps.db
        .insertInto('boards')
        .values(rows.slice(i, i + 200))
        .execute()
    }
    const response = await owner.get(`${base}/exports/boards.csv`)
    const ids = parseCsv(utf8((await bytesOf(response)).slice(3)))
      .slice(1)
      .map((row) => row[0])
    expect(ids).toEqual(rows.map((row) => row.id))
  })

  it('members may not export (admins and owners only); each export is in the audit log', async () => {
    const { testApp, workspace, owner, base } = await setup()
    await createMember({
      deps: testApp.deps,
      workspace,
      input: { email: 's@example.jp', name: '田中', password: 'correct horse', role: 'member' },
    })
    const staff = await loginAs(testApp, 's@example.jp', 'correct horse')
    expect((await staff.get(`${base}/exports/boards.csv`)).status).toBe(403)
    expect((await staff.get(`${base}/exports/messages.csv`)).status).toBe(403)
    await (await owner.get(`${base}/exports/messages.csv?internal=1`)).arrayBuffer()
    const entry = await testApp.deps.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'data.exported')
      .executeTakeFirstOrThrow()
    expect(entry.target).toBe('messages.csv')
    expect(JSON.parse(entry.detail!)).toMatchObject({ internal: true, encoding: 'utf-8' })
  })
})

async function postThread(
  testApp: TestApp,
  owner: Awaited<ReturnType<typeof loginAs>>,
  url: string,
) {
  await owner.post(`${url}/messages`, { body: '校正をお送りします。\n"A案", B案' })
  testApp.clock.advance(60_000)
  await owner.post(`${url}/messages`, { body: '社内: 紙の在庫を確認', internal: '1' })
  testApp.clock.advance(60_000)
  await owner.post(`${url}/messages`, { body: '@channel 確認お願いします' })
}

describe('messages.csv', () => {
  it('one row per message in posting order; internal notes only when asked', async () => {
    const { testApp, owner, base, open } = await setup()
    const id = await open('名刺')
    await postThread(testApp, owner, `${base}/boards/${id}`)
    const read = async (query: string) =>
      parseCsv(
        utf8((await bytesOf(await owner.get(`${base}/exports/messages.csv${query}`))).slice(3)),
      )
    const [header, ...rows] = await read('')
    expect(header).toContain('本文')
    const body = header!.indexOf('本文')
    expect(rows.map((row) => row[body])).toEqual([
      '校正をお送りします。\n"A案", B案',
      "'@channel 確認お願いします",
    ])
    expect(rows[0]![header!.indexOf('No.')]).toBe('1')
    expect(rows[0]![header!.indexOf('投稿日時')]).toBe('2026-11-24 10:00')
    const all = await read('?internal=1')
    expect(all.slice(1).map((row) => row[body])).toContain('社内: 紙の在庫を確認')
    expect(await read('?from=2026-11-25')).toHaveLength(1)
    expect(await read('?q=チラシ')).toHaveLength(1)
  })
})

describe('the API: GET /api/v1/boards.csv and /messages.csv', () => {
  it('answers the same CSV with stable column keys, for any key of the workspace', async () => {
    const { testApp, workspace, owner, base, open } = await setup()
    const id = await open('名刺')
    await postThread(testApp, owner, `${base}/boards/${id}`)
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace,
      name: 'read',
      scope: 'read',
      createdBy: null,
    })
    const get = (path: string, auth = `Bearer ${key}`) =>
      testApp.app.request(`/api/v1${path}`, { headers: { Authorization: auth } })
    const boards = await get('/boards.csv?q=名刺')
    expect(boards.status).toBe(200)
    expect(boards.headers.get('cache-control')).toBe('no-store')
    const [header, row] = parseCsv(utf8((await bytesOf(boards)).slice(3)))
    expect(header!.slice(0, 4)).toEqual(['id', 'name', 'customer_name', 'customer_email'])
    expect(row![0]).toBe(id)
    const messages = await get('/messages.csv?internal=1&encoding=shift_jis')
    const text = Encoding.codeToString(
      Encoding.convert(await bytesOf(messages), { to: 'UNICODE', from: 'SJIS' }),
    )
    expect(parseCsv(text)).toHaveLength(4)
    expect((await get('/boards.csv?colour=red')).status).toBe(422)
    const unknown = await get('/boards.csv', 'Bearer ob_live_nope')
    expect(unknown.status).toBe(401)
    expect(unknown.headers.get('content-type')).toMatch(/^application\/json/)
  })

  it('is described in the OpenAPI document', async () => {
    const { testApp } = await setup()
    const document = (await (await testApp.app.request('/api/v1/openapi.json')).json()) as {
      paths: Record<string, { get?: { responses: Record<string, { content?: object }> } }>
    }
    for (const path of ['/boards.csv', '/messages.csv']) {
      expect(document.paths[path]?.get?.responses['200']?.content).toHaveProperty('text/csv')
    }
  })
})
