import { describe, expect, it } from 'vitest'
import { fillTemplate, unfilledPlaceholders } from '../../src/templates/templates.fill'

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
})
