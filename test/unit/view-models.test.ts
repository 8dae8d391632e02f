// The kept-markup keys are built from the same view models the views render: whichever field of
// a model changes — including a field added later, as these walk the model's own fields — the
// key changes, so a new field shown can't serve stale markup.
import { describe, expect, it } from 'vitest'
import type { BoardEventRow, BoardRow, Member, MessageRow, Workspace } from '../../src/db/schema'
import type { BoardListRow } from '../../src/boards/boards.repository'
import {
  boardListItemKey,
  toBoardEventViews,
  toBoardListItem,
  toBoardView,
  toGuestBoardView,
  toStatusChangeView,
} from '../../src/boards/boards.view-model'
import { toTemplateSetViews } from '../../src/templates/templates.view-model'
import { toDevMailItem } from '../../src/notifications/dev-mail.view-model'
import { toShopView, toWorkspaceSettingsView } from '../../src/workspaces/workspaces.view-model'
import { toSignedInView } from '../../src/auth/auth.view-model'
import { toBoardMembers, toMentionItem } from '../../src/mentions/mentions.view-model'
import { toAuditLines, toTeamView } from '../../src/team/team.view-model'
import { toApiKeyListItems } from '../../src/api/api-keys.view-model'
import { modelKey } from '../../views/fragments'
import {
  guestThreadKey,
  threadKey,
  threadMessageKey,
  toGuestThreadBoard,
  toGuestThreadMessages,
  toThreadBoard,
  toThreadMessage,
} from '../../src/messages/messages.view-model'

/** A different value of the same kind: every field's change must show in the key. */
function changed(value: unknown): unknown {
  if (value === null || value === undefined) return 'x'
  if (typeof value === 'boolean') return !value
  if (typeof value === 'number') return value + 1
  if (typeof value === 'string') return `${value}x`
  if (Array.isArray(value))
    return value.length === 0
      ? [{ name: 'x' }]
      : value.map((item, i) =>
          i === 0
            ? Object.fromEntries(Object.entries(item).map(([k, v]) => [k, changed(v)]))
            : item,
        )
  if (typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, changed(v)]))
  throw new Error(`no change for ${typeof value}`)
}

/** Every field changed alone gives a key of its own; the same model gives the same key. */
function expectEveryFieldInKey<T extends object>(
  model: T,
  key: (model: T) => string,
  minFields = 4,
) {
  const base = key(model)
  expect(key({ ...model })).toBe(base)
  const fields = Object.keys(model) as (keyof T)[]
  expect(fields.length).toBeGreaterThanOrEqual(minFields)
  const keys = new Set([base])
  for (const field of fields) {
    const other = key({ ...model, [field]: changed(model[field]) })
    expect(other, String(field)).not.toBe(base)
    keys.add(other)
  }
  expect(keys.size).toBe(fields.length + 1)
}

const listRow: BoardListRow = {
  id: 'b1',
  name: '名刺 100枚',
  customer_name: '山田 花子',
  customer_email: 'hanako@example.jp',
  dedupe_key: 'ORD-1',
  status: 'waiting',
  next_contact_on: '2026-12-08',
  next_contact_time: '10:00',
  contact_sort: '2026-12-08 10:00',
  expires_at: Date.UTC(2027, 0, 7),
  last_activity_at: Date.UTC(2026, 11, 1),
  message_seq: 4,
  last_public_author: 'member',
  last_no: 3,
  guest_read_no: 2,
  guest_read_at: null,
  guest_email_problem: null,
  rating_score: 4,
  read_seq: 3,
  assignee_name: '佐藤',
  tag_list: JSON.stringify([
    ['急ぎ', 'red'],
    ['校正', 'blue'],
  ]),
  category_name: '名刺',
} as BoardListRow
const clock = { today: '2026-12-07', now: Date.UTC(2026, 11, 7), unreadWarningDays: 3 }
const viewer = { locale: 'ja', timeZone: 'Asia/Tokyo', base: '/w/shop/boards', statusLabels: '{}' }

describe('board list rows', () => {
  it('map once: camelCase, parsed tags, markers and warnings as the list shows them', () => {
    const item = toBoardListItem(listRow, clock)
    expect(item).toMatchObject({
      customerName: '山田 花子',
      tags: [
        { name: '急ぎ', colour: 'red' },
        { name: '校正', colour: 'blue' },
      ],
      urgency: 'upcoming',
      unread: true,
      unanswered: false,
      expired: false,
      emailProblem: null,
      unreadDays: 6,
    })
  })

  it('key every field of the view model, and the viewer', () => {
    expectEveryFieldInKey(toBoardListItem(listRow, clock), (item) => boardListItemKey(item, viewer))
    const item = toBoardListItem(listRow, clock)
    const base = boardListItemKey(item, viewer)
    for (const [field, value] of Object.entries(viewer))
      expect(boardListItemKey(item, { ...viewer, [field]: changed(value) }), field).not.toBe(base)
  })

  it('move with the clock: a new day or an expired board is a new key', () => {
    const today = boardListItemKey(toBoardListItem(listRow, clock), viewer)
    const later = { ...clock, today: '2026-12-08', now: Date.UTC(2027, 0, 8) }
    expect(boardListItemKey(toBoardListItem(listRow, later), viewer)).not.toBe(today)
  })
})

const messageRow: MessageRow = {
  id: 'm1',
  workspace_id: 'w1',
  board_id: 'b1',
  no: 2,
  seq: 3,
  internal: 0,
  author_kind: 'member',
  author_member_id: 'u1',
  author_name: '佐藤',
  body: '明日 10時にお電話します',
  decides_no: 1,
  next_contact_phrase: '明日 10時',
  next_contact_on: '2026-12-08',
  next_contact_time: '10:00',
  notify_guest: 1,
  edited_at: null,
  created_at: Date.UTC(2026, 11, 7),
}
const files = {
  m1: [
    {
      id: 'f1',
      name: 'proof.pdf',
      size: 1200,
      sizeLabel: '1.2 KB',
      type: 'application/pdf',
      thumbnail: false,
      removed: false,
    },
  ],
}
const messageViewer = { locale: 'ja', timeZone: 'Asia/Tokyo', slug: 'shop', boardId: 'b1' }
const board = { id: 'b1', messageSeq: 6, threadRev: 2, decisionNo: 2, guestReadNo: 2 }

describe('thread messages', () => {
  it('map once: booleans, the decided mark, the read receipt and the files', () => {
    const message = toThreadMessage(messageRow, {
      board,
      decisionChanged: true,
      attachments: files,
    })
    expect(message).toMatchObject({
      internal: false,
      fromGuest: false,
      decided: true,
      decisionChanged: true,
      readByGuest: true,
      mentions: false,
      files: files.m1,
    })
    expect(
      toThreadMessage(
        { ...messageRow, internal: 1, no: null, body: '@佐藤 確認を' },
        {
          board: { ...board, decisionNo: null, guestReadNo: 5 },
        },
      ),
    ).toMatchObject({ internal: true, decided: false, readByGuest: false, mentions: true })
  })

  it('key every field of the view model (files included), and the viewer', () => {
    const message = toThreadMessage(messageRow, {
      board,
      attachments: files,
    })
    expectEveryFieldInKey(message, (m) => threadMessageKey(m, messageViewer))
    const base = threadMessageKey(message, messageViewer)
    for (const [field, value] of Object.entries(messageViewer))
      expect(threadMessageKey(message, { ...messageViewer, [field]: changed(value) })).not.toBe(
        base,
      )
  })

  it("the customer's messages: mine, decided and files from the same rows", () => {
    const [message] = toGuestThreadMessages(
      [
        {
          id: 'm1',
          no: 2,
          author_kind: 'guest',
          author_name: '山田 花子',
          body: 'お願いします',
          decides_no: null,
          edited_at: null,
          created_at: 0,
        },
      ],
      { board, decisionChanged: false, attachments: files },
    )
    expect(message).toMatchObject({ mine: true, decided: true, decisionChanged: false })
    expect(message?.files).toEqual(files.m1)
  })
})

describe('whole threads', () => {
  // Known before the rows are read: keyed by every field of the board's thread model, which is
  // all the mappers read of the board, so a field a mapper starts to read (it must be added to
  // ThreadBoard to be typed) is keyed.
  it('map the board row once: its thread columns, camelCase', () => {
    expect(toThreadBoard(boardRow)).toEqual({
      id: 'b1',
      messageSeq: 4,
      threadRev: 1,
      decisionNo: 2,
      guestReadNo: 2,
    })
    expect(toGuestThreadBoard(boardRow)).toEqual({
      id: 'b1',
      messageSeq: 4,
      threadRev: 1,
      decisionNo: 2,
    })
  })

  it('key every thread column of the board, the decision change and the viewer', () => {
    const viewer = { locale: 'ja', timeZone: 'Asia/Tokyo', slug: 'shop' }
    expectEveryFieldInKey(board, (b) => threadKey({ board: b }, viewer))
    const base = threadKey({ board, decisionChanged: false }, viewer)
    expect(threadKey({ board, decisionChanged: true }, viewer)).not.toBe(base)
    for (const [field, value] of Object.entries(viewer))
      expect(threadKey({ board }, { ...viewer, [field]: changed(value) }), field).not.toBe(base)
    // fields the thread doesn't read (a wider object) don't split the cache
    expect(threadKey({ board: { ...board, name: '別名' } as typeof board }, viewer)).toBe(base)
  })

  it("the customer's thread: its columns, the decision change, language, zone and year", () => {
    const { guestReadNo: _unread, ...guestBoard } = board
    const viewer = { locale: 'ja', timeZone: 'Asia/Tokyo', now: Date.UTC(2026, 11, 7) }
    expectEveryFieldInKey(guestBoard, (b) => guestThreadKey({ board: b }, viewer))
    const base = guestThreadKey({ board: guestBoard }, viewer)
    expect(guestThreadKey({ board: guestBoard, decisionChanged: true }, viewer)).not.toBe(base)
    expect(guestThreadKey({ board: guestBoard }, { ...viewer, locale: 'en' })).not.toBe(base)
    expect(guestThreadKey({ board: guestBoard }, { ...viewer, timeZone: 'UTC' })).not.toBe(base)
    expect(guestThreadKey({ board: guestBoard }, { ...viewer, now: viewer.now + 86_400_000 })).toBe(
      base,
    )
    expect(
      guestThreadKey({ board: guestBoard }, { ...viewer, now: Date.UTC(2027, 0, 2) }),
    ).not.toBe(base)
  })
})

const boardRow = {
  ...listRow,
  workspace_id: 'w1',
  thread_message_id: null,
  decision_no: 2,
  thread_rev: 1,
  guest_link_version: 1,
  guest_read_at: Date.UTC(2026, 11, 2),
  guest_email_problem: 'bounced',
  guest_email_problem_at: Date.UTC(2026, 11, 3),
  rating_score: 2,
  rating_comment: '遅かった',
  rated_at: Date.UTC(2026, 11, 6),
  first_rated_at: Date.UTC(2026, 11, 5),
  rating_event_id: 'r1',
  created_by: 'u1',
  created_at: Date.UTC(2026, 10, 30),
  updated_at: Date.UTC(2026, 11, 6),
  first_guest_at: null,
  first_response_at: null,
  first_response_ms: null,
  first_response_business_ms: null,
  decided_at: null,
  decision_ms: null,
  decision_business_ms: null,
  closed_at: null,
  assignee_member_id: 'u2',
  category_id: 'c1',
} as BoardRow
const workspace = { time_zone: 'Asia/Tokyo', unread_warning_days: 3 }

describe('the board pages', () => {
  it("staff: camelCase, the expiry's local date, warnings and the rating as the page shows them", () => {
    // 2027-01-07 00:00 UTC is 09:00 in Tokyo; one minute before midnight UTC is still the 7th there
    const view = toBoardView(
      { ...boardRow, expires_at: Date.UTC(2027, 0, 7, 15, 30) },
      { now: clock.now, workspace },
    )
    expect(view).toMatchObject({
      customerName: '山田 花子',
      dedupeKey: 'ORD-1',
      assigneeId: 'u2',
      categoryId: 'c1',
      expiresOn: '2027-01-08',
      expired: false,
      messageSeq: 4,
      guestReadNo: 2,
      emailProblem: 'bounced',
      unreadDays: 6,
      rating: { score: 2, comment: '遅かった', ratedAt: Date.UTC(2026, 11, 6), changed: true },
    })
    expect(
      toBoardView({ ...boardRow, rating_score: null }, { now: clock.now, workspace }).rating,
    ).toBeNull()
    const later = toBoardView(boardRow, {
      now: Date.UTC(2027, 0, 8),
      workspace: { ...workspace, unread_warning_days: 0 },
    })
    expect(later).toMatchObject({ expired: true, unreadDays: null })
  })

  it("the customer's: only what the customer may see", () => {
    const view = toGuestBoardView(boardRow)
    expect(Object.keys(view).sort()).toEqual(
      ['customerName', 'done', 'expiresAt', 'id', 'lastNo', 'name', 'rating'].sort(),
    )
    expect(view).toMatchObject({
      done: false,
      lastNo: 3,
      rating: {
        score: 2,
        comment: '遅かった',
        changeableUntil: Date.UTC(2026, 11, 5) + 7 * 24 * 60 * 60 * 1000,
      },
    })
    const text = JSON.stringify(view)
    for (const internal of ['ORD-1', 'u2', 'c1', 'hanako@example.jp', '佐藤', 'bounced'])
      expect(text).not.toContain(internal)
    expect(
      toGuestBoardView({ ...boardRow, status: 'done', first_rated_at: null }).rating,
    ).toMatchObject({ changeableUntil: null })
    expect(toGuestBoardView({ ...boardRow, status: 'done' }).done).toBe(true)
  })

  const eventRow: BoardEventRow = {
    id: 'e1',
    workspace_id: 'w1',
    board_id: 'b1',
    after_seq: 3,
    kind: 'detail_changed',
    field: 'customer_email',
    old_value: 'old@example.jp',
    new_value: 'new@example.jp',
    message_id: null,
    actor_kind: 'member',
    actor_member_id: 'u1',
    actor_name: '佐藤',
    at: Date.UTC(2026, 11, 7),
  }

  const templateSetRow = {
    id: 's1',
    workspace_id: 'w1',
    name: '基本',
    position: 1,
    created_at: 0,
    templates: [
      {
        id: 't1',
        workspace_id: 'w1',
        set_id: 's1',
        label: '受付',
        body: '{{customer_name}} 様',
        status: 'replied' as const,
        kind: 'decision' as const,
        position: 1,
        created_at: 0,
      },
    ],
  }

  const devMailRow = {
    id: 7,
    idempotency_key: 'k1',
    to_address: 'a@example.jp',
    from_address: 'shop@example.jp',
    subject: '件名',
    text: '本文',
    html: '<p>本文</p>',
    headers: JSON.stringify({ 'Reply-To': 'r@example.jp' }),
    created_at: 9,
  }

  it('system lines, status changes, templates and dev mail map once', () => {
    expect(toBoardEventViews([eventRow])).toEqual([
      {
        id: 'e1',
        afterSeq: 3,
        kind: 'detail_changed',
        field: 'customer_email',
        oldValue: 'old@example.jp',
        newValue: 'new@example.jp',
        messageId: null,
        actorKind: 'member',
        actorName: '佐藤',
        at: Date.UTC(2026, 11, 7),
      },
    ])
    expect(toStatusChangeView(null)).toBeNull()
    expect(toStatusChangeView({ actor_kind: 'guest', actor_name: '山田', at: 5 })).toEqual({
      actorKind: 'guest',
      actorName: '山田',
      at: 5,
    })
    const [set] = toTemplateSetViews([templateSetRow])
    expect(set).toEqual({
      id: 's1',
      name: '基本',
      templates: [
        {
          id: 't1',
          label: '受付',
          body: '{{customer_name}} 様',
          status: 'replied',
          kind: 'decision',
        },
      ],
    })
    const mail = toDevMailItem(devMailRow)
    expect(mail).toEqual({
      id: 7,
      to: 'a@example.jp',
      from: 'shop@example.jp',
      subject: '件名',
      text: '本文',
      headers: { 'Reply-To': 'r@example.jp' },
      idempotencyKey: 'k1',
      createdAt: 9,
    })
  })

  // Kept markup keyed by one of these models (modelKey) can't miss a field: each one counts.
  it('key every field of each model', () => {
    const models = {
      board: toBoardView(boardRow, { now: clock.now, workspace }),
      guestBoard: toGuestBoardView(boardRow),
      event: toBoardEventViews([eventRow])[0]!,
      statusChange: toStatusChangeView({ actor_kind: 'member', actor_name: '佐藤', at: 5 })!,
      templateSet: toTemplateSetViews([{ ...templateSetRow, templates: [] }])[0]!,
      devMail: toDevMailItem(devMailRow),
    }
    // (a status change and a template set are small models: three fields each)
    for (const model of Object.values(models)) expectEveryFieldInKey(model, modelKey, 3)
    expectEveryFieldInKey(toTemplateSetViews([templateSetRow])[0]!.templates[0]!, modelKey)
  })
})

const workspaceRow: Workspace = {
  id: 'w1',
  name: 'テスト印刷',
  slug: 'shop',
  time_zone: 'Asia/Tokyo',
  locale: 'ja',
  expiry_days: 30,
  contact_email: 'shop@example.jp',
  contact_phone: '03-1234-5678',
  closed_days: JSON.stringify(['2026-12-29', '2026-12-30', '2026-12-31', '2027-01-05']),
  digest_time: '08:00',
  status_labels: JSON.stringify({ waiting: '対応待ち' }),
  attachment_retention_days: null,
  unread_warning_days: 3,
  require_2fa: 1,
  created_at: 0,
  round_robin: 1,
}

describe('the workspace', () => {
  it("the customer's pages: the shop's name, zone and contact only", () => {
    const shop = toShopView(workspaceRow)
    expect(shop).toEqual({
      name: 'テスト印刷',
      timeZone: 'Asia/Tokyo',
      contactEmail: 'shop@example.jp',
      contactPhone: '03-1234-5678',
    })
    expectEveryFieldInKey(shop, modelKey)
  })

  it('the settings page: each field as its form starts, closed days as lines', () => {
    const settings = toWorkspaceSettingsView(workspaceRow)
    expect(settings).toMatchObject({
      timeZone: 'Asia/Tokyo',
      expiryDays: 30,
      attachmentRetentionDays: null,
      unreadWarningDays: 3,
      closedDays: '2026-12-29〜2026-12-31\n2027-01-05',
      digestTime: '08:00',
    })
    expect(toWorkspaceSettingsView({ ...workspaceRow, closed_days: 'not json' }).closedDays).toBe(
      '',
    )
    expectEveryFieldInKey(settings, modelKey)
  })
})

describe('the signed-in member', () => {
  const memberRow: Member = {
    id: 'u1',
    workspace_id: 'w1',
    email: 'sato@example.jp',
    name: '佐藤',
    password_hash: 'scrypt$secret-hash',
    role: 'admin',
    locale: null,
    notify_email: 1,
    digest_enabled: 0,
    created_at: 0,
    last_login_at: 5,
    totp_secret: 'TOTPSECRETBASE32',
    totp_enabled_at: 7,
    totp_last_step: 3,
    notify_assigned: 0,
    notify_mention: 1,
    name_kana: 'サトウ',
    round_robin: 0,
    round_robin_turn: null,
  }

  it('maps once: flags as booleans, and nothing of the password or the second factor', () => {
    const view = toSignedInView({ member: memberRow, workspace: workspaceRow, csrfToken: 'c1' })
    expect(view.member).toEqual({
      id: 'u1',
      name: '佐藤',
      nameKana: 'サトウ',
      email: 'sato@example.jp',
      role: 'admin',
      locale: null,
      twoFactor: true,
      digestEnabled: false,
      notifyEmail: true,
      notifyAssigned: false,
      notifyMention: true,
      roundRobin: false,
    })
    expect(view.workspace).toEqual({
      slug: 'shop',
      name: 'テスト印刷',
      timeZone: 'Asia/Tokyo',
      locale: 'ja',
      unreadWarningDays: 3,
      digestTime: '08:00',
      require2fa: true,
      roundRobin: true,
    })
    const text = JSON.stringify(view)
    for (const secret of ['scrypt$secret-hash', 'TOTPSECRETBASE32'])
      expect(text).not.toContain(secret)
    expectEveryFieldInKey(view.member, modelKey)
    expectEveryFieldInKey(view.workspace, modelKey)
  })
})

describe('the smaller member pages', () => {
  it('mentions, board members, the team, the audit log and API keys map once, camelCase', () => {
    const mention = toMentionItem({
      id: 'mn1',
      created_at: 1,
      read_at: null,
      board_id: 'b1',
      board_name: '名刺',
      customer_name: '山田',
      seq: 4,
      body: '@佐藤 確認を',
      author_name: 'オーナー',
    })
    expect(mention).toEqual({
      id: 'mn1',
      createdAt: 1,
      unread: true,
      boardId: 'b1',
      boardName: '名刺',
      customerName: '山田',
      seq: 4,
      body: '@佐藤 確認を',
      authorName: 'オーナー',
    })
    const [boardMember] = toBoardMembers([
      { id: 'u1', name: '佐藤', email: 'sato@example.jp', name_kana: 'サトウ' },
    ])
    expect(boardMember).toEqual({
      id: 'u1',
      name: '佐藤',
      email: 'sato@example.jp',
      nameKana: 'サトウ',
    })
    const team = toTeamView({
      members: [
        {
          id: 'u1',
          name: '佐藤',
          email: 'sato@example.jp',
          role: 'admin',
          last_login_at: 5,
          totp_enabled_at: null,
          created_at: 0,
        },
      ],
      invitations: [
        {
          id: 'i1',
          email: 'new@example.jp',
          role: 'member',
          created_at: 1,
          expires_at: 2,
          expired: true,
        },
      ],
    })
    expect(team).toEqual({
      members: [
        {
          id: 'u1',
          name: '佐藤',
          email: 'sato@example.jp',
          role: 'admin',
          lastLoginAt: 5,
          twoFactor: false,
        },
      ],
      invitations: [
        {
          id: 'i1',
          email: 'new@example.jp',
          role: 'member',
          createdAt: 1,
          expiresAt: 2,
          expired: true,
        },
      ],
    })
    const [line] = toAuditLines([
      {
        id: 'a1',
        at: 3,
        actor_name: null,
        action: 'member.invited',
        target: 'x',
        detail: '{}',
        ip: null,
      },
    ])
    expect(line).toEqual({
      id: 'a1',
      at: 3,
      actorName: null,
      action: 'member.invited',
      target: 'x',
      ip: null,
    })
    const [key] = toApiKeyListItems([
      {
        id: 'k1',
        name: '受注システム',
        prefix: 'ob_live_ab',
        scope: 'write',
        created_at: 1,
        last_used_at: null,
        revoked_at: 2,
        created_by_name: 'オーナー',
      },
    ])
    expect(key).toEqual({
      id: 'k1',
      name: '受注システム',
      prefix: 'ob_live_ab',
      scope: 'write',
      createdAt: 1,
      lastUsedAt: null,
      revokedAt: 2,
      createdByName: 'オーナー',
    })
    for (const model of [
      mention,
      boardMember!,
      team.members[0]!,
      team.invitations[0]!,
      line!,
      key!,
    ])
      expectEveryFieldInKey(model, modelKey)
  })
})
