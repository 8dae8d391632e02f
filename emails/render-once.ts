import { renderEmail, type EmailSpec, type RenderedEmail } from './render'

// A post's member notifications differ only in the member's name (and language): rendering the
// whole React email once per member cost about 5 ms each, on the event loop that answers pages,
// and on Workers as billed CPU. Here each post's email is rendered once per language, with a
// placeholder where the name goes, and every member's copy is that render with the name filled
// in — byte for byte what renderEmail gives (test/unit/emails.once.test.ts holds it to that).

/** Stands where the member's name goes; a name holding these characters is never filled in. */
const SLOT = '\uE000orderboard-member-name\uE001'

/**
 * A name that comes out of React and the plain-text conversion exactly as written: no control,
 * format (bidi, zero-width), private-use, unassigned or separator characters, and words joined
 * by one space (ASCII or ideographic), none at either end. The plain-text conversion folds runs
 * of whitespace, and React's stream drops NUL and replaces lone surrogates: a name with any of
 * these is rendered whole instead, so its email is still exactly renderEmail's.
 */
const FILLABLE = /^[^\p{C}\p{Z}]+(?:[ \u3000][^\p{C}\p{Z}]+)*$/u

/** React's escaping of text and attribute values (react-dom's escapeTextForBrowser). */
function escapeLikeReact(value: string): string {
  return value.replace(/["&'<>]/g, (char) => {
    switch (char) {
      case '"':
        return '&quot;'
      case '&':
        return '&amp;'
      case "'":
        return '&#x27;'
      case '<':
        return '&lt;'
      default:
        return '&gt;'
    }
  })
}

interface Compiled {
  subject: string
  /** the HTML and text, split where the member's name goes (one piece: no name in it) */
  html: string[]
  text: string[]
}

/** Posts' emails kept, oldest dropped first: a drain sends one post's rows one after another. */
const KEPT = 200
const compiled = new Map<string, Promise<Compiled | null>>()
const counts = { renders: 0, filled: 0 }

function keep(key: string, make: () => Promise<Compiled | null>) {
  let entry = compiled.get(key)
  if (entry) {
    compiled.delete(key)
    compiled.set(key, entry)
    return entry
  }
  entry = make()
  // a failed render is not kept: the retry renders again
  entry.catch(() => compiled.delete(key))
  compiled.set(key, entry)
  if (compiled.size > KEPT) compiled.delete(compiled.keys().next().value!)
  return entry
}

async function compile(spec: EmailSpec): Promise<Compiled | null> {
  counts.renders++
  const rendered = await renderEmail(spec)
  const html = rendered.html.split(SLOT)
  const text = rendered.text.split(SLOT)
  // The name must sit in the body as text, once per part, and nowhere else (not the subject).
  if (html.length !== 2 || text.length !== 2 || rendered.subject.includes(SLOT)) return null
  return { subject: rendered.subject, html, text }
}

/**
 * Renders like `renderEmail`, with the same result for the same spec, but a member
 * notification's body is rendered once per post and language and then filled with each
 * member's (escaped) name; any other email is rendered once per distinct input, so a retry
 * renders nothing. Kept per process (per isolate on Workers), at most a few hundred emails.
 */
export async function renderEmailOnce(spec: EmailSpec): Promise<RenderedEmail> {
  // Sent once each (a digest, an automatic answer): nothing to share between recipients.
  if (spec.template !== 'guest-notification' && spec.template !== 'member-notification') {
    return renderEmail(spec)
  }
  if (spec.template === 'guest-notification') {
    const whole = await keep(`guest\u0000${JSON.stringify(spec.props)}`, async () => {
      const rendered = await renderEmail(spec)
      return { subject: rendered.subject, html: [rendered.html], text: [rendered.text] }
    })
    return { subject: whole!.subject, html: whole!.html[0]!, text: whole!.text[0]! }
  }
  const { memberName, ...shared } = spec.props
  const key = `member\u0000${JSON.stringify(shared)}`
  // A customer who writes the placeholder gets no name filled into their words: whole render.
  if (!FILLABLE.test(memberName) || key.includes('\uE000')) return renderEmail(spec)
  const template = await keep(key, () =>
    compile({ template: 'member-notification', props: { ...shared, memberName: SLOT } }),
  )
  if (!template) return renderEmail(spec)
  counts.filled++
  return {
    subject: template.subject,
    html: template.html.join(escapeLikeReact(memberName)),
    text: template.text.join(memberName),
  }
}

/** Forgets every kept email (for benchmarks that measure the first render of each post). */
export function forgetRenderedEmails() {
  compiled.clear()
}

/** Member-notification bodies rendered and copies filled in since start (tests, benchmarks). */
export function renderOnceCounts() {
  return { ...counts }
}
