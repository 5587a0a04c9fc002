// The OpenAPI document is the contract clients are generated from: every route says what it answers
// on success, every error is documented as application/problem+json, and the municipality code's
// schema refuses what its check digit refuses.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestPlatform, type TestPlatform } from '../test/harness.js';

interface Response { description?: string; content?: Record<string, { schema?: { $ref?: string } }> }
interface Operation { responses?: Record<string, Response>; parameters?: { in: string; name: string; schema?: { format?: string } }[] }
interface Spec { paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } }

describe('the OpenAPI document', () => {
  let t: TestPlatform;
  let spec: Spec;
  const operations = () => Object.entries(spec.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })));

  beforeAll(async () => {
    t = await startTestPlatform('pglite');
    await t.app.ready();
    spec = t.app.swagger() as unknown as Spec;
  });
  afterAll(async () => t?.close());

  it('documents many routes (the checks below are not vacuous)', () => {
    expect(operations().length).toBeGreaterThan(80);
  });

  it('every route documents its success response', () => {
    const missing = operations().filter(({ op }) => !Object.keys(op.responses ?? {}).some((s) => /^[23]\d\d$/.test(s))).map((o) => o.name);
    expect(missing).toEqual([]);
  });

  it('every error response is application/problem+json with the Problem schema', () => {
    const wrong: string[] = [];
    for (const { name, op } of operations()) {
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        if (!/^[45]\d\d$/.test(status)) continue;
        const types = Object.keys(res.content ?? {});
        if (types.join() !== 'application/problem+json' || !res.content!['application/problem+json']!.schema?.$ref?.endsWith('/Problem')) wrong.push(`${name} ${status}: ${types.join(',') || 'no content'}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(spec.components.schemas.Problem).toBeDefined();
  });

  it('every municipality code parameter has the check-digit format and says what it refuses', () => {
    const codes = operations().flatMap(({ name, op }) => (op.parameters ?? []).filter((p) => p.name === 'code').map((p) => ({ name, p })));
    expect(codes.length).toBeGreaterThan(40);
    expect(codes.filter(({ p }) => p.schema?.format !== 'municipality-code').map((c) => c.name)).toEqual([]);
  });

  it('problem answers are sent as documented', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/municipalities/282228/staff' });
    expect(res.statusCode).toBe(400);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(res.json()).toMatchObject({ code: 'invalid-municipality-code', status: 400 });
  });
});
