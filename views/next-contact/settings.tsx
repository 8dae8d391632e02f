import type { SignedInMember } from '../../src/http'
import type { WorkspaceSettingsView } from '../../src/workspaces/workspaces.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import type { Translate } from '../../src/shared/i18n'
import { CsrfField, FieldError } from '../components'

/** Workspace settings (admins): closed days for business-day counting and the digest time. */
export function NextContactSettingsFields(props: {
  t: Translate
  settings: Pick<WorkspaceSettingsView, 'closedDays' | 'digestTime'>
  values: Record<string, string>
  problems?: FieldProblem[]
}) {
  const { t, settings, values } = props
  return (
    <div class="row">
      <label>
        {t('settings.closed_days')}
        <textarea
          name="closed_days"
          rows={4}
          maxlength={20000}
          placeholder={'2026-08-13〜2026-08-16\n2026-12-29〜2027-01-03'}
          aria-describedby="closed_days-hint"
          aria-invalid={props.problems?.some((p) => p.field === 'closed_days') ? 'true' : undefined}
        >
          {values.closed_days ?? settings.closedDays}
        </textarea>
        <span class="hint" id="closed_days-hint">
          {t('settings.closed_days_hint')}
        </span>
        <FieldError t={t} field="closed_days" problems={props.problems} />
      </label>
      <label>
        {t('settings.digest_time')}
        <input
          type="time"
          name="digest_time"
          value={values.digest_time ?? settings.digestTime}
          required
        />
        <span class="hint">{t('settings.digest_time_hint')}</span>
        <FieldError t={t} field="digest_time" problems={props.problems} />
      </label>
    </div>
  )
}

/** Each member's own daily digest switch, next to the notification switch. */
export function DigestForm(props: { t: Translate; auth: SignedInMember; saved?: boolean }) {
  const { t, auth } = props
  const w = auth.workspace
  return (
    <form method="post" action={`/w/${w.slug}/settings/digest`} class="card form" id="daily-digest">
      <CsrfField token={auth.csrfToken} />
      <h2>{t('settings.digest_title')}</h2>
      {props.saved ? (
        <p class="alert info" role="status">
          ✓ {t('settings.digest_saved')}
        </p>
      ) : null}
      <label class="check">
        <input
          type="checkbox"
          name="digest_enabled"
          value="1"
          checked={auth.member.digest_enabled === 1}
        />{' '}
        {t('settings.digest_enabled')}
      </label>
      <span class="hint">
        {t('settings.digest_hint', { time: w.digest_time, tz: w.time_zone })}
      </span>
      <div class="actions">
        <button type="submit" class="primary">
          {t('board.save')}
        </button>
      </div>
    </form>
  )
}
