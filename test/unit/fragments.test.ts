import { describe, expect, it } from 'vitest'
import { createFragmentCache, modelKey } from '../../views/fragments'

const markup = (text: string) => ({ toString: () => `<p>${text}</p>` })

describe('fragment cache', () => {
  it('builds a fragment once per key and hands the same markup back', () => {
    const cache = createFragmentCache(10_000)
    let builds = 0
    const build = () => {
      builds++
      return markup('校正')
    }
    expect(String(cache.render('a', build))).toBe('<p>校正</p>')
    expect(String(cache.render('a', build))).toBe('<p>校正</p>')
    expect(builds).toBe(1)
    cache.render('b', build)
    expect(builds).toBe(2)
    expect(cache.stats()).toMatchObject({ entries: 2, hits: 1, misses: 2 })
  })

  it('stays within its size, dropping the least recently used first', () => {
    const cache = createFragmentCache(100)
    cache.render('k1', () => markup('x'.repeat(20))) // 2 + 27 chars
    cache.render('k2', () => markup('y'.repeat(20)))
    cache.render('k1', () => markup('never built'))
    cache.render('k3', () => markup('z'.repeat(20)))
    cache.render('k4', () => markup('w'.repeat(20)))
    expect(cache.stats().chars).toBeLessThanOrEqual(100)
    // k2 was used longest ago: it went first; k1, read again after k2, is still there
    let rebuilt = ''
    cache.render('k1', () => ((rebuilt += 'k1'), markup('')))
    cache.render('k2', () => ((rebuilt += 'k2'), markup('')))
    expect(rebuilt).toBe('k2')
  })

  it('never keeps a fragment larger than a quarter of its size', () => {
    const cache = createFragmentCache(100)
    expect(String(cache.render('big', () => markup('x'.repeat(80))))).toHaveLength(87)
    expect(cache.stats().entries).toBe(0)
  })

  it('refuses a fragment that does not render synchronously', () => {
    const cache = createFragmentCache(100)
    expect(() =>
      cache.render('async', () => ({ toString: () => Promise.resolve('<p></p>') })),
    ).toThrow(/synchronously/)
  })
})

describe('modelKey', () => {
  it('changes when any field changes, null included', () => {
    const row = { id: 'm1', body: '校正', edited_at: null as number | null, no: 1 }
    const keys = new Set([
      modelKey(row),
      modelKey({ ...row, body: '校正です' }),
      modelKey({ ...row, edited_at: 0 }),
      modelKey({ ...row, no: 2 }),
      modelKey({ ...row, id: 'm2' }),
    ])
    expect(keys.size).toBe(5)
    expect(modelKey({ ...row })).toBe(modelKey(row))
  })
})
