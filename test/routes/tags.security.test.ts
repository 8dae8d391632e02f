// タグ・カテゴリ (issue #17): bad names change nothing; another workspace's board, tag or
// category is a 404 (or a 422 for a category id in a form), and members can't manage the lists.
import { beforeEach, describe, expect, it } from 'vitest'
import {
  createTestApp,
  createTestWorkspace,
  loginAs,
  type Browserish,
  type TestApp,
} from '../helpers/app'
import { createMember } from '../../src/workspaces/workspaces.usecases'

let testApp: TestApp
let member: Browserish
let owner: Awaited<ReturnType<typeof createTestWorkspace>>
let other: Awaited<ReturnType<typeof createTestWorkspace>>
let stranger: Browserish

const boardsPath = (slug = owner.workspace.slug) => `/w/${slug}/boards`
const tagsPath = (slug = owner.workspace.slug) => `/w/${slug}/settings/tags`

async function createBoard(client: Browserish, slug: string, name: string) {
  const response = await client.post(boardsPath(slug), {
    name,
    customer_name: '山田 花子',
    customer_email: 'hanako@example.jp',
  })
  expect(response.status).toBe(303)
  return response.headers.get('location')!
}

const count = async (table: 'tags' | 'board_tags' | 'categories') =>
  (await testApp.deps.db.selectFrom(table).selectAll().execute()).length

beforeEach(async () => {
  testApp = createTestApp()
  owner = await createTestWorkspace(testApp)
  member = await loginAs(testApp, owner.email, owner.password)
  other = await createTestWorkspace(testApp, { slug: 'other' })
  stranger = await loginAs(testApp, other.email, other.password)
})

describe('bad input', () => {
  it('refuses a tag with a space inside, too long, or empty; nothing changes', async () => {
    const board = await createBoard(member, owner.workspace.slug, '名刺')
    for (const tag of ['', '#', 'あ'.repeat(31), 'a\u0007b']) {
      const response = await member.post(`${board}/tags`, { tag }, { 'HX-Request': 'true' })
      expect(response.status, tag).toBe(422)
      expect(await response.text()).toContain('role="alert"')
    }
    expect(await count('tags')).toBe(0)
    expect(await count('board_tags')).toBe(0)
  })

  it('strips bidi controls from tag names', async () => {
    const board = await createBoard(member, owner.workspace.slug, '名刺')
    await member.post(`${board}/tags`, { tag: 'abc\u202Efdp' })
    const tags = await testApp.deps.db.selectFrom('tags').select('name').execute()
    expect(tags.map((tag) => tag.name)).toEqual(['abcfdp'])
  })

  it('refuses renaming a tag to another tag’s name and a colour outside the palette', async () => {
    const board = await createBoard(member, owner.workspace.slug, '名刺')
    await member.post(`${board}/tags`, { tag: '校正待ち 急ぎ' })
    const tags = await testApp.deps.db.selectFrom('tags').select(['id', 'name']).execute()
    const urgent = tags.find((tag) => tag.name === '急ぎ')!
    const taken = await member.post(`${tagsPath()}/${urgent.id}`, { name: 'ｺｳｾｲ' })
    expect(taken.status).toBe(303)
    const clash = await member.post(`${tagsPath()}/${urgent.id}`, { name: '校正待ち' })
    expect(clash.status).toBe(422)
    expect(await clash.text()).toContain('その名前はすでにあります')
    const colour = await member.post(`${tagsPath()}/${urgent.id}`, { colour: '#ff0000' })
    expect(colour.status).toBe(422)
    const after = await testApp.deps.db.selectFrom('tags').select(['name', 'colour']).execute()
    expect(after.map((tag) => `${tag.name}/${tag.colour}`).sort()).toEqual([
      'コウセイ/grey',
      '校正待ち/grey',
    ])
  })

  it('refuses a category name that is taken (case- and width-insensitively)', async () => {
    expect((await member.post(`${tagsPath()}/categories`, { name: 'Flyer' })).status).toBe(303)
    const twin = await member.post(`${tagsPath()}/categories`, { name: 'ＦＬＹＥＲ' })
    expect(twin.status).toBe(422)
    expect(await count('categories')).toBe(1)
  })
})

describe('tenant isolation and roles', () => {
  it('another workspace’s board, tag and category are 404 (422 for a category in a form)', async () => {
    const mine = await createBoard(member, owner.workspace.slug, '名刺')
    const theirs = await createBoard(stranger, other.workspace.slug, '他社の案件')
    await stranger.post(`${theirs}/tags`, { tag: '他社タグ' })
    await stranger.post(`${tagsPath(other.workspace.slug)}/categories`, { name: '他社カテゴリ' })
    const theirTag = await testApp.deps.db
      .selectFrom('tags')
      .select('id')
      .where('workspace_id', '=', other.workspace.id)
      .executeTakeFirstOrThrow()
    const theirCategory = await testApp.deps.db
      .selectFrom('categories')
      .select('id')
      .where('workspace_id', '=', other.workspace.id)
      .executeTakeFirstOrThrow()
    const theirBoardInMyWorkspace = `${boardsPath()}/${theirs.split('/').pop()}`

    expect((await member.post(`${theirBoardInMyWorkspace}/tags`, { tag: 'x' })).status).toBe(404)
    expect(
      (await member.post(`${theirBoardInMyWorkspace}/tags/remove`, { tag: '他社タグ' })).status,
    ).toBe(404)
    expect((await member.post(`${tagsPath()}/${theirTag.id}`, { name: '乗っ取り' })).status).toBe(
      404,
    )
    expect((await member.post(`${tagsPath()}/${theirTag.id}/delete`, {})).status).toBe(404)
    await member.post(`${mine}/tags`, { tag: '自社' })
    const myTag = await testApp.deps.db
      .selectFrom('tags')
      .select('id')
      .where('workspace_id', '=', owner.workspace.id)
      .executeTakeFirstOrThrow()
    expect(
      (await member.post(`${tagsPath()}/${myTag.id}/merge`, { into: theirTag.id })).status,
    ).toBe(404)
    expect(
      (await member.post(`${tagsPath()}/categories/${theirCategory.id}`, { name: 'x' })).status,
    ).toBe(404)
    expect(
      (await member.post(`${tagsPath()}/categories/${theirCategory.id}/delete`, {})).status,
    ).toBe(404)
    expect((await member.post(mine, { category: theirCategory.id })).status).toBe(422)

    // the same tag name in two workspaces is two tags; searching sees only one's own
    await member.post(`${mine}/tags`, { tag: '他社タグ' })
    const html = await (
      await member.get(`${boardsPath()}?q=${encodeURIComponent('#他社タグ')}`)
    ).text()
    expect(html).toContain('名刺')
    expect(html).not.toContain('他社の案件')
    const theirs2 = await testApp.deps.db
      .selectFrom('tags')
      .select('name')
      .where('workspace_id', '=', other.workspace.id)
      .execute()
    expect(theirs2.map((tag) => tag.name)).toEqual(['他社タグ'])
    expect(await count('categories')).toBe(1)
  })

  it('members (not admins) can tag boards but not manage the lists', async () => {
    await createMember({
      deps: testApp.deps,
      workspace: owner.workspace,
      input: {
        name: '佐藤 彩',
        email: 'aya@example.jp',
        password: 'correct horse battery staple',
        role: 'member',
      },
    })
    const aya = await loginAs(testApp, 'aya@example.jp', 'correct horse battery staple')
    const board = await createBoard(aya, owner.workspace.slug, '名刺')
    expect((await aya.post(`${board}/tags`, { tag: '校正待ち' })).status).toBe(303)
    expect((await aya.get(tagsPath())).status).toBe(403)
    expect((await aya.post(`${tagsPath()}/categories`, { name: '名刺' })).status).toBe(403)
    expect(await count('categories')).toBe(0)
  })
})
