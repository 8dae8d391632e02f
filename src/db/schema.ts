import type { Generated, Insertable, Selectable, Updateable } from 'kysely'

export type Locale = 'ja' | 'en'
export type BoardStatus = 'new' | 'waiting' | 'replied' | 'on_hold' | 'done' | 'closed'
export type Role = 'owner' | 'admin' | 'member'

export interface WorkspaceTable {
  id: string
  name: string
  slug: string
  time_zone: Generated<string>
  locale: Generated<Locale>
  expiry_days: Generated<number>
  contact_email: string | null
  contact_phone: string | null
  closed_days: Generated<string>
  digest_time: Generated<string>
  status_labels: Generated<string>
  attachment_retention_days: number | null
  unread_warning_days: Generated<number>
  /** 1: every member must sign in with a second factor (migrations/0014_team.sql) */
  require_2fa: Generated<number>
  created_at: number
  /** 1: new boards are assigned in turn among members who opted in (0021_mentions.sql) */
  round_robin: Generated<number>
}

export interface MemberTable {
  id: string
  workspace_id: string
  email: string
  name: string
  password_hash: string
  role: Generated<Role>
  locale: Locale | null
  notify_email: Generated<number>
  digest_enabled: Generated<number>
  created_at: number
  /** migrations/0014_team.sql */
  last_login_at: number | null
  totp_secret: string | null
  totp_enabled_at: number | null
  totp_last_step: number | null
  /** migrations/0021_mentions.sql: the team emails, フリガナ and round-robin (issue #17) */
  notify_assigned: Generated<number>
  notify_mention: Generated<number>
  name_kana: string | null
  round_robin: Generated<number>
  round_robin_turn: number | null
}

export interface InvitationTable {
  id: string
  workspace_id: string
  email: string
  role: Role
  token_hash: string
  version: Generated<number>
  invited_by: string | null
  created_at: number
  expires_at: number
  accepted_at: number | null
  revoked_at: number | null
}

export interface AccountTokenTable {
  id: string
  member_id: string
  workspace_id: string
  purpose: 'password_reset' | 'email_change'
  token_hash: string
  new_email: string | null
  created_at: number
  expires_at: number
  used_at: number | null
}

export interface RecoveryCodeTable {
  member_id: string
  code_hash: string
  used_at: number | null
}

export interface LoginChallengeTable {
  id_hash: string
  member_id: string
  created_at: number
  expires_at: number
  attempts: Generated<number>
}

export interface AuditLogTable {
  id: string
  workspace_id: string
  at: number
  actor_id: string | null
  actor_name: string | null
  action: string
  target: string | null
  /** JSON object */
  detail: string | null
  ip: string | null
}

export interface SessionTable {
  id_hash: string
  member_id: string
  workspace_id: string
  csrf_token: string
  created_at: number
  expires_at: number
}

export interface RateLimitTable {
  key: string
  window_start: number
  count: number
}

export interface BoardTable {
  id: string
  workspace_id: string
  name: string
  customer_name: string
  customer_email: string
  dedupe_key: string | null
  thread_message_id: string | null
  status: Generated<BoardStatus>
  next_contact_on: string | null
  next_contact_time: string | null
  /** generated column: never written */
  contact_sort: Generated<string>
  expires_at: number
  decision_no: number | null
  last_no: Generated<number>
  message_seq: Generated<number>
  /** bumped when an existing message or file changes (migrations/0009_thread_rev.sql) */
  thread_rev: Generated<number>
  last_public_author: 'guest' | 'member' | null
  last_activity_at: number
  guest_link_version: Generated<number>
  guest_read_no: Generated<number>
  guest_read_at: number | null
  /** the customer's address bounced or complained (migrations/0007_inbound.sql) */
  guest_email_problem: 'bounced' | 'complained' | null
  guest_email_problem_at: number | null
  /** the customer's rating once the board is done, 1–5 (migrations/0017_ratings.sql) */
  rating_score: number | null
  rating_comment: string | null
  /** epoch ms of the latest rating (or change of it) */
  rated_at: number | null
  /** epoch ms of the first rating: it may be changed for 7 days from here */
  first_rated_at: number | null
  /** id of the latest rating write; statements of the same batch are gated on it */
  rating_event_id: string | null
  created_by: string | null
  created_at: number
  updated_at: number
  /** statistics rollups, written with the events (migrations/0015_statistics.sql); ms */
  first_guest_at: number | null
  first_response_at: number | null
  first_response_ms: number | null
  first_response_business_ms: number | null
  decided_at: number | null
  decision_ms: number | null
  decision_business_ms: number | null
  closed_at: number | null
  /** 担当者: the member handling it, or NULL (migrations/0019_assignee.sql) */
  assignee_member_id: Generated<string | null>
  /** カテゴリ: one of the workspace's categories, or NULL (migrations/0022_tags.sql) */
  category_id: Generated<string | null>
}

export interface MessageTable {
  id: string
  workspace_id: string
  board_id: string
  no: number | null
  seq: number
  internal: Generated<number>
  author_kind: 'member' | 'guest' | 'api'
  author_member_id: string | null
  author_name: string
  body: string
  decides_no: number | null
  next_contact_phrase: string | null
  next_contact_on: string | null
  next_contact_time: string | null
  notify_guest: Generated<number>
  edited_at: number | null
  created_at: number
}

export interface BoardReadTable {
  member_id: string
  board_id: string
  seq: number
  read_at: number
}

export interface DecisionTable {
  id: string
  workspace_id: string
  board_id: string
  decision_no: number
  decided_message_id: string
  confirming_message_id: string
  decided_body: string
  decided_sha256: string
  decided_by_member_id: string | null
  decided_by_name: string
  decided_at: number
  /** JSON array of the decided message's files then (migrations/0020_board_details.sql) */
  decided_files: string | null
}

/** A system line on a board: a corrected detail, a re-sent notification (migrations/0020). */
export interface BoardEventTable {
  id: string
  workspace_id: string
  board_id: string
  after_seq: number
  kind: 'detail_changed' | 'notification_resent'
  field: 'name' | 'customer_name' | 'customer_email' | null
  old_value: string | null
  new_value: string | null
  message_id: string | null
  actor_kind: 'member' | 'api'
  actor_member_id: string | null
  actor_name: string
  at: number
}

export interface TemplateSetTable {
  id: string
  workspace_id: string
  name: string
  position: number
  created_at: number
}

export interface TemplateTable {
  id: string
  workspace_id: string
  set_id: string
  label: string
  body: string
  status: BoardStatus | null
  kind: Generated<'normal' | 'decision'>
  position: number
  created_at: number
}

export interface OutboxTable {
  id: string
  workspace_id: string
  kind: string
  idempotency_key: string
  board_id: string | null
  message_id: string | null
  payload: string
  status: Generated<'pending' | 'sending' | 'sent' | 'failed'>
  attempts: Generated<number>
  next_attempt_at: number
  locked_until: number | null
  provider_id: string | null
  last_error: string | null
  created_at: number
  sent_at: number | null
  /** from the provider's delivery webhooks (migrations/0007_inbound.sql) */
  delivery_status: 'delivered' | 'delivery_delayed' | 'bounced' | 'complained' | null
  delivery_updated_at: number | null
  /**
   * 1 on a failed row whose mail may or may not have gone out (migrations/0016_mail_sending.sql):
   * shown to members as needing attention, never retried automatically
   */
  needs_attention: Generated<number>
  /** times a member sent a needing-attention mail again; from 1 on, its provider key changes */
  manual_resends: Generated<number>
}

/** The shared send-rate schedule, one row per mail provider (src/notifications/send-rate.ts). */
export interface SendSlotTable {
  provider: string
  /** the earliest time (ms since the epoch) the provider's next send may start */
  next_at: number
}

/** Mail kept by the dev mailbox transport (migrations/0003_notifications.sql). */
export interface DevMailTable {
  id: Generated<number>
  idempotency_key: string
  to_address: string
  from_address: string
  subject: string
  text: string
  html: string
  /** JSON object of decoded header values */
  headers: string
  created_at: number
}

/** Shop API keys (migrations/0004_api.sql): only the SHA-256 of the key is stored. */
export interface ApiKeyTable {
  id: string
  workspace_id: string
  name: string
  prefix: string
  key_hash: string
  scope: Generated<'read' | 'write'>
  created_by: string | null
  created_at: number
  last_used_at: number | null
  revoked_at: number | null
}

export interface ApiIdempotencyTable {
  api_key_id: string
  key: string
  fingerprint: string
  status: 'in_flight' | 'done'
  response_status: number | null
  response_body: string | null
  created_at: number
  /** the process holding an in-flight claim (Node: one id per start); null on Workers */
  owner: string | null
  /** the board the stored answer is about: its customer link is rebuilt on replay */
  board_id: string | null
}

export interface ApiIdempotencyCommitTable {
  api_key_id: string
  key: string
  board_id: string
  message_id: string | null
  created_at: number
}

export interface GuestSubmissionTable {
  board_id: string
  submit_key: string
  message_id: string
  created_at: number
}

export interface ApiFirstMessageTable {
  board_id: string
  fingerprint: string
  created_at: number
}

export interface WebhookEndpointTable {
  id: string
  workspace_id: string
  url: string
  /** JSON array of event types */
  events: string
  /** encrypted with a key derived from APP_SECRET */
  secret: string
  active: Generated<number>
  created_by: string | null
  created_at: number
}

export interface UploadTable {
  id: string
  workspace_id: string
  board_id: string
  /** a member id, or 'guest' */
  uploader: string
  name: string
  size: number
  type: string
  part_size: number
  part_count: number
  status: Generated<'open' | 'completing' | 'complete'>
  blob_key: string
  multipart_id: string
  created_at: number
  expires_at: number
}

export interface UploadPartTable {
  upload_id: string
  part_number: number
  size: number
  etag: string
  stored_at: number
}

export interface AttachmentTable {
  id: string
  workspace_id: string
  board_id: string
  message_id: string | null
  upload_id: string
  uploader: string
  name: string
  size: number
  type: string
  sha256: string
  blob_key: string
  internal: Generated<number>
  created_at: number
  deleted_at: number | null
}

/** Inbound emails by Message-ID (migrations/0007_inbound.sql): each is posted at most once. */
export interface InboundEmailTable {
  message_id: string
  workspace_id: string | null
  board_id: string | null
  from_address: string | null
  subject: string
  outcome: string
  posted_message_id: string | null
  created_at: number
  /** blob key of the raw MIME, kept for mail shown as unreadable (migrations/0012) */
  raw_key: string | null
}

/** svix-ids of accepted Resend webhooks (migrations/0007_inbound.sql). */
export interface WebhookReceiptTable {
  id: string
  received_at: number
}

export interface D1MigrationTable {
  id: Generated<number>
  name: string
  applied_at: Generated<string>
}

/** Every table the app reads or writes. Feature issues extend this with their own tables. */
/** One row per workspace that changed its business hours or customer-care texts. */
export interface CareSettingsTable {
  workspace_id: string
  week: string
  japanese_holidays: Generated<number>
  auto_answer: Generated<number>
  auto_answer_delay_minutes: number | null
  auto_answer_text: string | null
  welcome: Generated<number>
  welcome_text: string | null
  rating: Generated<number>
  rating_question: string | null
  updated_at: number
}

/** An automatic answer to a customer post (migrations/0011_auto_answers.sql). */
export interface AutoAnswerTable {
  id: string
  workspace_id: string
  board_id: string
  period_start: number
  customer_message_id: string
  due_at: number
  state: Generated<'pending' | 'sent' | 'cancelled'>
  body: string | null
  sent_at: number | null
  created_at: number
}

/** What each search index row belongs to (migrations/0018_search.sql); id = the FTS rowid. */
export interface SearchRowTable {
  id: Generated<number>
  workspace_id: string
  board_id: string
  /** NULL: the board's own row (name, customer name, email) */
  message_id: string | null
  internal: number
}

/** The FTS5 table (rowid = search_rows.id); `grams` as src/search/search.text.ts cuts them. */
export interface SearchIndexTable {
  rowid: number
  grams: string
}

/** How far the backfill of rows written before migration 0018 has come (one row). */
export interface SearchBackfillTable {
  id: number
  boards_below: number
  messages_below: number
}

/** A status set by hand: a member, an API key or the customer (migrations/0017_ratings.sql). */
export interface StatusChangeTable {
  id: string
  workspace_id: string
  board_id: string
  status: BoardStatus
  previous_status: BoardStatus
  actor_kind: 'member' | 'api' | 'guest'
  actor_member_id: string | null
  actor_name: string
  at: number
}

/** A workspace's tag (migrations/0022_tags.sql); `name_key` is the lower-case name, unique. */
export interface TagTable {
  id: string
  workspace_id: string
  name: string
  name_key: string
  colour: Generated<string>
  created_at: number
}

export interface BoardTagTable {
  board_id: string
  tag_id: string
  workspace_id: string
  added_at: number
}

/** A workspace's category (名刺, チラシ …), shown in `position` order. */
export interface CategoryTable {
  id: string
  workspace_id: string
  name: string
  name_key: string
  position: Generated<number>
  created_at: number
}

/** 保存した検索 (migrations/0023_saved_views.sql); owner_member_id null: shared. */
export interface SavedViewTable {
  id: string
  workspace_id: string
  owner_member_id: string | null
  name: string
  query: string
  created_by: string | null
  created_at: number
  updated_at: number
}
export type SavedViewRow = Selectable<SavedViewTable>

export interface Database {
  tags: TagTable
  board_tags: BoardTagTable
  categories: CategoryTable
  saved_views: SavedViewTable
  mentions: MentionTable
  search_rows: SearchRowTable
  search_index: SearchIndexTable
  search_backfill: SearchBackfillTable
  workspaces: WorkspaceTable
  members: MemberTable
  invitations: InvitationTable
  account_tokens: AccountTokenTable
  recovery_codes: RecoveryCodeTable
  login_challenges: LoginChallengeTable
  audit_log: AuditLogTable
  sessions: SessionTable
  rate_limits: RateLimitTable
  boards: BoardTable
  messages: MessageTable
  board_reads: BoardReadTable
  decisions: DecisionTable
  board_events: BoardEventTable
  template_sets: TemplateSetTable
  templates: TemplateTable
  outbox: OutboxTable
  send_slots: SendSlotTable
  dev_mail: DevMailTable
  api_keys: ApiKeyTable
  api_idempotency: ApiIdempotencyTable
  api_first_messages: ApiFirstMessageTable
  api_idempotency_commits: ApiIdempotencyCommitTable
  guest_submissions: GuestSubmissionTable
  webhook_endpoints: WebhookEndpointTable
  uploads: UploadTable
  upload_parts: UploadPartTable
  attachments: AttachmentTable
  inbound_emails: InboundEmailTable
  webhook_receipts: WebhookReceiptTable
  care_settings: CareSettingsTable
  auto_answers: AutoAnswerTable
  status_changes: StatusChangeTable
  d1_migrations: D1MigrationTable
}

export type Workspace = Selectable<WorkspaceTable>
export type Member = Selectable<MemberTable>
export type BoardRow = Selectable<BoardTable>
export type MessageRow = Selectable<MessageTable>
export type TemplateRow = Selectable<TemplateTable>
export type TemplateSetRow = Selectable<TemplateSetTable>
export type NewBoard = Insertable<BoardTable>
export type BoardUpdate = Updateable<BoardTable>
export type OutboxRow = Selectable<OutboxTable>
export type ApiKeyRow = Selectable<ApiKeyTable>
export type WebhookEndpointRow = Selectable<WebhookEndpointTable>
export type UploadRow = Selectable<UploadTable>
export type AttachmentRow = Selectable<AttachmentTable>
export type BoardEventRow = Selectable<BoardEventTable>

/** A member mentioned in an internal note (migrations/0021_mentions.sql, issue #17). */
export interface MentionTable {
  id: string
  workspace_id: string
  board_id: string
  message_id: string
  member_id: string
  author_member_id: string | null
  created_at: number
  read_at: number | null
}
