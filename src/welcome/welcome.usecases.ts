import type { BoardRow, Workspace } from '../db/schema'
import type { Deps } from '../deps'
import { getCareSettings } from '../business-hours/business-hours.usecases'
import { postStaffMessage } from '../messages/messages.usecases'
import { fillTemplate } from '../templates/templates.fill'
import { defaultCareTexts } from '../business-hours/care-texts'

// The welcome message (ウェルカムメッセージ, 設定 → 営業時間と自動応答): a new board's first
// message, posted as the shop — numbered No.1 and emailed like any staff post, so the customer's
// first email already says who the shop is and how the board works.

/**
 * The workspace's welcome text (or the built-in one), filled by the one fill function
 * (templates.fill.ts: one pass over the template; an unknown `{{…}}` stays as written).
 */
export function welcomeText(
  workspace: Pick<Workspace, 'name' | 'locale'>,
  board: Pick<BoardRow, 'customer_name' | 'name'>,
  text: string | null,
): string {
  const values = {
    customer_name: board.customer_name,
    board_name: board.name,
    shop_name: workspace.name,
    workspace_name: workspace.name,
  }
  return fillTemplate(text ?? defaultCareTexts(workspace.locale).welcome, values)
}

/**
 * Posts the welcome on a board that was just created (by a member or the API without
 * `first_message`), when the workspace has it on. Returns the posted message, or undefined
 * when the workspace sends none. Called only for a board this request created, so a retried
 * create (same dedupe key) never welcomes twice.
 */
export async function postWelcome({
  deps,
  workspace,
  board,
}: {
  deps: Deps
  workspace: Workspace
  board: BoardRow
}) {
  const settings = await getCareSettings({ deps, workspaceId: workspace.id })
  if (!settings.welcome) return undefined
  // The settings form refuses unknown variables, so this cannot fail on the text; whatever
  // else fails (the database) fails the request like any post would.
  const posted = await postStaffMessage({
    deps,
    workspace,
    author: { kind: 'member', memberId: null, name: workspace.name },
    boardId: board.id,
    input: {
      body: welcomeText(workspace, board, settings.welcomeText),
      internal: false,
      silent: false,
      template_id: undefined,
      decides_no: undefined,
      next_contact_on: undefined,
      next_contact_time: undefined,
      next_contact_phrase: undefined,
      attachment_ids: undefined,
    },
  })
  return posted
}
