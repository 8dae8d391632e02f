import { AppError, validationError } from '../shared/errors'
import { MAX_ATTACHMENT_LABEL, MAX_OPEN_UPLOADS } from './attachments.rules'

export const fileTooLarge = () =>
  new AppError('file_too_large', 413, 'attachment.too_large', [], { limit: MAX_ATTACHMENT_LABEL })
export const partTooLarge = (expected: number) =>
  new AppError('part_too_large', 413, 'attachment.part_too_large', [], { expected })
export const wrongPartSize = (expected: number, actual: number | string) =>
  new AppError('part_size', 422, 'attachment.part_size', [], { expected, actual })
export const wrongPartNumber = (parts: number) =>
  new AppError('part_number', 422, 'attachment.part_number', [], { parts })
export const partsMissing = (missing: number[]) =>
  new AppError('parts_missing', 409, 'attachment.parts_missing', [], {
    missing: missing.length > 10 ? `${missing.slice(0, 10).join(', ')} …` : missing.join(', '),
  })
export const sizeMismatch = () => new AppError('size_mismatch', 422, 'attachment.size_mismatch')
/** The file's contents were deleted by the retention setting; only its stub remains. */
export const attachmentRemoved = () => new AppError('attachment_removed', 410, 'attachment.removed')
export const emptyFile = () => new AppError('empty_file', 422, 'attachment.empty')
/** Another request is finishing the same upload. */
export const uploadBusy = () => new AppError('upload_busy', 409, 'attachment.busy')
export const uploadGone = () => new AppError('upload_gone', 410, 'attachment.upload_gone')
export const noSpace = () => new AppError('no_space', 507, 'attachment.no_space')
export const tooManyUploads = () =>
  new AppError('too_many_uploads', 429, 'attachment.too_many', [], {
    max: MAX_OPEN_UPLOADS,
    seconds: 60,
  })
export const rangeNotSatisfiable = () =>
  new AppError('range_not_satisfiable', 416, 'attachment.range')
export const invalidAttachmentIds = () =>
  validationError([{ field: 'attachment_ids', problem: 'attachment.invalid_ids' }])
