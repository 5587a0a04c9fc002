// The personal QR code end to end through HTTP on both engines: rotating tokens accepted once,
// expiry, tampering, other municipalities, static cards and revocation, rate limiting and tenancy.
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { loadServerSecret } from '../kernel/secrets.js';
import type { StaffPrincipal } from '../kernel/callers.js';
import { describeEachEngine, loginAs, type StaffAgent, type TestPlatform, startTestPlatform } from '../test/harness.js';
import type { QrValidation } from './contract.js';
import { QrService } from './service.js';

const YABU = '282227';
const ASAGO = '282251';
const RATE_LIMIT = 10;

interface Resident { id: string; residentNumber: string }

describeEachEngine('personal QR code', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  let asago: StaffAgent;
  let shelter: StaffAgent;
  let yabuResident: Resident;
  let asagoResident: Resident;
  let ip = 0;

  beforeAll(async () => {
    t = await startTestPlatform(engine, { KAZASHI_QR_RATE_LIMIT: String(RATE_LIMIT) });
    admin = await loginAs(t, 'yabu.admin');
    asago = await loginAs(t, 'asago.admin');
    shelter = await loginAs(t, 'yabu.shelter');
    yabuResident = await newResident(YABU, admin);
    asagoResident = await newResident(ASAGO, asago);
  }, 120_000);
  afterAll(async () => { await t?.close(); });
  // Each test scans from its own client address, so only the rate-limit test meets the limit.
  beforeEach(() => { ip++; });

  // `from`: the client's own address (the connection's; no proxy is trusted, so no header could say it).
  const post = (url: string, payload: object | undefined, agent: StaffAgent, from?: string) =>
    t.app.inject({ method: 'POST', url, headers: agent.headers, ...(from ? { remoteAddress: from } : {}), ...(payload ? { payload } : {}) });
  async function newResident(code: string, agent: StaffAgent): Promise<Resident> {
    const res = await post(`/api/municipalities/${code}/residents`, { purpose: 'qr test', personal: { basic: { nameKanji: 'QR 太郎' } } }, agent);
    expect(res.statusCode, res.body).toBe(201);
    return res.json<Resident>();
  }
  async function issue(code: string, residentId: string, agent = admin): Promise<string> {
    const res = await post(`/api/municipalities/${code}/residents/${residentId}/qr-tokens`, undefined, agent);
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ token: string; expiresAt: string; refreshInSeconds: number }>();
    expect(body.refreshInSeconds).toBe(60);
    expect(Date.parse(body.expiresAt) - Date.now()).toBeGreaterThan(50_000);
    return body.token;
  }
  const validate = (token: string, { code = YABU, agent = admin, from = `10.0.${engine === 'pglite' ? 1 : 2}.${ip}` } = {}) =>
    post(`/api/municipalities/${code}/qr/validate`, { token }, agent, from);
  function expectProblem(res: Awaited<ReturnType<typeof validate>>, status: number, code: string) {
    expect(res.statusCode, res.body).toBe(status);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = res.json<{ code: string; messages: { ja: string; en: string } }>();
    expect(body.code).toBe(code);
    expect(body.messages.ja).toMatch(/[ぁ-んァ-ン一-龯]/);
    expect(body.messages.en.length).toBeGreaterThan(5);
    return body;
  }
  const audits = async (residentId: string) => ((await t.platform.db.owner.execute(sql`select actor, action, purpose, categories, fields from audit_trail
    where municipality_code = ${YABU} and action = 'qr.validate' and resident_id = ${residentId} order by sealed desc, seq, pending_id`)) as unknown as {
    rows: { actor: string; action: string; purpose: string; categories: string[]; fields: string[] }[] }).rows;

  it('accepts a fresh rotating token once, then refuses it as replayed; both are audited', async () => {
    const before = (await audits(yabuResident.id)).length;
    const token = await issue(YABU, yabuResident.id);
    expect(token).not.toContain('QR 太郎');
    const ok = await validate(token);
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json<QrValidation>()).toEqual({ residentId: yabuResident.id, residentNumber: yabuResident.residentNumber, kind: 'rotating' });
    expectProblem(await validate(token), 409, 'qr-token-replayed');
    const rows = (await audits(yabuResident.id)).slice(before);
    expect(rows).toEqual([
      { actor: 'staff:yabu.admin', action: 'qr.validate', purpose: 'qr rotating | accepted', categories: [], fields: [] },
      { actor: 'staff:yabu.admin', action: 'qr.validate', purpose: 'qr rotating | qr-token-replayed', categories: [], fields: [] },
    ]);
  });

  it('lets shelter staff validate but not issue', async () => {
    const ok = await validate(await issue(YABU, yabuResident.id), { agent: shelter });
    expect(ok.statusCode, ok.body).toBe(200);
    expectProblem(await post(`/api/municipalities/${YABU}/residents/${yabuResident.id}/qr-tokens`, undefined, shelter), 403, 'forbidden');
  });

  it('refuses an expired token (issued under a clock two minutes behind)', async () => {
    const staff: StaffPrincipal = { id: 'x', loginName: 'yabu.admin', displayName: 'test', municipalityCode: YABU, roles: ['municipal_admin'] };
    const past = new QrService(t.platform.db, t.platform.residents, t.platform.audit, loadServerSecret(t.config.secretKeyFile, false),
      { ttlSeconds: 60, now: () => Date.now() - 120_000 });
    const { token } = await past.issueToken({ staff, requestId: 'test' }, YABU, yabuResident.id);
    expectProblem(await validate(token), 410, 'qr-token-expired');
    expect((await audits(yabuResident.id)).at(-1)!.purpose).toBe('qr rotating | qr-token-expired');
  });

  it('refuses a tampered, forged or malformed token with one uniform message', async () => {
    const token = await issue(YABU, yabuResident.id);
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1);
    const sigAt = token.lastIndexOf('.') + 5;
    const ridAt = token.indexOf('.R.') + 5;
    const messages = new Set<string>();
    for (const bad of [flip(token, sigAt), flip(token, ridAt), token.replace('.282227.', '.282251.'), 'hello', `${token}x`]) {
      messages.add(JSON.stringify(expectProblem(await validate(bad), 400, 'qr-token-invalid').messages));
    }
    expect(messages.size).toBe(1);
    // The untouched token is still good: failures consumed nothing.
    expect((await validate(token)).statusCode).toBe(200);
  });

  it('refuses another municipality\'s token as invalid', async () => {
    const asagoToken = await issue(ASAGO, asagoResident.id, asago);
    expectProblem(await validate(asagoToken), 400, 'qr-token-invalid');
    const yabuToken = await issue(YABU, yabuResident.id);
    expectProblem(await validate(yabuToken, { code: ASAGO, agent: asago }), 400, 'qr-token-invalid');
  });

  it('keeps tenants apart: other municipalities\' staff get 403, a resident of another municipality 404', async () => {
    expectProblem(await post(`/api/municipalities/${YABU}/residents/${yabuResident.id}/qr-tokens`, undefined, asago), 403, 'forbidden');
    expectProblem(await post(`/api/municipalities/${YABU}/residents/${yabuResident.id}/qr-cards`, undefined, asago), 403, 'forbidden');
    expectProblem(await validate(await issue(YABU, yabuResident.id), { agent: asago }), 403, 'forbidden');
    expectProblem(await post(`/api/municipalities/${YABU}/residents/${asagoResident.id}/qr-tokens`, undefined, admin), 404, 'resident-not-found');
    expectProblem(await post(`/api/municipalities/${YABU}/residents/${asagoResident.id}/qr-cards`, undefined, admin), 404, 'resident-not-found');
  });

  it('accepts a static card repeatedly, and refuses it once revoked', async () => {
    const res = await post(`/api/municipalities/${YABU}/residents/${yabuResident.id}/qr-cards`, undefined, admin);
    expect(res.statusCode, res.body).toBe(201);
    const { cardId, token } = res.json<{ cardId: string; token: string }>();
    for (let i = 0; i < 3; i++) {
      const ok = await validate(token);
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json<QrValidation>()).toEqual({ residentId: yabuResident.id, residentNumber: yabuResident.residentNumber, kind: 'card' });
    }
    expectProblem(await post(`/api/municipalities/${YABU}/qr-cards/${cardId}/revoke`, undefined, asago), 403, 'forbidden');
    expectProblem(await post(`/api/municipalities/${ASAGO}/qr-cards/${cardId}/revoke`, undefined, asago), 404, 'qr-card-not-found');
    const revoked = await post(`/api/municipalities/${YABU}/qr-cards/${cardId}/revoke`, undefined, admin);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expectProblem(await validate(token), 410, 'qr-card-revoked');
    expect((await audits(yabuResident.id)).at(-1)!.purpose).toBe('qr card | qr-card-revoked');
  });

  it('row-level security: the app role acting for another municipality sees and writes no QR rows', async () => {
    const count = (code: string, table: 'qr_card' | 'qr_token_use') => t.platform.db.tenant({ municipalityCode: code }, async (tx) =>
      ((await tx.execute(sql`select count(*)::int as n from ${sql.identifier(table)}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(await count(YABU, 'qr_token_use')).toBeGreaterThan(0);
    expect(await count(YABU, 'qr_card')).toBeGreaterThan(0);
    expect(await count(ASAGO, 'qr_card')).toBe(0);
    await expect(t.platform.db.tenant({ municipalityCode: ASAGO }, (tx) => tx.execute(sql`insert into qr_token_use (municipality_code, jti, resident_id, expires_at)
      values (${YABU}, 'forged-jti-000000', ${yabuResident.id}, now())`))).rejects.toThrow();
  });

  it('rate-limits validations per client address (429 rate-limited), other addresses unaffected', async () => {
    for (let i = 0; i < RATE_LIMIT; i++) expectProblem(await validate('junk'), 400, 'qr-token-invalid');
    expectProblem(await validate('junk'), 429, 'rate-limited');
    expectProblem(await validate('junk', { from: '192.0.2.1' }), 400, 'qr-token-invalid');
  });
});
