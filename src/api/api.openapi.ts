// OpenAPI 3.1 for the Shop API, generated from the validators in api.schemas.ts (z.toJSONSchema),
// so what the document promises is what the server enforces.
import { z } from 'zod'
import { API_BODY_LIMIT } from './api.body'
import {
  apiBoardSchema,
  apiCreateBoardSchema,
  apiErrorSchema,
  apiListBoardsQuery,
  apiListMessagesQuery,
  apiMessageSchema,
  apiPostMessageSchema,
  apiUpdateBoardSchema,
} from './api.schemas'
import { apiExportQuery } from '../exports/exports.schemas'
import { BOARD_COLUMNS, MESSAGE_COLUMNS } from '../exports/exports.columns'

/** The JSON Schema of what a client may send: the input side of each validator. */
export function requestJsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  })
  return jsonSchema
}

const responseJsonSchema = (schema: z.ZodType): Record<string, unknown> => {
  const { $schema: _dialect, ...jsonSchema } = z.toJSONSchema(schema, {
    io: 'output',
    unrepresentable: 'any',
  })
  return jsonSchema
}

function queryParameters(schema: z.ZodObject) {
  const jsonSchema = requestJsonSchema(schema) as {
    properties?: Record<string, Record<string, unknown>>
  }
  return Object.entries(jsonSchema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    required: false,
    schema: property,
  }))
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` })
const json = (schema: unknown) => ({ 'application/json': { schema } })
const errorResponse = (description: string) => ({ description, content: json(ref('Error')) })

const COMMON_ERRORS = {
  '400': errorResponse('Malformed JSON, invalid UTF-8, a repeated key, a bad Idempotency-Key'),
  '401': errorResponse('Missing, unknown or revoked API key'),
  '403': errorResponse('A read-only key tried to write'),
  '413': errorResponse(`Body over ${API_BODY_LIMIT} bytes`),
  '415': errorResponse('Content-Type is not application/json'),
  '422': errorResponse(
    'Valid JSON with invalid values, unknown or forbidden keys, or an Idempotency-Key reused for another payload',
  ),
  '429': errorResponse('Rate limit; see Retry-After'),
}

const idempotencyKey = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description:
    'draft-ietf-httpapi-idempotency-key-header. A repeat after completion replays the stored answer (Idempotent-Replayed: true); a repeat in flight is 409; another payload under the same key is 422. Kept 24 h per API key.',
  schema: { type: 'string', maxLength: 255 },
}

const CSV_NOTES =
  'RFC 4180 (CRLF, quoted fields). encoding=utf-8 (default) starts with a byte order mark; encoding=shift_jis is Windows code page 932 without one (characters it lacks become ?). A cell that starts with = + - @, tab or CR gets a leading apostrophe (CSV injection). Dates are YYYY-MM-DD HH:mm in the workspace time zone; from/to are local days, both included.'

const csvResponse = {
  description: 'The CSV file (Content-Disposition: attachment)',
  content: { 'text/csv': { schema: { type: 'string' } } },
}

const boardId = { name: 'id', in: 'path', required: true, schema: { type: 'string' } }

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Orderboard Shop API',
      version: '1.0.0',
      description: `Open a board per order from your order system and get the customer link back. Human docs: ${baseUrl}/api/docs`,
    },
    servers: [{ url: `${baseUrl}/api/v1` }],
    security: [{ apiKey: [] }],
    paths: {
      '/boards': {
        post: {
          operationId: 'createBoard',
          summary: 'Open a board (safe to retry with dedupe_key)',
          parameters: [idempotencyKey],
          requestBody: { required: true, content: json(ref('CreateBoard')) },
          responses: {
            '201': { description: 'Created', content: json(ref('CreatedBoard')) },
            '200': {
              description: 'The board this dedupe_key already opened (duplicate: true)',
              content: json(ref('CreatedBoard')),
            },
            '409': errorResponse(
              'The dedupe_key belongs to a board with other details (error.existing_board names it), or an Idempotency-Key is in flight',
            ),
            ...COMMON_ERRORS,
          },
        },
        get: {
          operationId: 'listBoards',
          summary: 'Boards, oldest change first, cursor-paged',
          parameters: queryParameters(apiListBoardsQuery),
          responses: {
            '200': {
              description: 'A page',
              content: json({
                type: 'object',
                properties: {
                  boards: { type: 'array', items: ref('Board') },
                  next_cursor: { type: ['string', 'null'] },
                },
                required: ['boards', 'next_cursor'],
              }),
            },
            ...COMMON_ERRORS,
          },
        },
      },
      '/boards.csv': {
        get: {
          operationId: 'exportBoards',
          summary: 'Boards as CSV, one row per board, oldest first (streamed)',
          description: `Columns, headed by these keys: ${BOARD_COLUMNS.map((column) => column.key).join(', ')}. ${CSV_NOTES}`,
          parameters: queryParameters(apiExportQuery),
          responses: { '200': csvResponse, ...COMMON_ERRORS },
        },
      },
      '/messages.csv': {
        get: {
          operationId: 'exportMessages',
          summary: 'Messages as CSV, one row per message, in posting order (streamed)',
          description: `Columns: ${MESSAGE_COLUMNS.map((column) => column.key).join(', ')}. Messages of the boards the filters select, posted from \`from\` to \`to\`; internal notes only with internal=1. ${CSV_NOTES}`,
          parameters: queryParameters(apiExportQuery),
          responses: { '200': csvResponse, ...COMMON_ERRORS },
        },
      },
      '/boards/{id}': {
        get: {
          operationId: 'getBoard',
          parameters: [boardId],
          responses: {
            '200': {
              description: 'The board',
              content: json({ type: 'object', properties: { board: ref('Board') } }),
            },
            '404': errorResponse('No such board in this workspace'),
            ...COMMON_ERRORS,
          },
        },
        patch: {
          operationId: 'updateBoard',
          parameters: [boardId, idempotencyKey],
          requestBody: { required: true, content: json(ref('UpdateBoard')) },
          responses: {
            '200': {
              description: 'The changed board',
              content: json({ type: 'object', properties: { board: ref('Board') } }),
            },
            '404': errorResponse('No such board in this workspace'),
            ...COMMON_ERRORS,
          },
        },
      },
      '/boards/{id}/messages': {
        get: {
          operationId: 'listMessages',
          summary: 'Public messages and internal notes (flagged), in order',
          parameters: [boardId, ...queryParameters(apiListMessagesQuery)],
          responses: {
            '200': {
              description: 'Messages',
              content: json({
                type: 'object',
                properties: {
                  messages: { type: 'array', items: ref('Message') },
                  next_after_seq: { type: ['integer', 'null'] },
                },
              }),
            },
            '404': errorResponse('No such board in this workspace'),
            ...COMMON_ERRORS,
          },
        },
        post: {
          operationId: 'postMessage',
          summary: "A staff message in the API key's name (emails the customer like the composer)",
          parameters: [boardId, idempotencyKey],
          requestBody: { required: true, content: json(ref('PostMessage')) },
          responses: {
            '201': {
              description: 'Posted',
              content: json({
                type: 'object',
                properties: { message: ref('Message'), board: ref('Board') },
              }),
            },
            '404': errorResponse('No such board in this workspace'),
            '409': errorResponse('An Idempotency-Key is in flight'),
            ...COMMON_ERRORS,
          },
        },
      },
    },
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'ob_live_… from Settings → API' },
      },
      schemas: {
        CreateBoard: requestJsonSchema(apiCreateBoardSchema),
        UpdateBoard: requestJsonSchema(apiUpdateBoardSchema),
        PostMessage: requestJsonSchema(apiPostMessageSchema),
        Board: responseJsonSchema(apiBoardSchema),
        Message: responseJsonSchema(apiMessageSchema),
        CreatedBoard: {
          type: 'object',
          properties: {
            board: ref('Board'),
            staff_url: { type: 'string' },
            guest_url: { type: 'string' },
            duplicate: { type: 'boolean' },
            first_message: ref('Message'),
          },
          required: ['board', 'staff_url', 'guest_url'],
        },
        Error: responseJsonSchema(apiErrorSchema),
      },
    },
  }
}
