// Issue #21 point 3, on every view: wherever user text meets a label, the user text is isolated
// (`<bdi>`, `dir="auto"`), so bidi controls inside it (legacy rows from before they were
// stripped on input, or multi-line text that keeps what was typed) can never reorder the labels
// around it. The rows are given the payloads directly in the database; then every member page
// (all GET routes under /w/:slug that answer HTML), the customer's pages, the invitation, the dev
// mailbox and every email are rendered and checked.
import { inspectRoutes } from 'hono/dev'
import { parseDocument } from 'htmlparser2'
import { beforeAll, describe, expect, it } from 'vitest'
import { createDevMailbox } from '../../src/notifications/transports/dev-mailbox'
import { renderEmail, type EmailSpec } from '../../emails/render'
import { PreviewProps as guestPreview } from '../../emails/guest-notification'
import { PreviewProps as memberPreview } from '../../emails/member-notification'
import { PreviewProps as digestPreview } from '../../emails/daily-digest'
import { PreviewProps as accountPreview } from '../../emails/account-link'
import { PreviewProps as autoAnswerPreview } from '../../emails/auto-answer'
import { PreviewProps as ratingPreview } from '../../emails/rating-alert'
import { createMember } from '../../src/workspaces/workspaces.usecases'
import { cookieClient, type Browserish, type TestApp } from '../helpers/app'
import { fileBytes, uploadClient } from './attachments.helpers'
import { linkPath, openAsGuest, setupBoard } from './guest.helpers'

const CONTROLS = /[\u202a-\u202e\u2066-\u2069]/
const CONTROLS_ALL = /[\u202a-\u202e\u2066-\u2069]/g
/** Every kind of control the issue names, with an override left open (no PDF) at the end. */
const spoof = (label: string) => `${label}\u202aA\u202bB\u202c\u2066C\u2067D\u2068E\u2069\u202eF`

// One distinct value per field, so a check can tell which value an isolate holds.
const V = {
  workspace: spoof('店'),
  owner: spoof('主'),
  admin: spoof('管'),
  board: spoof('板'),
  customer: spoof('客'),
  dedupe: spoof('ORD'),
  file: `${spoof('図')}.pdf`,
  templateSet: spoof('組'),
  templateLabel: spoof('札'),
  apiKey: spoof('鍵'),
  phone: spoof('03'),
  subject: spoof('件'),
  auditTarget: spoof('的'),
}
// Multi-line text keeps its controls (what the person typed), isolated as a block.
const T = {
  staff: `一行目 ${spoof('職')}\n二行目 ${spoof('員')} おわり`,
  guest: `${spoof('返')} お願いします`,
  decided: `決定の本文 ${spoof('決')}`,
  template: `テンプレート ${spoof('本')}\n{{customer_name}} 様`,
  autoAnswer: `自動応答 ${spoof('応')}`,
  welcome: `ようこそ ${spoof('迎')}`,
  rating: `星みっつ ${spoof('評')}`,
}
const VALUES = new Set<string>([
  ...Object.values(V),
  ...Object.values(T),
  // the templates page previews a template on a sample board (its customer: 山田 花子)
  T.template.replace('{{customer_name}}', '山田 花子'),
])

interface Node {
  type: string
  name?: string
  data?: string
  attribs?: Record<string, string>
  parent?: Node | null
  children?: Node[]
}

const textOf = (node: Node): string =>
  node.type === 'text'
    ? (node.data ?? '')
    : node.name === 'br'
      ? '\n'
      : (node.children ?? []).map(textOf).join('')

const decode = (text: string) =>
  text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')

/** Whether `text` is one of the seeded values, or lines of one (a block may wrap or split). */
function isSeeded(text: string): boolean {
  const value = text.replace(/\r\n/g, '\n').trim()
  if (VALUES.has(value)) return true
  return [...VALUES].some((seeded) => seeded.includes('\n') && seeded.includes(value))
}

// <html dir="ltr"> (react-email writes it) sets the document's direction; it isolates nothing
const ISOLATING = (node: Node) =>
  node.type === 'tag' &&
  node.name !== 'html' &&
  (node.name === 'bdi' || node.name === 'textarea' || node.attribs?.dir !== undefined)

const short = (text: string) => JSON.stringify(text.length > 120 ? `${text.slice(0, 120)}…` : text)

/**
 * The problems of one page: bidi controls in the title, in an attribute (but an input's own
 * value and data only scripts read), in text outside an isolate, or in an isolate that holds more than the user's text
 * (labels inside the isolate would be reordered with it). In <pre> every line is its own
 * paragraph (UAX #9: a line break ends every embedding), so a line is judged on its own.
 */
function bidiProblems(html: string): string[] {
  const problems: string[] = []
  const walk = (node: Node) => {
    if (node.type === 'tag') {
      for (const [name, value] of Object.entries(node.attribs ?? {})) {
        if (name === 'value' && (node.name === 'input' || node.name === 'option')) continue
        // data for the scripts (a template's text to put into the composer), never drawn; but
        // data-label is drawn by CSS and data-confirm by confirm()
        if (name.startsWith('data-') && name !== 'data-label' && name !== 'data-confirm') continue
        if (CONTROLS.test(decode(value))) problems.push(`<${node.name} ${name}="${value}">`)
      }
      if (node.name === 'title' && CONTROLS.test(textOf(node)))
        problems.push(`<title>${textOf(node)}</title>`)
    }
    if (node.type === 'text' && CONTROLS.test(node.data ?? '')) {
      let isolate = node.parent ?? null
      let pre: Node | null = null
      while (isolate && !ISOLATING(isolate)) {
        if (isolate.name === 'pre') pre = isolate
        isolate = isolate.parent ?? null
      }
      if (pre) {
        for (const line of (node.data ?? '').split('\n'))
          if (CONTROLS.test(line) && !isSeeded(decode(line)))
            problems.push(`<pre> line ${JSON.stringify(line)}`)
      } else if (!isolate) {
        problems.push(
          `not isolated: ${JSON.stringify(decode(node.data ?? ''))} in <${node.parent?.name}>`,
        )
      } else if (!isSeeded(decode(textOf(isolate)))) {
        problems.push(
          `isolate <${isolate.name}> holds more than user text: ${short(decode(textOf(isolate)))}`,
        )
      }
    }
    for (const child of node.children ?? []) walk(child)
  }
  walk(parseDocument(html) as unknown as Node)
  return [...new Set(problems)]
}

let testApp: TestApp
let owner: Browserish
let slug: string
let boardId: string
let guestPage: string
let ids: Record<string, string>

beforeAll(async () => {
  const setup = await setupBoard({ slug: 'bidi-views' })
  testApp = setup.testApp
  testApp.deps.mailer = createDevMailbox(testApp.deps.db, testApp.clock)
  owner = setup.member
  slug = setup.workspace.slug
  boardId = setup.boardId
  const { workspace } = setup
  const db = testApp.deps.db

  // everything the pages show, made the ordinary way first
  await createMember({
    deps: testApp.deps,
    workspace,
    input: { email: 'admin@example.jp', name: 'admin', password: 'correct horse', role: 'admin' },
  })
  await owner.post(`/w/${slug}/settings/members/invite`, {
    email: 'new@example.jp',
    role: 'member',
  })
  const uploads = uploadClient(testApp, setup.staffUrl, owner.cookie, owner.csrf)
  const file = await uploads.upload('proof.pdf', fileBytes(100), 'application/pdf')
  await owner.post(`${setup.staffUrl}/messages`, { body: 'x', attachment_ids: file.attachmentId })
  const { client: guest } = await openAsGuest(testApp, await linkPath(testApp, boardId))
  const guestHtml = await (await guest.get(`/g/${boardId}`)).text()
  const guestCsrf = /name="_csrf" value="([^"]+)"/.exec(guestHtml)?.[1] ?? ''
  const customer = cookieClient(testApp, guest.cookie, guestCsrf)
  await customer.post(`/g/${boardId}/messages`, { body: 'y' })
  await owner.post(`${setup.staffUrl}/messages`, { body: 'No.1 で確定します。', decides_no: '1' })
  await owner.post(`/w/${slug}/templates/sets`, { name: 'set' })
  const set = await db.selectFrom('template_sets').select('id').executeTakeFirstOrThrow()
  await owner.post(`/w/${slug}/templates/sets/${set.id}/templates`, { label: 'l', body: 'b' })
  await owner.post(`/w/${slug}/settings/api`, { name: 'key', scope: 'read' })
  await owner.post(`/w/${slug}/settings/webhooks`, {
    url: 'http://localhost:9/h',
    events: 'message.created',
  })
  await db
    .insertInto('care_settings')
    .values({
      workspace_id: workspace.id,
      week: JSON.stringify(Array.from({ length: 7 }, () => [[0, 1440]])),
      auto_answer: 1,
      auto_answer_delay_minutes: 1,
      auto_answer_text: T.autoAnswer,
      welcome: 1,
      welcome_text: T.welcome,
      rating: 1,
      updated_at: 0,
    })
    .execute()
  await db
    .insertInto('inbound_emails')
    .values({
      message_id: '<auto@example.jp>',
      workspace_id: workspace.id,
      board_id: boardId,
      from_address: 'yamada@example.jp',
      subject: V.subject,
      outcome: 'skipped_auto',
      created_at: testApp.clock.now().getTime(),
    })
    .execute()
  const customerMessage = await db
    .selectFrom('messages')
    .select('id')
    .where('author_kind', '=', 'guest')
    .executeTakeFirstOrThrow()
  await db
    .insertInto('auto_answers')
    .values({
      id: 'auto-1',
      workspace_id: workspace.id,
      board_id: boardId,
      period_start: 0,
      customer_message_id: customerMessage.id,
      due_at: 0,
      state: 'sent',
      body: T.autoAnswer,
      sent_at: testApp.clock.now().getTime(),
      created_at: 0,
    })
    .execute()
  await testApp.drain()

  // then every user text becomes a payload, as rows from before stripping on input would be
  await db.updateTable('workspaces').set({ name: V.workspace, contact_phone: V.phone }).execute()
  await db.updateTable('members').set({ name: V.owner }).where('role', '=', 'owner').execute()
  await db.updateTable('members').set({ name: V.admin }).where('role', '=', 'admin').execute()
  await db
    .updateTable('boards')
    .set({
      name: V.board,
      customer_name: V.customer,
      dedupe_key: V.dedupe,
      // a rating with its comment (満足度), shown on both sides
      status: 'done',
      rating_score: 2,
      rating_comment: T.rating,
      rated_at: testApp.clock.now().getTime(),
      first_rated_at: testApp.clock.now().getTime(),
    })
    .execute()
  await db.updateTable('attachments').set({ name: V.file }).execute()
  await db.updateTable('uploads').set({ name: V.file }).execute()
  await db
    .updateTable('messages')
    .set({ body: T.staff, author_name: V.owner })
    .where('author_kind', '!=', 'guest')
    .execute()
  await db
    .updateTable('messages')
    .set({ body: T.guest, author_name: V.customer })
    .where('author_kind', '=', 'guest')
    .execute()
  await db
    .updateTable('decisions')
    .set({ decided_body: T.decided, decided_by_name: V.owner })
    .execute()
  await db.updateTable('template_sets').set({ name: V.templateSet }).execute()
  await db.updateTable('templates').set({ label: V.templateLabel, body: T.template }).execute()
  await db.updateTable('api_keys').set({ name: V.apiKey }).execute()
  await db.updateTable('audit_log').set({ actor_name: V.owner, target: V.auditTarget }).execute()
  await db.updateTable('dev_mail').set({ subject: V.subject }).execute()

  const message = await db
    .selectFrom('messages')
    .select('id')
    .where('author_kind', '=', 'member')
    .executeTakeFirstOrThrow()
  const attachment = await db.selectFrom('attachments').select('id').executeTakeFirstOrThrow()
  const outbox = await db.selectFrom('outbox').select('id').executeTakeFirstOrThrow()
  ids = {
    slug,
    id: boardId,
    messageId: message.id,
    attachmentId: attachment.id,
    outboxId: outbox.id,
  }
  guestPage = `/g/${boardId}`
  // the customer keeps their cookie for the customer pages
  ids.guestCookie = guest.cookie
}, 60_000)

describe('bidi isolation on every view', () => {
  it('the checker itself catches a label inside an isolate and a bare control', () => {
    expect(bidiProblems(`<p><bdi>${V.board}</bdi> 様</p>`)).toEqual([])
    expect(bidiProblems(`<p>${V.board} 様</p>`)).toHaveLength(1)
    expect(bidiProblems(`<p dir="auto">お客様: ${V.board}</p>`)).toHaveLength(1)
    expect(bidiProblems(`<title>${V.board}</title>`)).not.toEqual([])
    expect(bidiProblems(`<a title="${V.board}">x</a>`)).toHaveLength(1)
  })

  it('every member page that answers HTML, as the owner', async () => {
    const seen: string[] = []
    const failures: Record<string, string[]> = {}
    for (const route of inspectRoutes(testApp.app)) {
      if (route.isMiddleware || route.method !== 'GET' || !route.path.startsWith('/w/')) continue
      const path = route.path.replace(/:(\w+)/g, (_, name: string) => ids[name] ?? 'none')
      for (const variant of [path, `${path}${path.includes('?') ? '&' : '?'}HX-fragment`]) {
        const headers: Record<string, string> =
          variant === path ? {} : { 'HX-Request': 'true', 'HX-Target': 'board-table' }
        const response = await owner.get(variant.replace(/[?&]HX-fragment$/, ''), headers)
        if (!response.headers.get('content-type')?.includes('text/html')) continue
        if (response.status !== 200) continue
        seen.push(`${route.path}${variant === path ? '' : ' (htmx)'}`)
        const problems = bidiProblems(await response.text())
        if (problems.length)
          failures[`${route.path}${variant === path ? '' : ' (htmx)'}`] = problems
      }
    }
    expect(failures).toEqual({})
    for (const page of [
      '/w/:slug/boards',
      '/w/:slug/boards/new',
      '/w/:slug/boards/:id',
      '/w/:slug/boards/:id/messages/:messageId/edit',
      '/w/:slug/boards/:id/guest-link',
      '/w/:slug/boards/:id/notifications',
      '/w/:slug/boards/:id/auto-answers',
      '/w/:slug/boards/:id/inbound-mail',
      '/w/:slug/templates',
      '/w/:slug/settings',
      '/w/:slug/settings/hours',
      '/w/:slug/settings/api',
      '/w/:slug/settings/webhooks',
      '/w/:slug/settings/members',
      '/w/:slug/settings/audit',
      '/w/:slug/me',
      '/w/:slug/me/2fa',
    ])
      expect(seen, page).toContain(page)
  })

  it('pages that answer a form post: a duplicate board, a new key, a new webhook, an edit', async () => {
    const pages = {
      duplicate: await owner.post(`/w/${slug}/boards`, {
        name: 'x',
        customer_name: 'y',
        customer_email: 'y@example.jp',
        dedupe_key: V.dedupe.replace(CONTROLS, ''),
      }),
      key: await owner.post(`/w/${slug}/settings/api`, { name: 'k2', scope: 'read' }),
      webhook: await owner.post(`/w/${slug}/settings/webhooks`, {
        url: 'http://localhost:9/h2',
        events: 'message.created',
      }),
      edit: await owner.post(
        `/w/${slug}/boards/${boardId}/messages/${ids.messageId}`,
        { body: T.staff },
        { 'HX-Request': 'true' },
      ),
      list: await owner.get(`/w/${slug}/boards?q=${encodeURIComponent('板')}`, {
        'HX-Request': 'true',
        'HX-Target': 'board-table',
      }),
    }
    for (const [name, response] of Object.entries(pages)) {
      expect(response.status, name).toBeLessThan(500)
      expect(bidiProblems(await response.text()), name).toEqual([])
    }
  })

  it('the invitation page names the workspace in an isolate', async () => {
    const mail = await testApp.deps.db
      .selectFrom('dev_mail')
      .select('text')
      .where('to_address', '=', 'new@example.jp')
      .executeTakeFirstOrThrow()
    const path = new URL(/https?:\/\/\S+\/invite\/[A-Za-z0-9_-]+/.exec(mail.text)![0]).pathname
    const page = await (await testApp.app.request(path)).text()
    expect(bidiProblems(page)).toEqual([])
    expect(page).toContain(`<bdi>${V.workspace}</bdi>`)
  })

  it('the customer’s pages, the invitation, and the dev mailbox', async () => {
    const customer = (path: string) =>
      testApp.app.request(path, { headers: { Cookie: ids.guestCookie! } })
    const pages: Record<string, string> = {
      guest: await (await customer(guestPage)).text(),
      rating: await (await customer(`${guestPage}/rating?score=2`)).text(),
    }
    // the board past its expiry: the "ended" page with the shop's contact
    testApp.clock.advance(400 * 24 * 3600_000)
    pages.expired = await (await customer(guestPage)).text()
    const dev = await (await testApp.app.request('/_dev/mail')).text()
    pages.devList = dev
    const first = /href="(\/_dev\/mail\/\d+)"/.exec(dev)![1]!
    pages.devMail = await (await testApp.app.request(first)).text()
    pages.devHtml = await (await testApp.app.request(`${first}/html`)).text()
    for (const [name, html] of Object.entries(pages)) expect(bidiProblems(html), name).toEqual([])
    expect(pages.guest).toContain(`<bdi>${V.board}</bdi>`)
    expect(pages.rating).toContain(`<bdi>${V.board}</bdi>`)
    expect(pages.guest).toContain(T.rating)
    // the labels next to a name read as written
    expect(pages.guest).toContain(`<bdi>${V.customer}</bdi> 様`)
    expect(pages.expired).toContain(
      `<bdi>${V.workspace}</bdi> とのやり取りの表示期限が終了したため`,
    )
  })
})

describe('bidi isolation in every email', () => {
  const specs: EmailSpec[] = [
    {
      template: 'guest-notification',
      props: {
        ...guestPreview,
        workspaceName: V.workspace,
        customerName: V.customer,
        boardName: V.board,
        contactPhone: V.phone,
        message: {
          ...guestPreview.message,
          authorName: V.owner,
          body: T.staff,
          attachments: [{ name: V.file, sizeLabel: '1.2 KB' }],
        },
      },
    },
    {
      template: 'member-notification',
      props: {
        ...memberPreview,
        workspaceName: V.workspace,
        memberName: V.owner,
        boardName: V.board,
        customerName: V.customer,
        message: {
          ...memberPreview.message,
          body: T.guest,
          attachments: [{ name: V.file, sizeLabel: '9 B' }],
        },
      },
    },
    {
      template: 'daily-digest',
      props: {
        ...digestPreview,
        workspaceName: V.workspace,
        memberName: V.owner,
        boards: digestPreview.boards.map((board) => ({
          ...board,
          name: V.board,
          customerName: V.customer,
        })),
      },
    },
    ...(['invitation', 'password-reset', 'email-change'] as const).map((kind): EmailSpec => ({
      template: 'account-link',
      props: { ...accountPreview, kind, workspaceName: V.workspace, personName: V.owner },
    })),
    {
      template: 'auto-answer',
      props: { ...autoAnswerPreview, workspaceName: V.workspace, body: T.autoAnswer },
    },
    {
      template: 'rating-alert',
      props: {
        ...ratingPreview,
        workspaceName: V.workspace,
        memberName: V.owner,
        customerName: V.customer,
        boardName: V.board,
        comment: T.rating,
      },
    },
  ]

  it.each(specs.map((spec, i) => [`${spec.template} ${i}`, spec] as const))(
    '%s',
    async (_, spec) => {
      const rendered = await renderEmail(spec)
      expect(CONTROLS.test(rendered.subject), rendered.subject).toBe(false)
      expect(bidiProblems(rendered.html)).toEqual([])
      // every name the email carries sits in its own isolate, without the controls
      const given = JSON.stringify(spec.props)
      for (const name of Object.values(V))
        if (given.includes(JSON.stringify(name).slice(1, -1)))
          expect(rendered.html, name).toContain(
            `<span dir="auto">${name.replace(CONTROLS_ALL, '')}</span>`,
          )
      // the text part: a line with a control is a line of the user's own text, nothing else
      for (const line of rendered.text.split('\n'))
        if (CONTROLS.test(line)) expect(isSeeded(line), JSON.stringify(line)).toBe(true)
    },
  )
})
