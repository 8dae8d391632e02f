import type { Compilable } from 'kysely'
import type { Locale, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { notFound, validationError } from '../shared/errors'
import { hashPassword } from '../shared/crypto'
import { createTemplatesRepository } from '../templates/templates.repository'
import { createWorkspacesRepository } from './workspaces.repository'
import type {
  CreateMemberInput,
  CreateWorkspaceInput,
  WorkspaceSettingsInput,
} from './workspaces.schemas'

interface DefaultTemplate {
  label: string
  body: string
  status: 'waiting' | 'on_hold' | 'done' | null
  kind: 'normal' | 'decision'
}

const DEFAULT_TEMPLATES: Record<Locale, { set: string; templates: DefaultTemplate[] }> = {
  ja: {
    set: '基本',
    templates: [
      {
        label: 'ご注文受付',
        body: '{{customer_name}} 様\n\nこの度はご注文いただき誠にありがとうございます。{{workspace_name}}の{{member_name}}です。\nご注文内容を確認のうえ、{{next_contact_date}}までにデザイン案をご提示いたします。',
        status: 'waiting',
        kind: 'normal',
      },
      {
        label: '校正のご確認',
        body: '{{customer_name}} 様\n\n校正データをお送りいたします。内容をご確認のうえ、修正点があればこちらにご返信ください。問題がなければ「この内容で決定」とお知らせください。',
        status: null,
        kind: 'normal',
      },
      {
        label: '確認中（保留）',
        body: '{{customer_name}} 様\n\nお問い合わせの件、ただいま社内で確認しております。{{next_contact_date}}までにあらためてご連絡いたします。',
        status: 'on_hold',
        kind: 'normal',
      },
      {
        label: '決定',
        body: 'No.{{comment_no}} の内容で確定いたしました。これより制作に入ります。ご確認ありがとうございました。',
        status: 'done',
        kind: 'decision',
      },
      {
        label: '発送のご連絡',
        body: '{{customer_name}} 様\n\n本日、ご注文の商品を発送いたしました。到着まで今しばらくお待ちください。\nこの度はありがとうございました。',
        status: 'done',
        kind: 'normal',
      },
    ],
  },
  en: {
    set: 'Basics',
    templates: [
      {
        label: 'Order received',
        body: 'Dear {{customer_name}},\n\nThank you for your order. This is {{member_name}} from {{workspace_name}}.\nWe will send you a first design by {{next_contact_date}}.',
        status: 'waiting',
        kind: 'normal',
      },
      {
        label: 'Proof',
        body: 'Dear {{customer_name}},\n\nHere is the proof. Please reply here with any changes, or tell us it is good to go.',
        status: null,
        kind: 'normal',
      },
      {
        label: 'Decision',
        body: 'We have confirmed the details of No.{{comment_no}} and will start production. Thank you!',
        status: 'done',
        kind: 'decision',
      },
    ],
  },
}

/** The default template set a new workspace starts with, as batchable statements. */
export function defaultTemplateQueries(
  deps: Deps,
  workspaceId: string,
  locale: Locale,
): Compilable[] {
  const repository = createTemplatesRepository(deps)
  const now = deps.clock.now().getTime()
  const setId = deps.ids.id()
  const defaults = DEFAULT_TEMPLATES[locale]
  return [
    repository.insertSet({ id: setId, workspaceId, name: defaults.set, now }),
    ...defaults.templates.map((template) =>
      repository.insertTemplate({ id: deps.ids.id(), workspaceId, setId, ...template, now }),
    ),
  ]
}

/** A workspace, its owner and the default template set, all or nothing. */
export async function createWorkspace({
  deps,
  input,
}: {
  deps: Deps
  input: CreateWorkspaceInput
}) {
  const repository = createWorkspacesRepository(deps)
  if (await repository.slugTaken(input.slug))
    throw validationError([{ field: 'slug', problem: 'field.duplicate' }])
  if (await repository.emailTaken(input.ownerEmail.toLowerCase()))
    throw validationError([{ field: 'ownerEmail', problem: 'field.duplicate' }])

  const now = deps.clock.now().getTime()
  const workspaceId = deps.ids.id()
  const ownerId = deps.ids.id()
  await deps.batch([
    repository.insertWorkspaceQuery({
      id: workspaceId,
      name: input.name,
      slug: input.slug,
      timeZone: input.timeZone,
      locale: input.locale,
      now,
    }),
    repository.insertMemberQuery({
      id: ownerId,
      workspaceId,
      email: input.ownerEmail.toLowerCase(),
      name: input.ownerName ?? input.ownerEmail.split('@')[0]!,
      passwordHash: await hashPassword(input.ownerPassword),
      role: 'owner',
      now,
    }),
    ...defaultTemplateQueries(deps, workspaceId, input.locale),
  ])
  const workspace = await repository.findById(workspaceId)
  if (!workspace) throw new Error('created workspace vanished')
  return { workspace, ownerId }
}

export async function createMember({
  deps,
  workspace,
  input,
}: {
  deps: Deps
  workspace: Workspace
  input: CreateMemberInput
}) {
  const id = deps.ids.id()
  const added = await createWorkspacesRepository(deps).addMember({
    id,
    workspaceId: workspace.id,
    email: input.email.toLowerCase(),
    name: input.name,
    passwordHash: await hashPassword(input.password),
    role: input.role,
    now: deps.clock.now().getTime(),
  })
  if (!added) throw validationError([{ field: 'email', problem: 'field.duplicate' }])
  return id
}

export async function findWorkspaceBySlug(deps: Deps, slug: string) {
  const workspace = await createWorkspacesRepository(deps).findBySlug(slug)
  if (!workspace) throw notFound()
  return workspace
}

export async function updateWorkspaceSettings({
  deps,
  workspace,
  input,
}: {
  deps: Deps
  workspace: Workspace
  input: WorkspaceSettingsInput
}) {
  await createWorkspacesRepository(deps).updateSettings(workspace.id, input)
}
