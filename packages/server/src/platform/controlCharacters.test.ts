// Control characters (U+0000 above all: PostgreSQL refuses it in text) in any string of any request:
// every path parameter, query parameter and body field of every route in the OpenAPI document gets
// one, and each answer must be 400 problem+json naming that field. Nothing may be written.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachEngine, loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { CONTROL_CHARACTER_MESSAGE, findControlCharacter } from '../kernel/http/validation.js';

// NUL, other C0 controls, DEL and C1 (NEL): taken in turn, so every kind meets many routes.
const BAD = ['\u0000', '\u0001', '\u001b', '\u000b', '\u007f', '\u0085', '\u009f'];

type Schema = { type?: string | string[]; properties?: Record<string, Schema>; items?: Schema; $ref?: string; oneOf?: Schema[]; anyOf?: Schema[]; allOf?: Schema[] };
interface Operation {
  parameters?: { in: string; name: string; schema?: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
}
interface Case { name: string; method: string; url: string; body?: unknown; contentType?: string; path: string }

const SAMPLE_PARAMS: Record<string, string> = { code: '282227', category: 'basic', service: 'shelter', number: '123455', clientId: 'client-1', uid: 'abc' };
const sampleParam = (name: string) => SAMPLE_PARAMS[name] ?? '00000000-0000-4000-8000-000000000000';

/** Every path to a string leaf of a body schema (arrays through their first item). */
function stringLeaves(schema: Schema, resolve: (ref: string) => Schema, at: string[] = [], depth = 0): string[][] {
  if (depth > 8) return [];
  if (schema.$ref) return stringLeaves(resolve(schema.$ref), resolve, at, depth + 1);
  const out: string[][] = [];
  for (const alt of [...(schema.oneOf ?? []), ...(schema.anyOf ?? []), ...(schema.allOf ?? [])]) out.push(...stringLeaves(alt, resolve, at, depth + 1));
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  if (types.includes('string')) out.push(at);
  for (const [k, s] of Object.entries(schema.properties ?? {})) out.push(...stringLeaves(s, resolve, [...at, k], depth + 1));
  if (schema.items) out.push(...stringLeaves(schema.items, resolve, [...at, '0'], depth + 1));
  return out;
}

/** A body with only `value` at `path` (objects and arrays made on the way). */
function bodyWith(path: string[], value: string): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  return /^\d+$/.test(head!) ? [bodyWith(rest, value)] : { [head!]: bodyWith(rest, value) };
}

function casesOf(spec: { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } }): Case[] {
  const resolve = (ref: string) => spec.components?.schemas?.[ref.split('/').pop()!] ?? {};
  const cases: Case[] = [];
  let n = 0;
  const bad = () => BAD[n++ % BAD.length]!;
  for (const [template, ops] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const params = (op.parameters ?? []).filter((p) => p.in === 'path');
      const url = (replace?: string, value?: string) =>
        template.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(name === replace ? value! : sampleParam(name)));
      for (const p of params) cases.push({ name: `${method.toUpperCase()} ${template} path ${p.name}`, method, url: url(p.name, `${sampleParam(p.name)}${bad()}`), path: `params/${p.name}` });
      for (const p of (op.parameters ?? []).filter((x) => x.in === 'query')) {
        cases.push({ name: `${method.toUpperCase()} ${template} query ${p.name}`, method, url: `${url()}?${p.name}=${encodeURIComponent(`a${bad()}b`)}`, path: `querystring/${p.name}` });
      }
      for (const [contentType, { schema }] of Object.entries(op.requestBody?.content ?? {})) {
        if (contentType !== 'application/json') {
          cases.push({ name: `${method.toUpperCase()} ${template} ${contentType} body`, method, url: url(), body: `a${bad()}b`, contentType, path: 'body' });
          continue;
        }
        for (const leaf of stringLeaves(schema, resolve)) {
          cases.push({ name: `${method.toUpperCase()} ${template} body ${leaf.join('.') || '(string)'}`, method, url: url(), body: bodyWith(leaf, `a${bad()}b`), path: ['body', ...leaf].join('/') });
        }
      }
    }
  }
  return cases;
}

describeEachEngine('control characters in requests', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  const state = async () => ((await t.platform.db.owner.execute(sql`select (select count(*) from audit_trail)::text || '/' || (select count(*) from evacuee)::text
    || '/' || (select count(*) from shelter)::text || '/' || (select count(*) from staff_account)::text || '/' || (select md5(string_agg(name_ja || name_en, ',' order by code)) from municipality) as s`)) as unknown as { rows: { s: string }[] }).rows[0]!.s;

  beforeAll(async () => {
    t = await startTestPlatform(engine);
    admin = await loginAs(t, 'yabu.admin');
  });
  afterAll(async () => t?.close());

  it('every string of every documented route is refused with 400 naming the field; nothing is written', async () => {
    await t.app.ready();
    const cases = casesOf(t.app.swagger() as never);
    // Not vacuous: the document has many routes with strings, and the write routes are among them.
    expect(cases.length).toBeGreaterThan(200);
    for (const route of ['POST /api/municipalities/{code}/shelters body nameJa', 'POST /api/municipalities/{code}/disasters body nameJa', 'PATCH /api/municipalities/{code} body nameJa',
      'POST /api/municipalities/{code}/staff body displayName', 'POST /api/municipalities/{code}/shelters/{shelterId}/supply-requests body note',
      'POST /api/municipalities/{code}/shelters/{shelterId}/stays body walkIn.language', 'POST /api/municipalities/{code}/oidc-clients body nameJa',
      'POST /api/municipalities/{code}/residents/{id}/cards/suspend body reason', 'POST /api/municipalities/{code}/shelters/{shelterId}/stays body qrToken',
      'GET /api/municipalities/{code}/audit query actor']) {
      expect(cases.map((c) => c.name), route).toContain(route);
    }
    const before = await state();
    const wrong: string[] = [];
    for (const c of cases) {
      const res = await t.app.inject({
        method: c.method.toUpperCase() as 'GET', url: c.url, headers: { ...admin.headers, ...(c.contentType ? { 'content-type': c.contentType } : {}) },
        ...(c.body !== undefined ? { payload: typeof c.body === 'string' ? c.body : JSON.stringify(c.body) } : {}),
        ...(c.body !== undefined && !c.contentType ? { headers: { ...admin.headers, 'content-type': 'application/json' } } : {}),
      });
      const p = res.headers['content-type']?.toString().startsWith('application/problem+json') ? res.json<{ code: string; errors?: { path: string; message: string }[] }>() : undefined;
      const named = p?.errors?.some((e) => e.path === c.path && e.message === CONTROL_CHARACTER_MESSAGE);
      if (res.statusCode !== 400 || p?.code !== 'validation-failed' || !named) wrong.push(`${c.name}: ${res.statusCode} ${res.body.slice(0, 200)}`);
    }
    expect(wrong).toEqual([]);
    expect(await state()).toBe(before);
  });

  it('the OpenID Connect provider\'s own endpoints (forms it parses itself) answer 4xx, never 500', async () => {
    const forms = [
      'grant_type=authorization_code&code=a%00b&client_id=c%00d&client_secret=x&redirect_uri=http%3A%2F%2Fx&code_verifier=v',
      'grant_type=authorization_code&code=ab&client_id=cd&client_secret=x%01&redirect_uri=http%3A%2F%2Fx%00',
      'grant_type=refresh_token&refresh_token=a%00b&client_id=x',
      'grant_type=client_credentials&client_id=%00&client_secret=%00',
    ];
    const statuses: number[] = [];
    for (const payload of forms) {
      const res = await t.app.inject({ method: 'POST', url: '/oidc/token', payload, headers: { 'content-type': 'application/x-www-form-urlencoded' } });
      statuses.push(res.statusCode);
    }
    const auth = await t.app.inject({ method: 'GET', url: '/oidc/auth?client_id=a%00&response_type=code&scope=openid&redirect_uri=http%3A%2F%2Fx' });
    statuses.push(auth.statusCode);
    expect(statuses.every((s) => s >= 400 && s < 500), statuses.join(',')).toBe(true);
  });
});

it('finds control characters anywhere in a value, and allows tab and line breaks', () => {
  expect(findControlCharacter({ a: [{ b: 'x\u0000' }] }, 'body')).toBe('body/a/0/b');
  expect(findControlCharacter({ ['k\u0001']: 'v' }, 'body')).toBe('body/k?');
  expect(findControlCharacter({ note: 'line 1\nline 2\r\n\tindented', name: '養父 花子' }, 'body')).toBeUndefined();
  expect(findControlCharacter('\u2028 \u00a0 \ufeff', 'body')).toBeUndefined();
  // A deep body does not exhaust the stack.
  let deep: unknown = 'x\u0007';
  for (let i = 0; i < 100_000; i++) deep = [deep];
  expect(findControlCharacter(deep, 'body')).toMatch(/^body(\/0)+$/);
});
