import { Ajv } from 'ajv';
import * as addFormatsModule from 'ajv-formats';
import type { FastifyInstance } from 'fastify';
import { HttpErrors, type FieldError } from '../errors.js';
import { isValidMunicipalityCode } from '../tenancy/municipalityCode.js';

// ajv-formats is CommonJS; its default export arrives wrapped under ESM.
const addFormats = addFormatsModule.default as unknown as (ajv: Ajv) => Ajv;

/**
 * Control characters no field of ours carries: C0 except tab and line breaks, DEL, C1. PostgreSQL
 * refuses U+0000 in text outright (a 500 before this check), and the rest only ever arrive by
 * mistake or on purpose (log and CSV injection, invisible differences between two names).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
export const CONTROL_CHARACTER_MESSAGE = 'must not contain control characters (only tab and line breaks are allowed)';

/**
 * The first string (or object key) in `value` with a control character, as a field path like
 * Ajv's (`body/members/0/nameKanji`). Iterative: a deeply nested body must not exhaust the stack.
 */
export function findControlCharacter(value: unknown, root: string): string | undefined {
  const stack: [unknown, string][] = [[value, root]];
  while (stack.length) {
    const [v, path] = stack.pop()!;
    if (typeof v === 'string') {
      if (CONTROL.test(v)) return path;
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push([v[i], `${path}/${i}`]);
    } else if (v && typeof v === 'object') {
      for (const [k, x] of Object.entries(v)) {
        if (CONTROL.test(k)) return `${path}/${k.replace(CONTROL, '?')}`;
        stack.push([x, `${path}/${k}`]);
      }
    }
  }
  return undefined;
}

/** Ajv with the standard formats and ours: `municipality-code` checks the check digit, as the schema says. */
function withFormats(ajv: Ajv): Ajv {
  addFormats(ajv);
  ajv.addFormat('municipality-code', { type: 'string', validate: isValidMunicipalityCode });
  return ajv;
}

/**
 * JSON bodies are validated strictly (123 is not "123"); params and query strings arrive as text,
 * so they are coerced. Unknown fields are errors, not silently dropped. Before any schema, every
 * string of params, query and body is checked for control characters, once for every route.
 */
export function registerValidation(app: FastifyInstance) {
  // verbose: a failed format check carries the value (a municipality code's problem names it).
  const common = { allErrors: false, removeAdditional: false, useDefaults: true, strict: false, verbose: true } as const;
  const body = withFormats(new Ajv({ ...common, coerceTypes: false }));
  const text = withFormats(new Ajv({ ...common, coerceTypes: 'array' }));
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? body : text).compile(schema));
  app.addHook('preValidation', async (req) => {
    const errors: FieldError[] = [];
    for (const [part, value] of [['params', req.params], ['querystring', req.query], ['body', req.body]] as const) {
      const path = findControlCharacter(value, part);
      if (path) errors.push({ path, message: CONTROL_CHARACTER_MESSAGE });
    }
    if (errors.length) throw HttpErrors['validation-failed']({}, { errors });
  });
}
