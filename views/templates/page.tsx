import type { SignedInMember } from '../../src/http'
import { BOARD_STATUSES } from '../../src/boards/boards.rules'
import type { FieldProblem } from '../../src/shared/errors'
import { statusLabel } from '../../src/boards/boards.labels'
import { TEMPLATE_VARIABLES } from '../../src/templates/templates.fill'
import type { TemplatePreview } from '../../src/templates/templates.usecases'
import type { TemplateSetView, TemplateView } from '../../src/templates/templates.view-model'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'

/** Fills a body for the sample board (the page passes previewTemplate with its context). */
export type PreviewOf = (body: string) => TemplatePreview

export const templatePreviewUrl = (slug: string) => `/w/${slug}/templates/preview`

/**
 * The body as it would be sent on a sample board, and the variables that cannot be filled.
 * The inside of `.template-preview`, which asks again as the member types (htmx).
 */
export function TemplatePreviewContent(props: PageProps & { preview: TemplatePreview }) {
  const { t, preview } = props
  return (
    <>
      <p class="template-preview-title small">
        <strong>{t('templates.preview')}</strong>{' '}
        <span class="muted">
          {t('templates.preview_sample', {
            customer: preview.sample.customerName,
            board: preview.sample.boardName,
            date: preview.sample.nextContactDate,
            no: preview.sample.commentNo,
          })}
        </span>
      </p>
      {preview.text.trim() ? (
        <div class="template-preview-text" dir="auto">
          {preview.text}
        </div>
      ) : (
        <p class="template-preview-text muted small">{t('templates.preview_empty')}</p>
      )}
      {preview.unknown.length ? (
        <p class="warning small" role="alert">
          {t('templates.preview_unknown', { names: preview.unknown.join(' ') })}
        </p>
      ) : null}
    </>
  )
}

/** Labelled variable chips: each inserts its `{{…}}` at the cursor of this form's body. */
function VariableChips(props: PageProps) {
  const { t } = props
  return (
    <div class="variable-chips" role="group" aria-label={t('templates.variables')}>
      {TEMPLATE_VARIABLES.map((name) => {
        const label = t(`templates.var.${name}`)
        return (
          <button
            type="button"
            class="chip variable-chip"
            data-insert={`{{${name}}}`}
            title={`${t('templates.insert_variable', { label })} — {{${name}}}`}
          >
            <span aria-hidden="true">＋</span> {label}
          </button>
        )
      })}
    </div>
  )
}

function TemplateFields(
  props: PageProps & {
    template?: TemplateView
    labels: Record<string, string>
    problems?: FieldProblem[]
    previewOf: PreviewOf
    previewUrl: string
    /** makes the ids of this form's body and preview unique on the page */
    formKey: string
  },
) {
  const { t, template } = props
  const bodyId = `template-body-${props.formKey}`
  return (
    <>
      <label>
        {t('templates.label')}
        <input name="label" value={template?.label ?? ''} required maxlength={60} />
        <FieldError t={t} field="label" problems={props.problems} />
      </label>
      <div class="template-body-field">
        <label for={bodyId}>{t('templates.body')}</label>
        <VariableChips t={t} locale={props.locale} />
        <textarea id={bodyId} name="body" rows={4} required maxlength={5000}>
          {template?.body ?? ''}
        </textarea>
        <FieldError t={t} field="body" problems={props.problems} />
        <div
          class="template-preview"
          aria-live="polite"
          hx-post={props.previewUrl}
          hx-trigger="input changed delay:300ms from:closest form target:textarea"
          hx-target="this"
          hx-swap="innerHTML"
          hx-sync="this:replace"
        >
          <TemplatePreviewContent
            t={t}
            locale={props.locale}
            preview={props.previewOf(template?.body ?? '')}
          />
        </div>
      </div>
      <div class="row">
        <label>
          {t('templates.status')}
          <select name="status">
            <option value="">{t('templates.status_none')}</option>
            {BOARD_STATUSES.map((status) => (
              <option value={status} selected={template?.status === status}>
                {statusLabel(t, status, props.labels)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('templates.kind')}
          <select name="kind">
            <option value="normal" selected={template?.kind !== 'decision'}>
              {t('templates.kind.normal')}
            </option>
            <option value="decision" selected={template?.kind === 'decision'}>
              {t('templates.kind.decision')}
            </option>
          </select>
        </label>
      </div>
    </>
  )
}

function MoveButtons(props: PageProps & { action: string; csrf: string }) {
  return (
    <span class="move">
      {(['up', 'down'] as const).map((direction) => (
        <form method="post" action={props.action} class="inline">
          <CsrfField token={props.csrf} />
          <input type="hidden" name="direction" value={direction} />
          <button
            type="submit"
            class="icon"
            title={props.t(`templates.${direction}`)}
            aria-label={props.t(`templates.${direction}`)}
          >
            {direction === 'up' ? '↑' : '↓'}
          </button>
        </form>
      ))}
    </span>
  )
}

export function TemplatesPage(
  props: PageProps & {
    auth: SignedInMember
    sets: TemplateSetView[]
    labels: Record<string, string>
    problems?: FieldProblem[]
    previewOf: PreviewOf
  },
) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}/templates`
  const previewUrl = templatePreviewUrl(auth.workspace.slug)
  const csrf = auth.csrfToken
  return (
    <MemberLayout
      t={t}
      locale={props.locale}
      auth={auth}
      title={t('templates.title')}
      active="templates"
    >
      <div class="page-head">
        <h1>{t('templates.title')}</h1>
      </div>
      <p class="muted small">{t('templates.variables_hint')}</p>
      {props.problems?.length ? (
        <p class="alert error" role="alert">
          {t('error.validation')}
        </p>
      ) : null}
      {props.sets.map((set) => (
        <section class="card template-set-card" id={`set-${set.id}`}>
          <header class="set-head">
            <form method="post" action={`${base}/sets/${set.id}`} class="inline rename">
              <CsrfField token={csrf} />
              <input
                name="name"
                value={set.name}
                aria-label={t('templates.set_name')}
                maxlength={100}
                required
              />
              <button type="submit" class="small">
                {t('templates.rename')}
              </button>
            </form>
            <MoveButtons
              t={t}
              locale={props.locale}
              action={`${base}/sets/${set.id}/move`}
              csrf={csrf}
            />
            <form
              method="post"
              action={`${base}/sets/${set.id}/delete`}
              class="inline"
              data-confirm={t('templates.confirm_delete')}
            >
              <CsrfField token={csrf} />
              <button type="submit" class="small danger-outline">
                {t('templates.delete')}
              </button>
            </form>
          </header>
          {set.templates.length === 0 ? <p class="muted">{t('templates.empty')}</p> : null}
          {set.templates.map((template) => (
            <details class="template-item">
              <summary>
                <strong>
                  <bdi>{template.label}</bdi>
                </strong>
                {template.kind === 'decision' ? (
                  <span class="tag decided-tag">{t('templates.kind.decision')}</span>
                ) : null}
                {template.status ? (
                  <span class="tag">→ {statusLabel(t, template.status, props.labels)}</span>
                ) : null}
                <bdi class="muted small preview">{template.body.slice(0, 80)}</bdi>
              </summary>
              <form method="post" action={`${base}/templates/${template.id}`} class="form">
                <CsrfField token={csrf} />
                <TemplateFields
                  t={t}
                  locale={props.locale}
                  template={template}
                  labels={props.labels}
                  previewOf={props.previewOf}
                  previewUrl={previewUrl}
                  formKey={template.id}
                />
                <div class="actions">
                  <button type="submit" class="primary">
                    {t('templates.save')}
                  </button>
                </div>
              </form>
              <div class="actions">
                <MoveButtons
                  t={t}
                  locale={props.locale}
                  action={`${base}/templates/${template.id}/move`}
                  csrf={csrf}
                />
                <form
                  method="post"
                  action={`${base}/templates/${template.id}/delete`}
                  class="inline"
                  data-confirm={t('templates.confirm_delete')}
                >
                  <CsrfField token={csrf} />
                  <button type="submit" class="small danger-outline">
                    {t('templates.delete')}
                  </button>
                </form>
              </div>
            </details>
          ))}
          <details class="add-template">
            <summary>＋ {t('templates.add')}</summary>
            <form method="post" action={`${base}/sets/${set.id}/templates`} class="form">
              <CsrfField token={csrf} />
              <TemplateFields
                t={t}
                locale={props.locale}
                labels={props.labels}
                previewOf={props.previewOf}
                previewUrl={previewUrl}
                formKey={`new-${set.id}`}
              />
              <div class="actions">
                <button type="submit" class="primary">
                  {t('templates.add')}
                </button>
              </div>
            </form>
          </details>
        </section>
      ))}
      <form method="post" action={`${base}/sets`} class="card inline-form">
        <CsrfField token={csrf} />
        <input
          name="name"
          placeholder={t('templates.set_name')}
          aria-label={t('templates.set_name')}
          maxlength={100}
          required
        />
        <button type="submit" class="primary">
          ＋ {t('templates.new_set')}
        </button>
      </form>
    </MemberLayout>
  )
}
