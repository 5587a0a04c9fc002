import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isDatabaseUnavailable, isInvalidValue } from '../db/errors.js';
import { HttpErrors, KazashiError, PROBLEM_BASE, type FieldError } from '../errors.js';
import { TenancyErrors } from '../tenancy/municipalityCode.js';

/** Seconds a client is asked to wait before retrying while the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 2;

/** The single place where any error becomes RFC 9457 problem+json with Japanese and English text. */
export function toKazashiError(err: unknown, bodyLimit: number): KazashiError {
  if (err instanceof KazashiError) return err;
  const e = err as FastifyError & { cause?: { code?: string } };
  if (e.validation) {
    // The schema's own check digit test: the same problem the domain would give.
    const code = e.validation.find((v) => v.keyword === 'format' && (v.params as { format?: string }).format === 'municipality-code');
    if (code) return TenancyErrors['invalid-municipality-code']({ code: String((code as { data?: unknown }).data ?? '') }, { cause: err });
    const errors: FieldError[] = e.validation.map((v) => {
      const missing = (v.params as { missingProperty?: string; additionalProperty?: string })?.missingProperty;
      const extra = (v.params as { additionalProperty?: string })?.additionalProperty;
      const leaf = missing ?? extra;
      const path = `${e.validationContext ?? 'body'}${v.instancePath}${leaf ? `/${leaf}` : ''}`;
      return { path, message: extra ? 'unknown field' : v.message ?? 'invalid' };
    });
    return HttpErrors['validation-failed']({}, { errors, cause: err });
  }
  switch (e.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return HttpErrors['payload-too-large']({ limit: bodyLimit }, { cause: err });
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return HttpErrors['unsupported-media-type']({}, { cause: err });
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return HttpErrors['malformed-json']({}, { cause: err });
  }
  if (err instanceof SyntaxError) return HttpErrors['malformed-json']({}, { cause: err });
  if (isInvalidValue(err)) return HttpErrors['validation-failed']({}, { cause: err });
  // A lost or refused database connection is an outage the client rides out: retry shortly.
  if (isDatabaseUnavailable(err)) return databaseUnavailable(err);
  if (e.statusCode === 429) return HttpErrors['rate-limited']({}, { cause: err });
  if (e.statusCode === 404) return HttpErrors['not-found']({}, { cause: err });
  if (e.statusCode === 405) return HttpErrors['method-not-allowed']({}, { cause: err });
  if (e.statusCode === 415) return HttpErrors['unsupported-media-type']({}, { cause: err });
  if (e.statusCode === 413) return HttpErrors['payload-too-large']({ limit: bodyLimit }, { cause: err });
  if (e.statusCode && e.statusCode >= 400 && e.statusCode < 500) return HttpErrors['validation-failed']({}, { cause: err });
  return HttpErrors.internal({}, { cause: err });
}

export function databaseUnavailable(cause: unknown): KazashiError {
  return HttpErrors['database-unavailable']({}, { cause, headers: { 'retry-after': String(DATABASE_RETRY_AFTER_SECONDS) } });
}

export function sendProblem(req: FastifyRequest, reply: FastifyReply, ke: KazashiError) {
  const messages = ke.messages();
  if (ke.headers) reply.headers(ke.headers);
  return reply
    .code(ke.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: PROBLEM_BASE + ke.code,
      title: messages.en,
      status: ke.status,
      detail: messages.en,
      code: ke.code,
      messages,
      ...(ke.errors ? { errors: ke.errors } : {}),
      ...(ke.details ? { details: ke.details } : {}),
      instance: req.url.split('?')[0],
      requestId: req.id,
    });
}

export function registerProblemHandler(app: FastifyInstance, bodyLimit: number) {
  app.setErrorHandler((err, req, reply) => {
    const ke = toKazashiError(err, bodyLimit);
    if (ke.code === 'database-unavailable') req.log.warn({ err: { message: (err as Error).message } }, 'database unavailable');
    else if (ke.status >= 500) req.log.error({ err }, 'request failed');
    return sendProblem(req, reply, ke);
  });
}
