import type { FastifyInstance } from 'fastify';

/** JSON Schema fragments shared by every domain's routes. */
export const municipalityCodeSchema = {
  type: 'string', pattern: '^[0-9]{6}$', format: 'municipality-code',
  description: '全国地方公共団体コード (JIS X 0401 + check digit): 6 digits, prefecture 01–47, the last a mod-11 check digit over the first five (weights 6,5,4,3,2). A code the check digit refuses is 400 invalid-municipality-code.',
} as const;
export const uuidSchema = { type: 'string', format: 'uuid' } as const;
export const codeParams = {
  type: 'object', required: ['code'], additionalProperties: false, properties: { code: municipalityCodeSchema },
} as const;

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details, with Japanese and English messages',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string' },
    messages: { type: 'object', properties: { ja: { type: 'string' }, en: { type: 'string' } } },
    errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
    details: { type: 'object', additionalProperties: true, description: 'Facts a client acts on, e.g. the stay to transfer from' },
    instance: { type: 'string' },
    requestId: { type: 'string' },
  },
} as const;

/** Standard error responses for a staff route, referenced in OpenAPI. */
export const staffErrors = {
  400: { $ref: 'Problem#' },
  401: { $ref: 'Problem#' },
  403: { $ref: 'Problem#' },
  404: { $ref: 'Problem#' },
} as const;

export const staffSecurity = [{ session: [] }];

const PROBLEM_RESPONSE = {
  description: 'RFC 9457 problem details (stable `code`, Japanese and English `messages`)',
  content: { 'application/problem+json': { schema: { $ref: 'Problem#' } } },
} as const;

/**
 * Every error response a route declares (`{ $ref: 'Problem#' }`) is documented, and serialized, as
 * application/problem+json, as the error handler sends it; a route that declares none still
 * documents the problems every route can answer (400 bad input, 503 database unavailable). Must be
 * added before any route is registered.
 */
export function documentProblems(app: FastifyInstance): void {
  app.addHook('onRoute', (route) => {
    const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
    if (!schema || schema.hide) return;
    const response = { ...(schema.response ?? {}) };
    for (const [status, value] of Object.entries(response)) {
      if (/^[45]\d\d$/.test(status) && (value as { $ref?: string }).$ref === 'Problem#') response[status] = PROBLEM_RESPONSE;
    }
    response['400'] ??= PROBLEM_RESPONSE;
    response['503'] ??= PROBLEM_RESPONSE;
    schema.response = response;
  });
}
