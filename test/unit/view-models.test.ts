// The kept-markup keys are built from the same view models the views render: whichever field of
// a model changes — including a field added later, as these walk the model's own fields — the
// key changes, so a new field shown can't serve stale markup.
import { describe, expect, it } from 'vitest'
import type { MessageRow } from '../../src/db/schema'
import type { BoardListRow } from '../../src/boards/boards.repository'
import { boardListItemKey, toBoardListItem } from '../../src/boards/boards.view-model'
import {
  guestThreadKey,
  threadKey,
  threadMessageKey,
  toGuestThreadMessages,
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
  throw new Error(`no change for ${typeof value}`)
}

/** Every field changed alone gives a key of its own; the same model gives the same key. */
function expectEveryFieldInKey<T extends object>(model: T, key: (model: T) => string) {
  const base = key(model)
  expect(key({ ...model })).toBe(base)
  const fields = Object.keys(model) as (keyof T)[]
  expect(fields.length).toBeGreaterThan(3)
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
const board = { id: 'b1', message_seq: 6, thread_rev: 2, decision_no: 2, guest_read_no: 2 }

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
          board: { ...board, decision_no: null, guest_read_no: 5 },
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
  // Known before the rows are read: keyed by every board column the mappers read, so a column
  // a mapper starts to read (it must be added to the *_BOARD_COLUMNS list to be typed) is keyed.
  it('key every thread column of the board, the decision change and the viewer', () => {
    const viewer = { locale: 'ja', timeZone: 'Asia/Tokyo', slug: 'shop' }
    expectEveryFieldInKey(board, (b) => threadKey({ board: b }, viewer))
    const base = threadKey({ board, decisionChanged: false }, viewer)
    expect(threadKey({ board, decisionChanged: true }, viewer)).not.toBe(base)
    for (const [field, value] of Object.entries(viewer))
      expect(threadKey({ board }, { ...viewer, [field]: changed(value) }), field).not.toBe(base)
    // columns the thread doesn't read don't split the cache
    expect(threadKey({ board: { ...board, name: '別名' } as typeof board }, viewer)).toBe(base)
  })

  it("the customer's thread: its columns, the decision change, language, zone and year", () => {
    const { guest_read_no: _unread, ...guestBoard } = board
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
