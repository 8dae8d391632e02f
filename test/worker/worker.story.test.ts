// The real worker on workerd (local D1, R2, Queues, Cron) with mail sent by the real Resend
// transport to a local stand-in: the product's main story end to end, over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createHash, createHmac } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createServer, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Secret, TOTP } from 'otpauth'
import { patternBytes } from '../contract/blob-store.contract'
import { weekdayName, writtenDate, writtenMonthDay } from '../../src/shared/time'
import { logIn, startTestWorker, until, type Session, type TestWorker } from './harness'
import { startResendStandIn, type ResendStandIn } from './resend-stand-in'

const OWNER = {
  slug: 'worker-shop',
  email: 'owner@worker-shop.example',
  password: 'correct horse battery',
}
const boardsPath = `/w/${OWNER.slug}/boards`
const INBOUND_SECRET = 'worker-inbound-secret-0123456789'
const FIELD_MAIL = join(import.meta.dirname, '../fixtures/inbound')

let worker: TestWorker
let resend: ResendStandIn
let staff: Session
let apiKey = ''

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

beforeAll(async () => {
  resend = await startResendStandIn()
  worker = await startTestWorker(OWNER, {
    RESEND_API_KEY: 're_test_key',
    RESEND_BASE_URL: resend.url,
    INBOUND_DOMAIN: 'in.worker-shop.example',
    INBOUND_SECRET: INBOUND_SECRET,
  })
  console.log(`worker cold start (built bundle → runtime up → first 200): ${worker.coldStartMs} ms`)
  staff = await logIn(worker, OWNER.email, OWNER.password)
}, 120_000)

afterAll(async () => {
  await worker?.dispose()
  await resend?.close()
})

function api(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
) {
  return worker.fetch(`/api/v1${path}`, {
    method: init.method ?? 'GET',
    headers: {
      Authorization: `Bearer ${apiKey}`,
      ...(init.body === undefined ? {} : { 'Content-Type': 'application/json' }),
      ...init.headers,
    },
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  })
}

interface ApiBoard {
  id: string
  status: string
  next_contact_on: string | null
  decision_no: number | null
  last_no: number
  unanswered: boolean
}

/** Opens a customer link like a browser: the board cookie, then the page and its CSRF token. */
async function openGuestLink(link: string, boardId: string) {
  const opened = await fetch(link, { redirect: 'manual' })
  expect(opened.status).toBe(303)
  expect(opened.headers.get('location')).toBe(`/g/${boardId}`)
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const page = await worker.fetch(`/g/${boardId}`, { headers: { Cookie: cookie } })
  expect(page.status).toBe(200)
  const html = await page.text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  return { cookie, csrf, html }
}

async function apiBoard(id: string): Promise<ApiBoard> {
  const response = await api(`/boards/${id}`)
  expect(response.status).toBe(200)
  const json = (await response.json()) as { board?: ApiBoard } & ApiBoard
  return json.board ?? json
}

describe('worker on workerd', () => {
  it('serves static assets from Workers Static Assets with caching headers', async () => {
    const css = await worker.fetch('/static/app.css')
    expect(css.status).toBe(200)
    expect(css.headers.get('content-type')).toMatch(/text\/css/)
    expect(css.headers.get('x-content-type-options')).toBe('nosniff')
    const htmx = await worker.fetch('/static/htmx.min.js')
    expect(htmx.status).toBe(200)
    expect(await htmx.text()).toContain('htmx')
  })

  it('renders pages with the security headers of the app', async () => {
    const login = await worker.fetch('/login')
    expect(login.status).toBe(200)
    expect(login.headers.get('content-security-policy')).toContain("default-src 'self'")
    expect(await login.text()).toContain('/static/app.css')
  })

  it('refuses a wrong password and a cross-site form post', async () => {
    const wrong = await worker.fetch('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: worker.url.origin },
      body: new URLSearchParams({ email: OWNER.email, password: 'not the password' }),
    })
    expect(wrong.status).toBe(401)
    const crossSite = await staff.post(
      boardsPath,
      { name: 'x', customer_name: 'x', customer_email: 'x@example.com' },
      { Origin: 'https://evil.example' },
    )
    expect(crossSite.status).toBe(403)
  })

  it('creates an API key in the settings (shown once)', async () => {
    const response = await staff.post(`/w/${OWNER.slug}/settings/api`, {
      name: '受注システム',
      scope: 'write',
    })
    expect(response.status).toBe(201)
    apiKey =
      /class="secret-value" readonly="?"? ?value="([^"]+)"/.exec(await response.text())?.[1] ?? ''
    expect(apiKey.length).toBeGreaterThan(20)
    expect((await api('/boards')).status).toBe(200)
  })

  it('main story: API create → staff post → email → customer replies → staff email → decision', async () => {
    // 1. The shop's order system opens a board.
    const created = await api('/boards', {
      method: 'POST',
      body: {
        name: '名刺 100枚（両面カラー）',
        customer_name: '山田 花子',
        customer_email: 'hanako@example.jp',
        dedupe_key: 'ORD-2026-1001',
      },
    })
    expect(created.status).toBe(201)
    const { board, guest_url: guestUrl } = (await created.json()) as {
      board: ApiBoard
      guest_url: string
    }
    expect(board.status).toBe('new')
    expect(guestUrl.startsWith(worker.url.origin)).toBe(true)

    // 2. A member posts from the board page.
    const post = await staff.post(`${boardsPath}/${board.id}/messages`, {
      body: '山田 花子 様\n\n校正データをお送りします。12月5日(金)までにご返信ください。',
    })
    expect(post.status).toBe(303)

    // 3. The outbox row is sent by the worker (waitUntil / queue) through Resend's API.
    const toCustomer = await resend.waitFor((email) => email.to.includes('hanako@example.jp'))
    expect(toCustomer.subject).toBe('チャットボード通知【テスト印刷】')
    expect(toCustomer.text).toContain('校正データをお送りします')
    expect(toCustomer.idempotencyKey).toMatch(/^notify\//)
    const link = new RegExp(`${worker.url.origin}/g/${board.id}/[A-Za-z0-9_-]+`).exec(
      toCustomer.text + toCustomer.html,
    )?.[0]
    expect(link).toBeDefined()

    // 4. The customer opens the link: a board cookie, then a URL without the secret.
    const {
      cookie: guestCookie,
      csrf: guestCsrf,
      html: guestHtml,
    } = await openGuestLink(link!, board.id)
    expect(guestHtml).toContain('校正データをお送りします')

    // 5. …and replies; every member with notifications on gets an email.
    const reply = await worker.fetch(`/g/${board.id}/messages`, {
      method: 'POST',
      headers: {
        Cookie: guestCookie,
        Origin: worker.url.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: guestCsrf,
        body: 'ありがとうございます。この内容でお願いします。',
      }),
    })
    expect(reply.status).toBe(303)
    const toMember = await resend.waitFor((email) => email.to.includes(OWNER.email))
    expect(toMember.text).toContain('この内容でお願いします')
    expect(await apiBoard(board.id)).toMatchObject({ status: 'replied', unanswered: true })

    // 6. A promise with a date, posted by the shop's system, becomes the next contact date (the
    //    Japanese date grammar, chrono-node and the holiday table running on workerd).
    const promise = await api(`/boards/${board.id}/messages`, {
      method: 'POST',
      body: { body: '再校正デザインは12月5日(金)にご提示します。' },
    })
    expect(promise.status).toBe(201)
    const todayInTokyo = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Asia/Tokyo' }).format(
      new Date(),
    )
    const year = Number(todayInTokyo.slice(0, 4)) + (todayInTokyo.slice(5) > '12-05' ? 1 : 0)
    expect(await apiBoard(board.id)).toMatchObject({ next_contact_on: `${year}-12-05` })

    // 7. The member decides on No.2 (the customer's message): status done, decision recorded.
    const decide = await staff.post(`${boardsPath}/${board.id}/messages`, {
      body: 'No.2 の内容で確定いたしました。',
      decides_no: '2',
    })
    expect(decide.status).toBe(303)
    expect(await apiBoard(board.id)).toMatchObject({
      status: 'done',
      decision_no: 2,
      last_no: 4,
      unanswered: false,
    })
    const decidedMail = await resend.waitFor(
      (email) => email.to.includes('hanako@example.jp') && email.text.includes('確定いたしました'),
    )
    expect(decidedMail.headers['In-Reply-To'] ?? decidedMail.headers['in-reply-to']).toBeTruthy()

    // Every notification went out exactly once.
    const keys = resend.emails.map((email) => email.idempotencyKey)
    expect(new Set(keys).size).toBe(keys.length)
  })

  it('attachments: a two-part upload through R2 multipart, sent with a message, downloaded by the customer', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: { name: 'ポスター B1', customer_name: '渡辺 翔', customer_email: 'sho@example.jp' },
    })
    const { board, guest_url: link } = (await created.json()) as {
      board: ApiBoard
      guest_url: string
    }
    const base = `${boardsPath}/${board.id}`
    const upload = (
      method: string,
      path: string,
      body?: BodyInit,
      headers: Record<string, string> = {},
    ) =>
      worker.fetch(`${base}${path}`, {
        method,
        headers: {
          Cookie: staff.cookie,
          'X-CSRF-Token': staff.csrf,
          Origin: worker.url.origin,
          ...headers,
        },
        body,
      })

    // 8 MiB + 1000 bytes: one full R2 part and a short last one.
    const bytes = patternBytes(8 * 1024 * 1024 + 1000, 5)
    const started = await upload(
      'POST',
      '/uploads',
      JSON.stringify({ name: '入稿データ.pdf', size: bytes.byteLength, type: 'application/pdf' }),
      {
        'Content-Type': 'application/json',
      },
    )
    expect(started.status).toBe(201)
    const {
      upload_id: uploadId,
      part_size: partSize,
      parts,
    } = (await started.json()) as { upload_id: string; part_size: number; parts: number }
    expect(parts).toBe(2)
    // The last part first, then the first one twice (a retried part replaces the earlier copy).
    for (const n of [2, 1, 1]) {
      const part = await upload(
        'PUT',
        `/uploads/${uploadId}/parts/${n}`,
        bytes.slice((n - 1) * partSize, n * partSize),
        {
          'Content-Type': 'application/octet-stream',
        },
      )
      expect(part.status, await part.clone().text()).toBe(200)
    }
    const completed = await upload('POST', `/uploads/${uploadId}/complete`)
    expect(completed.status).toBe(200)
    const attachment = (await completed.json()) as {
      attachment_id: string
      sha256: string
      size: number
    }
    expect(attachment).toMatchObject({ size: bytes.byteLength, sha256: sha256Hex(bytes) })

    const post = await staff.post(`${base}/messages`, {
      body: '入稿データを添付しました。',
      attachment_ids: attachment.attachment_id,
    })
    expect(post.status).toBe(303)
    // (Emails naming their attachments are not built yet; the mail itself must go out.)
    await resend.waitFor(
      (email) =>
        email.to.includes('sho@example.jp') && email.text.includes('入稿データを添付しました'),
    )

    // The customer downloads it whole and by range, streamed from R2.
    const guest = await openGuestLink(link, board.id)
    const download = await worker.fetch(`/g/${board.id}/attachments/${attachment.attachment_id}`, {
      headers: { Cookie: guest.cookie },
    })
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toContain("filename*=UTF-8''")
    expect(sha256Hex(new Uint8Array(await download.arrayBuffer()))).toBe(attachment.sha256)
    const ranged = await worker.fetch(`/g/${board.id}/attachments/${attachment.attachment_id}`, {
      headers: { Cookie: guest.cookie, Range: `bytes=${partSize - 5}-${partSize + 4}` },
    })
    expect(ranged.status).toBe(206)
    expect(new Uint8Array(await ranged.arrayBuffer())).toEqual(
      bytes.slice(partSize - 5, partSize + 5),
    )

    // The customer attaches a small file to a reply.
    const small = patternBytes(1234, 9)
    const guestUpload = (
      method: string,
      path: string,
      body?: BodyInit,
      headers: Record<string, string> = {},
    ) =>
      worker.fetch(`/g/${board.id}${path}`, {
        method,
        headers: {
          Cookie: guest.cookie,
          'X-CSRF-Token': guest.csrf,
          Origin: worker.url.origin,
          ...headers,
        },
        body,
      })
    const guestStarted = await guestUpload(
      'POST',
      '/uploads',
      JSON.stringify({ name: 'photo.jpg', size: small.byteLength, type: 'image/jpeg' }),
      {
        'Content-Type': 'application/json',
      },
    )
    expect(guestStarted.status).toBe(201)
    const { upload_id: guestUploadId } = (await guestStarted.json()) as { upload_id: string }
    expect(
      (
        await guestUpload('PUT', `/uploads/${guestUploadId}/parts/1`, small, {
          'Content-Type': 'application/octet-stream',
        })
      ).status,
    ).toBe(200)
    const guestDone = await guestUpload('POST', `/uploads/${guestUploadId}/complete`)
    expect(guestDone.status).toBe(200)
    const guestFile = (await guestDone.json()) as { attachment_id: string }
    const reply = await worker.fetch(`/g/${board.id}/messages`, {
      method: 'POST',
      headers: {
        Cookie: guest.cookie,
        Origin: worker.url.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({
        _csrf: guest.csrf,
        body: '写真を送ります。',
        attachment_ids: guestFile.attachment_id,
      }),
    })
    expect(reply.status).toBe(303)
    const staffDownload = await staff.get(`${base}/attachments/${guestFile.attachment_id}`)
    expect(staffDownload.status).toBe(200)
    expect(new Uint8Array(await staffDownload.arrayBuffer())).toEqual(small)
  })

  it('templates and dates on D1: written dates, the weekday warning with the shop calendar, the template preview, an upload resumed from its stored parts', async () => {
    const created = await staff.post(boardsPath, {
      name: '封筒 500枚',
      customer_name: '石井 恵',
      customer_email: 'megumi@example.jp',
    })
    expect(created.status).toBe(303)
    const base = new URL(created.headers.get('location')!, worker.url).pathname
    // Ten days out, in Tokyo: the board's next contact date, written the Japanese way.
    const day = new Date(Date.now() + 10 * 86_400_000 + 9 * 3_600_000).toISOString().slice(0, 10)
    const expires = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10)
    const written = { locale: 'ja' as const, timeZone: 'Asia/Tokyo', now: Date.now() }
    const saved = await staff.post(base, {
      status: 'new',
      next_contact_on: day,
      next_contact_time: '',
      expires_on: expires,
    })
    expect(saved.status).toBe(303)
    const page = await (await staff.get(base)).text()
    expect(page).toContain(`${writtenDate(day, written)}までにデザイン案をご提示いたします。`)
    expect(page).toContain('メッセージの「決定」ボタンから使います')

    // The composer's preview: the same day written with the weekday after it, and the shop's
    // own closed day (settings on D1) for a promise.
    const [y, m, d] = day.split('-').map(Number) as [number, number, number]
    const actual = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
    const wrongDay = '日月火水木金土'[(actual + 1) % 7]
    const text = `${m}月${d}日(${wrongDay})にお届けいたします。`
    const preview = await (
      await staff.post(`${base}/next-contact/preview`, { body: text, next_contact_mode: 'auto' })
    ).text()
    expect(preview).toContain(
      `「${m}月${d}日(${wrongDay})」: ${writtenMonthDay(day, written)}は${weekdayName(actual, 'ja')}です。`,
    )
    const templatePreview = await (
      await staff.post(`/w/${OWNER.slug}/templates/preview`, {
        body: '{{customer_name}} 様、{{next_contact_date}}までにご連絡します。',
      })
    ).text()
    expect(templatePreview).toContain('山田 花子 様、')
    expect(templatePreview).toMatch(/\d+月\d+日\([日月火水木金土]\)までにご連絡します。/)

    // An upload cut short: the listing (D1) names the part R2 holds, the rest completes it.
    const upload = (method: string, path: string, body?: BodyInit, type?: string) =>
      worker.fetch(`${base}${path}`, {
        method,
        headers: {
          Cookie: staff.cookie,
          'X-CSRF-Token': staff.csrf,
          Origin: worker.url.origin,
          ...(type ? { 'Content-Type': type } : {}),
        },
        body,
      })
    const bytes = patternBytes(8 * 1024 * 1024 + 10, 9)
    const started = (await (
      await upload(
        'POST',
        '/uploads',
        JSON.stringify({ name: '封筒.pdf', size: bytes.byteLength }),
        'application/json',
      )
    ).json()) as { upload_id: string; part_size: number }
    const first = bytes.slice(0, started.part_size)
    expect(
      (
        await upload(
          'PUT',
          `/uploads/${started.upload_id}/parts/1`,
          first,
          'application/octet-stream',
        )
      ).status,
    ).toBe(200)
    const listing = (await (await upload('GET', `/uploads/${started.upload_id}`)).json()) as {
      status: string
      stored: { part_number: number; size: number }[]
    }
    expect(listing).toMatchObject({
      status: 'open',
      stored: [{ part_number: 1, size: started.part_size }],
    })
    const rest = bytes.slice(started.part_size)
    expect(
      (
        await upload(
          'PUT',
          `/uploads/${started.upload_id}/parts/2`,
          rest,
          'application/octet-stream',
        )
      ).status,
    ).toBe(200)
    const done = (await (
      await upload('POST', `/uploads/${started.upload_id}/complete`)
    ).json()) as {
      sha256: string
    }
    expect(done.sha256).toBe(sha256Hex(bytes))
  }, 60_000)

  it('webhooks: a customer post is delivered, signed, from the worker to the shop', async () => {
    const received: { headers: IncomingHttpHeaders; body: string }[] = []
    const receiver = createServer((request, response) => {
      let body = ''
      request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')))
      request.on('end', () => {
        received.push({ headers: request.headers, body })
        response.writeHead(204).end()
      })
    })
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
    try {
      const port = (receiver.address() as AddressInfo).port
      const registered = await staff.post(`/w/${OWNER.slug}/settings/webhooks`, {
        url: `http://127.0.0.1:${port}/hooks/orderboard`,
        events: 'message.created',
      })
      expect(registered.status).toBe(201)
      const secret =
        /class="secret-value" readonly="?"? ?value="([^"]+)"/.exec(await registered.text())?.[1] ??
        ''
      expect(secret).not.toBe('')

      const created = await api('/boards', {
        method: 'POST',
        body: {
          name: 'のぼり旗 10本',
          customer_name: '中村',
          customer_email: 'nakamura@example.jp',
        },
      })
      const { board, guest_url: link } = (await created.json()) as {
        board: ApiBoard
        guest_url: string
      }
      const guest = await openGuestLink(link, board.id)
      const reply = await worker.fetch(`/g/${board.id}/messages`, {
        method: 'POST',
        headers: {
          Cookie: guest.cookie,
          Origin: worker.url.origin,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ _csrf: guest.csrf, body: '色見本を見てから決めます。' }),
      })
      expect(reply.status).toBe(303)

      await until(
        async () => received.length,
        (n) => n > 0,
      )
      expect(received).toHaveLength(1)
      const [delivery] = received
      expect(delivery!.headers['orderboard-event']).toBe('message.created')
      expect(delivery!.body).toContain('色見本を見てから決めます。')
      const [, t, v1] =
        /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(delivery!.headers['orderboard-signature'])) ?? []
      expect(v1).toBe(createHmac('sha256', secret).update(`${t}.${delivery!.body}`).digest('hex'))
    } finally {
      await new Promise((resolve) => receiver.close(resolve))
    }
  })

  it('makes exactly one board from 50 simultaneous API creates with the same dedupe key (D1, no transactions)', async () => {
    const body = {
      name: 'イベントTシャツ 30着',
      customer_name: '鈴木 一郎',
      customer_email: 'ichiro@example.jp',
      dedupe_key: 'ORD-RACE-1',
    }
    const responses = await Promise.all(
      Array.from({ length: 50 }, () => api('/boards', { method: 'POST', body })),
    )
    const results = await Promise.all(
      responses.map(async (response) => {
        const text = await response.text()
        if (!response.headers.get('content-type')?.includes('json'))
          throw new Error(`${response.status}: ${text.slice(0, 300)}`)
        return { status: response.status, json: JSON.parse(text) as { board: ApiBoard } }
      }),
    )
    expect(results.filter((result) => result.status === 201)).toHaveLength(1)
    expect(results.filter((result) => result.status === 200)).toHaveLength(49)
    expect(new Set(results.map((result) => result.json.board.id)).size).toBe(1)
    const rows = await worker.sql<{ n: number }>(
      `SELECT count(*) AS n FROM boards WHERE dedupe_key = 'ORD-RACE-1'`,
    )
    expect(rows[0]?.n).toBe(1)
  })

  it('streams a 2,100-board CSV from D1 in chunks (API and member side) and shows the statistics', async () => {
    // Three chunks of the export's keyset pagination, on D1's own SQL.
    await worker.sql(
      `INSERT INTO boards (id, workspace_id, name, customer_name, customer_email, dedupe_key,
         expires_at, last_activity_at, created_at, updated_at)
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2100)
       SELECT printf('csv-%05d', i), (SELECT id FROM workspaces WHERE slug = '${OWNER.slug}'),
         printf('CSV-%05d, "特急"', i), '=1+1', 'csv@example.jp', printf('CSV-%05d', i),
         4102444800000, 1767225600000, 1767225600000 + i / 3, 1767225600000
       FROM n`,
    )
    // Rows written straight into D1 are not in the search index (a post's batch writes it), so
    // the export is taken whole and the inserted rows picked out by their id.
    const response = await api('/boards.csv')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present')
    const bytes = new Uint8Array(await response.arrayBuffer())
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf])
    const all = new TextDecoder().decode(bytes.slice(3)).split('\r\n')
    expect(all[0]).toMatch(/^id,name,customer_name,/)
    const lines = all.filter((line) => line.startsWith('csv-'))
    expect(lines).toHaveLength(2100)
    expect(lines).toContainEqual(expect.stringMatching(/^csv-00001,"CSV-00001, ""特急""",'=1\+1,/))
    expect(lines).toContainEqual(expect.stringMatching(/^csv-02100,/))
    const sjis = await staff.get(`/w/${OWNER.slug}/exports/boards.csv?encoding=shift_jis`)
    expect(sjis.status).toBe(200)
    const sjisBytes = Buffer.from(await sjis.arrayBuffer())
    expect(sjisBytes[0]).not.toBe(0xef)
    // 特急 in Shift_JIS
    expect(sjisBytes.toString('hex')).toContain('93c18b7d')
    // The main story's decision was stamped with its post, in the same D1 batch.
    const decided = await worker.sql<{ n: number }>(
      `SELECT count(*) AS n FROM boards WHERE decided_at IS NOT NULL AND decision_ms >= 0`,
    )
    expect(decided[0]?.n).toBeGreaterThan(0)
    const stats = await staff.get(`/w/${OWNER.slug}/stats`)
    expect(stats.status).toBe(200)
    const statsHtml = await stats.text()
    expect(statsHtml).toContain('data-chart=')
    // The medians are picked in D1's SQL (LIMIT … OFFSET a subquery, window functions per
    // member): the story's first responses give a median this month.
    expect(statsHtml).toContain('中央値')
    expect(statsHtml).toContain('担当者ごと')
    // The whole page narrowed to the owner's boards (read only: nothing to put back).
    const owner = await worker.sql<{ id: string }>(
      `SELECT id FROM members WHERE email = '${OWNER.email}'`,
    )
    const mine = await staff.get(`/w/${OWNER.slug}/stats?member=${owner[0]!.id}`)
    expect(mine.status).toBe(200)
    expect(await mine.text()).toContain('さんが担当しているボードだけを集計しています')
    await worker.sql(
      `DELETE FROM search_index WHERE rowid IN (SELECT id FROM search_rows WHERE board_id LIKE 'csv-%')`,
    )
    await worker.sql(`DELETE FROM boards WHERE id LIKE 'csv-%'`)
  }, 60_000)

  it('the staff form refuses a duplicate dedupe key with 409, pointing at the existing board', async () => {
    const duplicate = await staff.post(boardsPath, {
      name: 'x',
      customer_name: '鈴木 一郎',
      customer_email: 'ichiro@example.jp',
      dedupe_key: 'ORD-RACE-1',
    })
    expect(duplicate.status).toBe(409)
  })

  it('search on D1: a Japanese word in a message (FTS5 bigrams written with the post), operators, problems', async () => {
    const created = await staff.post(boardsPath, {
      name: 'のぼり旗 10本',
      customer_name: '高橋 次郎',
      customer_email: 'jiro@example.jp',
    })
    expect(created.status).toBe(303)
    const board = created.headers.get('location')!
    expect(
      (await staff.post(`${board}/messages`, { body: 'ロゴの色はｶﾗｰ見本どおりで' })).status,
    ).toBeLessThan(400)
    const list = async (q: string) =>
      await (await staff.get(`${boardsPath}?q=${encodeURIComponent(q)}`)).text()
    for (const word of ['ロゴ', '色', 'カラー見本', 'ろご'])
      expect(await list(word)).toContain('のぼり旗 10本')
    // two words: the longer drives the index's newest-first rows, the other is looked up per board
    expect(await list('ロゴ カラー見本')).toContain('のぼり旗 10本')
    expect(await list('ロゴ 封筒')).not.toContain('のぼり旗 10本')
    expect(await list('status:waiting カラー')).toContain('のぼり旗 10本')
    expect(await list('status:done カラー')).not.toContain('のぼり旗 10本')
    expect(await list('stauts:waiting')).toContain('「status:」のことですか？')
    const viaApi = await api(`/boards?q=${encodeURIComponent('色 status:waiting')}`)
    expect(viaApi.status).toBe(200)
    expect(JSON.stringify(await viaApi.json())).toContain('のぼり旗 10本')
  })

  it('assignment and mention emails on D1 (#17): through the outbox, the mention row in the note’s batch, nothing to the customer', async () => {
    // A second member, written straight into D1 (the team invitation story covers the form).
    const memberId = 'story-member-aya'
    await worker.sql(
      `INSERT INTO members (id, workspace_id, email, name, password_hash, role, notify_email, digest_enabled, created_at)
       SELECT ?, id, 'aya@worker-shop.example', '佐藤 彩', 'x', 'member', 0, 0, 0 FROM workspaces WHERE slug = ?`,
      memberId,
      OWNER.slug,
    )
    try {
      const created = await staff.post(boardsPath, {
        name: '封筒 1000枚',
        customer_name: '中村',
        customer_email: 'nakamura@example.jp',
      })
      expect(created.status).toBe(303)
      const board = created.headers.get('location')!
      const boardId = board.split('/').pop()!
      const toAya = (subject: string) => () =>
        Promise.resolve(
          resend.emails.filter(
            (email) => email.to.includes('aya@worker-shop.example') && email.subject === subject,
          ),
        )

      // Assigned from the side panel: one email, then nothing more for the same assignee.
      expect((await staff.post(board, { assignee: memberId })).status).toBe(303)
      const assigned = await until(toAya('【担当】封筒 1000枚'), (emails) => emails.length > 0)
      expect(assigned).toHaveLength(1)
      expect(assigned[0]!.text).toContain('の担当者をあなたにしました。')
      expect(assigned[0]!.text).toContain(`${worker.url.origin}${board}`)

      // A mention in an internal note: the row in the note's batch, the email through the outbox.
      expect(
        (
          await staff.post(`${board}/messages`, {
            body: '@佐藤 彩 紙の在庫を確認してください',
            internal: '1',
          })
        ).status,
      ).toBeLessThan(400)
      expect(
        await worker.sql(`SELECT member_id, read_at FROM mentions WHERE board_id = ?`, boardId),
      ).toEqual([{ member_id: memberId, read_at: null }])
      const mentioned = await until(
        toAya('【メンション】封筒 1000枚'),
        (emails) => emails.length > 0,
      )
      expect(mentioned).toHaveLength(1)
      expect(mentioned[0]!.text).toContain('紙の在庫を確認してください')
      // never to the customer
      expect(
        resend.emails.some(
          (email) => email.to.includes('nakamura@example.jp') && email.text.includes('紙の在庫'),
        ),
      ).toBe(false)
      const page = await (await staff.get(board)).text()
      expect(page).toContain('<mark class="mention"')
      const repeat = await until(
        async () =>
          await worker.sql<{ n: number }>(
            `SELECT COUNT(*) AS n FROM outbox WHERE board_id = ? AND kind = 'team-notice' AND status = 'sent'`,
            boardId,
          ),
        (rows) => rows[0]?.n === 2,
      )
      expect(repeat).toEqual([{ n: 2 }])
    } finally {
      // later cases count members' emails: the member leaves (their mention rows with them)
      await worker.sql(`DELETE FROM members WHERE id = ?`, memberId)
    }
  })

  it('round-robin on D1 (#17): API creates go in turn, picked inside the insert batch; an explicit assignee wins', async () => {
    const ids = ['story-rr-1', 'story-rr-2']
    for (const [i, id] of ids.entries())
      await worker.sql(
        `INSERT INTO members (id, workspace_id, email, name, password_hash, role, round_robin, notify_email, digest_enabled, created_at)
         SELECT ?, id, ?, ?, 'x', 'member', 1, 0, 0, 0 FROM workspaces WHERE slug = ?`,
        id,
        `rr${i}@worker-shop.example`,
        `順番 ${i}`,
        OWNER.slug,
      )
    await worker.sql(`UPDATE workspaces SET round_robin = 1 WHERE slug = ?`, OWNER.slug)
    try {
      const create = async (name: string, extra: Record<string, unknown> = {}) => {
        const response = await api('/boards', {
          method: 'POST',
          body: { name, customer_name: '順番', customer_email: 'rr@example.jp', ...extra },
        })
        expect(response.status).toBe(201)
        return ((await response.json()) as { board: { assignee_id: string | null } }).board
          .assignee_id
      }
      const turns = [await create('RR 1'), await create('RR 2'), await create('RR 3')]
      expect(new Set(turns.slice(0, 2))).toEqual(new Set(ids))
      expect(turns[2]).toBe(turns[0])
      expect(await create('RR explicit', { assignee_id: ids[1] })).toBe(ids[1])
      const notices = await until(
        () =>
          worker.sql<{ n: number }>(
            `SELECT COUNT(*) AS n FROM outbox WHERE kind = 'team-notice' AND idempotency_key LIKE 'assigned/%'
               AND payload LIKE '%story-rr-%'`,
          ),
        (rows) => (rows[0]?.n ?? 0) >= 4,
      )
      expect(notices).toEqual([{ n: 4 }])
    } finally {
      await worker.sql(`UPDATE workspaces SET round_robin = 0 WHERE slug = ?`, OWNER.slug)
      // the story's later cases count members' emails: these two leave with their boards' turns
      await worker.sql(`DELETE FROM members WHERE id IN (?, ?)`, ...ids)
    }
  })

  it('snippets and saved views on D1: the matched message marked, a view saved, its tab counted, renamed and deleted', async () => {
    const created = await staff.post(boardsPath, {
      name: '封筒 角2',
      customer_name: '小林 三郎',
      customer_email: 'saburo@example.jp',
    })
    expect(created.status).toBe(303)
    const board = created.headers.get('location')!
    expect(
      (await staff.post(`${board}/messages`, { body: '封入する<b>挨拶状</b>は別送です' })).status,
    ).toBeLessThan(400)
    const list = await (await staff.get(`${boardsPath}?q=${encodeURIComponent('挨拶状')}`)).text()
    expect(list).toContain('&lt;b&gt;<mark>挨拶状</mark>&lt;/b&gt;は別送です')

    const views = `${boardsPath.replace(/\/boards$/, '')}/views`
    const saved = await staff.post(views, { name: '挨拶状の案件', q: '挨拶状', shared: '1' })
    expect(saved.status).toBe(303)
    const page = await (await staff.get(`${views}/counts?q=${encodeURIComponent('挨拶状')}`)).text()
    expect(page).toMatch(
      /aria-current="page"[^>]*><bdi>挨拶状の案件<\/bdi><span class="view-shared-mark">共有<\/span><span class="tab-count">1</,
    )
    expect(page).toContain('<bdi>今日の連絡</bdi>')
    const id = /action="[^"]*\/views\/([^"/]+)"/.exec(page)?.[1]
    expect(id).toBeTruthy()
    expect((await staff.post(`${views}/${id}`, { name: '挨拶状' })).status).toBe(303)
    expect(await (await staff.get(boardsPath)).text()).toContain('<bdi>挨拶状</bdi>')
    expect((await staff.post(`${views}/${id}/delete`, {})).status).toBe(303)
    expect((await staff.post(`${views}/${id}/delete`, {})).status).toBe(404)
    expect(await (await staff.get(boardsPath)).text()).not.toContain('<bdi>挨拶状</bdi>')
  })

  it('tags on D1: #tag from an internal note in the post’s batch, the side panel, PATCH tags and category, #tag search, a bulk tag', async () => {
    const created = await staff.post(boardsPath, {
      name: 'ステッカー 500枚',
      customer_name: '森 四郎',
      customer_email: 'shiro@example.jp',
    })
    expect(created.status).toBe(303)
    const board = created.headers.get('location')!
    const id = board.split('/').pop()!
    expect(
      (await staff.post(`${board}/messages`, { body: '入稿待ち #入稿待ち。', internal: '1' }))
        .status,
    ).toBeLessThan(400)
    expect((await staff.post(`${board}/tags`, { tag: '急ぎ' })).status).toBe(303)
    const list = async (q: string) =>
      await (await staff.get(`${boardsPath}?q=${encodeURIComponent(q)}`)).text()
    expect(await list('#入稿待ち #急ぎ')).toContain('ステッカー 500枚')
    expect(await list('#入稿待ち -#急ぎ')).not.toContain('ステッカー 500枚')
    expect(await list('#ないタグ')).toContain('「#ないタグ」というタグはありません。')

    const settings = `${boardsPath.replace(/\/boards$/, '')}/settings/tags`
    expect((await staff.post(`${settings}/categories`, { name: 'ステッカー' })).status).toBe(303)
    const patched = await api(`/boards/${id}`, {
      method: 'PATCH',
      body: { tags: ['入稿済', '急ぎ'], category: 'ステッカー' },
    })
    expect(patched.status).toBe(200)
    expect(
      ((await patched.json()) as { board: { tags: string[]; category: string } }).board,
    ).toMatchObject({
      tags: ['入稿済', '急ぎ'],
      category: 'ステッカー',
    })
    const refused = await api(`/boards/${id}`, { method: 'PATCH', body: { category: 'ポスター' } })
    expect(refused.status).toBe(422)
    const found = await api(`/boards?q=${encodeURIComponent('#入稿済 category:ステッカー')}`)
    expect(JSON.stringify(await found.json())).toContain(id)

    const bulk = await staff.post(`${boardsPath}/bulk`, {
      action: 'add_tag',
      tag: '一括',
      all: '1',
      filters: `q=${encodeURIComponent('category:ステッカー')}`,
    })
    expect(bulk.status).toBe(303)
    expect(await (await staff.get(bulk.headers.get('location')!)).text()).toContain(
      '1件にタグ「一括」を付けました。',
    )
    expect(await list('#一括')).toContain('ステッカー 500枚')
  })

  it('retries a failed send from the queue consumer and from the cron trigger', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: { name: 'A4 チラシ', customer_name: '高橋', customer_email: 'takahashi@example.jp' },
    })
    const { board } = (await created.json()) as { board: ApiBoard }
    const sentBefore = resend.emails.length

    // Resend answers 500 to every attempt made while the post is handled.
    resend.failNext(500, 100)
    await staff.post(`${boardsPath}/${board.id}/messages`, { body: '高橋様\n\n第1稿です。' })
    const outboxFor = (text: string) =>
      worker.sql<{ status: string; attempts: number }>(
        `SELECT o.status, o.attempts FROM outbox o JOIN messages m ON m.id = o.message_id
         WHERE o.kind = 'email' AND m.body LIKE '%${text}%'`,
      )
    const pending = () => outboxFor('第1稿')
    const rows = await until(pending, (r) => r[0]?.status === 'pending' && r[0].attempts >= 1)
    expect(rows[0]).toMatchObject({ status: 'pending' })
    expect(resend.emails.length).toBe(sentBefore)

    // The back-off has passed; a queue message wakes the consumer, which sends it.
    resend.failNext(500, 0)
    await worker.sql(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'`)
    await worker.queue([{ kind: 'drain' }])
    await resend.waitFor((email) => email.to.includes('takahashi@example.jp'))
    expect((await pending())[0]?.status).toBe('sent')

    // The same through the five-minute cron.
    resend.failNext(500, 100)
    await staff.post(`${boardsPath}/${board.id}/messages`, { body: '高橋様\n\n第2稿です。' })
    const second = () => outboxFor('第2稿')
    const secondRows = await until(second, (r) => r[0]?.status === 'pending' && r[0].attempts >= 1)
    expect(secondRows[0]).toMatchObject({ status: 'pending' })
    resend.failNext(500, 0)
    await worker.sql(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'`)
    await worker.scheduled('*/5 * * * *')
    await resend.waitFor((email) => email.text.includes('第2稿'))
  })

  it('the send rate lives in D1: a taken schedule defers an email without spending an attempt; slots move on one interval per send', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: {
        name: 'ショップカード',
        customer_name: '小林',
        customer_email: 'kobayashi@example.jp',
      },
    })
    const { board } = (await created.json()) as { board: ApiBoard }
    const sentBefore = resend.emails.length
    // Another sender holds Resend's slots for the next ten minutes.
    const heldUntil = Date.now() + 600_000
    await worker.sql(
      `INSERT INTO send_slots (provider, next_at) VALUES ('resend', ?)
       ON CONFLICT (provider) DO UPDATE SET next_at = excluded.next_at`,
      heldUntil,
    )
    await staff.post(`${boardsPath}/${board.id}/messages`, { body: '小林様\n\nデザイン案です。' })
    const row = async () =>
      (
        await worker.sql<{ status: string; attempts: number; next_attempt_at: number }>(
          `SELECT o.status, o.attempts, o.next_attempt_at FROM outbox o
           JOIN messages m ON m.id = o.message_id WHERE m.body LIKE '%デザイン案です%'`,
        )
      )[0]
    const deferred = await until(row, (r) => Boolean(r && r.next_attempt_at > Date.now() + 60_000))
    // the waitUntil drain found no slot within reach: the email waits, its attempt given back
    expect(deferred).toMatchObject({ status: 'pending', attempts: 0 })
    expect(deferred!.next_attempt_at).toBeGreaterThan(heldUntil - 10_000)
    await worker.queue([{ kind: 'drain' }])
    expect(resend.emails.length).toBe(sentBefore)

    // The schedule is free again: the cron sends it, then two more go through the queue; every
    // send moved the D1 schedule on by at least one interval (500 ms at Resend's 2/s).
    await worker.sql(`UPDATE send_slots SET next_at = 0 WHERE provider = 'resend'`)
    await worker.sql(`UPDATE outbox SET next_attempt_at = 0 WHERE status = 'pending'`)
    const freedAt = Date.now()
    await worker.scheduled('*/5 * * * *')
    await resend.waitFor((email) => email.text.includes('デザイン案です'))
    expect(await row()).toMatchObject({ status: 'sent', attempts: 1 })
    await staff.post(`${boardsPath}/${board.id}/messages`, { body: '小林様\n\n修正案Aです。' })
    await staff.post(`${boardsPath}/${board.id}/messages`, { body: '小林様\n\n修正案Bです。' })
    await worker.queue([{ kind: 'drain' }])
    await resend.waitFor((email) => email.text.includes('修正案Aです'))
    await resend.waitFor((email) => email.text.includes('修正案Bです'))
    const [slot] = await worker.sql<{ next_at: number }>(
      `SELECT next_at FROM send_slots WHERE provider = 'resend'`,
    )
    expect(slot!.next_at).toBeGreaterThanOrEqual(freedAt + 3 * 500)
  })

  it('the five-minute cron queues and sends the daily digest once a workspace reaches its digest time', async () => {
    const tokyo = (date: Date) =>
      new Intl.DateTimeFormat('sv-SE', {
        timeZone: 'Asia/Tokyo',
        dateStyle: 'short',
        timeStyle: 'short',
      }).format(date)
    const [today, clock] = tokyo(new Date()).split(' ') as [string, string]
    const created = await api('/boards', {
      method: 'POST',
      body: { name: '結婚式 招待状', customer_name: '伊藤', customer_email: 'ito@example.jp' },
    })
    const { board } = (await created.json()) as { board: ApiBoard }
    expect(
      (await api(`/boards/${board.id}`, { method: 'PATCH', body: { next_contact_on: today } }))
        .status,
    ).toBe(200)
    await worker.sql(`UPDATE workspaces SET digest_time = ?`, clock)

    await worker.scheduled('*/5 * * * *')
    const digest = await resend.waitFor(
      (email) => email.to.includes(OWNER.email) && email.subject.startsWith('【次回連絡】'),
    )
    expect(digest.text).toContain('結婚式 招待状')
    // Idempotent per member and day: the next run sends nothing more.
    await worker.scheduled('*/5 * * * *')
    expect(resend.emails.filter((email) => email.subject.startsWith('【次回連絡】'))).toHaveLength(
      1,
    )
  })

  it('the five-minute cron sends a waiting automatic answer once (設定 → 営業時間と自動応答)', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: { name: 'のぼり旗 10本', customer_name: '中村', customer_email: 'nakamura@example.jp' },
    })
    const { board, guest_url: guestUrl } = (await created.json()) as {
      board: ApiBoard
      guest_url: string
    }
    // Open around the clock, answers after one minute unanswered.
    const week = JSON.stringify(Array.from({ length: 7 }, () => [[0, 1440]]))
    await worker.sql(
      `INSERT INTO care_settings (workspace_id, week, japanese_holidays, auto_answer,
         auto_answer_delay_minutes, updated_at)
       SELECT id, ?, 0, 1, 1, 0 FROM workspaces WHERE slug = ?`,
      week,
      OWNER.slug,
    )
    const { cookie, csrf } = await openGuestLink(guestUrl, board.id)
    const reply = await worker.fetch(`/g/${board.id}/messages`, {
      method: 'POST',
      headers: {
        Cookie: cookie,
        Origin: worker.url.origin,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ _csrf: csrf, body: '白地に赤でお願いします。' }),
    })
    expect(reply.status).toBe(303)
    const waiting = await worker.sql<{ state: string }>(
      `SELECT state FROM auto_answers WHERE board_id = ?`,
      board.id,
    )
    expect(waiting).toEqual([{ state: 'pending' }])

    // Its minute has passed: the cron claims it and the outbox sends it.
    await worker.sql(`UPDATE auto_answers SET due_at = 0 WHERE board_id = ?`, board.id)
    await worker.scheduled('*/5 * * * *')
    const answer = await resend.waitFor(
      (email) =>
        email.to.includes('nakamura@example.jp') &&
        email.subject.startsWith('メッセージを受け付けました'),
    )
    expect(answer.text).toContain('自動応答')
    await worker.scheduled('*/5 * * * *')
    expect(
      resend.emails.filter(
        (email) =>
          email.to.includes('nakamura@example.jp') &&
          email.subject.startsWith('メッセージを受け付けました'),
      ),
    ).toHaveLength(1)
    expect(await apiBoard(board.id)).toMatchObject({ status: 'replied', last_no: 1 })
    await worker.sql(`DELETE FROM care_settings`)
  })

  it('rating on D1: the done email’s link only shows the form, the POST records once, a low score alerts once; 「解決しました」', async () => {
    await worker.sql(
      `INSERT INTO care_settings (workspace_id, week, rating, updated_at)
       SELECT id, ?, 1, 0 FROM workspaces WHERE slug = ?`,
      JSON.stringify([
        [],
        [[540, 1080]],
        [[540, 1080]],
        [[540, 1080]],
        [[540, 1080]],
        [[540, 1080]],
        [],
      ]),
      OWNER.slug,
    )
    try {
      const created = await api('/boards', {
        method: 'POST',
        body: {
          name: 'ポスター A2',
          customer_name: '小林',
          customer_email: 'kobayashi@example.jp',
        },
      })
      const { board } = (await created.json()) as { board: ApiBoard }
      await api(`/boards/${board.id}/messages`, { method: 'POST', body: { body: '校正です。' } })
      await api(`/boards/${board.id}/messages`, {
        method: 'POST',
        body: { body: 'No.1 の内容で確定いたしました。', decides_no: 1 },
      })
      const done = await resend.waitFor(
        (email) =>
          email.to.includes('kobayashi@example.jp') && email.text.includes('確定いたしました'),
      )
      expect(done.text).toContain('ご対応はいかがでしたか？')
      const link = new RegExp(`${worker.url.origin}/g/${board.id}/[A-Za-z0-9_-]+/rate/2`).exec(
        done.text,
      )?.[0]
      expect(link).toBeDefined()

      // The link: a cookie and the form with 2 chosen; nothing recorded.
      const opened = await fetch(link!, { redirect: 'manual' })
      expect(opened.status).toBe(303)
      expect(opened.headers.get('location')).toBe(`/g/${board.id}/rating?score=2`)
      const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
      const form = await (
        await worker.fetch(`/g/${board.id}/rating?score=2`, { headers: { Cookie: cookie } })
      ).text()
      expect(form).toContain('value="2" checked')
      const csrf = /name="_csrf" value="([^"]+)"/.exec(form)?.[1] ?? ''
      expect(await worker.sql(`SELECT rating_score FROM boards WHERE id = ?`, board.id)).toEqual([
        { rating_score: null },
      ])

      const send = (score: string) =>
        worker.fetch(`/g/${board.id}/rating`, {
          method: 'POST',
          headers: {
            Cookie: cookie,
            Origin: worker.url.origin,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body: new URLSearchParams({ _csrf: csrf, score, comment: '梱包が少し雑でした' }),
        })
      expect((await send('2')).status).toBe(303)
      expect((await send('1')).status).toBe(303) // changed within 7 days: no second alert
      expect(
        await worker.sql(`SELECT rating_score, rating_comment FROM boards WHERE id = ?`, board.id),
      ).toEqual([{ rating_score: 1, rating_comment: '梱包が少し雑でした' }])
      const alerts = await worker.sql<{ n: number }>(
        `SELECT count(*) AS n FROM outbox WHERE kind = 'rating-alert' AND board_id = ?`,
        board.id,
      )
      expect(alerts).toEqual([{ n: 1 }])
      const alert = await resend.waitFor((email) => email.subject.startsWith('【満足度 2/5】'))
      expect(alert.to).toContain(OWNER.email)
      expect((await apiBoard(board.id)) as unknown).toMatchObject({
        rating: { score: 1, comment: '梱包が少し雑でした' },
      })

      // Another board: the customer ends it themselves.
      const second = await api('/boards', {
        method: 'POST',
        body: { name: '封筒 500枚', customer_name: '小林', customer_email: 'kobayashi@example.jp' },
      })
      const { board: other, guest_url: otherUrl } = (await second.json()) as {
        board: ApiBoard
        guest_url: string
      }
      const guest = await openGuestLink(otherUrl, other.id)
      expect(guest.html).toContain('解決しました')
      const settled = await worker.fetch(`/g/${other.id}/settle`, {
        method: 'POST',
        headers: {
          Cookie: guest.cookie,
          Origin: worker.url.origin,
          'Content-Type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ _csrf: guest.csrf }),
      })
      expect(settled.status).toBe(303)
      expect(await apiBoard(other.id)).toMatchObject({ status: 'done' })
      expect(
        await worker.sql(
          `SELECT actor_kind, status FROM status_changes WHERE board_id = ?`,
          other.id,
        ),
      ).toEqual([{ actor_kind: 'guest', status: 'done' }])
      expect(await (await staff.get(`${boardsPath}/${other.id}`)).text()).toContain(
        'お客様が完了にしました',
      )
    } finally {
      await worker.sql(`DELETE FROM care_settings`)
    }
  })

  it('reply by email on workerd: winmail.dat unpacked, HTML-only mail as text, a carrier bounce flags the board', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: {
        name: '封筒 500枚',
        customer_name: '高橋',
        customer_email: 'takahashi.inbound@example.jp',
      },
    })
    const { board } = (await created.json()) as { board: ApiBoard }
    await staff.post(`${boardsPath}/${board.id}/messages`, { body: '修正版をお待ちしています。' })
    const note = await resend.waitFor((email) => email.to.includes('takahashi.inbound@example.jp'))
    const values: Record<string, string> = {
      REPLY_TO: note.headers['Reply-To'] ?? '',
      NOTIFY_ID: (note.headers['Message-ID'] ?? '').slice(1, -1),
      BOARD_ROOT: (note.headers.References ?? '').slice(1, -1),
      MAIL_FROM: /<([^>]+)>/.exec(String(note.from))?.[1] ?? String(note.from),
    }
    expect(note.headers['Auto-Submitted']).toBe('auto-generated')
    const inbound = async (file: string) => {
      values.UNIQ = `w${Math.random().toString(36).slice(2)}`
      const raw = readFileSync(join(FIELD_MAIL, file))
        .toString('latin1')
        .replace(/\{\{([A-Z_]+)\}\}/g, (_, key: string) => values[key] ?? '')
      const response = await worker.fetch('/inbound/raw', {
        method: 'POST',
        headers: { Authorization: `Bearer ${INBOUND_SECRET}`, 'Content-Type': 'message/rfc822' },
        body: Buffer.from(raw, 'latin1'),
      })
      expect(response.status).toBe(200)
      return ((await response.json()) as { outcome: string }).outcome
    }
    expect(await inbound('field-02-outlook-winmail-dat.eml')).toBe('posted')
    expect(await inbound('field-10-html-only-ncr.eml')).toBe('posted')
    expect(await inbound('field-11-kddi-carrier-bounce.eml')).toBe('bounced')
    const files = await worker.sql<{ name: string }>(
      'SELECT name FROM attachments WHERE board_id = ? AND message_id IS NOT NULL',
      board.id,
    )
    expect(files.map((file) => file.name)).toEqual(['proof-v2.pdf'])
    const posts = await worker.sql<{ body: string }>(
      "SELECT body FROM messages WHERE board_id = ? AND author_kind = 'guest' ORDER BY no",
      board.id,
    )
    expect(posts.map((post) => post.body)).toEqual([
      '修正版のデータを添付します。ご確認のほどよろしくお願いいたします。\n\n高橋',
      'Hi,  we’d like the matte finish – 200 copies.\n\nマット紙でお願いします。',
    ])
    const page = await (await staff.get(`${boardsPath}/${board.id}`)).text()
    expect(page).toContain('お客様のメールアドレスにメールが届きませんでした')
  })

  it('#15 on D1: corrected details, the one re-send after a bounce, the frozen decision record, a replaced link', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: { name: 'ショップカード', customer_name: '木村', customer_email: 'kimura@example.jp' },
    })
    const { board, guest_url: link } = (await created.json()) as {
      board: ApiBoard
      guest_url: string
    }
    const base = `${boardsPath}/${board.id}`
    const bytes = patternBytes(5000, 9)
    const started = await worker.fetch(`${base}/uploads`, {
      method: 'POST',
      headers: {
        Cookie: staff.cookie,
        'X-CSRF-Token': staff.csrf,
        Origin: worker.url.origin,
        'Content-Type': 'application/json',
      },
      body: JSON.stringify({ name: 'card.pdf', size: bytes.byteLength, type: 'application/pdf' }),
    })
    const { upload_id: uploadId } = (await started.json()) as { upload_id: string }
    const headers = { Cookie: staff.cookie, 'X-CSRF-Token': staff.csrf, Origin: worker.url.origin }
    await worker.fetch(`${base}/uploads/${uploadId}/parts/1`, {
      method: 'PUT',
      headers: { ...headers, 'Content-Type': 'application/octet-stream' },
      body: bytes,
    })
    const done = (await (
      await worker.fetch(`${base}/uploads/${uploadId}/complete`, { method: 'POST', headers })
    ).json()) as { attachment_id: string }
    await staff.post(`${base}/messages`, {
      body: 'ショップカードの校正です。',
      attachment_ids: done.attachment_id,
    })
    await resend.waitFor((email) => email.to.includes('kimura@example.jp'))
    // The address bounced (as the delivery webhook records it).
    await worker.sql(
      "UPDATE boards SET guest_email_problem = 'bounced', guest_email_problem_at = 1 WHERE id = ?",
      board.id,
    )

    // Corrected through the API: a system line remembering the bounced notification.
    const patched = await api(`/boards/${board.id}`, {
      method: 'PATCH',
      body: { customer_email: 'kimura.new@example.jp', customer_name: '木村 様' },
    })
    expect(patched.status).toBe(200)
    const events = await worker.sql<{ field: string; message_id: string | null }>(
      'SELECT field, message_id FROM board_events WHERE board_id = ? ORDER BY field',
      board.id,
    )
    expect(events.map((event) => [event.field, event.message_id !== null])).toEqual([
      ['customer_email', true],
      ['customer_name', false],
    ])
    const page = await (await staff.get(base)).text()
    const eventId = /name="event_id" value="([^"]+)"/.exec(page)?.[1] ?? ''
    expect(eventId).not.toBe('')
    for (let click = 0; click < 2; click++)
      expect((await staff.post(`${base}/resend-notification`, { event_id: eventId })).status).toBe(
        303,
      )
    const resent = await resend.waitFor((email) => email.to.includes('kimura.new@example.jp'))
    expect(resent.text).toContain('ショップカードの校正です')
    const rows = await worker.sql<{ n: number }>(
      "SELECT count(*) AS n FROM outbox WHERE board_id = ? AND idempotency_key LIKE '%/resend-%'",
      board.id,
    )
    expect(rows[0]?.n).toBe(1)

    // The decision freezes the text and the file (json_group_array on D1).
    await staff.post(`${base}/messages`, { body: 'No.1 で確定しました。', decides_no: '1' })
    const [record] = await worker.sql<{ decided_files: string; decided_sha256: string }>(
      'SELECT decided_files, decided_sha256 FROM decisions WHERE board_id = ?',
      board.id,
    )
    expect(JSON.parse(record!.decided_files)).toMatchObject([
      { name: 'card.pdf', size: 5000, sha256: sha256Hex(bytes) },
    ])
    const { cookie } = await openGuestLink(link, board.id)
    const guestPage = await (
      await worker.fetch(`/g/${board.id}`, { headers: { Cookie: cookie } })
    ).text()
    expect(guestPage).toContain('決定記録 · No.1')
    expect(guestPage).toContain(`>${record!.decided_sha256.slice(0, 12)}<`)
    const print = await worker.fetch(`/g/${board.id}/decision?lang=en`, {
      headers: { Cookie: cookie },
    })
    expect(print.status).toBe(200)
    expect(await print.text()).toContain(sha256Hex(bytes))

    // A replaced link names the shop instead of opening the board.
    await staff.post(`${base}/guest-link/reissue`, {})
    const old = await fetch(link, { redirect: 'manual' })
    expect(old.status).toBe(410)
    expect(await old.text()).toContain('テスト印刷')
  })

  it('invite and accept a member on workerd: the email goes through the outbox, the member joins with name and password, signs in, and signs in again with a second factor', async () => {
    const members = `/w/${OWNER.slug}/settings/members`
    const invited = await staff.post(`${members}/invite`, {
      email: 'tanaka@worker-shop.example',
      role: 'member',
    })
    expect(invited.status).toBe(303)
    expect(invited.headers.get('location')).toBe(`${members}?done=invited`)
    // Queued with the invitation in one D1 batch, sent by the real Resend transport.
    const invitation = await resend.waitFor((email) =>
      email.to.includes('tanaka@worker-shop.example'),
    )
    expect(invitation.subject).toBe('テスト印刷 の Orderboard に招待されました')
    expect(invitation.idempotencyKey).toMatch(/^invitation\//)
    const link = new RegExp(`${worker.url.origin}/invite/[A-Za-z0-9_-]{43}`).exec(
      invitation.text,
    )?.[0]
    expect(link).toBeDefined()
    // Only the token's hash is on D1.
    const token = link!.split('/').pop()!
    const stored = await worker.sql<{ token_hash: string }>('SELECT token_hash FROM invitations')
    expect(JSON.stringify(stored)).not.toContain(token)

    const form = await fetch(link!, { redirect: 'manual' })
    expect(form.status).toBe(200)
    expect(form.headers.get('referrer-policy')).toBe('no-referrer')
    expect(await form.text()).toContain('tanaka@worker-shop.example')
    const accepted = await fetch(link!, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: worker.url.origin },
      body: new URLSearchParams({ name: '田中 一郎', password: 'tanaka-password' }),
    })
    expect(accepted.status).toBe(303)
    expect(accepted.headers.get('location')).toBe(boardsPath)
    expect(accepted.headers.get('set-cookie')).toContain('ob_session=')
    // The link works once.
    expect((await fetch(link!, { redirect: 'manual' })).status).toBe(410)

    const tanaka = await logIn(worker, 'tanaka@worker-shop.example', 'tanaka-password')
    expect((await tanaka.get(boardsPath)).status).toBe(200)
    // A member: the members page is not theirs.
    expect((await tanaka.get(members)).status).toBe(403)
    const team = await (await staff.get(members)).text()
    expect(team).toContain('<bdi>田中 一郎</bdi>')

    // Two-step sign-in: the secret is sealed on D1 (AES-GCM through workerd's WebCrypto) and
    // opened again to check the code.
    const setup = await (await tanaka.get(`/w/${OWNER.slug}/me/2fa`)).text()
    const secret = /class="totp-secret">([A-Z2-7]+)</.exec(setup)?.[1] ?? ''
    expect(secret).not.toBe('')
    const totp = new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30 })
    const enabled = await tanaka.post(`/w/${OWNER.slug}/me/2fa/enable`, {
      code: totp.generate({ timestamp: Date.now() }),
    })
    expect(enabled.status).toBe(200)
    expect((await enabled.text()).match(/<code>[a-z0-9]{5}-[a-z0-9]{5}<\/code>/g)).toHaveLength(10)
    const [row] = await worker.sql<{ totp_secret: string }>(
      'SELECT totp_secret FROM members WHERE email = ?',
      'tanaka@worker-shop.example',
    )
    expect(row!.totp_secret).toMatch(/^aes1:/)
    expect(row!.totp_secret).not.toContain(secret)

    const password = await worker.fetch('/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: worker.url.origin },
      body: new URLSearchParams({
        email: 'tanaka@worker-shop.example',
        password: 'tanaka-password',
      }),
    })
    expect(password.status).toBe(303)
    expect(password.headers.get('location')).toBe('/login/2fa')
    const challenge = (password.headers.get('set-cookie') ?? '').split(';')[0]!
    // the next step's code: the enrolment used this one up, and ±1 step is accepted
    const second = await worker.fetch('/login/2fa', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Origin: worker.url.origin,
        Cookie: challenge,
      },
      body: new URLSearchParams({ code: totp.generate({ timestamp: Date.now() + 30_000 }) }),
    })
    expect(second.status).toBe(303)
    expect(second.headers.get('location')).toBe(boardsPath)

    const audit = await worker.sql<{ action: string }>(
      `SELECT action FROM audit_log WHERE action IN
         ('member.invited', 'invitation.accepted', 'member.2fa_enabled') ORDER BY at`,
    )
    expect(audit.map((entry) => entry.action)).toEqual([
      'member.invited',
      'invitation.accepted',
      'member.2fa_enabled',
    ])
  })

  it('an edited decision and a deleted board on D1: both in the audit log, nothing of the board left', async () => {
    const created = await api('/boards', {
      method: 'POST',
      body: {
        name: 'ステッカー 500枚',
        customer_name: '小林',
        customer_email: 'kobayashi@example.jp',
        first_message: { body: '校正をお送りします。' },
      },
    })
    const { board } = (await created.json()) as { board: ApiBoard }
    const base = `${boardsPath}/${board.id}`
    await staff.post(`${base}/messages`, {
      body: 'No.1 の内容で確定いたしました。',
      decides_no: '1',
    })
    const [confirming] = await worker.sql<{ id: string }>(
      'SELECT id FROM messages WHERE board_id = ? AND no = 2',
      board.id,
    )
    const edited = await staff.post(`${base}/messages/${confirming!.id}`, {
      body: 'No.1 の内容（マット紙）で確定いたしました。',
    })
    expect(edited.status).toBe(303)

    expect((await staff.post(`${base}/delete`, {})).status).toBe(422)
    const deleted = await staff.post(`${base}/delete`, { confirm: '1' })
    expect(deleted.status).toBe(303)
    expect(deleted.headers.get('location')).toBe(`${boardsPath}?deleted=1`)
    expect((await staff.get(base)).status).toBe(404)
    for (const table of ['boards', 'messages', 'decisions', 'outbox', 'board_reads']) {
      const column = table === 'boards' ? 'id' : 'board_id'
      const rows = await worker.sql(`SELECT 1 FROM ${table} WHERE ${column} = ?`, board.id)
      expect(rows, table).toEqual([])
    }
    const audit = await worker.sql<{ action: string; target: string }>(
      `SELECT action, target FROM audit_log WHERE action IN ('board.decision_edited', 'board.deleted')
       ORDER BY at`,
    )
    expect(audit).toEqual([
      { action: 'board.decision_edited', target: 'ステッカー 500枚 No.2' },
      { action: 'board.deleted', target: 'ステッカー 500枚' },
    ])
  })

  it('runs the hourly cron jobs (attachment retention, Idempotency-Key clean-up)', async () => {
    await worker.scheduled('0 * * * *')
  })
})
