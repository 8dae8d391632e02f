import type { SignedInView } from '../../src/auth/auth.view-model'
import type { MentionableMember } from '../../src/mentions/mentions.rules'
import type { MentionItem } from '../../src/mentions/mentions.view-model'
import { formatDateTime } from '../../src/shared/time'
import { MemberLayout, type PageProps } from '../layout'
import { MentionedText } from './highlight'

export type { MentionItem }

/** メンション (issue #17): the notes that mention the member, unread ones marked. */
export function MentionsPage(
  props: PageProps & {
    auth: SignedInView
    mentions: MentionItem[]
    members: readonly MentionableMember[]
  },
) {
  const { t, auth, locale } = props
  const base = `/w/${auth.workspace.slug}`
  return (
    <MemberLayout t={t} locale={locale} auth={auth} title={t('mentions.title')} active="mentions">
      <div class="page-head">
        <h1>{t('mentions.title')}</h1>
      </div>
      <p class="hint">{t('mentions.lead')}</p>
      {props.mentions.length === 0 ? (
        <p class="card empty">{t('mentions.empty')}</p>
      ) : (
        <ul class="mention-list">
          {props.mentions.map((mention) => (
            <li class={`card mention-item ${mention.unread ? 'is-unread' : ''}`}>
              <p class="mention-head">
                {mention.unread ? <span class="tag unread-tag">{t('mentions.unread')}</span> : null}
                <a href={`${base}/boards/${mention.boardId}#m-${mention.seq}`}>
                  <bdi>{mention.boardName}</bdi>
                </a>{' '}
                <span class="muted">
                  <bdi>{mention.customerName}</bdi>
                </span>
              </p>
              <p class="mention-body" dir="auto">
                <MentionedText text={mention.body} members={props.members} />
              </p>
              <p class="small muted">
                {t('mentions.by', { name: mention.authorName })} ·{' '}
                <time datetime={new Date(mention.createdAt).toISOString()}>
                  {formatDateTime(mention.createdAt, auth.workspace.timeZone, locale)}
                </time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </MemberLayout>
  )
}
