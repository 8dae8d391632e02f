// The decision record (DESIGN.md §2.8, issue #15.4): what was decided, frozen when it was
// decided — the decided message's text, its SHA-256, its files — so the shop and the customer
// read the same thing later, even after the message is edited.
import type { BoardRow, MessageRow } from '../db/schema'
import type { Deps } from '../deps'
import { formatBytes } from '../attachments/attachments.rules'
import { sha256Hex } from '../shared/crypto'
import { createMessagesRepository } from './messages.repository'

/** Hex digits of the SHA-256 shown as its short form (48 bits: enough to compare by eye). */
export const SHORT_HASH_LENGTH = 12

/** The short form of a SHA-256 hex digest: its first 12 hex digits. */
export const shortHash = (sha256: string) => sha256.slice(0, SHORT_HASH_LENGTH)

/** One file of the decided message, as the record names it. */
export interface DecidedFile {
  id: string
  name: string
  /** bytes */
  size: number
  /** "12.3 MB" */
  sizeLabel: string
  /** hex SHA-256 of the contents, computed when the upload completed */
  sha256: string
  /** the contents are gone now (retention); the record still names the file */
  removed: boolean
}

export interface DecisionView {
  decisionNo: number
  /** the decided message's text when it was decided */
  decidedBody: string
  /** hex SHA-256 of `decidedBody` (UTF-8), computed with WebCrypto when it was decided */
  sha256: string
  decidedByName: string
  /** epoch ms */
  decidedAt: number
  /** the public number of the message that confirmed the decision */
  confirmingNo: number | null
  /** the decided message's public files */
  files: DecidedFile[]
  /** the decided message was edited after the decision (its text no longer matches) */
  changedSince: boolean
  /** the decided message's text now (differs from `decidedBody` when `changedSince`) */
  currentBody: string | null
}

interface FrozenFile {
  id: string
  name: string
  size: number
  sha256: string
}

/** The decision row's JSON file list; anything unreadable counts as "not recorded". */
function parseFrozenFiles(json: string | null): FrozenFile[] | undefined {
  if (json === null) return undefined
  try {
    const parsed: unknown = JSON.parse(json)
    if (!Array.isArray(parsed)) return undefined
    return parsed.filter(
      (file): file is FrozenFile =>
        typeof file === 'object' &&
        file !== null &&
        typeof file.id === 'string' &&
        typeof file.name === 'string' &&
        typeof file.size === 'number' &&
        typeof file.sha256 === 'string',
    )
  } catch {
    return undefined
  }
}

/**
 * The board's decision record, or undefined when nothing is decided. The text and files are the
 * ones frozen with the decision (a decision recorded before files were frozen names the decided
 * message's files as they are); `changedSince` compares the decided message's text now with the
 * frozen hash. `thread` saves the lookup of the decided message when the caller has the rows.
 */
export async function loadDecision({
  deps,
  board,
  thread,
}: {
  deps: Deps
  board: BoardRow
  thread?: Pick<MessageRow, 'id' | 'body'>[]
}): Promise<DecisionView | undefined> {
  if (!board.decision_no) return undefined
  const messages = createMessagesRepository(deps)
  const decision = await messages.latestDecision(board.id)
  if (!decision) return undefined
  const [current, filesNow] = await Promise.all([
    thread
      ? thread.find((message) => message.id === decision.decided_message_id)
      : messages.findById(board.workspace_id, decision.decided_message_id),
    messages.publicFiles(decision.decided_message_id),
  ])
  const removedNow = new Set(filesNow.filter((f) => f.deleted_at !== null).map((f) => f.id))
  const frozen = parseFrozenFiles(decision.decided_files) ?? filesNow
  return {
    decisionNo: decision.decision_no,
    decidedBody: decision.decided_body,
    sha256: decision.decided_sha256,
    decidedByName: decision.decided_by_name,
    decidedAt: decision.decided_at,
    confirmingNo: decision.confirming_no ?? null,
    files: frozen.map((file) => ({
      id: file.id,
      name: file.name,
      size: file.size,
      sizeLabel: formatBytes(file.size),
      sha256: file.sha256,
      removed: removedNow.has(file.id) || !filesNow.some((f) => f.id === file.id),
    })),
    changedSince: current ? (await sha256Hex(current.body)) !== decision.decided_sha256 : true,
    currentBody: current?.body ?? null,
  }
}
