import type { MentionableMember } from '../../src/mentions/mentions.rules'
import type { Translate } from '../../src/shared/i18n'
import type { BoardMember } from '../../src/mentions/mentions.view-model'

/** The board page's members as mentions need them (an email is always there in practice). */
export function mentionable(
  members: readonly { id: string; name: string; email?: string }[],
): MentionableMember[] {
  return members.map((member) => ({ id: member.id, name: member.name, email: member.email ?? '' }))
}

/**
 * The composer's mention list (issue #17), filled by app.js while `@…` is typed in a note: a
 * listbox the textarea points at (aria-controls / aria-activedescendant; a textarea cannot
 * take the combobox role), and a status line that says how many members match. The members
 * travel as JSON in a data attribute (escaped like any attribute).
 */
export function MentionPicker(props: {
  t: Translate
  members: readonly Pick<BoardMember, 'id' | 'name' | 'email' | 'nameKana'>[]
}) {
  const { t } = props
  return (
    <div
      class="mention-picker when-internal"
      data-mention-members={JSON.stringify(
        props.members.map((member) => ({
          id: member.id,
          name: member.name,
          kana: member.nameKana ?? '',
          email: member.email ?? '',
        })),
      )}
      data-count-template={t('mentions.count', { count: '{count}' })}
    >
      <p class="hint small">{t('mentions.hint')}</p>
      <ul id="mention-options" role="listbox" aria-label={t('mentions.suggestions')} hidden />
      <p class="sr-only" id="mention-status" role="status" aria-live="polite" />
    </div>
  )
}
