import { raw } from 'hono/html'
import type { HtmlEscapedString } from 'hono/utils/html'

/**
 * Rendered markup of the parts a page repeats by the dozen (a thread's messages, the board
 * list's rows), kept by a key that spells out everything the markup is made from: every field
 * of the row's view model (`modelKey`, clock-derived state included) plus the viewer's language
 * and time zone. A changed model makes a new key, so nothing is ever invalidated; old keys age out of a
 * least-recently-used map bounded by size. The markup is still built by JSX (and escaped
 * there); this only avoids building the same string twice. Per process on Node, per isolate
 * on Workers. A kept fragment is served to every viewer whose key matches: nothing that belongs
 * to one viewer (a CSRF token, who is signed in) may go inside one.
 */
export function createFragmentCache(maxChars: number) {
  const fragments = new Map<string, string>()
  let chars = 0
  let hits = 0
  let misses = 0

  const lookUp = (key: string) => {
    const html = fragments.get(key)
    if (html !== undefined) {
      hits++
      // Map keeps insertion order: re-inserting marks the entry as recently used.
      fragments.delete(key)
      fragments.set(key, html)
    }
    return html
  }

  return {
    /** The kept markup, if any: lets a page skip loading what the markup is made from. */
    peek: (key: string) => lookUp(key),
    render(key: string, build: () => { toString(): string | Promise<string> }): HtmlEscapedString {
      let html = lookUp(key)
      if (html !== undefined) return raw(html)
      misses++
      // Fragments are synchronous components; an async one would come back as a Promise.
      const rendered = build().toString()
      if (typeof rendered !== 'string')
        throw new Error('cached fragments must render synchronously')
      html = rendered
      const size = key.length + html.length
      if (size <= maxChars / 4) {
        fragments.set(key, html)
        chars += size
        for (const [oldKey, oldHtml] of fragments) {
          if (chars <= maxChars) break
          fragments.delete(oldKey)
          chars -= oldKey.length + oldHtml.length
        }
      }
      return raw(html)
    },
    stats: () => ({ entries: fragments.size, chars, hits, misses }),
  }
}

/**
 * A key part holding every field of a view model (src/boards/boards.view-model.ts,
 * src/messages/messages.view-model.ts): scalars, and lists or objects of them, walked in field
 * order. Any change to the model, whichever field, makes a new key, so a field a view starts to
 * show is in the key as soon as it is in the model. Six times cheaper than JSON on a thread of
 * fifty messages.
 */
export function modelKey(model: object): string {
  let key = ''
  for (const field in model) {
    const value = (model as Record<string, unknown>)[field]
    if (Array.isArray(value))
      key += `\u0001[${value.map((item) => (isObject(item) ? modelKey(item) : `\u0001${item}`)).join('\u0002')}]`
    else if (isObject(value)) key += `\u0001{${modelKey(value)}}`
    else key += `\u0001${value}`
  }
  return key
}

const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null

/** About 16 MB of UTF-16: a few thousand messages and list rows. */
export const fragmentCache = createFragmentCache(8 * 1024 * 1024)
