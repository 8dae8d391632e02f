// `npm run cli -- <command>`: administration on the embedded database (Node only).
import { parseArgs } from 'node:util'
import { openSqlite, applyMigrations } from './platform/node/sqlite'
import { loadNodeConfig } from './platform/node/config'
import { createNodeDeps } from './platform/node/deps'
import { AppError } from './shared/errors'
import { translator } from './shared/i18n'
import { parseInput } from './shared/validation'
import { createMemberSchema, createWorkspaceSchema } from './workspaces/workspaces.schemas'
import {
  createMember,
  createWorkspace,
  findWorkspaceBySlug,
} from './workspaces/workspaces.usecases'
import { seedDemo, DEMO } from './workspaces/demo'
import { apiKeyFormSchema } from './api/api.schemas'
import { createApiKey } from './api/api.usecases'
import { join } from 'node:path'

const USAGE = `Usage: npm run cli -- <command> [options]

  migrate
  create-workspace --name <name> --slug <slug> [--time-zone Asia/Tokyo] [--locale ja]
                   --owner-email <email> --owner-password <password> [--owner-name <name>]
  create-member --workspace <slug> --email <email> --name <name> --password <password> [--role member|admin|owner]
  seed-demo
  create-api-key --workspace <slug> [--name <name>] [--scope write|read]   (prints the key as the last line)`

async function main(argv: string[]) {
  const [command, ...rest] = argv
  const { values } = parseArgs({
    args: rest,
    strict: true,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'time-zone': { type: 'string' },
      locale: { type: 'string' },
      'owner-email': { type: 'string' },
      'owner-password': { type: 'string' },
      'owner-name': { type: 'string' },
      workspace: { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      role: { type: 'string' },
      scope: { type: 'string' },
    },
  })
  const config = loadNodeConfig()
  const filename = join(config.dataDir, 'orderboard.sqlite')
  if (command === 'migrate') {
    const database = openSqlite(filename, { migrate: false })
    const applied = applyMigrations(database.raw)
    console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.')
    await database.close()
    return
  }
  const { deps, close } = createNodeDeps(config, openSqlite(filename))
  try {
    switch (command) {
      case 'create-workspace': {
        const input = parseInput(createWorkspaceSchema, {
          name: values.name,
          slug: values.slug,
          timeZone: values['time-zone'],
          locale: values.locale,
          ownerEmail: values['owner-email'],
          ownerPassword: values['owner-password'],
          ownerName: values['owner-name'],
        })
        const { workspace } = await createWorkspace({ deps, input })
        console.log(`Workspace created: ${config.baseUrl}/w/${workspace.slug}/boards`)
        break
      }
      case 'create-member': {
        const workspace = await findWorkspaceBySlug(deps, values.workspace ?? '')
        const input = parseInput(createMemberSchema, {
          email: values.email,
          name: values.name,
          password: values.password,
          role: values.role,
        })
        await createMember({ deps, workspace, input })
        console.log(`Member created: ${input.email}`)
        break
      }
      case 'create-api-key': {
        const workspace = await findWorkspaceBySlug(deps, values.workspace ?? '')
        const input = parseInput(apiKeyFormSchema, {
          name: values.name ?? 'CLI',
          scope: values.scope,
        })
        const { key } = await createApiKey({
          deps,
          workspace,
          name: input.name,
          scope: input.scope,
          createdBy: null,
        })
        console.log(
          `API key "${input.name}" (${input.scope}) for ${workspace.slug}. Shown once; only its hash is stored:`,
        )
        console.log(key)
        break
      }
      case 'seed-demo': {
        const workspace = await seedDemo(deps)
        console.log(
          `Demo workspace: ${config.baseUrl}/w/${workspace.slug}/boards  login ${DEMO.email} / ${DEMO.password}`,
        )
        break
      }
      default:
        console.log(USAGE)
        process.exitCode = command ? 2 : 0
    }
  } finally {
    await close()
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof AppError) {
    const t = translator('en')
    console.error(`Error: ${t(error.key, error.params)}`)
    for (const detail of error.details)
      console.error(`  ${detail.field}: ${t(detail.problem, detail.params)}`)
  } else {
    console.error(error instanceof Error ? error.message : error)
  }
  process.exitCode = 1
})
