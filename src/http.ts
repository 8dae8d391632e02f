import type { Context } from 'hono'
import type { Locale, Member, Workspace } from './db/schema'
import type { Deps } from './deps'
import type { Translate } from './shared/i18n'
import type { SignedInView } from './auth/auth.view-model'

export interface SignedInMember {
  member: Member
  workspace: Workspace
  csrfToken: string
  /** no mail transport is configured: every member page warns that mail is not being sent */
  mailNotSent?: boolean
  sessionHash: string
  /** mentions of this member not opened yet (the header's メンション badge, issue #17) */
  unreadMentions?: number
  /** the same, mapped once for the views (they take this, never the rows above) */
  view: SignedInView
}

export interface AppEnv {
  Variables: {
    deps: Deps
    locale: Locale
    t: Translate
    auth?: SignedInMember
    /** the rate-limit key of the client's address (src/shared/client-address.ts) */
    clientKey: string
  }
}

export type AppContext = Context<AppEnv>

export const isHtmx = (c: AppContext) => c.req.header('HX-Request') === 'true'

export function requireAuth(c: AppContext): SignedInMember {
  const auth = c.get('auth')
  if (!auth) throw new Error('requireAuth used on a route without the member middleware')
  return auth
}

/** Reads a urlencoded or multipart form into plain string fields (files are ignored). */
export async function readForm(c: AppContext): Promise<Record<string, string>> {
  const body = await c.req.parseBody()
  const fields: Record<string, string> = {}
  for (const [name, value] of Object.entries(body)) {
    if (typeof value === 'string') fields[name] = value
  }
  return fields
}
