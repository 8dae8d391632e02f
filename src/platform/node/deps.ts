import type { Deps, Hooks } from '../../deps'
import { createDeferQueue } from '../defer'
import { join } from 'node:path'
import { createDiskBlobStore } from './blobs-disk'
import { randomIds, systemClock, systemRandom } from '../system'
import type { NodeConfig } from './config'
import { createMailTransport } from './mail'
import { nodeResolveHost } from './resolve-host'
import type { SqliteDatabase } from './sqlite'

/**
 * Test-only: with ORDERBOARD_TEST_PAUSE=api or =guest-post the server prints `paused at <point>`
 * after such a request's write committed and then never answers it, so a fault test can kill
 * it exactly there. Unset in any real deployment: no hooks at all.
 */
function testHooks(point: string | undefined): Hooks | undefined {
  if (!point) return undefined
  return {
    afterCommit: async (at) => {
      if (at !== point) return
      console.log(`paused at ${at}`)
      await new Promise(() => undefined)
    },
  }
}

/** The Node singletons: embedded SQLite and in-process background work. */
export function createNodeDeps(config: NodeConfig, database: SqliteDatabase) {
  const deferQueue = createDeferQueue()
  const stopping = new AbortController()
  const deps: Deps = {
    db: database.db,
    batch: database.batch,
    blobs: createDiskBlobStore({ root: join(config.dataDir, 'blobs') }),
    mailer: createMailTransport(process.env, database.db, systemClock, config, database.batch),
    defer: deferQueue.defer,
    clock: systemClock,
    ids: randomIds,
    random: systemRandom,
    config,
    hooks: testHooks(process.env.ORDERBOARD_TEST_PAUSE),
    stopping: stopping.signal,
    resolveHost: nodeResolveHost,
  }
  return {
    deps,
    drain: deferQueue.drain,
    /** background loops (outbox drains) stop after their current item */
    stop: () => stopping.abort(),
    close: async () => {
      await deferQueue.drain()
      await database.close()
    },
  }
}
