// `npm start`: runs the bundled server from dist/, building it first when it is missing or
// older than the sources (a fresh clone, a `git pull`). `npm run dev` keeps tsx and its watcher.
import { build, ENTRY, isBuildCurrent } from './build.mjs'
import { pathToFileURL } from 'node:url'

if (!isBuildCurrent()) {
  console.log('Building the server into dist/ …')
  await build()
}
// Stack traces point at the TypeScript sources.
process.setSourceMapsEnabled(true)
await import(pathToFileURL(ENTRY).href)
