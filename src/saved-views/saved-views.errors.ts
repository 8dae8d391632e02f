import { AppError } from '../shared/errors'
import { MAX_VIEWS } from './saved-views.rules'

/** The member (or, for a shared view, the workspace) already keeps MAX_VIEWS views: 422 on name. */
export const tooManyViews = () =>
  new AppError('too_many_views', 422, 'views.too_many', [
    { field: 'name', problem: 'views.too_many', params: { max: MAX_VIEWS } },
  ])
