// Rules for tags and categories that need no I/O (issue #17): how a name is cleaned and keyed,
// the colour palette, and which #tags an internal note names.
import { withoutBidiControls } from '../shared/validation'

/** Longest tag or category name, in characters (after NFKC). */
export const TAG_NAME_MAX = 30
/** Most tags one internal note may add (the rest of its #words are left as text). */
export const NOTE_TAGS_MAX = 10
/** Most tags a workspace may have; most categories. */
export const TAGS_PER_WORKSPACE_MAX = 500
export const CATEGORIES_PER_WORKSPACE_MAX = 50

/**
 * The tag colours (views: `.tag-<colour>` in views/static/app.css). Each pairs a dark text with
 * a light background whose contrast is above 7:1 (WCAG AAA), so a tag reads in every colour.
 */
export const TAG_COLOURS = ['grey', 'red', 'orange', 'green', 'blue', 'purple'] as const
export type TagColour = (typeof TAG_COLOURS)[number]

export const isTagColour = (value: unknown): value is TagColour =>
  (TAG_COLOURS as readonly unknown[]).includes(value)

const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/
/** Characters a tag can't hold: white space and # (they end a #tag in a note or a search). */
const TAG_FORBIDDEN = /[\s#＃]/u

export type NameProblem = 'field.required' | 'field.too_long' | 'tags.bad_name'

/**
 * A tag's or category's name as stored, and its key: NFKC (ＡＢＣ → ABC, ｶﾀｶﾅ → カタカナ), bidi
 * controls removed (UAX #9; see src/shared/validation.ts), trimmed; the key is its lower-case
 * form, unique per workspace (#Proof and #proof are one tag). A leading # is dropped. Tags may
 * hold no white space and no # (`kind: 'tag'`); categories may hold spaces.
 */
export function cleanName(
  raw: string,
  kind: 'tag' | 'category',
): { ok: true; name: string; key: string } | { ok: false; problem: NameProblem } {
  let name = withoutBidiControls(raw.normalize('NFKC')).trim()
  if (kind === 'tag') name = name.replace(/^#+/, '')
  else name = name.replace(/\s+/gu, ' ')
  if (!name) return { ok: false, problem: 'field.required' }
  if ([...name].length > TAG_NAME_MAX) return { ok: false, problem: 'field.too_long' }
  if (CONTROL_CHARS.test(name) || (kind === 'tag' && TAG_FORBIDDEN.test(name)))
    return { ok: false, problem: 'tags.bad_name' }
  return { ok: true, name, key: nameKey(name) }
}

/** The key a (clean) name is unique by and searched by. */
export const nameKey = (name: string) => name.normalize('NFKC').toLowerCase()

/** What ends a #tag written in running text besides white space: punctuation of both scripts. */
const TAG_END = /[、。，．,.!?！？:;：；「」『』()（）[\]【】<>〈〉《》"'“”‘’/\\]/u

/**
 * The tags an internal note names: `#word` at the start of the text or after white space or an
 * opening bracket, up to white space or punctuation (so `#校正待ち。` is 校正待ち and a URL's
 * `page#top` is nothing). Each tag once (by key), at most NOTE_TAGS_MAX, too-long ones left out.
 */
export function tagsInNote(body: string): { name: string; key: string }[] {
  const text = withoutBidiControls(body.normalize('NFKC'))
  const found = new Map<string, string>()
  for (const match of text.matchAll(/(?<=^|[\s(（「『【])#([^\s#]+)/gu)) {
    let word = match[1]!
    const end = TAG_END.exec(word)
    if (end) word = word.slice(0, end.index)
    const clean = cleanName(word, 'tag')
    if (!clean.ok || found.has(clean.key)) continue
    found.set(clean.key, clean.name)
    if (found.size >= NOTE_TAGS_MAX) break
  }
  return [...found].map(([key, name]) => ({ name, key }))
}

/** A tag as a board shows it: its name and palette colour. */
export interface TagChip {
  name: string
  colour: string
}

// One collator for every row: localeCompare(…, 'ja') would build one per comparison.
const byJapaneseName = new Intl.Collator('ja')

/**
 * A board list row's `tag_list` (JSON [[name, colour], …], any order) as chips sorted by name
 * (Japanese collation); empty for null, '' or text that isn't such a list.
 */
export function tagsFromList(tagList: string | null | undefined): TagChip[] {
  if (!tagList) return []
  try {
    const pairs = JSON.parse(tagList) as [string, string][]
    return pairs
      .filter((pair) => Array.isArray(pair) && typeof pair[0] === 'string')
      .map(([name, colour]) => ({ name, colour }))
      .sort((a, b) => byJapaneseName.compare(a.name, b.name))
  } catch {
    return []
  }
}
