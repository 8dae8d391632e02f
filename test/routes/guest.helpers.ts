import { guestUrl } from '../../src/guest/guest.link'
import {
  cookieClient,
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'

// Shared set-up for the guest route tests: a workspace, a member, a board, and a customer.

export async function setupBoard(
  options: {
    testApp?: TestApp
    locale?: 'ja' | 'en'
    slug?: string
    name?: string
    board?: { name?: string; customer_name?: string; customer_email?: string }
  } = {},
) {
  const testApp = options.testApp ?? createTestApp()
  const { workspace, email, password } = await createTestWorkspace(testApp, {
    locale: options.locale,
    slug: options.slug,
    name: options.name,
  })
  const member = await loginAs(testApp, email, password)
  const created = await member.post(`/w/${workspace.slug}/boards`, {
    name: options.board?.name ?? '名刺 100枚',
    customer_name: options.board?.customer_name ?? '山田 太郎',
    customer_email: options.board?.customer_email ?? 'yamada@example.jp',
  })
  if (created.status !== 303) throw new Error(`board create failed: ${created.status}`)
  const staffUrl = created.headers.get('location')!
  const boardId = staffUrl.split('/').at(-1)!
  return {
    testApp,
    workspace,
    member,
    memberEmail: email,
    staffUrl,
    boardId,
    linkPath: () => linkPath(testApp, boardId),
  }
}

export async function findBoard(testApp: TestApp, boardId: string) {
  return testApp.deps.db
    .selectFrom('boards')
    .selectAll()
    .where('id', '=', boardId)
    .executeTakeFirstOrThrow()
}

/** The path of the board's current customer link (what the email carries). */
export async function linkPath(testApp: TestApp, boardId: string) {
  return new URL(await guestUrl(testApp.deps.config, await findBoard(testApp, boardId))).pathname
}

export type GuestClient = Browserish

export function guestClient(testApp: TestApp, cookie: string, csrf = ''): GuestClient {
  return cookieClient(testApp, cookie, csrf)
}

/** Opens the link like a customer's browser: follows the redirect, keeps the cookie and token. */
export async function openAsGuest(
  testApp: TestApp,
  path: string,
  headers: Record<string, string> = {},
) {
  const opened = await testApp.app.request(path, { headers })
  if (opened.status !== 303) throw new Error(`guest link answered ${opened.status}`)
  const cookie = (opened.headers.get('set-cookie') ?? '').split(';')[0] ?? ''
  const page = await testApp.app.request(opened.headers.get('location')!, {
    headers: { Cookie: cookie },
  })
  const html = await page.text()
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? ''
  return { opened, page, html, client: guestClient(testApp, cookie, csrf) }
}

export async function countMessages(testApp: TestApp, boardId: string) {
  const row = await testApp.deps.db
    .selectFrom('messages')
    .select((eb) => eb.fn.countAll<number>().as('count'))
    .where('board_id', '=', boardId)
    .executeTakeFirstOrThrow()
  return Number(row.count)
}
