import { createTestApp, testConfig } from '../helpers/app'

export const INBOUND_DOMAIN = 'in.orderboard.test'
export const INBOUND_SECRET = 'inbound-secret-inbound-secret-123'
// whsec_ + base64 of 24 bytes, as Resend gives it
export const WEBHOOK_SECRET = `whsec_${Buffer.from('resend-webhook-secret-24').toString('base64')}`

/** A test app with inbound mail configured. */
export function createInboundApp() {
  return createTestApp({
    config: {
      ...testConfig,
      inboundDomain: INBOUND_DOMAIN,
      inboundSecret: INBOUND_SECRET,
      resendWebhookSecret: WEBHOOK_SECRET,
    },
  })
}
