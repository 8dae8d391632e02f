// 担当者 (issue #17): set from the side panel (another member, "自分に割り当て", none) and the API,
// shown on the list, found with assignee:…; another workspace's member is refused.
import { beforeEach, describe, expect, it } from 'vitest'
import { createApiKey } from '../../src/api/api.usecases'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { apiClient } from './api.helpers'
import { addMember } from './notifications.helpers'

let testApp: TestApp
let member: Browserish
let owner: Awaited<ReturnType<typeof createTestWorkspace>>
let sato: string

const boardsPath = () => `/w/${owner.workspace.slug}/boards`

async function createBoard(name: string) {
  const response = await member.post(boardsPath(), {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const assigneeOf = async (url: string) =>
  (
    await testApp.deps.db
      .selectFrom('boards')
      .select('assignee_member_id')
      .where('id', '=', url.split('/').pop()!)
      .executeTakeFirstOrThrow()
  ).assignee_member_id

async function found(q: string) {
  const html = await (await member.get(`${boardsPath()}?q=${encodeURIComponent(q)}`)).text()
  return [...html.matchAll(/<td class="col-name"><a href="[^"]*"><bdi>([^<]+)/g)].map((m) => m[1])
}

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  member = await loginAs(testApp, owner.email, owner.password)
  sato = await addMember(testApp, owner.workspace.id, { name: '佐藤 彩', email: 'aya@example.jp' })
})

describe('担当者', () => {
  it('is set from the side panel, to another member, to me in one click, and back to none', async () => {
    const board = await createBoard('名刺')
    const page = await (await member.get(board)).text()
    expect(page).toContain('<select name="assignee">')
    expect(page).toContain('佐藤 彩')
    expect(page).toContain('自分に割り当て')

    expect((await member.post(board, { assignee: sato })).status).toBe(303)
    expect(await assigneeOf(board)).toBe(sato)
    const list = await (await member.get(boardsPath())).text()
    expect(list).toContain('担当: <bdi>佐藤 彩</bdi>')

    expect((await member.post(board, { assignee: 'me' })).status).toBe(303)
    expect(await assigneeOf(board)).toBe(owner.ownerId)
    expect(await (await member.get(board)).text()).not.toContain('自分に割り当て')

    expect((await member.post(board, { assignee: 'none' })).status).toBe(303)
    expect(await assigneeOf(board)).toBeNull()
  })

  it('refuses another workspace’s member and a made-up id, changing nothing', async () => {
    const board = await createBoard('名刺')
    const other = await createTestWorkspace(testApp, { slug: 'other' })
    for (const assignee of [other.ownerId, 'nobody']) {
      const response = await member.post(board, { assignee }, { 'HX-Request': 'true' })
      expect(response.status).toBe(422)
      expect(await response.text()).toContain('role="alert"')
      expect(await assigneeOf(board)).toBeNull()
    }
  })

  it('is found with assignee:me, assignee:none and assignee:@name', async () => {
    const mine = await createBoard('自分の案件')
    const theirs = await createBoard('佐藤さんの案件')
    await createBoard('誰のでもない案件')
    await member.post(mine, { assignee: 'me' })
    await member.post(theirs, { assignee: sato })
    expect(await found('assignee:me')).toEqual(['自分の案件'])
    expect(await found('assignee:@佐藤')).toEqual(['佐藤さんの案件'])
    expect(await found('assignee:@彩')).toEqual(['佐藤さんの案件'])
    expect(await found('assignee:@aya')).toEqual(['佐藤さんの案件'])
    expect(await found('assignee:none')).toEqual(['誰のでもない案件'])
    const unknown = await (await member.get(`${boardsPath()}?q=assignee:@鈴木`)).text()
    expect(unknown).toContain('「assignee:@鈴木」に当たるメンバーがいません。')
  })

  it('is read and set through the API (assignee_id), and refused for another workspace', async () => {
    const { key } = await createApiKey({
      deps: testApp.deps,
      workspace: owner.workspace,
      name: 'shop',
      createdBy: owner.ownerId,
    })
    const api = apiClient(testApp, key)
    const board = await createBoard('API 案件')
    const id = board.split('/').pop()!
    const set = await api.request('PATCH', `/boards/${id}`, { assignee_id: sato })
    expect(set.status).toBe(200)
    expect(((await set.json()) as { board: { assignee_id: string } }).board.assignee_id).toBe(sato)
    const other = await createTestWorkspace(testApp, { slug: 'other-api' })
    const refused = await api.request('PATCH', `/boards/${id}`, { assignee_id: other.ownerId })
    expect(refused.status).toBe(422)
    expect(await assigneeOf(board)).toBe(sato)
    const cleared = await api.request('PATCH', `/boards/${id}`, { assignee_id: null })
    expect(cleared.status).toBe(200)
    expect(await assigneeOf(board)).toBeNull()
  })
})
