import { fileURLToPath } from 'node:url'
import { PreviewProps } from '../../emails/guest-notification'
import { PreviewProps as memberPreview } from '../../emails/member-notification'
import { renderEmail } from '../../emails/render'
import { renderEmailOnce } from '../../emails/render-once'
import { drainOutbox } from '../../src/notifications/outbox'
import { outboxHandlers } from '../../src/notifications/outbox.handlers'
import { createTestApp, createTestWorkspace, loginAs } from '../helpers/app'

export interface EmailBenchResult {
  /** renderEmail (react-email HTML + plain text) of the customer notification */
  renderPerSecond: number
  renderMedianMs: number
  renderP99Ms: number
  /** the whole send path per email: claim, load board/message, render, memory transport, mark sent */
  outboxPerSecond: number
  htmlBytes: number
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? 0
}

/**
 * Customer-notification emails per second: rendering alone (a 300-character message), and the
 * outbox sending them end to end into the in-memory transport.
 */
export async function benchEmails({
  durationMs = 3_000,
  outboxEmails = 500,
} = {}): Promise<EmailBenchResult> {
  const body = `${PreviewProps.message.body}\n`.repeat(3)
  const props = { ...PreviewProps, message: { ...PreviewProps.message, body } }
  for (let i = 0; i < 50; i += 1) await renderEmail({ template: 'guest-notification', props })

  const samples: number[] = []
  let htmlBytes = 0
  const started = performance.now()
  while (performance.now() - started < durationMs) {
    const t0 = performance.now()
    const email = await renderEmail({
      template: 'guest-notification',
      props: { ...props, message: { ...props.message, no: samples.length + 1 } },
    })
    samples.push(performance.now() - t0)
    htmlBytes = email.html.length
  }
  const elapsed = performance.now() - started
  samples.sort((a, b) => a - b)

  // End to end: posts queue rows (their own drains are left to finish first), then one drain
  // sends a backlog of `outboxEmails`.
  const testApp = createTestApp()
  const { workspace, email, password } = await createTestWorkspace(testApp, { name: 'さくら印刷' })
  const member = await loginAs(testApp, email, password)
  const created = await member.post(`/w/${workspace.slug}/boards`, {
    name: '名刺 100枚',
    customer_name: '山田 太郎',
    customer_email: 'yamada@example.jp',
  })
  const staffUrl = created.headers.get('location')!
  for (let i = 0; i < outboxEmails; i += 1)
    await member.post(`${staffUrl}/messages`, { body: `${body} ${i}` })
  await testApp.drain()
  await testApp.deps.db
    .updateTable('outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: 0, provider_id: null })
    .execute()
  testApp.mailer.sent.length = 0
  const sendStarted = performance.now()
  const result = await drainOutbox({
    deps: testApp.deps,
    handlers: outboxHandlers,
    limit: 50,
    maxRounds: 1_000,
  })
  const sendElapsed = performance.now() - sendStarted
  if (result.sent !== outboxEmails)
    throw new Error(`expected ${outboxEmails} sent, got ${result.sent}`)
  await testApp.database.close()

  return {
    renderPerSecond: (samples.length / elapsed) * 1000,
    renderMedianMs: percentile(samples, 0.5),
    renderP99Ms: percentile(samples, 0.99),
    outboxPerSecond: (outboxEmails / sendElapsed) * 1000,
    htmlBytes,
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = await benchEmails()
  console.log(
    `customer email render: ${result.renderPerSecond.toFixed(0)} emails/s (median ${result.renderMedianMs.toFixed(2)} ms, ` +
      `p99 ${result.renderP99Ms.toFixed(2)} ms, ${result.htmlBytes} B); outbox end to end: ${result.outboxPerSecond.toFixed(0)} emails/s`,
  )
}

/**
 * A customer post's member emails, 10 members: `renderEmail` for every member (the renderer as
 * it was, kept here as the baseline) against `renderEmailOnce` (one render per post and
 * language, then names filled in). Every post is new, so each one pays its own render. The
 * two alternate in short slices and the totals are compared.
 */
export async function benchMemberRenders({ members = 10, rounds = 4, sliceMs = 1_000 } = {}) {
  const names = Array.from({ length: members }, (_, i) => `メンバー ${i + 1}`)
  let post = 0
  const nextPost = () => ({
    ...memberPreview,
    message: {
      ...memberPreview.message,
      no: ++post,
      body: `${memberPreview.message.body}\n${post}`,
    },
  })
  const baseline = { emails: 0, ms: 0 }
  const once = { emails: 0, ms: 0 }
  for (const render of [renderEmail, renderEmailOnce]) {
    // warm-up
    const props = nextPost()
    for (const memberName of names)
      await render({ template: 'member-notification', props: { ...props, memberName } })
  }
  for (let round = 0; round < rounds; round++) {
    for (const [total, render] of [
      [baseline, renderEmail],
      [once, renderEmailOnce],
    ] as const) {
      const started = performance.now()
      while (performance.now() - started < sliceMs) {
        const props = nextPost()
        for (const memberName of names)
          await render({ template: 'member-notification', props: { ...props, memberName } })
        total.emails += members
      }
      total.ms += performance.now() - started
    }
  }
  const baselinePerSecond = (baseline.emails / baseline.ms) * 1000
  const oncePerSecond = (once.emails / once.ms) * 1000
  return { members, baselinePerSecond, oncePerSecond, ratio: oncePerSecond / baselinePerSecond }
}
