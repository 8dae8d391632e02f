import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import SQLite from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const dataDir = mkdtempSync(join(tmpdir(), 'ob-cli-'))
const cli = (...args: string[]) =>
  run(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], {
    env: { ...process.env, DATA_DIR: dataDir },
    cwd: join(import.meta.dirname, '..', '..'),
  })

afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

describe('npm run cli', () => {
  it('migrates, creates a workspace and a member, and refuses bad input clearly', async () => {
    expect((await cli('migrate')).stdout).toContain('Applied: 0001_init.sql')
    expect((await cli('migrate')).stdout).toContain('up to date')
    const created = await cli(
      'create-workspace',
      '--name',
      '青空家具',
      '--slug',
      'aozora',
      '--time-zone',
      'Asia/Tokyo',
      '--owner-email',
      'Owner@Aozora.example',
      '--owner-password',
      'long-enough-password',
    )
    expect(created.stdout).toContain('/w/aozora/boards')
    await cli(
      'create-member',
      '--workspace',
      'aozora',
      '--email',
      'staff@aozora.example',
      '--name',
      '木村',
      '--password',
      'another-password',
    )
    const bad = await cli(
      'create-workspace',
      '--name',
      'x',
      '--slug',
      'Bad Slug!',
      '--owner-email',
      'nope',
      '--owner-password',
      'short',
    ).catch((error: { stderr: string; code: number }) => error)
    expect(bad).toMatchObject({ code: 1 })
    expect((bad as { stderr: string }).stderr).toMatch(/slug|email/i)

    const db = new SQLite(join(dataDir, 'orderboard.sqlite'), { readonly: true })
    const workspace = db.prepare('SELECT * FROM workspaces').get() as {
      slug: string
      time_zone: string
      expiry_days: number
    }
    expect(workspace).toMatchObject({ slug: 'aozora', time_zone: 'Asia/Tokyo', expiry_days: 30 })
    const members = db.prepare('SELECT email, role FROM members ORDER BY email').all()
    expect(members).toEqual([
      { email: 'owner@aozora.example', role: 'owner' },
      { email: 'staff@aozora.example', role: 'member' },
    ])
    expect(readFileSync(join(dataDir, 'app-secret'), 'utf8').length).toBeGreaterThanOrEqual(43)
    db.close()
  }, 240_000)
})
