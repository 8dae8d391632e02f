import type { SignedInView } from '../../src/auth/auth.view-model'
import type { FieldProblem } from '../../src/shared/errors'
import { TAG_COLOURS } from '../../src/tags/tags.rules'
import { withoutBidiControls } from '../../src/shared/validation'
import { SettingsTabs } from '../api/settings-nav'
import { CsrfField, FieldError } from '../components'
import { MemberLayout, type PageProps } from '../layout'

interface TagSettingsProps extends PageProps {
  auth: SignedInView
  tags: { id: string; name: string; colour: string; boards: number }[]
  categories: { id: string; name: string; boards: number }[]
  notice?: string
  problems?: FieldProblem[]
  /** which form the problems belong to: `tag-<id>`, `category-<id>` or `new-category` */
  failedId?: string
}

/** 設定 → タグ: rename, recolour, merge and delete tags; add, rename and delete categories. */
export function TagSettingsPage(props: TagSettingsProps) {
  const { t, auth } = props
  const base = `/w/${auth.workspace.slug}/settings/tags`
  const problemsFor = (id: string) => (props.failedId === id ? props.problems : undefined)
  return (
    <MemberLayout t={t} locale={props.locale} auth={auth} title={t('tags.title')} active="settings">
      <div class="page-head">
        <h1>{t('tags.title')}</h1>
      </div>
      <SettingsTabs
        locale={props.locale}
        slug={auth.workspace.slug}
        active="tags"
        role={auth.member.role}
      />
      {props.notice ? (
        <p class="alert info" role="status">
          ✓ {props.notice}
        </p>
      ) : null}
      {props.problems?.length ? (
        <p class="alert error" role="alert">
          {t('error.validation')}
        </p>
      ) : null}
      <section class="card tag-settings" aria-labelledby="tags-heading">
        <h2 id="tags-heading">{t('tags.tags')}</h2>
        <p class="muted small">{t('tags.intro')}</p>
        {props.tags.length === 0 ? <p class="empty">{t('tags.empty')}</p> : null}
        <ul class="tag-settings-list">
          {props.tags.map((tag) => (
            <li id={`tag-${tag.id}`}>
              <p class="tag-settings-head">
                <span class={`tag-chip tag-${tag.colour}`}>
                  #<bdi>{tag.name}</bdi>
                </span>{' '}
                <span class="muted small">{t('tags.boards', { n: tag.boards })}</span>
              </p>
              <form method="post" action={`${base}/${tag.id}`} class="row tight tag-edit">
                <CsrfField token={auth.csrfToken} />
                <label>
                  {t('tags.name')}
                  <input name="name" value={tag.name} maxlength={30} required />
                  <FieldError t={t} field="name" problems={problemsFor(`tag-${tag.id}`)} />
                </label>
                <label>
                  {t('tags.colour')}
                  <select name="colour">
                    {TAG_COLOURS.map((colour) => (
                      <option value={colour} selected={tag.colour === colour}>
                        {t(`tags.colour.${colour}`)}
                      </option>
                    ))}
                  </select>
                </label>
                <button type="submit" class="small">
                  {t('tags.save')}
                </button>
              </form>
              {props.tags.length > 1 ? (
                <form method="post" action={`${base}/${tag.id}/merge`} class="row tight tag-merge">
                  <CsrfField token={auth.csrfToken} />
                  <label>
                    {t('tags.merge_into')}
                    <select name="into" required>
                      <option value="">{t('tags.merge_choose')}</option>
                      {props.tags
                        .filter((other) => other.id !== tag.id)
                        .map((other) => (
                          <option value={other.id}>{withoutBidiControls(other.name)}</option>
                        ))}
                    </select>
                  </label>
                  <button type="submit" class="small">
                    {t('tags.merge')}
                  </button>
                </form>
              ) : null}
              <form method="post" action={`${base}/${tag.id}/delete`} class="tag-delete">
                <CsrfField token={auth.csrfToken} />
                <button
                  type="submit"
                  class="small danger"
                  aria-label={`${t('tags.delete')}: #${tag.name}`}
                  title={t('tags.delete_confirm')}
                >
                  {t('tags.delete')}
                </button>
              </form>
            </li>
          ))}
        </ul>
      </section>
      <section class="card tag-settings" aria-labelledby="categories-heading">
        <h2 id="categories-heading">{t('categories.title')}</h2>
        <p class="muted small">{t('categories.intro')}</p>
        {props.categories.length === 0 ? <p class="empty">{t('categories.empty')}</p> : null}
        <ul class="tag-settings-list">
          {props.categories.map((category) => (
            <li id={`category-${category.id}`}>
              <form method="post" action={`${base}/categories/${category.id}`} class="row tight">
                <CsrfField token={auth.csrfToken} />
                <label>
                  {t('tags.name')}{' '}
                  <span class="muted small">{t('tags.boards', { n: category.boards })}</span>
                  <input name="name" value={category.name} maxlength={30} required />
                  <FieldError
                    t={t}
                    field="name"
                    problems={problemsFor(`category-${category.id}`)}
                  />
                </label>
                <button type="submit" class="small">
                  {t('tags.save')}
                </button>
              </form>
              <form method="post" action={`${base}/categories/${category.id}/delete`}>
                <CsrfField token={auth.csrfToken} />
                <button
                  type="submit"
                  class="small danger"
                  aria-label={`${t('tags.delete')}: ${category.name}`}
                >
                  {t('tags.delete')}
                </button>
              </form>
            </li>
          ))}
        </ul>
        <form method="post" action={`${base}/categories`} class="row tight">
          <CsrfField token={auth.csrfToken} />
          <label>
            {t('categories.new_name')}
            <input name="name" maxlength={30} required />
            <FieldError t={t} field="name" problems={problemsFor('new-category')} />
          </label>
          <button type="submit" class="primary small">
            {t('categories.add')}
          </button>
        </form>
      </section>
    </MemberLayout>
  )
}
