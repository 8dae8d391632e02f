// Wrangler's [build] step: copies the browser files into the git-ignored directory that
// Workers Static Assets uploads, at the same /static/* paths the Node entry serves.
import { copyFileSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const out = join(root, '.wrangler-assets')
const staticOut = join(out, 'static')

rmSync(out, { recursive: true, force: true })
mkdirSync(staticOut, { recursive: true })
for (const name of readdirSync(join(root, 'views', 'static'))) {
  if (/\.(css|js|svg|png|ico|woff2)$/.test(name)) copyFileSync(join(root, 'views', 'static', name), join(staticOut, name))
}
copyFileSync(join(root, 'node_modules', 'htmx.org', 'dist', 'htmx.min.js'), join(staticOut, 'htmx.min.js'))
// Static Assets responses do not pass through the app's secureHeaders middleware.
writeFileSync(
  join(out, '_headers'),
  ['/static/*', '  Cache-Control: public, max-age=86400', '  X-Content-Type-Options: nosniff', ''].join('\n'),
)
