import { AppError } from '../shared/errors'

/** No tag with this id in the workspace (another workspace's id included). */
export const tagNotFound = () => new AppError('tag_not_found', 404, 'error.not_found')

/** No category with this id in the workspace (another workspace's id included). */
export const categoryNotFound = () => new AppError('category_not_found', 404, 'error.not_found')
