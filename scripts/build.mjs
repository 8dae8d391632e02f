// `npm run build` (also run by `npm install` / `npm ci` through `prepare`, and by `npm start`
// when the sources changed): bundles the Node server into dist/ with esbuild, so a start loads
// plain JavaScript instead of compiling TypeScript (tsx took 5–15 s on a busy machine).
// npm packages are bundled too: one file to read instead of thousands to resolve, and only the
// parts the app uses (@react-email/components alone took 2.8 s to import). better-sqlite3 stays
// outside (a native addon). Code loaded with `import()` (email rendering) becomes its own chunk,
// read only when first needed.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
export const DIST = join(ROOT, 'dist')
export const ENTRY = join(DIST, 'entry.node.js')
const STAMP = join(DIST, 'built-from.json')
const SOURCES = ['src', 'views', 'emails', 'package-lock.json', 'tsconfig.json']

/** The newest modification time (ms) among the files the bundle is made from. */
export function newestSource() {
  let newest = 0
  const visit = (path) => {
    const stat = statSync(path, { throwIfNoEntry: false })
    if (!stat) return
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'static') visit(join(path, name))
    } else newest = Math.max(newest, stat.mtimeMs)
  }
  for (const source of SOURCES) visit(join(ROOT, source))
  return newest
}

/** True when dist/ was built from the sources as they are now. */
export function isBuildCurrent() {
  const stat = statSync(STAMP, { throwIfNoEntry: false })
  return Boolean(
    stat && statSync(ENTRY, { throwIfNoEntry: false }) && stat.mtimeMs >= newestSource(),
  )
}

export async function build() {
  const { build: esbuild } = await import('esbuild')
  rmSync(DIST, { recursive: true, force: true })
  mkdirSync(DIST, { recursive: true })
  await esbuild({
    entryPoints: { 'entry.node': join(ROOT, 'src', 'entry.node.ts') },
    outdir: DIST,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: ['better-sqlite3'],
    // CommonJS packages inside an ES module bundle still call require() for Node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    minifySyntax: true,
    sourcemap: true,
    logLevel: 'warning',
  })
  writeFileSync(STAMP, JSON.stringify({ builtAt: new Date().toISOString() }) + '\n')
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const started = performance.now()
  await build()
  console.log(`built dist/ in ${Math.round(performance.now() - started)} ms`)
}
