import { mkdtempSync, readdirSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll } from 'vitest'
import { createMemoryBlobStore } from '../../src/platform/memory/blobs'
import { createDiskBlobStore } from '../../src/platform/node/blobs-disk'
import { blobStoreContract } from './blob-store.contract'

const root = mkdtempSync(join(tmpdir(), 'ob-blobs-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** Every file below `dir`, relative to it. */
export function filesUnder(dir: string): string[] {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
  } catch {
    return []
  }
}

blobStoreContract('memory', () => createMemoryBlobStore())
blobStoreContract('disk', () => createDiskBlobStore({ root }), {
  // every test deletes or aborts what it made: nothing (no temporary file) may stay behind
  afterEach: async () => {
    const left = filesUnder(root)
    if (left.length > 0) throw new Error(`left on disk: ${left.join(', ')}`)
  },
})
