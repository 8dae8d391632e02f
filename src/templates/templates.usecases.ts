import type { Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { notFound } from '../shared/errors'
import { createTemplatesRepository } from './templates.repository'
import type { TemplateInput } from './templates.schemas'
import { nthBusinessDayAfter, type BusinessHours } from '../business-hours/business-hours'
import { localDate } from '../shared/time'
import {
  fillTemplate,
  templateValuesFor,
  unfilledPlaceholders,
  writtenLocaleOf,
  type TemplateSource,
} from './templates.fill'

export const DEFAULT_DECISION_BODY = {
  ja: 'No.{{comment_no}} の内容で確定いたしました。ご確認ありがとうございました。',
  en: 'We have confirmed the details of No.{{comment_no}}. Thank you for checking.',
} as const

/** Sets with their templates, in display order. */
export async function listTemplateSets({ deps, workspace }: { deps: Deps; workspace: Workspace }) {
  const repository = createTemplatesRepository(deps)
  const [sets, templates] = await Promise.all([
    repository.listSets(workspace.id),
    repository.listTemplates(workspace.id),
  ])
  return sets.map((set) => ({ ...set, templates: templates.filter((t) => t.set_id === set.id) }))
}

export async function createTemplateSet({
  deps,
  workspace,
  name,
}: {
  deps: Deps
  workspace: Workspace
  name: string
}) {
  const id = deps.ids.id()
  await createTemplatesRepository(deps)
    .insertSet({ id, workspaceId: workspace.id, name, now: deps.clock.now().getTime() })
    .execute()
  return id
}

export async function renameTemplateSet(args: {
  deps: Deps
  workspace: Workspace
  setId: string
  name: string
}) {
  const result = await createTemplatesRepository(args.deps).renameSet(
    args.workspace.id,
    args.setId,
    args.name,
  )
  if (!result.numUpdatedRows) throw notFound()
}

export async function deleteTemplateSet(args: { deps: Deps; workspace: Workspace; setId: string }) {
  const result = await createTemplatesRepository(args.deps).deleteSet(args.workspace.id, args.setId)
  if (!result.numDeletedRows) throw notFound()
}

export async function createTemplate(args: {
  deps: Deps
  workspace: Workspace
  setId: string
  input: TemplateInput
}) {
  const repository = createTemplatesRepository(args.deps)
  if (!(await repository.findSet(args.workspace.id, args.setId))) throw notFound()
  const id = args.deps.ids.id()
  await repository
    .insertTemplate({
      id,
      workspaceId: args.workspace.id,
      setId: args.setId,
      label: args.input.label,
      body: args.input.body,
      status: args.input.status ?? null,
      kind: args.input.kind,
      now: args.deps.clock.now().getTime(),
    })
    .execute()
  return id
}

export async function updateTemplate(args: {
  deps: Deps
  workspace: Workspace
  templateId: string
  input: TemplateInput
}) {
  const result = await createTemplatesRepository(args.deps).updateTemplate(
    args.workspace.id,
    args.templateId,
    {
      label: args.input.label,
      body: args.input.body,
      status: args.input.status ?? null,
      kind: args.input.kind,
    },
  )
  if (!result.numUpdatedRows) throw notFound()
}

export async function deleteTemplate(args: {
  deps: Deps
  workspace: Workspace
  templateId: string
}) {
  const result = await createTemplatesRepository(args.deps).deleteTemplate(
    args.workspace.id,
    args.templateId,
  )
  if (!result.numDeletedRows) throw notFound()
}

/** Swaps a set or template with its neighbour; both positions change in one batch. */
export async function moveTemplateItem({
  deps,
  workspace,
  kind,
  id,
  direction,
}: {
  deps: Deps
  workspace: Workspace
  kind: 'set' | 'template'
  id: string
  direction: 'up' | 'down'
}) {
  const repository = createTemplatesRepository(deps)
  const sets = await listTemplateSets({ deps, workspace })
  const siblings =
    kind === 'set'
      ? sets
      : (sets.find((set) => set.templates.some((t) => t.id === id))?.templates ?? [])
  const index = siblings.findIndex((item) => item.id === id)
  if (index < 0) throw notFound()
  const other = siblings[direction === 'up' ? index - 1 : index + 1]
  if (!other) return
  const table = kind === 'set' ? 'template_sets' : 'templates'
  // Renumber the whole sibling list so equal or sparse positions never make a swap a no-op.
  const order = siblings.map((item) => item.id)
  order[index] = other.id
  order[direction === 'up' ? index - 1 : index + 1] = id
  await deps.batch(
    order.map((itemId, position) =>
      repository.setPosition(table, workspace.id, itemId, position + 1),
    ),
  )
}

/** The sample board every template preview is filled from (設定 → 定型文). */
export interface TemplatePreview {
  /** the body filled as it would be sent on the sample board */
  text: string
  /** `{{…}}` left in it: variables that do not exist, which block sending */
  unknown: string[]
  sample: { customerName: string; boardName: string; nextContactDate: string; commentNo: string }
}

const SAMPLE_COMMENT_NO = '7'

/**
 * A template body filled for a sample board by the same function the composer uses: the
 * workspace's name, the member's own name, a customer and board from `sample`, a next contact
 * date two business days from `now` (the workspace's zone and calendar) written in the
 * template's language, and No.7. Pure; `body` is the text being typed (at most 5,000 chars).
 */
export function previewTemplate({
  body,
  workspace,
  calendar,
  memberName,
  sample,
  now,
}: {
  body: string
  workspace: Pick<Workspace, 'name' | 'locale' | 'time_zone'>
  /** the workspace's business days (loadBusinessHours) */
  calendar: BusinessHours
  memberName: string
  sample: { customerName: string; boardName: string }
  now: number
}): TemplatePreview {
  const nextContactOn = nthBusinessDayAfter(calendar, localDate(now, workspace.time_zone), 2)
  const source: TemplateSource = {
    customerName: sample.customerName,
    boardName: sample.boardName,
    workspaceName: workspace.name,
    memberName,
    nextContactOn,
    timeZone: workspace.time_zone,
    now,
  }
  const locale = writtenLocaleOf(body, workspace.locale)
  const values = { ...templateValuesFor(source, locale), comment_no: SAMPLE_COMMENT_NO }
  const text = fillTemplate(body, values)
  return {
    text,
    unknown: unfilledPlaceholders(text, [
      sample.customerName,
      sample.boardName,
      workspace.name,
      memberName,
    ]),
    sample: {
      customerName: sample.customerName,
      boardName: sample.boardName,
      nextContactDate: values.next_contact_date ?? nextContactOn,
      commentNo: SAMPLE_COMMENT_NO,
    },
  }
}
