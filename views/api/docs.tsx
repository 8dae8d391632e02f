import type { Locale } from '../../src/db/schema'
import { Document } from '../layout'

interface DocsProps {
  locale: Locale
  baseUrl: string
  bodyLimit: number
  rateLimit: number
}

const ERRORS: { status: number; code: string; ja: string; en: string }[] = [
  {
    status: 400,
    code: 'malformed_json / invalid_encoding / duplicate_json_key / idempotency_key_invalid',
    ja: 'JSONとして読めない、UTF-8でない、同じキーの重複、Idempotency-Key の形式誤り',
    en: 'Not JSON, not UTF-8, a key repeated in one object, a malformed Idempotency-Key',
  },
  {
    status: 401,
    code: 'unauthorized',
    ja: 'APIキーがない・違う・無効化済み',
    en: 'Missing, unknown or revoked API key',
  },
  {
    status: 403,
    code: 'forbidden',
    ja: '読み取り専用キーで書き込もうとした',
    en: 'A read-only key tried to write',
  },
  {
    status: 404,
    code: 'not_found / board_not_found',
    ja: '存在しないパス、またはこのワークスペースにないボード',
    en: 'Unknown path, or no such board in this workspace',
  },
  {
    status: 409,
    code: 'dedupe_key_conflict / idempotency_key_in_flight',
    ja: '重複防止キーが別内容のボードに使われている（error.existing_board）／同じ Idempotency-Key を処理中',
    en: 'The dedupe key belongs to a board with other details (error.existing_board) / same Idempotency-Key still in flight',
  },
  {
    status: 413,
    code: 'payload_too_large',
    ja: '本文が上限を超えた（読み込み中に判定）',
    en: 'Body over the limit (decided while reading)',
  },
  {
    status: 415,
    code: 'unsupported_media_type',
    ja: 'Content-Type が application/json でない',
    en: 'Content-Type is not application/json',
  },
  {
    status: 422,
    code: 'validation_failed / idempotency_key_mismatch',
    ja: '値が不正（メール形式、未知のステータス、型違い、未知の項目、__proto__ などの禁止キー、深すぎる入れ子）／同じ Idempotency-Key で別内容',
    en: 'Invalid values (email, unknown status, wrong type, unknown field, forbidden keys such as __proto__, nesting too deep) / same Idempotency-Key with another payload',
  },
  {
    status: 429,
    code: 'rate_limited',
    ja: 'レート制限。Retry-After 秒後に再試行',
    en: 'Rate limited; retry after Retry-After seconds',
  },
]

function Code(props: { children: string }) {
  return (
    <pre class="doc-code">
      <code>{props.children}</code>
    </pre>
  )
}

/** /api/docs: the human side of the OpenAPI document, in Japanese or English. */
export function ApiDocsPage(props: DocsProps) {
  const ja = props.locale === 'ja'
  const api = `${props.baseUrl}/api/v1`
  const kb = Math.round(props.bodyLimit / 1024)
  const createExample = `curl -sS ${api}/boards \\
  -H "Authorization: Bearer $ORDERBOARD_KEY" \\
  -H "Content-Type: application/json" \\
  -H "Idempotency-Key: order-10421-create" \\
  -d '{
    "name": "名刺 100枚 (#10421)",
    "customer_name": "山田 花子",
    "customer_email": "hanako@example.jp",
    "dedupe_key": "order-10421",
    "message_id": "<order-10421@shop.example.jp>",
    "first_message": { "body": "ご注文ありがとうございます。デザイン案を12月5日までにお送りします。" }
  }'`
  const createAnswer = `HTTP/1.1 201 Created
{
  "board": { "id": "…", "name": "名刺 100枚 (#10421)", "status": "waiting", "dedupe_key": "order-10421", … },
  "staff_url": "${props.baseUrl}/w/<workspace>/boards/…",
  "guest_url": "${props.baseUrl}/g/…/…",
  "first_message": { "id": "…", "no": 1, "author_kind": "api", … }
}`
  const listExample = `curl -sS "${api}/boards?status=replied&updated_since=2026-12-01T00:00:00%2B09:00&limit=50" \\
  -H "Authorization: Bearer $ORDERBOARD_KEY"
# → { "boards": [ … ], "next_cursor": "WzE3…" }   (next page: &cursor=WzE3…)`
  const patchExample = `curl -sS -X PATCH ${api}/boards/$BOARD_ID \\
  -H "Authorization: Bearer $ORDERBOARD_KEY" -H "Content-Type: application/json" \\
  -d '{ "status": "on_hold", "next_contact_on": "2026-12-05", "next_contact_time": "15:00" }'`
  const messageExample = `curl -sS ${api}/boards/$BOARD_ID/messages \\
  -H "Authorization: Bearer $ORDERBOARD_KEY" -H "Content-Type: application/json" \\
  -H "Idempotency-Key: 6f1c2a8e-0a4b-4f7e-9d1c-2b7f3e9a5c10" \\
  -d '{ "body": "本日発送いたしました。", "notify": true }'`
  const errorExample = `HTTP/1.1 422 Unprocessable Content
{
  "error": {
    "code": "validation_failed",
    "message": "Please check what you entered.",
    "details": [ { "field": "customer_email", "problem": "Not a valid email address.", "code": "invalid_email" } ]
  }
}`
  const verifyExample = `// Node.js: verify Orderboard-Signature (t=<unix seconds>,v1=<hex>)
import { createHmac, timingSafeEqual } from 'node:crypto'

function verify(rawBody, header, secret) {
  const parts = Object.fromEntries(header.split(',').map((p) => p.split('=')))
  if (Math.abs(Date.now() / 1000 - Number(parts.t)) > 300) return false // refuse replays
  const expected = createHmac('sha256', secret).update(\`\${parts.t}.\${rawBody}\`).digest('hex')
  return timingSafeEqual(Buffer.from(expected), Buffer.from(parts.v1 ?? ''))
}`
  const webhookExample = `POST https://shop.example.jp/hooks/orderboard
Content-Type: application/json
Orderboard-Event: message.created
Orderboard-Event-Id: 0b6f…
Orderboard-Signature: t=1764032400,v1=5f8a…

{ "id": "0b6f…", "type": "message.created", "created_at": "2026-11-25T01:00:00.000Z",
  "data": { "board": { "id": "…", "name": "…", "dedupe_key": "order-10421", "status": "replied", "previous_status": "waiting" },
            "message": { "id": "…", "author_kind": "guest", "author_name": "山田 花子", "body": "…" } } }`

  const T = ja
    ? {
        title: 'Orderboard Shop API',
        lead: '受注システムから注文ごとのチャットボードを作成し、お客様用リンクを受け取るための JSON API です。',
        other: 'English',
        auth: '認証',
        authText:
          '設定 → APIキー（管理者のみ）でキーを作成し、Authorization ヘッダーで送ります。キーは作成時に一度だけ表示され、サーバーにはハッシュだけが保存されます。キーは作成したワークスペースのデータにだけ届きます。読み取り専用キーでの書き込みは 403 です。',
        format: '形式',
        formatText: `送受信はすべて JSON（UTF-8）です。POST と PATCH は Content-Type: application/json が必須で、それ以外は 415 です。未知の項目は無視せず 422 で返します（綴り間違いを見逃さないため）。日時は ISO 8601（タイムゾーン付き）、日付は YYYY-MM-DD（ワークスペースのタイムゾーン）です。エラーメッセージは常に英語で、プログラムは code で判定してください。`,
        endpoints: 'エンドポイント',
        create: 'ボードを作成する',
        createText:
          'name・customer_name・customer_email が必須。dedupe_key（重複防止キー、受注番号など）、message_id（お客様がすでに受け取っているメールの Message-ID。通知がそのスレッドに入ります）、first_message（最初のメッセージ。template に定型文ID、notify=false でメールなし、author_email でそのメンバーの名前で投稿。指定がなければショップ名）は任意です。',
        dedupe: '重複防止キーと再試行',
        dedupeText:
          '同じ dedupe_key で同じ内容を再送すると、新しいボードは作られず 200 と "duplicate": true で既存のボードが返ります（同時に50件届いても1件だけ）。同じキーで内容が違う場合は 409 で、error.existing_board が既存のボードを示します。first_message 付きの作成が途中で失敗した場合も、同じ dedupe_key で再送すれば最初のメッセージが一度だけ投稿されて完了します。',
        idem: 'Idempotency-Key',
        idemText:
          'すべての POST（と PATCH）に Idempotency-Key ヘッダーを付けられます（IETF draft-ietf-httpapi-idempotency-key-header）。キーは APIキーごとに少なくとも24時間保存されます。完了後の再送は保存した応答（同じステータスと本文、Idempotent-Replayed: true）を返し、処理中の再送は 409、同じキーで別内容は 422 です。エラー応答（4xx・5xx）は保存しません：リクエストを直して同じキーで再送できます。',
        list: 'ボード一覧',
        listText:
          '変更の古い順（updated_at, id）で返します。絞り込み: status、dedupe_key、updated_since（この時刻以降に変更）、next_contact_before（次回連絡予定日がこの日より前）。limit は 1〜100（既定 50）。next_cursor があれば cursor に渡して次のページへ。updated_since と組み合わせると差分同期ができます。',
        get: 'ボードを取得する（staff_url・guest_url 付き）',
        patch: 'ボードを変更する',
        patchText:
          'name・customer_name・customer_email（ボード名・お客様名・メールアドレスの訂正。変更はボードにメンバー向けの記録として残り、新しいメールアドレスは以前の不達の警告を消します）、status、next_contact_on（null で消去）、next_contact_time、expires_at（表示期限、ISO 8601）、closed（true で終了、false で再開）。status と closed は同時に指定できません。',
        messages: 'メッセージ',
        messagesText:
          'GET は公開メッセージと社内メモ（internal: true）を順に返します（after_seq で差分）。POST はスタッフのメッセージを投稿します。お客様に表示される送信者は author_email のメンバー、指定がなければショップ名です（APIキーの名前は表示されません）。画面からの投稿と同じルール（ステータス、表示期限、決定 decides_no、定型文 template）でお客様にメールします。internal: true で社内メモ、notify: false でメールなし。',
        errors: 'エラー',
        errorsText:
          'エラーは必ず次の形の JSON で返ります。スタックトレースや SQL を含むことはなく、不正な入力で 5xx になることも、エラー時に何かが保存されることもありません。',
        limits: '制限',
        limitsList: [
          `リクエスト本文: ${kb} KB（${props.bodyLimit} バイト）まで。超えると読み込み途中で 413。`,
          `レート制限: APIキーごとに毎分 ${props.rateLimit} リクエスト。超えると 429 と Retry-After。`,
          'JSON の入れ子は 8 段まで。同じオブジェクト内のキー重複は 400、__proto__ / constructor / prototype は 422。',
          'メッセージ本文 20,000 文字、ボード名 200 文字、お客様名 100 文字、重複防止キー 200 文字まで。',
          'メールアドレスは ASCII（国際化ドメインは xn-- の Punycode で送ってください）。',
        ],
        webhooks: 'Webhook',
        webhooksText:
          '設定 → Webhook で https のURLを登録すると、message.created（お客様の投稿）、board.status_changed、board.decided、board.rated（お客様の満足度。data.rating に score・comment・rated_at、data.previous_score に変更前の点数）、board.assigned（担当者の変更。data.assignee に id・name・email、外したときは null、data.previous_assignee_id に変更前の担当者）、board.tags_changed（タグの変更。data.added と data.removed にタグ名）を POST します。ボードの JSON の rating も同じ形です（未評価は null）。配信は失敗時に再試行され（429・5xx・タイムアウト・接続エラー）、その他の 4xx は失敗として記録されます。同じイベントの再送は同じ Orderboard-Event-Id を持つので、受信側の重複排除に使えます。署名は `t.本文` の HMAC-SHA256（シークレットは登録時に一度だけ表示）です。',
        openapi: 'OpenAPI 3.1',
        openapiText:
          '機械可読な定義はこちら（リクエストの検証に使っているスキーマから生成しています）:',
      }
    : {
        title: 'Orderboard Shop API',
        lead: 'A JSON API for your order system: open a board per order and get the customer link back.',
        other: '日本語',
        auth: 'Authentication',
        authText:
          'Create a key in Settings → API keys (admins only) and send it in the Authorization header. The key is shown once; the server keeps only its hash. A key only reaches the workspace it was created in. A read-only key gets 403 on writes.',
        format: 'Format',
        formatText:
          'JSON (UTF-8) both ways. POST and PATCH need Content-Type: application/json, anything else is 415. Unknown fields are a 422, never silently ignored (so a typo cannot slip through). Times are ISO 8601 with a zone; calendar dates are YYYY-MM-DD in the workspace time zone. Error messages are always in English; programs should match on code.',
        endpoints: 'Endpoints',
        create: 'Open a board',
        createText:
          'name, customer_name and customer_email are required. Optional: dedupe_key (say, your order number), message_id (the Message-ID of an email the customer already has; notifications thread under it) and first_message (template: a template id; notify: false sends no email; author_email posts it in that member’s name, else the shop’s).',
        dedupe: 'Dedupe key and retries',
        dedupeText:
          'Sending the same dedupe_key with the same details again creates nothing: you get 200 with the existing board and "duplicate": true (50 simultaneous identical requests make one board). The same key with other details is a 409 whose error.existing_board names the board. If a create with first_message failed half-way, resending it with the same dedupe_key completes it, posting the first message exactly once.',
        idem: 'Idempotency-Key',
        idemText:
          'Every POST (and PATCH) accepts an Idempotency-Key header (IETF draft-ietf-httpapi-idempotency-key-header), kept at least 24 hours per API key. A repeat after completion replays the stored answer (same status and body, Idempotent-Replayed: true); a repeat while the first is in flight is 409; the same key with another payload is 422. Error answers (4xx and 5xx) are not stored: fix the request and retry under the same key.',
        list: 'List boards',
        listText:
          'Ordered by last change, oldest first (updated_at, id). Filters: status, dedupe_key, updated_since (changed at or after), next_contact_before (next contact date before this day). limit 1–100 (default 50). Pass next_cursor as cursor for the next page; with updated_since this is an incremental sync.',
        get: 'Get a board (with staff_url and guest_url)',
        patch: 'Change a board',
        patchText:
          'name, customer_name, customer_email (corrections: each change is noted on the board for members, and a new email address clears the bounce warning of the old one), status, next_contact_on (null clears it), next_contact_time, expires_at (ISO 8601), closed (true closes, false reopens). status and closed cannot be combined.',
        messages: 'Messages',
        messagesText:
          "GET returns public messages and internal notes (internal: true) in order (after_seq for the new ones). POST posts a staff message, shown to the customer in the name of the member given by author_email, else in the shop's name (never the API key's), with the same rules as the composer (status, expiry, decisions via decides_no, templates) and emails the customer. internal: true makes an internal note; notify: false sends no email.",
        errors: 'Errors',
        errorsText:
          'Errors always come as this JSON. Never a stack trace or SQL, never a 5xx for bad input, and nothing is stored on any error.',
        limits: 'Limits',
        limitsList: [
          `Request body: at most ${kb} KB (${props.bodyLimit} bytes); more is a 413, decided while reading.`,
          `Rate limit: ${props.rateLimit} requests per minute per API key; over it, 429 with Retry-After.`,
          'JSON nesting at most 8 levels. A key repeated in one object is a 400; __proto__, constructor and prototype are a 422.',
          'Message body 20,000 characters, board name 200, customer name 100, dedupe key 200.',
          'Email addresses in ASCII (send international domain names as xn-- Punycode).',
        ],
        webhooks: 'Webhooks',
        webhooksText:
          'Register an https URL in Settings → Webhooks to receive message.created (customer posts), board.status_changed, board.decided, board.rated (the customer’s rating: data.rating holds score, comment and rated_at, data.previous_score the score before a change) and board.assigned (data.assignee holds id, name and email, or null when unassigned; data.previous_assignee_id the one before) and board.tags_changed (data.added and data.removed hold tag names) as POSTs. A board’s JSON carries the same rating object (null until rated). Deliveries are retried on 429, 5xx, timeouts and network errors; other 4xx answers are recorded as failed. A retried event carries the same Orderboard-Event-Id, so receivers can drop duplicates. The signature is HMAC-SHA256 over `t.body` with the secret shown once at registration.',
        openapi: 'OpenAPI 3.1',
        openapiText:
          'The machine-readable definition (generated from the schemas that validate requests):',
      }

  return (
    <Document title={T.title} locale={props.locale}>
      <main class="page api-docs">
        <div class="page-head">
          <h1>{T.title}</h1>
          <a href={`/api/docs?lang=${ja ? 'en' : 'ja'}`} lang={ja ? 'en' : 'ja'}>
            {T.other}
          </a>
        </div>
        <p class="lead">{T.lead}</p>
        <nav class="doc-toc">
          <a href="#auth">{T.auth}</a> · <a href="#endpoints">{T.endpoints}</a> ·{' '}
          <a href="#dedupe">{T.dedupe}</a> · <a href="#idempotency">{T.idem}</a> ·{' '}
          <a href="#errors">{T.errors}</a> · <a href="#limits">{T.limits}</a> ·{' '}
          <a href="#webhooks">{T.webhooks}</a> · <a href="/api/v1/openapi.json">{T.openapi}</a>
        </nav>

        <section id="auth" class="card doc-section">
          <h2>{T.auth}</h2>
          <p>{T.authText}</p>
          <Code>{'Authorization: Bearer ob_live_…'}</Code>
          <h3>{T.format}</h3>
          <p>{T.formatText}</p>
        </section>

        <section id="endpoints" class="card doc-section">
          <h2>{T.endpoints}</h2>
          <table class="doc-table">
            <tbody>
              <tr>
                <td>
                  <code>POST /api/v1/boards</code>
                </td>
                <td>{T.create}</td>
              </tr>
              <tr>
                <td>
                  <code>GET /api/v1/boards</code>
                </td>
                <td>{T.list}</td>
              </tr>
              <tr>
                <td>
                  <code>GET /api/v1/boards/:id</code>
                </td>
                <td>{T.get}</td>
              </tr>
              <tr>
                <td>
                  <code>PATCH /api/v1/boards/:id</code>
                </td>
                <td>{T.patch}</td>
              </tr>
              <tr>
                <td>
                  <code>GET /api/v1/boards/:id/messages</code>
                </td>
                <td>{T.messages}</td>
              </tr>
              <tr>
                <td>
                  <code>POST /api/v1/boards/:id/messages</code>
                </td>
                <td>{T.messages}</td>
              </tr>
            </tbody>
          </table>
          <h3>{T.create}</h3>
          <p>{T.createText}</p>
          <Code>{createExample}</Code>
          <Code>{createAnswer}</Code>
          <h3>{T.list}</h3>
          <p>{T.listText}</p>
          <Code>{listExample}</Code>
          <h3>{T.patch}</h3>
          <p>{T.patchText}</p>
          <Code>{patchExample}</Code>
          <h3>{T.messages}</h3>
          <p>{T.messagesText}</p>
          <Code>{messageExample}</Code>
        </section>

        <section id="dedupe" class="card doc-section">
          <h2>{T.dedupe}</h2>
          <p>{T.dedupeText}</p>
        </section>

        <section id="idempotency" class="card doc-section">
          <h2>{T.idem}</h2>
          <p>{T.idemText}</p>
        </section>

        <section id="errors" class="card doc-section">
          <h2>{T.errors}</h2>
          <p>{T.errorsText}</p>
          <Code>{errorExample}</Code>
          <table class="doc-table">
            <thead>
              <tr>
                <th>HTTP</th>
                <th>code</th>
                <th>{ja ? '意味' : 'Meaning'}</th>
              </tr>
            </thead>
            <tbody>
              {ERRORS.map((row) => (
                <tr>
                  <td>{row.status}</td>
                  <td>
                    <code>{row.code}</code>
                  </td>
                  <td>{ja ? row.ja : row.en}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>

        <section id="limits" class="card doc-section">
          <h2>{T.limits}</h2>
          <ul>
            {T.limitsList.map((item) => (
              <li>{item}</li>
            ))}
          </ul>
        </section>

        <section id="webhooks" class="card doc-section">
          <h2>{T.webhooks}</h2>
          <p>{T.webhooksText}</p>
          <Code>{webhookExample}</Code>
          <Code>{verifyExample}</Code>
        </section>

        <section class="card doc-section">
          <h2>{T.openapi}</h2>
          <p>
            {T.openapiText} <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
          </p>
        </section>
      </main>
    </Document>
  )
}
