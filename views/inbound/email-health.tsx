import type { GuestEmailHealth } from '../../src/inbound/inbound.health'
import type { PageProps } from '../layout'

/**
 * Warnings that the customer is not reached by email (bounce, spam report, unread for days), from
 * a health already read: the list row's and the board's view models carry it.
 */
export function GuestEmailWarningLines(
  props: Pick<PageProps, 't'> & { health: GuestEmailHealth; compact?: boolean },
) {
  const { t, health } = props
  if (!health.problem && health.unreadDays === null) return null
  return (
    <div class={props.compact ? 'guest-email-warnings compact' : 'guest-email-warnings'}>
      {health.problem ? (
        <p class="alert warning small">
          ⚠ {t(health.problem === 'bounced' ? 'inbound.bounced' : 'inbound.complained')}
        </p>
      ) : null}
      {health.unreadDays !== null ? (
        <p class="alert warning small">⚠ {t('inbound.unread', { days: health.unreadDays })}</p>
      ) : null}
    </div>
  )
}
