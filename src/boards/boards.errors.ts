import { AppError } from '../shared/errors'

export const boardNotFound = () => new AppError('board_not_found', 404, 'error.not_found')

/** A dedupe key already names another board of the workspace. */
export class DuplicateBoardError extends AppError {
  constructor(
    readonly existingBoardId: string,
    readonly existingBoardName: string,
  ) {
    super('duplicate_dedupe_key', 409, 'board.duplicate', [
      { field: 'dedupe_key', problem: 'field.duplicate' },
    ])
  }
}
