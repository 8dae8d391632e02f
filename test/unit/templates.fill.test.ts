import { describe, expect, it } from 'vitest'
import {
  fillTemplate,
  fillTemplateAround,
  unfilledPlaceholders,
} from '../../src/templates/templates.fill'

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
