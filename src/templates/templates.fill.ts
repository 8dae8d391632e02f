// Template variables (DESIGN.md §2): filled when known, left visible when not, and a message
// with a `{{…}}` still in it is never sent.

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

export function fillTemplate(body: string, values: TemplateValues): string {
  return body.replace(PLACEHOLDER, (whole, name: string) => {
    const value = values[name as TemplateVariable]
    return value ? value : whole
  })
}

/** Placeholders still in the text, in order, without repeats. */
export function unfilledPlaceholders(text: string): string[] {
  const names = new Set<string>()
  for (const match of text.matchAll(PLACEHOLDER)) names.add(`{{${match[1]}}}`)
  return [...names]
}
