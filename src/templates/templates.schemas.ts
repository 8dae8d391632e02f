import { z } from 'zod'
import { statusSchema } from '../boards/boards.schemas'
import { blankToUndefined, line, text } from '../shared/validation'

export const templateSetSchema = z.object({ name: line(100) })

export const templateSchema = z.object({
  label: line(60),
  body: text(5_000),
  status: z.preprocess(blankToUndefined, statusSchema.optional()),
  kind: z.enum(['normal', 'decision'], { error: 'field.invalid_choice' }).default('normal'),
})
export type TemplateInput = z.infer<typeof templateSchema>

export const moveSchema = z.object({
  direction: z.enum(['up', 'down'], { error: 'field.invalid_choice' }),
})

/** The template editor's live preview: the body being typed (the same limit as a saved one). */
export const templatePreviewSchema = z.object({
  body: z.string().max(5_000, { error: 'field.too_long' }).default(''),
})
