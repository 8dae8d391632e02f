import { describe, expect, it } from 'vitest'
import {
  fillForBoard,
  fillTemplate,
  fillTemplateAround,
  templateValuesFor,
  unfilledPlaceholders,
  writtenLocaleOf,
} from '../../src/templates/templates.fill'
import { autoAnswerText } from '../../src/auto-answers/auto-answers.usecases'
import { welcomeText } from '../../src/welcome/welcome.usecases'

describe('template filling', () => {
  it('fills every known variable', () => {
    const body =
      '{{customer_name}} 様 {{board_name}} {{workspace_name}} {{member_name}} {{next_contact_date}} No.{{comment_no}}'
    expect(
      fillTemplate(body, {
        customer_name: '山田',
        board_name: '名刺',
        workspace_name: 'さくら印刷',
        member_name: '佐藤',
        next_contact_date: '2026-12-07',
        comment_no: '5',
      }),
    ).toBe('山田 様 名刺 さくら印刷 佐藤 2026-12-07 No.5')
  })

  it('leaves unknown or empty variables visible so sending is refused', () => {
    const filled = fillTemplate('{{customer_name}} {{next_contact_date}} {{ typo }}', {
      customer_name: '山田',
      next_contact_date: '',
    })
    expect(filled).toBe('山田 {{next_contact_date}} {{ typo }}')
    expect(unfilledPlaceholders(filled)).toEqual(['{{next_contact_date}}', '{{typo}}'])
  })

  it('finds no placeholder in plain text or single braces', () => {
    expect(unfilledPlaceholders('価格は {5,000円} です')).toEqual([])
  })

  it('does not treat a filled value as a template', () => {
    expect(fillTemplate('{{customer_name}}', { customer_name: '{{board_name}}' })).toBe(
      '{{board_name}}',
    )
  })

  it('never counts a placeholder that came in with a filled-in name as unfilled', () => {
    const names = ['{{VIP}} 山田', '名刺 {{board_name}}', 'テスト印刷', '佐藤']
    const filled = fillTemplate('{{customer_name}} 様、{{board_name}} の件です。', {
      customer_name: names[0],
      board_name: names[1],
    })
    expect(filled).toBe('{{VIP}} 山田 様、名刺 {{board_name}} の件です。')
    expect(unfilledPlaceholders(filled, names)).toEqual([])
    // a real hole next to the name still counts, and so does one the name only partly covers
    expect(unfilledPlaceholders(`${filled} {{next_contact_date}}`, names)).toEqual([
      '{{next_contact_date}}',
    ])
    expect(unfilledPlaceholders('{{VIP}} 様', names)).toEqual(['{{VIP}}'])
  })

  it('cuts the decision template at {{comment_no}} after one filling pass', () => {
    const parts = fillTemplateAround(
      '{{customer_name}} 様 No.{{comment_no}} で確定 ({{ comment_no }})',
      { customer_name: '{{comment_no}} 商店' },
      'comment_no',
    )
    expect(parts).toEqual(['{{comment_no}} 商店 様 No.', ' で確定 (', ')'])
    expect(parts.join('7')).toBe('{{comment_no}} 商店 様 No.7 で確定 (7)')
  })
})

describe('templates that read like a person wrote them', () => {
  const source = {
    customerName: '山田 花子',
    boardName: '名刺 100枚',
    workspaceName: 'さくら印刷',
    memberName: '佐藤',
    nextContactOn: '2026-12-07',
    timeZone: 'Asia/Tokyo',
    now: Date.parse('2026-11-30T12:00:00+09:00'),
  }

  it('writes {{next_contact_date}} as a person would, in the template’s own language', () => {
    expect(fillForBoard('{{next_contact_date}}までにご連絡いたします。', source, 'ja').text).toBe(
      '12月7日(月)までにご連絡いたします。',
    )
    // an English template of a Japanese shop says the date in English
    expect(fillForBoard('We will reply by {{next_contact_date}}.', source, 'ja').text).toBe(
      'We will reply by Mon, Dec 7.',
    )
    expect(
      fillForBoard('{{next_contact_date}}', { ...source, nextContactOn: '2027-01-08' }, 'en').text,
    ).toBe('Fri, Jan 8, 2027')
  })

  it('decides the language from the words around the variables', () => {
    expect(writtenLocaleOf('{{customer_name}} 様', 'en')).toBe('ja')
    expect(writtenLocaleOf('Dear {{customer_name}},', 'ja')).toBe('en')
    expect(writtenLocaleOf('{{customer_name}} {{next_contact_date}}', 'en')).toBe('en')
    expect(writtenLocaleOf('{{customer_name}} {{next_contact_date}}', 'ja')).toBe('ja')
  })

  it('says why a template cannot be sent on this board', () => {
    expect(
      fillForBoard('{{next_contact_date}}までに', { ...source, nextContactOn: null }, 'ja').reasons,
    ).toEqual([{ kind: 'no_next_contact_date' }])
    expect(fillForBoard('No.{{comment_no}} で確定', source, 'ja').reasons).toEqual([
      { kind: 'comment_no' },
    ])
    expect(fillForBoard('{{ customer }} 様', source, 'ja').reasons).toEqual([
      { kind: 'unknown', placeholder: '{{customer}}' },
    ])
    expect(fillForBoard('{{customer_name}} 様', source, 'ja').reasons).toEqual([])
    // a name that holds {{…}} is a name, not a hole
    expect(
      fillForBoard('{{customer_name}} 様', { ...source, customerName: '{{VIP}} 山田' }, 'ja'),
    ).toEqual({ text: '{{VIP}} 山田 様', reasons: [] })
  })

  it('fills only the values it was given, never what every object has', () => {
    expect(fillTemplate('{{constructor}} {{toString}} {{__proto__}}', { customer_name: 'A' })).toBe(
      '{{constructor}} {{toString}} {{__proto__}}',
    )
    expect(templateValuesFor({ ...source, nextContactOn: null }, 'ja').next_contact_date).toBe(
      undefined,
    )
  })

  it('is the one fill function of the welcome and the automatic answer', () => {
    const workspace = { name: 'さくら印刷', locale: 'ja' as const, time_zone: 'Asia/Tokyo' }
    const board = { customer_name: '山田 花子', name: '名刺' }
    expect(
      welcomeText(workspace, board, '{{ customer_name }} 様 {{shop_name}} {{constructor}}'),
    ).toBe('山田 花子 様 さくら印刷 {{constructor}}')
    const now = Date.parse('2026-12-05T19:02:00+09:00')
    expect(
      autoAnswerText({
        workspace,
        board,
        settings: { autoAnswerText: '{{next_opening}}以降にご返信します。{{board_name}}' },
        nextOpening: new Date('2026-12-07T09:00:00+09:00'),
        now,
      }),
    ).toBe('12月7日(月) 9:00以降にご返信します。名刺')
    expect(
      autoAnswerText({
        workspace: { ...workspace, locale: 'en' },
        board,
        settings: { autoAnswerText: 'From {{next_opening}}.' },
        nextOpening: new Date('2027-01-04T09:00:00+09:00'),
        now: Date.parse('2026-12-29T19:02:00+09:00'),
      }),
    ).toBe('From Mon, Jan 4, 2027, 9:00 AM.')
  })
})
