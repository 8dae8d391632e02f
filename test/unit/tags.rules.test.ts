import { describe, expect, it } from 'vitest'
import { cleanName, tagsInNote, TAG_NAME_MAX } from '../../src/tags/tags.rules'

describe('cleanName', () => {
  it('NFKC-normalises, drops a leading #, keys case-insensitively', () => {
    expect(cleanName('#ＰＲＯＯＦ', 'tag')).toEqual({ ok: true, name: 'PROOF', key: 'proof' })
    expect(cleanName('ｺｳｾｲ', 'tag')).toEqual({ ok: true, name: 'コウセイ', key: 'コウセイ' })
    expect(cleanName(' 両面  カラー ', 'category')).toEqual({
      ok: true,
      name: '両面 カラー',
      key: '両面 カラー',
    })
  })

  it('strips bidi controls and refuses spaces, # inside, control characters and long names', () => {
    expect(cleanName('abc\u202Efdp', 'tag')).toMatchObject({ ok: true, name: 'abcfdp' })
    expect(cleanName('two words', 'tag')).toEqual({ ok: false, problem: 'tags.bad_name' })
    expect(cleanName('a#b', 'tag')).toEqual({ ok: false, problem: 'tags.bad_name' })
    expect(cleanName('a\u0000b', 'category')).toEqual({ ok: false, problem: 'tags.bad_name' })
    expect(cleanName('#', 'tag')).toEqual({ ok: false, problem: 'field.required' })
    expect(cleanName('あ'.repeat(TAG_NAME_MAX + 1), 'tag')).toEqual({
      ok: false,
      problem: 'field.too_long',
    })
  })
})

describe('tagsInNote', () => {
  it('reads #tags at the start, after spaces and brackets, up to punctuation', () => {
    expect(tagsInNote('#校正待ち。色校正を出しました（#急ぎ）\n#Proof, #proof')).toEqual([
      { name: '校正待ち', key: '校正待ち' },
      { name: '急ぎ', key: '急ぎ' },
      { name: 'Proof', key: 'proof' },
    ])
  })

  it('leaves URLs, ## and a # glued to a word alone', () => {
    expect(tagsInNote('https://example.jp/a#top 品番A#123 # 単独')).toEqual([])
  })

  it('takes full-width ＃ too, and at most ten tags', () => {
    expect(tagsInNote('＃急ぎ')).toEqual([{ name: '急ぎ', key: '急ぎ' }])
    const many = Array.from({ length: 15 }, (_, i) => `#t${i}`).join(' ')
    expect(tagsInNote(many)).toHaveLength(10)
  })
})
