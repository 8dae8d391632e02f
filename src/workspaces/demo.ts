import type { Deps } from '../deps'
import { createBoardOrFail } from '../boards/boards.usecases'
import { createBoardsRepository } from '../boards/boards.repository'
import { customerMessage, writePost } from '../messages/messages.post'
import { postStaffMessage } from '../messages/messages.usecases'
import { localDate } from '../shared/time'
import { createMember, createWorkspace } from './workspaces.usecases'

export const DEMO = {
  slug: 'demo',
  email: 'demo@example.com',
  password: 'orderboard-demo',
} as const

const DAY = 24 * 60 * 60 * 1000

/** A Japanese print shop with a handful of boards in different states, for `npm start`. */
export async function seedDemo(deps: Deps) {
  const { workspace, ownerId } = await createWorkspace({
    deps,
    input: {
      name: 'さくら印刷',
      slug: DEMO.slug,
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      ownerEmail: DEMO.email,
      ownerName: '佐藤 彩',
      ownerPassword: DEMO.password,
    },
  })
  await deps.db
    .updateTable('workspaces')
    .set({ contact_email: 'info@sakura-print.example', contact_phone: '03-1234-5678' })
    .where('id', '=', workspace.id)
    .execute()
  await createMember({
    deps,
    workspace,
    input: {
      email: 'tanaka@example.com',
      name: '田中 健',
      password: DEMO.password,
      role: 'member',
    },
  })
  const owner = { kind: 'member' as const, memberId: ownerId, name: '佐藤 彩' }
  const today = localDate(deps.clock.now(), workspace.time_zone)
  const inDays = (days: number) =>
    localDate(deps.clock.now().getTime() + days * DAY, workspace.time_zone)

  const guestPost = async (boardId: string, name: string, body: string) => {
    const board = await createBoardsRepository(deps).findById(workspace.id, boardId)
    if (!board) return
    const now = deps.clock.now().getTime()
    // Seed data: the customer's words without the members' emails (no effects).
    await writePost({
      deps,
      workspace,
      board,
      message: customerMessage({
        id: deps.ids.id(),
        workspaceId: workspace.id,
        boardId,
        authorName: name,
        body,
        now,
      }),
      event: { kind: 'guest_post' },
      effects: [],
    })
  }

  const boards = [
    {
      name: '名刺 100枚（両面カラー）',
      customer_name: '山田 花子',
      customer_email: 'hanako@example.jp',
      dedupe_key: 'ORD-2026-1001',
    },
    {
      name: 'イベントTシャツ 30着',
      customer_name: '鈴木 一郎',
      customer_email: 'ichiro@example.jp',
      dedupe_key: 'ORD-2026-1002',
    },
    {
      name: 'A4 チラシ 5,000部',
      customer_name: '株式会社みどり 高橋様',
      customer_email: 'takahashi@midori.example',
      dedupe_key: 'ORD-2026-1003',
    },
    {
      name: '結婚式 招待状 80部',
      customer_name: '伊藤 さくら',
      customer_email: 'sakura.ito@example.jp',
      dedupe_key: 'ORD-2026-1004',
    },
    {
      name: 'ショップカード 300枚',
      customer_name: '渡辺 翔',
      customer_email: 'sho@example.jp',
      dedupe_key: 'ORD-2026-1005',
    },
  ]
  const created = []
  for (const input of boards) {
    created.push(await createBoardOrFail({ deps, workspace, createdBy: ownerId, input }))
  }
  const [cards, shirts, flyers, invitations] = created

  if (cards) {
    await postStaffMessage({
      deps,
      workspace,
      author: owner,
      boardId: cards.id,
      input: {
        body: '山田 花子 様\n\nこの度はご注文ありがとうございます。さくら印刷の佐藤です。\nデザイン案を添付いたしました。ご確認をお願いいたします。',
        internal: false,
        silent: true,
        next_contact_on: inDays(-1),
      },
    })
    await guestPost(
      cards.id,
      '山田 花子',
      'ありがとうございます！ロゴをもう少し大きくしていただけますか？',
    )
  }
  if (shirts) {
    await postStaffMessage({
      deps,
      workspace,
      author: owner,
      boardId: shirts.id,
      input: {
        body: '鈴木 一郎 様\n\nサイズ表をお送りします。サイズごとの枚数をお知らせください。',
        internal: false,
        silent: true,
        next_contact_on: today,
        next_contact_time: '15:00',
      },
    })
    await postStaffMessage({
      deps,
      workspace,
      author: owner,
      boardId: shirts.id,
      input: {
        body: '前回も同じお客様。黒ボディ在庫を確認済み。',
        internal: true,
        silent: true,
      },
    })
  }
  if (flyers) {
    await postStaffMessage({
      deps,
      workspace,
      author: owner,
      boardId: flyers.id,
      input: {
        body: '高橋様\n\n校正データ（第2稿）です。ご確認ください。',
        internal: false,
        silent: true,
        next_contact_on: inDays(3),
      },
    })
    await guestPost(flyers.id, '高橋', '第2稿で問題ありません。この内容でお願いします。')
    await postStaffMessage({
      deps,
      workspace,
      author: owner,
      boardId: flyers.id,
      input: {
        body: 'No.1 の内容で確定いたしました。これより制作に入ります。ご確認ありがとうございました。',
        internal: false,
        silent: true,
        decides_no: 1,
      },
    })
  }
  if (invitations) {
    await postStaffMessage({
      deps,
      workspace,
      author: owner,
      boardId: invitations.id,
      input: {
        body: '伊藤 さくら 様\n\n用紙見本の在庫を確認しております。確認でき次第ご連絡いたします。',
        internal: false,
        silent: true,
        next_contact_on: inDays(7),
      },
    })
    await createBoardsRepository(deps).update(
      workspace.id,
      invitations.id,
      { status: 'on_hold' },
      deps.clock.now().getTime(),
    )
  }
  return workspace
}
