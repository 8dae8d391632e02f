import { afterEach, describe, expect, it, vi } from 'vitest'
import { svixSignature } from '../../src/inbound/inbound.svix'
import { findBoard, setupBoard } from './guest.helpers'
import { createInboundApp, WEBHOOK_SECRET } from './inbound.helpers'
import { outboxRows } from './notifications.helpers'

afterEach(() => vi.unstubAllGlobals())

let counter = 0
async function deliveryEvent(
  testApp: ReturnType<typeof createInboundApp>,
  type: string,
  emailId: string,
  options: { signature?: string } = {},
) {
  counter += 1
  const id = `msg_delivery_${counter}`
  const body = JSON.stringify({
    type,
    created_at: '2026-11-24T01:00:00Z',
    data: { email_id: emailId, to: ['yamada@example.jp'] },
  })
  const timestamp = String(Math.floor(testApp.clock.now().getTime() / 1000))
  return testApp.app.request('/inbound/resend', {
    method: 'POST',
    headers: {
      'svix-id': id,
      'svix-timestamp': timestamp,
      'svix-signature':
        options.signature ?? (await svixSignature(WEBHOOK_SECRET, id, timestamp, body)),
    },
    body,
  })
}

async function sentNotification() {
  const setup = await setupBoard({ testApp: createInboundApp() })
  await setup.member.post(`${setup.staffUrl}/messages`, { body: '校正です' })
  await setup.testApp.drain()
  const [row] = await outboxRows(setup.testApp, setup.boardId)
  return { ...setup, providerId: row!.provider_id! }
}

describe('Resend delivery webhooks', () => {
  it('records delivered, then a bounce that flags the board; a late delivered does not undo it', async () => {
    const { testApp, boardId, providerId } = await sentNotification()
    expect(await (await deliveryEvent(testApp, 'email.delivered', providerId)).json()).toEqual({
      outcome: 'delivered',
    })
    expect((await outboxRows(testApp, boardId))[0]).toMatchObject({
      status: 'sent',
      delivery_status: 'delivered',
    })
    expect((await findBoard(testApp, boardId)).guest_email_problem).toBeNull()

    expect(await (await deliveryEvent(testApp, 'email.bounced', providerId)).json()).toEqual({
      outcome: 'bounced',
    })
    expect((await outboxRows(testApp, boardId))[0]).toMatchObject({ delivery_status: 'bounced' })
    expect(await findBoard(testApp, boardId)).toMatchObject({ guest_email_problem: 'bounced' })

    await deliveryEvent(testApp, 'email.delivered', providerId)
    expect((await outboxRows(testApp, boardId))[0]).toMatchObject({ delivery_status: 'bounced' })
  })

  it('flags a complaint and records a delay', async () => {
    const { testApp, boardId, providerId } = await sentNotification()
    expect(
      await (await deliveryEvent(testApp, 'email.delivery_delayed', providerId)).json(),
    ).toEqual({ outcome: 'delivery_delayed' })
    await deliveryEvent(testApp, 'email.complained', providerId)
    expect(await findBoard(testApp, boardId)).toMatchObject({ guest_email_problem: 'complained' })
  })

  it('answers an unknown email id without touching anything, and refuses a bad signature', async () => {
    const { testApp, boardId } = await sentNotification()
    expect(await (await deliveryEvent(testApp, 'email.bounced', 'nope')).json()).toEqual({
      outcome: 'unknown_email',
    })
    expect((await findBoard(testApp, boardId)).guest_email_problem).toBeNull()
    expect(
      (await deliveryEvent(testApp, 'email.bounced', 'nope', { signature: 'v1,AAAA' })).status,
    ).toBe(401)
  })
})
