import type { FieldProblem } from '../../src/shared/errors'
import type { SignedInView } from '../../src/auth/auth.view-model'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'

export function NewBoardPage(
  props: PageProps & {
    auth: SignedInView
    values?: Record<string, string>
    problems?: FieldProblem[]
    duplicate?: { id: string; name: string }
  },
) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}/boards`
  const values = props.values ?? {}
  const field = (
    name: string,
    label: string,
    attrs: Record<string, string | boolean> = {},
    hint?: string,
  ) => (
    <label class={props.problems?.some((p) => p.field === name) ? 'has-error' : ''}>
      {label}
      <input
        name={name}
        value={values[name] ?? ''}
        aria-invalid={props.problems?.some((p) => p.field === name) ? 'true' : undefined}
        {...attrs}
      />
      {hint ? <span class="hint">{hint}</span> : null}
      <FieldError t={t} field={name} problems={props.problems} />
    </label>
  )
  return (
    <MemberLayout t={t} locale={props.locale} auth={auth} title={t('boards.new')} active="boards">
      <div class="page-head">
        <h1>{t('boards.new')}</h1>
      </div>
      <form class="card form" method="post" action={base}>
        <CsrfField token={auth.csrfToken} />
        {props.duplicate ? (
          <p class="alert warning" role="alert">
            {t('board.duplicate')} <strong>{props.duplicate.name}</strong>{' '}
            <a href={`${base}/${props.duplicate.id}`}>{t('board.open_existing')} →</a>
          </p>
        ) : props.problems?.length ? (
          <p class="alert error" role="alert">
            {t('error.validation')}
          </p>
        ) : null}
        {field('name', t('board.name'), { required: true, maxlength: '200', autofocus: true })}
        <div class="row">
          {field('customer_name', t('board.customer_name'), { required: true, maxlength: '100' })}
          {field('customer_email', t('board.customer_email'), {
            required: true,
            type: 'email',
            maxlength: '254',
          })}
        </div>
        <details open={Boolean(values.dedupe_key || values.message_id || props.duplicate)}>
          <summary>{`${t('board.dedupe_key')} / ${t('board.thread_message_id')}`}</summary>
          {field(
            'dedupe_key',
            t('board.dedupe_key'),
            { maxlength: '200' },
            t('board.dedupe_key_hint'),
          )}
          {field(
            'message_id',
            t('board.thread_message_id'),
            { maxlength: '250', placeholder: '<order-123@shop.example>' },
            t('board.thread_message_id_hint'),
          )}
        </details>
        <div class="actions">
          <a class="button" href={base}>
            {t('board.cancel')}
          </a>
          <button class="primary" type="submit">
            {t('board.create')}
          </button>
        </div>
      </form>
    </MemberLayout>
  )
}
