// The real worker on workerd (local D1, R2, Queues): the product's main story end to end.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { logIn, startTestWorker, type Session, type TestWorker } from './harness'

const OWNER = { slug: 'worker-shop', email: 'owner@worker-shop.example', password: 'correct horse battery' }

let worker: TestWorker
let staff: Session

beforeAll(async () => {
  worker = await startTestWorker(OWNER)
  console.log(`worker cold start (runtime start → first 200): ${worker.coldStartMs} ms`)
  staff = await logIn(worker, OWNER.email, OWNER.password)
}, 120_000)

afterAll(async () => {
  await worker?.dispose()
})

const boardsPath = `/w/${OWNER.slug}/boards`

async function createBoardThroughUi(fields: Record<string, string>) {
  const response = await staff.post(boardsPath, fields)
  expect(response.status).toBe(303)
  const location = response.headers.get('location') ?? ''
  const boardId = location.split('/').pop() ?? ''
  expect(boardId).not.toBe('')
  return boardId
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
    const crossSite = await staff.post(boardsPath, { name: 'x', customer_name: 'x', customer_email: 'x@example.com' }, { Origin: 'https://evil.example' })
    expect(crossSite.status).toBe(403)
  })

  it('creates a board, posts with a template, and records a decision on D1', async () => {
    const boardId = await createBoardThroughUi({
      name: '名刺 100枚',
      customer_name: '山田 花子',
      customer_email: 'hanako@example.jp',
    })
    const boardPage = await staff.get(`${boardsPath}/${boardId}`)
    expect(boardPage.status).toBe(200)
    const html = await boardPage.text()
    expect(html).toContain('名刺 100枚')

    const post = await staff.post(`${boardsPath}/${boardId}/messages`, {
      body: '山田 花子 様\n\n校正データをお送りします。12月5日(金)までにご返信ください。',
    })
    expect(post.status).toBe(303)
    const decide = await staff.post(`${boardsPath}/${boardId}/messages`, {
      body: 'No.1 の内容で確定いたしました。',
      decides_no: '1',
    })
    expect(decide.status).toBe(303)

    const [board] = await worker.sql<{ status: string; decision_no: number; last_no: number; next_contact_on: string | null }>(
      `SELECT status, decision_no, last_no, next_contact_on FROM boards WHERE id = '${boardId}'`,
    )
    expect(board).toMatchObject({ status: 'done', decision_no: 1, last_no: 2 })
  })

  it('makes exactly one board from 50 simultaneous creates with the same dedupe key (D1, no transactions)', async () => {
    const fields = { name: 'イベントTシャツ 30着', customer_name: '鈴木 一郎', customer_email: 'ichiro@example.jp', dedupe_key: 'ORD-RACE-1' }
    const responses = await Promise.all(Array.from({ length: 50 }, () => staff.post(boardsPath, fields)))
    const statuses = responses.map((response) => response.status)
    expect(statuses.filter((status) => status === 303)).toHaveLength(1)
    expect(statuses.filter((status) => status === 409)).toHaveLength(49)
    const rows = await worker.sql<{ n: number }>(`SELECT count(*) AS n FROM boards WHERE dedupe_key = 'ORD-RACE-1'`)
    expect(rows[0]?.n).toBe(1)
  })
})
