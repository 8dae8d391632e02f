import type { Clock, Ids, Random } from '../deps'
import { randomToken } from '../shared/crypto'

export const systemClock: Clock = { now: () => new Date() }

export const randomIds: Ids = {
  id: () => crypto.randomUUID(),
  token: (bytes = 32) => randomToken(bytes),
}

/** Jitter in production: Math.random is enough (nothing secret depends on it). */
export const systemRandom: Random = Math.random
