import { z } from 'zod'
import { TAG_COLOURS } from './tags.rules'

/** Several tag names in one box: separated by white space, commas or 、 (a leading # is fine). */
export const splitTagNames = (text: string) =>
  text
    .normalize('NFKC')
    .split(/[\s,、]+/u)
    .filter(Boolean)

/** The side panel's tag box (add) or a tag's remove button. */
export const boardTagFormSchema = z.object({
  tag: z
    .string({ error: 'field.required' })
    .max(200, { error: 'field.too_long' })
    .transform(splitTagNames)
    .pipe(
      z.array(z.string()).min(1, { error: 'field.required' }).max(10, { error: 'field.too_long' }),
    ),
})

/** 設定 → タグ: a tag's name and colour. */
export const tagFormSchema = z.object({
  name: z.string().max(200, { error: 'field.too_long' }).optional(),
  colour: z.enum(TAG_COLOURS, { error: 'field.invalid_choice' }).optional(),
})

export const mergeFormSchema = z.object({
  into: z.string({ error: 'field.required' }).min(1, { error: 'field.required' }).max(64),
})

export const categoryFormSchema = z.object({
  name: z.string({ error: 'field.required' }).max(200, { error: 'field.too_long' }),
})
