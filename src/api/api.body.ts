// Reading a JSON request body defensively: the size is enforced while the stream is read
// (before anything is parsed), the bytes must be UTF-8, and the JSON must not repeat a key,
// nest deeper than a request ever needs, or name a prototype key.
import type { FieldProblem } from '../shared/errors'
import {
  apiError,
  duplicateJsonKey,
  invalidEncoding,
  malformedJson,
  payloadTooLarge,
} from './api.errors'

/** 256 KiB: a 20,000-character message JSON-escaped as \uXXXX is 120 KiB; nothing needs more. */
export const API_BODY_LIMIT = 256 * 1024

/** A create request nests two levels (the board, its first_message); 8 leaves room, not abuse. */
export const API_MAX_DEPTH = 8

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype'])

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/** `application/json`, optionally with `charset=utf-8`; anything else is a 415. */
export function isJsonContentType(header: string | undefined): boolean {
  if (!header) return false
  const [type = '', ...params] = header.split(';')
  if (type.trim().toLowerCase() !== 'application/json') return false
  for (const param of params) {
    const [name = '', value = ''] = param.split('=')
    if (name.trim().toLowerCase() !== 'charset') continue
    if (value.trim().replace(/^"|"$/g, '').toLowerCase() !== 'utf-8') return false
  }
  return true
}

/** Reads at most `limit` bytes; one more and the stream is cancelled with a 413. */
export async function readLimitedText(request: Request, limit = API_BODY_LIMIT): Promise<string> {
  const declared = Number(request.headers.get('content-length'))
  if (Number.isFinite(declared) && declared > limit) throw payloadTooLarge(limit)
  if (!request.body) return ''
  const reader = request.body.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.byteLength
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw payloadTooLarge(limit)
    }
    chunks.push(value)
  }
  const bytes = new Uint8Array(total)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    throw invalidEncoding()
  }
}

type Frame =
  | { kind: 'object'; path: string; keys: Set<string>; key: string }
  | { kind: 'array'; path: string; index: number }

const join = (path: string, part: string | number) => (path ? `${path}.${part}` : String(part))

function endOfString(text: string, start: number): number {
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i]
    if (char === '\\') i++
    else if (char === '"') return i
  }
  return text.length
}

function childPath(frame: Frame | undefined): string {
  if (!frame) return ''
  return frame.kind === 'object' ? join(frame.path, frame.key) : join(frame.path, frame.index)
}

/**
 * One pass over text that JSON.parse already accepted: JSON.parse keeps the last of two equal
 * keys silently, so duplicates (a classic way to smuggle a second value past a proxy) can only
 * be seen in the text. Also enforces the depth limit and refuses prototype keys.
 */
function scanStructure(text: string): void {
  const stack: Frame[] = []
  let i = 0
  while (i < text.length) {
    const char = text[i]
    if (char === '"') {
      const end = endOfString(text, i)
      const raw = text.slice(i, end + 1)
      i = end + 1
      const top = stack.at(-1)
      if (top?.kind !== 'object') continue
      let next = i
      while (next < text.length && /\s/.test(text[next] ?? '')) next++
      if (text[next] !== ':') continue
      const key = JSON.parse(raw) as string
      const path = join(top.path, key)
      if (FORBIDDEN_KEYS.has(key)) {
        throw apiError('validation_failed', 422, 'error.validation', [
          { field: path, problem: 'field.forbidden_key' },
        ])
      }
      if (top.keys.has(key)) throw duplicateJsonKey(path)
      top.keys.add(key)
      top.key = key
      i = next + 1
      continue
    }
    if (char === '{' || char === '[') {
      const path = childPath(stack.at(-1))
      if (stack.length + 1 > API_MAX_DEPTH) {
        throw apiError('validation_failed', 422, 'error.validation', [
          { field: path || 'body', problem: 'field.too_deep' },
        ])
      }
      stack.push(
        char === '{'
          ? { kind: 'object', path, keys: new Set(), key: '' }
          : { kind: 'array', path, index: 0 },
      )
    } else if (char === '}' || char === ']') {
      stack.pop()
    } else if (char === ',') {
      const top = stack.at(-1)
      if (top?.kind === 'array') top.index++
    }
    i++
  }
}

function findLoneSurrogate(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return LONE_SURROGATE.test(value) ? path || 'body' : undefined
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findLoneSurrogate(item, join(path, index))
      if (found) return found
    }
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found =
        findLoneSurrogate(key, join(path, key)) ?? findLoneSurrogate(item, join(path, key))
      if (found) return found
    }
  }
  return undefined
}

/** Parses a request body that must be JSON; every failure is a 400 or 422 AppError. */
export function parseJsonText(text: string): unknown {
  if (text.trim() === '') throw malformedJson({ field: 'body', problem: 'field.required' })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw malformedJson()
  }
  scanStructure(text)
  // "\ud800" is valid JSON but no valid text: it cannot be stored or mailed faithfully.
  const broken = findLoneSurrogate(value, '')
  if (broken) {
    throw apiError('invalid_encoding', 400, 'api.invalid_encoding', [
      { field: broken, problem: 'field.invalid' } satisfies FieldProblem,
    ])
  }
  return value
}
