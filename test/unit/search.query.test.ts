import { describe, expect, it } from 'vitest'
import { parseSearch } from '../../src/search/search.query'
import { gramsOf, matchExpression, normalizeForSearch } from '../../src/search/search.text'

const ok = (text: string) => {
  const parsed = parseSearch(text)
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems))
  return parsed.query
}
const problems = (text: string) => {
  const parsed = parseSearch(text)
  if (parsed.ok) throw new Error(`expected problems for ${text}`)
  return parsed.problems
}

describe('search text', () => {
  it.each([
    ['ｶﾀｶﾅ', 'カタカナ'],
    ['ＡＢＣ', 'abc'],
    ['ろご', 'ロゴ'],
    ['ゝ', 'ヽ'],
    ['①', '1'],
    ['Ｌｏｇｏ', 'logo'],
  ])('normalises %s as %s', (text, expected) => {
    expect(normalizeForSearch(text)).toBe(expected)
  })

  it('cuts runs of letters into two-character grams and the last character', () => {
    expect(gramsOf('名刺印刷')).toBe('名刺 刺印 印刷 刷')
    expect(gramsOf('色、ロゴ！')).toBe('色 ロゴ ゴ')
    expect(gramsOf('A4 size')).toBe('a4 4 si iz ze e')
    expect(gramsOf('、。！')).toBe('')
  })

  it('matches a word as the phrase of its grams, one character as a prefix', () => {
    expect(matchExpression('名刺印刷')).toBe('"名刺 刺印 印刷"')
    expect(matchExpression('ロゴ')).toBe('"ロゴ"')
    expect(matchExpression('色')).toBe('"色"*')
    expect(matchExpression('ｶﾗｰ')).toBe('"カラ ラー"')
    expect(matchExpression('A-4')).toBe('"a"* AND "4"*')
    expect(matchExpression('"*)(')).toBeUndefined()
  })
})

describe('search syntax', () => {
  it('keeps free words and quoted phrases (ASCII, curly and 「」)', () => {
    expect(ok('ロゴ 名刺').words).toEqual(['ロゴ', '名刺'])
    expect(ok('"両面 カラー" 色').words).toEqual(['両面 カラー', '色'])
    expect(ok('「両面 カラー」').words).toEqual(['両面 カラー'])
    expect(ok('ロゴ　名刺').words).toEqual(['ロゴ', '名刺']) // full-width space
  })

  it('reads status by code or label, in either language, and negated', () => {
    expect(ok('status:waiting').statuses).toEqual(['waiting'])
    expect(ok('status:返答待ち').statuses).toEqual(['waiting'])
    expect(ok('STATUS：完了').statuses).toEqual(['done'])
    expect(ok('-status:closed').notStatuses).toEqual(['closed'])
  })

  it('reads dates, ranges and next-contact keywords', () => {
    const query = ok('after:2026-12-01 before:2026/12/31 created:2026-12-01..2026-12-07 next:today')
    expect(query.activity).toEqual({ onOrAfter: '2026-12-01', before: '2026-12-31' })
    expect(query.created).toEqual({ from: '2026-12-01', to: '2026-12-07' })
    expect(query.next).toEqual({ kind: 'today' })
    expect(ok('next:overdue').next).toEqual({ kind: 'overdue' })
    expect(ok('next:2026-12-05').next).toEqual({
      kind: 'days',
      range: { from: '2026-12-05', to: '2026-12-05' },
    })
    expect(ok('created:..2026-12-07').created).toEqual({ from: undefined, to: '2026-12-07' })
  })

  it('reads is:, has:, from:, assignee:, #tags and category:', () => {
    const query = ok(
      'is:unread -is:expired has:attachment from:customer ロゴ assignee:@sato #校正待ち -#済 category:名刺',
    )
    expect(query.is).toEqual(['unread'])
    expect(query.isNot).toEqual(['expired'])
    expect(query.hasAttachment).toBe(true)
    expect(query.from).toBe('customer')
    expect(query.assignee).toEqual({ kind: 'member', handle: 'sato' })
    expect(query.tags).toEqual(['校正待ち'])
    expect(query.notTags).toEqual(['済'])
    expect(query.category).toEqual({ kind: 'name', name: '名刺' })
    expect(ok('category:none').category).toEqual({ kind: 'none' })
    expect(ok('category:なし').category).toEqual({ kind: 'none' })
    expect(ok('category:"両面 カラー"').category).toEqual({ kind: 'name', name: '両面 カラー' })
    expect(ok('-#校正待ち #ＰＲＯＯＦ').tags).toEqual(['PROOF'])
    expect(problems('-category:名刺')[0]).toMatchObject({ code: 'search.cannot_negate' })
    expect(ok('assignee:me').assignee).toEqual({ kind: 'me' })
    expect(ok('assignee:none').assignee).toEqual({ kind: 'none' })
    expect(ok('＃タグ').tags).toEqual(['タグ'])
  })

  it('leaves words with colons that are not operators alone', () => {
    expect(ok('10:00 住所:東京 https://example.jp').words).toEqual([
      '10:00',
      '住所:東京',
      'https://example.jp',
    ])
  })

  it('refuses unknown operators with the closest known one as a hint', () => {
    expect(problems('stauts:waiting')).toEqual([
      { code: 'search.unknown_operator', term: 'stauts:waiting', hint: 'status' },
    ])
    expect(problems('colour:red')[0]).toMatchObject({ code: 'search.unknown_operator' })
  })

  it('refuses bad values, bad dates, empty values, open quotes and odd negations', () => {
    expect(problems('status:maybe')[0]).toMatchObject({ code: 'search.bad_value' })
    expect(problems('is:happy')[0]).toMatchObject({ code: 'search.bad_value' })
    expect(problems('after:2026-13-01')[0]).toMatchObject({ code: 'search.bad_date' })
    expect(problems('after:2026-02-30')[0]).toMatchObject({ code: 'search.bad_date' })
    expect(problems('next:someday')[0]).toMatchObject({ code: 'search.bad_date' })
    expect(problems('status:')[0]).toMatchObject({ code: 'search.empty_value' })
    expect(problems('"ロゴ')[0]).toMatchObject({ code: 'search.unclosed_quote' })
    expect(problems('-after:2026-12-01')[0]).toMatchObject({ code: 'search.cannot_negate' })
    // every problem at once, not only the first
    expect(problems('stauts:x is:happy')).toHaveLength(2)
  })

  it('says a word can’t be excluded (-color), instead of finding nothing', () => {
    expect(problems('-color')).toEqual([{ code: 'search.negated_word', term: '-color' }])
    expect(problems('color -フォント')[0]).toMatchObject({ code: 'search.negated_word' })
    expect(problems('-"両面 カラー"')[0]).toMatchObject({ code: 'search.negated_word' })
    // a lone dash, or one before a symbol, is still just text
    expect(ok('- -5%').words).toEqual(['-', '-5%'])
  })

  it('drops bidi controls a copied name brings along', () => {
    expect(ok('\u202Eevil\u202C 逆向き').words).toEqual(['evil', '逆向き'])
  })
})
