// The pure parts of the matched-message snippet (src/search/search.snippets.ts).
import { describe, expect, it } from 'vitest'
import { findTerms, markTerms, snippetParts } from '../../src/search/search.snippets'

const marked = (text: string, words: string[]) =>
  snippetParts(text, findTerms(text, markTerms(words)).ranges)
    .map((part) => (part.mark ? `[${part.text}]` : part.text))
    .join('')

describe('snippets', () => {
  it('mark every hit of every word, however it was written, merging overlaps', () => {
    expect(marked('ロゴの色、ろごの位置', ['ロゴ'])).toBe('[ロゴ]の色、[ろご]の位置')
    expect(marked('ＲＥＤとｶﾞｲﾄﾞ', ['red', 'ガイド'])).toBe('[ＲＥＤ]と[ｶﾞｲﾄﾞ]')
    expect(marked('名刺印刷', ['名刺', '刺印'])).toBe('[名刺印]刷')
    expect(marked('A-4で', ['A-4'])).toBe('[A]-[4]で')
  })

  it('count the different words found, for choosing the best message', () => {
    expect(findTerms('ロゴとロゴ', markTerms(['ロゴ', '濃紺'])).found).toBe(1)
    expect(findTerms('ロゴは濃紺', markTerms(['ロゴ', '濃紺'])).found).toBe(2)
  })

  it('cut a window around the first hit with … at the cut ends, white space collapsed', () => {
    const text = `${'あ'.repeat(100)}\n\nロゴ${'い'.repeat(100)}`
    const out = marked(text, ['ロゴ'])
    expect(out.startsWith('…')).toBe(true)
    expect(out.endsWith('…')).toBe(true)
    expect(out).toContain('あ [ロゴ]い')
    expect(marked('  短い\tロゴ  ', ['ロゴ'])).toBe('短い [ロゴ]')
  })

  it('never cut a character outside the BMP in two', () => {
    const text = `${'𠮷'.repeat(40)}ロゴ${'𠮷'.repeat(60)}`
    const out = marked(text, ['ロゴ'])
    expect(out).not.toMatch(
      /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/,
    )
    expect(out).toContain('[ロゴ]')
  })
})
