import type { Deps } from '../../deps'
import { createDeferQueue } from '../defer'
import { join } from 'node:path'
import { createDiskBlobStore } from './blobs-disk'
import { randomIds, systemClock } from '../system'
import type { NodeConfig } from './config'
import { createMailTransport } from './mail'
import { nodeResolveHost } from './resolve-host'
import type { SqliteDatabase } from './sqlite'

/** The Node singletons: embedded SQLite and in-process background work. */
export function createNodeDeps(config: NodeConfig, database: SqliteDatabase) {
  const deferQueue = createDeferQueue()
  const deps: Deps = {
    db: database.db,
    batch: database.batch,
    blobs: createDiskBlobStore({ root: join(config.dataDir, 'blobs') }),
    mailer: createMailTransport(process.env, database.db, systemClock, config, database.batch),
    defer: deferQueue.defer,
    clock: systemClock,
    ids: randomIds,
    config,
    resolveHost: nodeResolveHost,
  }
  return {
    deps,
    drain: deferQueue.drain,
    close: async () => {
      await deferQueue.drain()
      await database.close()
    },
  }
}
