import type { Insertable as KyselyInsertable } from 'kysely'
import type { Database } from '../db/schema'

export type { Database }
export type Insertable<Table extends keyof Database> = KyselyInsertable<Database[Table]>
