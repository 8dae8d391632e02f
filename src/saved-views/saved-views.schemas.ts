import { z } from 'zod'
import { line } from '../shared/validation'
import { VIEW_NAME_MAX } from './saved-views.rules'

/** Saving the list's search as a view: a name, the search, and (admins) whether it is shared. */
export const createViewSchema = z.object({
  name: line(VIEW_NAME_MAX),
  q: line(200),
  shared: z.preprocess((value) => value === '1' || value === 'on', z.boolean()),
})
export type CreateViewInput = z.infer<typeof createViewSchema>

export const renameViewSchema = z.object({ name: line(VIEW_NAME_MAX) })
