// Wrangler's [build] step: copies the browser files into the git-ignored directory that
// Workers Static Assets uploads, at the same /static/* paths the Node entry serves.
// Files are replaced by rename, never deleted first, so a local worker already serving from
// this directory (a parallel test run) never sees a missing or half-written file.
import { copyFileSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const out = join(root, '.wrangler-assets')
const staticOut = join(out, 'static')
mkdirSync(staticOut, { recursive: true })

const place = (target, write) => {
  const temporary = `${target}.${process.pid}.tmp`
  write(temporary)
  renameSync(temporary, target)
}

const wanted = new Set()
for (const name of readdirSync(join(root, 'views', 'static'))) {
  if (!/\.(css|js|svg|png|ico|woff2)$/.test(name)) continue
  wanted.add(name)
  place(join(staticOut, name), (temporary) =>
    copyFileSync(join(root, 'views', 'static', name), temporary),
  )
}
wanted.add('htmx.min.js')
place(join(staticOut, 'htmx.min.js'), (temporary) =>
  copyFileSync(join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js'), temporary),
)
wanted.add('chart.umd.min.js')
place(join(staticOut, 'chart.umd.min.js'), (temporary) =>
  copyFileSync(join(root, 'node_modules', 'chart.js', 'dist', 'chart.umd.min.js'), temporary),
)
for (const name of readdirSync(staticOut)) {
  if (!wanted.has(name) && !name.endsWith('.tmp')) rmSync(join(staticOut, name), { force: true })
}
// Static Assets responses do not pass through the app's secureHeaders middleware.
place(join(out, '_headers'), (temporary) =>
  writeFileSync(
    temporary,
    [
      '/static/*',
      '  Cache-Control: public, max-age=86400',
      '  X-Content-Type-Options: nosniff',
      '',
    ].join('\n'),
  ),
)
