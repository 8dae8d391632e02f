import type { Clock, Ids } from '../deps'
import { randomToken } from '../shared/crypto'

export const systemClock: Clock = { now: () => new Date() }

export const randomIds: Ids = {
  id: () => crypto.randomUUID(),
  token: (bytes = 32) => randomToken(bytes),
}
