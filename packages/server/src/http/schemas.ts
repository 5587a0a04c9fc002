/** JSON Schema fragments shared by every domain's routes. */
export const municipalityCodeSchema = { type: 'string', pattern: '^[0-9]{6}$', description: '全国地方公共団体コード (6 digits with check digit)' } as const;
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
