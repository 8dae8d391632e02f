// What the templates page and the board's composer show of a workspace's template sets, mapped
// once from their rows (TemplateSetRow, TemplateRow: snake_case, positions and workspace ids the
// views don't need) so the views only render.
import type { BoardStatus, TemplateRow, TemplateSetRow } from '../db/schema'

/** One template: a button in the composer, a form on the templates page. */
export interface TemplateView {
  id: string
  label: string
  body: string
  /** the status a message sent with it moves the board to, or null */
  status: BoardStatus | null
  /** a decision template fills the Decide button's text */
  kind: 'normal' | 'decision'
}

/** A template set with its templates, in display order. */
export interface TemplateSetView {
  id: string
  name: string
  templates: TemplateView[]
}

/** Maps the sets with their templates (listTemplateSets), keeping their order. */
export function toTemplateSetViews(
  sets: (TemplateSetRow & { templates: TemplateRow[] })[],
): TemplateSetView[] {
  return sets.map((set) => ({
    id: set.id,
    name: set.name,
    templates: set.templates.map((template) => ({
      id: template.id,
      label: template.label,
      body: template.body,
      status: template.status,
      kind: template.kind,
    })),
  }))
}
