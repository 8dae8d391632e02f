import type { SignedInView } from '../../src/auth/auth.view-model'
import { CsrfField } from '../components'
import type { PageProps } from '../layout'

/** Each member's own switch for customer-reply emails; any member may change their own. */
export function MemberNotificationForm(props: PageProps & { auth: SignedInView; saved?: boolean }) {
  const { t, auth } = props
  return (
    <form
      method="post"
      action={`/w/${auth.workspace.slug}/settings/me`}
      class="card form"
      id="member-notifications"
    >
      <CsrfField token={auth.csrfToken} />
      <h2>{t('settings.me_title')}</h2>
      {props.saved ? (
        <p class="alert info" role="status">
          ✓ {t('settings.notify_saved')}
        </p>
      ) : null}
      <label class="check">
        <input type="checkbox" name="notify_email" value="1" checked={auth.member.notifyEmail} />{' '}
        {t('settings.notify_email')}
      </label>
      <span class="hint">{t('settings.notify_email_hint')}</span>
      <label class="check">
        <input
          type="checkbox"
          name="notify_assigned"
          value="1"
          checked={auth.member.notifyAssigned}
        />{' '}
        {t('settings.notify_assigned')}
      </label>
      <label class="check">
        <input
          type="checkbox"
          name="notify_mention"
          value="1"
          checked={auth.member.notifyMention}
        />{' '}
        {t('settings.notify_mention')}
      </label>
      <div class="actions">
        <button type="submit" class="primary">
          {t('board.save')}
        </button>
      </div>
    </form>
  )
}
