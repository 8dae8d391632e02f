import type { AttachmentView } from '../../src/attachments/attachments.usecases'
import {
  downloadName,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENT_LABEL,
} from '../../src/attachments/attachments.rules'
import { withoutBidiControls } from '../../src/shared/validation'
import type { FieldProblem } from '../../src/shared/errors'
import type { Translate } from '../../src/shared/i18n'
import { FieldError } from '../components'

function Icon(props: { kind: 'clip' | 'file' | 'removed' }) {
  return (
    <svg
      class={`icon icon-${props.kind}`}
      viewBox="0 0 24 24"
      width="18"
      height="18"
      aria-hidden="true"
      fill="none"
      stroke="currentColor"
      stroke-width="1.8"
      stroke-linecap="round"
      stroke-linejoin="round"
    >
      {props.kind === 'clip' ? (
        <path d="M21.44 11.05l-9.19 9.19a6 6 0 0 1-8.49-8.49l9.19-9.19a4 4 0 0 1 5.66 5.66l-9.2 9.19a2 2 0 0 1-2.83-2.83l8.49-8.48" />
      ) : (
        <>
          <path d="M13 2H6a2 2 0 0 0-2 2v16a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2V9z" />
          <polyline points="13 2 13 9 20 9" />
          {props.kind === 'removed' ? <line x1="9" y1="15" x2="15" y2="15" /> : null}
        </>
      )}
    </svg>
  )
}

/** A short label for the file's kind: "PDF", "PNG", "MP4" … from its name, else its type. */
function kindLabel(file: AttachmentView) {
  const extension = /\.([A-Za-z0-9]{1,8})$/.exec(file.name)?.[1]
  if (extension) return extension.toUpperCase()
  return file.type === 'application/octet-stream' ? '' : file.type
}

/**
 * A message's files in the thread: thumbnail for raster images, then name (a download link),
 * size and kind. A file whose contents retention removed stays as a stub.
 * `base` is the board's URL on this side (/w/…/boards/:id or /g/:boardId).
 */
export function AttachmentList(props: { t: Translate; base: string; files?: AttachmentView[] }) {
  const { t, files } = props
  if (!files || files.length === 0) return null
  return (
    <ul class="attachments" aria-label={t('attachment.files')}>
      {files.map((file) =>
        file.removed ? (
          <li class="attachment removed">
            <span class="attachment-icon">
              <Icon kind="removed" />
            </span>
            <bdi class="attachment-name">{file.name}</bdi>
            <span class="attachment-meta">{t('attachment.removed')}</span>
          </li>
        ) : (
          <li class={`attachment ${file.thumbnail ? 'with-thumb' : ''}`}>
            {file.thumbnail ? (
              <a
                class="attachment-thumb"
                href={`${props.base}/attachments/${file.id}`}
                download={downloadName(file.name)}
              >
                <img
                  src={`${props.base}/attachments/${file.id}/thumb`}
                  alt={withoutBidiControls(file.name)}
                  loading="lazy"
                  decoding="async"
                />
              </a>
            ) : (
              <span class="attachment-icon">
                <Icon kind="file" />
              </span>
            )}
            <a
              class="attachment-name"
              href={`${props.base}/attachments/${file.id}`}
              download={downloadName(file.name)}
            >
              <bdi>{file.name}</bdi>
            </a>
            <span class="attachment-meta">
              {file.sizeLabel}
              {kindLabel(file) ? ` · ${kindLabel(file)}` : ''}
            </span>
          </li>
        ),
      )}
    </ul>
  )
}

/** Seconds without a byte moving before an upload says it is stalled (uploads.js). */
const STALL_SECONDS = 15

/**
 * The composer's file area: drop files anywhere on the composer or pick them; each gets a row
 * with a progress bar (views/static/uploads.js). Finished files' ids go out with the message in
 * `attachment_ids`; the send button waits for running uploads.
 */
export function AttachmentPicker(props: {
  t: Translate
  uploadUrl: string
  inputId: string
  problems?: FieldProblem[]
}) {
  const { t } = props
  return (
    <div
      class="upload-zone"
      data-upload-url={props.uploadUrl}
      data-max-bytes={String(MAX_ATTACHMENT_BYTES)}
      data-i18n={JSON.stringify({
        tooLarge: t('attachment.too_large', { limit: MAX_ATTACHMENT_LABEL }),
        cancel: t('attachment.cancel'),
        retry: t('attachment.retry'),
        remove: t('attachment.remove'),
        waiting: t('attachment.waiting'),
        done: t('attachment.done'),
        failed: t('attachment.failed'),
        left: t('attachment.left'),
        wait: t('attachment.uploading_wait'),
        stalled: t('attachment.stalled', { seconds: '{seconds}' }),
        network: t('attachment.network'),
        serverError: t('attachment.server_error', { status: '{status}' }),
        resumeOffer: t('attachment.resume_offer', {
          name: '{name}',
          sent: '{sent}',
          size: '{size}',
        }),
        resumeChoose: t('attachment.resume_choose'),
        resumeDiscard: t('attachment.resume_discard'),
        resumed: t('attachment.resumed', { sent: '{sent}' }),
      })}
      data-stall-seconds={String(STALL_SECONDS)}
    >
      <input type="hidden" name="attachment_ids" value="" />
      <p class="upload-drop">
        <Icon kind="clip" /> {t('attachment.drop_here')}{' '}
        <label for={props.inputId} class="upload-choose">
          {t('attachment.choose')}
        </label>
        <input id={props.inputId} class="upload-input" type="file" multiple />
        <span class="upload-hint">
          （{t('attachment.limit_hint', { limit: MAX_ATTACHMENT_LABEL })}）
        </span>
      </p>
      <FieldError t={t} field="attachment_ids" problems={props.problems} />
      <ul class="upload-list" aria-live="polite"></ul>
      <p class="upload-wait" hidden>
        {t('attachment.uploading_wait')}
      </p>
    </div>
  )
}
