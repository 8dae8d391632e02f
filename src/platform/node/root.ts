import { existsSync } from 'node:fs'
import { dirname, join } from 'node:path'

/**
 * The repository root (the folder holding package.json, migrations/ and views/), found by
 * walking up from this module. The same answer whether the module runs from src/ under tsx or
 * bundled into dist/ by `npm run build`, which put it at different depths.
 */
export function appRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'migrations'))) return dir
    if (dirname(dir) === dir) throw new Error(`no package.json with migrations/ above ${from}`)
  }
}
