import type { SignedInView } from '../../src/auth/auth.view-model'
import { CsrfField } from '../components'
import type { PageProps } from '../layout'

/**
 * Settings → 担当の自動割り当て (issue #17): the workspace's round-robin switch (admins) and each
 * member's own opt-in, with who takes part now.
 */
export function RoundRobinCard(
  props: PageProps & {
    auth: SignedInView
    members: { id: string; name: string }[]
    saved?: boolean
  },
) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}/settings/round-robin`
  const on = auth.workspace.roundRobin
  const joined = auth.member.roundRobin
  return (
    <section class="card form" id="round-robin" aria-labelledby="round-robin-title">
      <h2 id="round-robin-title">{t('round_robin.title')}</h2>
      {props.saved ? (
        <p class="alert info" role="status">
          ✓ {t('round_robin.saved')}
        </p>
      ) : null}
      <p class="hint">{t('round_robin.lead')}</p>
      <p>
        {on ? t('round_robin.is_on') : t('round_robin.is_off')}{' '}
        {props.members.length ? (
          <>
            {t('round_robin.members')}{' '}
            {props.members.map((member, i) => (
              <>
                {i ? '、' : ''}
                <bdi>{member.name}</bdi>
              </>
            ))}
          </>
        ) : (
          t('round_robin.nobody')
        )}
      </p>
      {auth.member.role !== 'member' ? (
        <form method="post" action={base} class="inline-form">
          <CsrfField token={auth.csrfToken} />
          <input type="hidden" name="enabled" value={on ? '0' : '1'} />
          <button type="submit">{on ? t('round_robin.turn_off') : t('round_robin.turn_on')}</button>
        </form>
      ) : null}
      <form method="post" action={`${base}/me`} class="inline-form">
        <CsrfField token={auth.csrfToken} />
        <input type="hidden" name="join" value={joined ? '0' : '1'} />
        <button type="submit">{joined ? t('round_robin.leave') : t('round_robin.join')}</button>
      </form>
    </section>
  )
}
