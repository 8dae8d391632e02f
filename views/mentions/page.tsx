import type { SignedInView } from '../../src/auth/auth.view-model'
import type { MentionableMember } from '../../src/mentions/mentions.rules'
import { formatDateTime } from '../../src/shared/time'
import { MemberLayout, type PageProps } from '../layout'
import { MentionedText } from './highlight'

export interface MentionItem {
  id: string
  created_at: number
  read_at: number | null
  board_id: string
  board_name: string
  customer_name: string
  seq: number
  body: string
  author_name: string
}

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
            <li class={`card mention-item ${mention.read_at === null ? 'is-unread' : ''}`}>
              <p class="mention-head">
                {mention.read_at === null ? (
                  <span class="tag unread-tag">{t('mentions.unread')}</span>
                ) : null}
                <a href={`${base}/boards/${mention.board_id}#m-${mention.seq}`}>
                  <bdi>{mention.board_name}</bdi>
                </a>{' '}
                <span class="muted">
                  <bdi>{mention.customer_name}</bdi>
                </span>
              </p>
              <p class="mention-body" dir="auto">
                <MentionedText text={mention.body} members={props.members} />
              </p>
              <p class="small muted">
                {t('mentions.by', { name: mention.author_name })} ·{' '}
                <time datetime={new Date(mention.created_at).toISOString()}>
                  {formatDateTime(mention.created_at, auth.workspace.timeZone, locale)}
                </time>
              </p>
            </li>
          ))}
        </ul>
      )}
    </MemberLayout>
  )
}
