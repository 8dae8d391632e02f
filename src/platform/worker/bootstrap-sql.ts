// Node-only: prints the SQL that creates the first workspace and its owner on D1, to run with
// `wrangler d1 execute orderboard --remote --file first-workspace.sql`. The statements are the
// ones `createWorkspace` writes (default templates included), recorded while it runs against a
// scratch in-memory database with the same migrations, so D1 gets exactly what Node would.
// The password is hashed here; only the PBKDF2 hash ever reaches the file and Cloudflare.
// Never imported by the worker bundle.
import { parseArgs } from 'node:util'
import type { Batch, Deps } from '../../deps'
import { AppError } from '../../shared/errors'
import { translator } from '../../shared/i18n'
import { parseInput } from '../../shared/validation'
import {
  createWorkspaceSchema,
  type CreateWorkspaceInput,
} from '../../workspaces/workspaces.schemas'
import { createWorkspace } from '../../workspaces/workspaces.usecases'
import { createDeferQueue } from '../defer'
import { createMemoryBlobStore } from '../memory/blobs'
import { createMemoryMailer } from '../memory/mailer'
import { openSqlite } from '../node/sqlite'
import { randomIds, systemClock, systemRandom } from '../system'

/** A SQLite literal; values come from validated input, and quotes are doubled regardless. */
function literal(value: unknown): string {
  if (value === null || value === undefined) return 'NULL'
  if (typeof value === 'number' || typeof value === 'bigint') return String(value)
  if (typeof value === 'boolean') return value ? '1' : '0'
  if (typeof value === 'string') return `'${value.replace(/'/g, "''")}'`
  throw new Error(`cannot write ${typeof value} as SQL`)
}

/** Replaces each `?` placeholder outside quotes with its parameter. */
export function inlineParameters(sqlText: string, parameters: readonly unknown[]): string {
  let out = ''
  let next = 0
  let quote: string | null = null
  for (const char of sqlText) {
    if (quote) {
      if (char === quote) quote = null
      out += char
    } else if (char === "'" || char === '"' || char === '`') {
      quote = char
      out += char
    } else if (char === '?') {
      if (next >= parameters.length) throw new Error('more placeholders than parameters')
      out += literal(parameters[next++])
    } else {
      out += char
    }
  }
  if (next !== parameters.length) throw new Error('more parameters than placeholders')
  return out
}

/** The SQL (one statement per line) that creates a workspace, its owner and default templates. */
export async function bootstrapSql(input: CreateWorkspaceInput): Promise<string> {
  const scratch = openSqlite(':memory:')
  const statements: string[] = []
  const recordingBatch: Batch = async (queries) => {
    for (const query of queries) {
      const compiled = query.compile()
      statements.push(`${inlineParameters(compiled.sql, compiled.parameters)};`)
    }
    return scratch.batch(queries)
  }
  const deps: Deps = {
    db: scratch.db,
    batch: recordingBatch,
    blobs: createMemoryBlobStore(),
    mailer: createMemoryMailer(),
    defer: createDeferQueue().defer,
    clock: systemClock,
    ids: randomIds,
    random: systemRandom,
    config: {
      baseUrl: 'http://localhost',
      appSecret: 'unused',
      secureCookies: false,
      mailFrom: '',
      devMailbox: false,
    },
  }
  try {
    await createWorkspace({ deps, input })
  } finally {
    await scratch.close()
  }
  return [
    `-- Orderboard: first workspace "${input.slug}" and its owner ${input.ownerEmail.replace(/[\r\n]/g, '')}`,
    ...statements,
    '',
  ].join('\n')
}

const USAGE = `Usage: npx tsx src/platform/worker/bootstrap-sql.ts --name <name> --slug <slug>
         --owner-email <email> [--owner-name <name>] [--time-zone Asia/Tokyo] [--locale ja]
         (password from the OWNER_PASSWORD environment variable, or --owner-password)
Prints SQL; run it with: npx wrangler d1 execute orderboard --remote --file <file.sql>`

async function main(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      name: { type: 'string' },
      slug: { type: 'string' },
      'time-zone': { type: 'string' },
      locale: { type: 'string' },
      'owner-email': { type: 'string' },
      'owner-name': { type: 'string' },
      'owner-password': { type: 'string' },
      help: { type: 'boolean' },
    },
  })
  if (values.help || !values.slug) {
    console.error(USAGE)
    process.exitCode = values.help ? 0 : 2
    return
  }
  const input = parseInput(createWorkspaceSchema, {
    name: values.name,
    slug: values.slug,
    timeZone: values['time-zone'],
    locale: values.locale,
    ownerEmail: values['owner-email'],
    ownerName: values['owner-name'],
    ownerPassword: values['owner-password'] ?? process.env.OWNER_PASSWORD,
  })
  process.stdout.write(await bootstrapSql(input))
}

if (process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href) {
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
}
