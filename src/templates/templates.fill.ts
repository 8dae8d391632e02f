// Template variables (DESIGN.md §2): filled when known, left visible when not, and a message
// with a `{{…}}` still in it is never sent — unless that `{{…}}` is part of a value that was
// filled in (a customer called "{{VIP}}" is a name, not a hole in the template).

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

const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g

/**
 * Fills the template in one pass over the template itself: a value is inserted as it is and
 * never looked at again, so a value holding `{{board_name}}` stays that text.
 */
export function fillTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name as TemplateVariable]
    return value ? value : whole
  })
}

/**
 * The template filled in one pass and cut at each `gap` placeholder (the decision template's
 * `{{comment_no}}`, known only when the member clicks 決定): joining the parts with the value
 * gives what `fillTemplate` would, without scanning filled-in text for placeholders again.
 */
export function fillTemplateAround(
  body: string,
  values: TemplateValues,
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
      current += values[match[1] as TemplateVariable] || match[0]
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
