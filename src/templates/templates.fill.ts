import type { Locale } from '../db/schema'
import { writtenDate } from '../shared/time'

// Template variables (DESIGN.md §2): filled when known, left visible when not, and a message
// with a `{{…}}` still in it is never sent — unless that `{{…}}` is part of a value that was
// filled in (a customer called "{{VIP}}" is a name, not a hole in the template).
// Every `{{…}}` text in the app is filled here: the composer's templates, the decision
// template, the automatic answer (its own `{{shop_name}}`, `{{next_opening}}`) and the welcome.

export const TEMPLATE_VARIABLES = [
  'customer_name',
  'board_name',
  'workspace_name',
  'member_name',
  'next_contact_date',
  'comment_no',
] as const

export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number]
export type TemplateValues = Partial<Record<TemplateVariable, string | null | undefined>>
/** Values by variable name (without braces); an empty or missing value leaves `{{name}}`. */
export type FillValues = Readonly<Record<string, string | null | undefined>>

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/** The value of `name`, only if it is one of `values`' own (never `constructor` & co.). */
function valueOf(values: FillValues, name: string): string | undefined {
  return Object.hasOwn(values, name) ? (values[name] ?? undefined) : undefined
}

/**
 * Fills the template in one pass over the template itself: a value is inserted as it is and
 * never looked at again, so a value holding `{{board_name}}` stays that text. `{{ name }}`
 * (spaces inside the braces) is the same variable; an unknown or empty one stays as written.
 */
export function fillTemplate(body: string, values: FillValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => valueOf(values, name) || whole)
}

/**
 * The template filled in one pass and cut at each `gap` placeholder (the decision template's
 * `{{comment_no}}`, known only when the member clicks 決定): joining the parts with the value
 * gives what `fillTemplate` would, without scanning filled-in text for placeholders again.
 */
export function fillTemplateAround(
  body: string,
  values: FillValues,
  gap: TemplateVariable,
): string[] {
  const parts: string[] = []
  let current = ''
  let last = 0
  for (const match of body.matchAll(PLACEHOLDER)) {
    current += body.slice(last, match.index)
    last = match.index + match[0].length
    if (match[1] === gap) {
      parts.push(current)
      current = ''
    } else {
      current += valueOf(values, match[1] ?? '') || match[0]
    }
  }
  parts.push(current + body.slice(last))
  return parts
}

/**
 * Placeholders still in the text, in order, without repeats. A `{{…}}` lying wholly inside an
 * occurrence of one of `filledValues` (the board's customer and board names, the workspace's,
 * the author's) came in with that value and is not a hole: checking against the values, rather
 * than trusting every `{{…}}` in the result, is what keeps such a name from blocking every post.
 */
export function unfilledPlaceholders(
  text: string,
  filledValues: readonly (string | null | undefined)[] = [],
): string[] {
  const covered: Array<[number, number]> = []
  for (const value of filledValues) {
    if (!value || !value.includes('{{')) continue
    for (let at = text.indexOf(value); at !== -1; at = text.indexOf(value, at + 1)) {
      covered.push([at, at + value.length])
    }
  }
  const names = new Set<string>()
  for (const match of text.matchAll(PLACEHOLDER)) {
    const start = match.index
    const end = start + match[0].length
    if (covered.some(([from, to]) => from <= start && end <= to)) continue
    names.add(`{{${match[1]}}}`)
  }
  return [...names]
}

/** The values a staff post may carry verbatim: the names a template fills in. */
export function fillableNames(values: {
  customerName: string
  boardName: string
  workspaceName: string
  authorName: string
}): string[] {
  return [values.customerName, values.boardName, values.workspaceName, values.authorName]
}

const HAS_JAPANESE = /[\u3040-\u30ff\u3400-\u9fff]/
const HAS_LATIN_WORD = /[A-Za-z]{2,}/

/**
 * The language a template is written in, for the dates filled into it: Japanese when the text
 * outside its `{{…}}` has kana or kanji, English when it has only Latin words, else `fallback`
 * (the workspace's language). A Japanese shop's English template says "by Fri, Dec 5".
 */
export function writtenLocaleOf(body: string, fallback: Locale): Locale {
  const text = body.replace(PLACEHOLDER, ' ')
  if (HAS_JAPANESE.test(text)) return 'ja'
  if (HAS_LATIN_WORD.test(text)) return 'en'
  return fallback
}

/** What a board gives its templates; `nextContactOn` is 'YYYY-MM-DD' or null when unset. */
export interface TemplateSource {
  customerName: string
  boardName: string
  workspaceName: string
  memberName: string
  nextContactOn: string | null
  /** the workspace's zone and the moment of writing: the year is left out when it is this one */
  timeZone: string
  now: number
}

/**
 * The values of a template written in `locale`: names as they are, `{{next_contact_date}}` as
 * a person writes it (12月5日(金) / Fri, Dec 5; with the year only when not this year), never
 * ISO. `{{comment_no}}` is not here: only a Decide button knows it.
 */
export function templateValuesFor(source: TemplateSource, locale: Locale): TemplateValues {
  return {
    customer_name: source.customerName,
    board_name: source.boardName,
    workspace_name: source.workspaceName,
    member_name: source.memberName,
    next_contact_date: source.nextContactOn
      ? writtenDate(source.nextContactOn, {
          locale,
          timeZone: source.timeZone,
          now: source.now,
        })
      : undefined,
  }
}

/** Why a template cannot be sent as it stands: one variable it leaves unfilled. */
export type UnfilledReason =
  | { kind: 'no_next_contact_date' }
  | { kind: 'comment_no' }
  | { kind: 'unknown'; placeholder: string }

/**
 * A template filled for a board, in its own language, with what still blocks sending it: an
 * empty `reasons` list means one click fills a message that can be sent as is.
 */
export function fillForBoard(
  body: string,
  source: TemplateSource,
  fallbackLocale: Locale,
): { text: string; reasons: UnfilledReason[] } {
  const text = fillTemplate(body, templateValuesFor(source, writtenLocaleOf(body, fallbackLocale)))
  const left = unfilledPlaceholders(
    text,
    fillableNames({
      customerName: source.customerName,
      boardName: source.boardName,
      workspaceName: source.workspaceName,
      authorName: source.memberName,
    }),
  )
  const reasons = left.map((placeholder): UnfilledReason => {
    if (placeholder === '{{next_contact_date}}') return { kind: 'no_next_contact_date' }
    if (placeholder === '{{comment_no}}') return { kind: 'comment_no' }
    return { kind: 'unknown', placeholder }
  })
  return { text, reasons }
}
