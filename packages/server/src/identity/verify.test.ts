// Server-side verification of a card touch, end to end through HTTP on both engines. A fresh TestCa
// stands in for J-LIS; the card's signature is made with node:crypto and the issued private key,
// which is exactly what the card computes (PKCS#1 v1.5 over the SHA-256 DigestInfo of the challenge).
import crypto from 'node:crypto';
import { TestCa, type IssuedKey } from '@kazashi/jpki/virtual';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { problemSpec } from '../kernel/errors.js';
import { b64, issueVirtualCard, signChallenge, staffChallenge, staffTouch, writeTestTrust, type Signer, type Touch, type TestTrust } from '../test/cards.js';
import { auditEntries, describeEachEngine, dumpPlatformDatabase, freePort, loginAs, nextStep, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { cardKeyOf } from './certificate.js';

const YABU = '282227';
const PURPOSE = 'shelter.checkin';

interface Row {
  name: string;
  code: string;
  /** Builds the touch (and may do things first, such as using the challenge once). */
  touch: () => Promise<{ body: Touch; agent?: StaffAgent; on?: TestPlatform }>;
}

// One CA and its cards for the whole file (key generation is the slow part), shared by both engines.
let ca: TestCa;
let trust: TestTrust;
const cards = {} as Record<'valid' | 'revoked' | 'expired' | 'notYet' | 'weak' | 'signing' | 'foreign', IssuedKey>;

beforeAll(async () => {
  ca = await TestCa.create();
  const foreign = await TestCa.create();
  const day = 86400_000;
  cards.valid = await ca.issue('auth');
  cards.revoked = await ca.issue('auth');
  cards.expired = await ca.issue('auth', { notBefore: new Date(Date.now() - 400 * day), notAfter: new Date(Date.now() - day) });
  cards.notYet = await ca.issue('auth', { notBefore: new Date(Date.now() + day), notAfter: new Date(Date.now() + 400 * day) });
  cards.weak = await ca.issue('auth', { keyBits: 1024 });
  cards.signing = await ca.issue('sign', { commonName: 'KAZASHI TARO' });
  cards.foreign = await foreign.issue('auth');
  ca.revoke('auth', cards.revoked.serialNumber);
  trust = await writeTestTrust(ca, 'identity');
});
afterAll(() => trust?.remove());

describeEachEngine('card touch verification', (engine) => {
  let t: TestPlatform; // trusts `ca`, revocation from its CRL file
  let down: TestPlatform; // trusts `ca`, revocation from an OCSP responder that refuses connections
  let admin: StaffAgent;
  let adminAgain: StaffAgent; // the same account, another session
  let downAdmin: StaffAgent;

  beforeAll(async () => {
    t = await startTestPlatform(engine, trust.env);
    down = await startTestPlatform(engine, {
      KAZASHI_JPKI_TRUST_ANCHORS: trust.anchors, KAZASHI_JPKI_OCSP_URL: `http://127.0.0.1:${await freePort()}/ocsp`, KAZASHI_CHALLENGE_TTL_SECONDS: '30',
    });
    admin = await loginAs(t, 'yabu.admin');
    adminAgain = await loginAs(t, 'yabu.admin', nextStep(1));
    downAdmin = await loginAs(down, 'yabu.admin');
  });
  afterAll(async () => {
    await t?.close();
    await down?.close();
  });

  const challenge = (agent = admin, purpose = PURPOSE, on = t) => staffChallenge(on, agent, purpose, YABU);
  const touch = (card: Signer, opts: { agent?: StaffAgent; purpose?: string; on?: TestPlatform } = {}) =>
    staffTouch(opts.on ?? t, opts.agent ?? admin, opts.purpose ?? PURPOSE, card, YABU);

  const verify = (body: Touch, agent = admin, on = t) =>
    on.app.inject({ method: 'POST', url: `/api/municipalities/${YABU}/identity/verify`, headers: agent.headers, payload: body });

  const auditOf = (on: TestPlatform) => auditEntries(on, 'identity.verify', YABU);

  it('issues a 32-byte single-use challenge bound to the purpose, with a short expiry', async () => {
    const before = Date.now();
    const c = await challenge();
    expect(Buffer.from(c.challenge, 'base64url')).toHaveLength(32);
    expect(Date.parse(c.expiresAt) - before).toBeGreaterThan(110_000);
    expect(Date.parse(c.expiresAt) - before).toBeLessThanOrEqual(121_000);
    const d = await challenge(downAdmin, PURPOSE, down);
    expect(Date.parse(d.expiresAt) - Date.now()).toBeLessThanOrEqual(30_000);
  });

  it('stores a hash of the session, never the session token', async () => {
    await challenge();
    const token = admin.cookie.split('=')[1]!;
    const dump = await dumpPlatformDatabase(t.platform.db);
    expect(dump).toContain('identity_challenge');
    const stored = ((await t.platform.db.owner.execute(sql`select session_hash from identity_challenge`)) as unknown as { rows: { session_hash: string }[] }).rows;
    expect(stored.length).toBeGreaterThan(0);
    expect(dump).not.toContain(token);
    // Not even the session table's own hash of it: the two cannot be joined.
    expect(stored.map((s) => s.session_hash)).not.toContain(crypto.createHash('sha256').update(token).digest('hex'));
  });

  it('accepts a fresh valid signature: cardKey, notAfter, verifiedAt; audited without personal data; nothing of the certificate kept', async () => {
    const body = await touch(cards.valid);
    const res = await verify(body);
    expect(res.statusCode, res.body).toBe(200);
    const out = res.json<{ cardKey: string; notAfter: string; verifiedAt: string }>();
    expect(out.cardKey).toBe(cardKeyOf(cards.valid.certificate));
    expect(out.cardKey).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(out.notAfter)).toBeGreaterThan(Date.now());
    expect(Math.abs(Date.parse(out.verifiedAt) - Date.now())).toBeLessThan(60_000);

    const entry = (await auditOf(t)).at(-1)!;
    expect(entry).toMatchObject({ actor: 'staff:yabu.admin', categories: [], fields: [] });
    expect(entry.purpose).toContain(PURPOSE);
    expect(entry.purpose).toContain(out.cardKey);
    expect(entry.purpose).toContain('verified');

    const dump = await dumpPlatformDatabase(t.platform.db);
    expect(dump).not.toContain(body.certificate.slice(40, 120));
    expect(dump).not.toContain(cards.valid.serialNumber);
    expect(dump).not.toContain(body.signature.slice(0, 60));
  });

  it('accepts a fresh signature made by the virtual My Number Card through the JPKI client (authenticate)', async () => {
    const card = await issueVirtualCard(ca, { name: '養父 花子', address: '兵庫県養父市八鹿町八鹿1675', birthDate: '1985-04-01', sex: 'female' });
    const body = await touch(card);
    const res = await verify(body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<{ cardKey: string }>().cardKey).toBe(cardKeyOf(Buffer.from(body.certificate, 'base64')));
  });

  it('gives the same cardKey for every touch of the same card', async () => {
    const a = (await verify(await touch(cards.valid))).json<{ cardKey: string }>().cardKey;
    const b = (await verify(await touch(cards.valid, { agent: adminAgain }), adminAgain)).json<{ cardKey: string }>().cardKey;
    expect(a).toBe(b);
  });

  it('lets exactly one of two concurrent verifications of one challenge succeed', async () => {
    const body = await touch(cards.valid);
    const results = await Promise.all([verify(body), verify(body), verify(body)]);
    const codes = results.map((r) => r.statusCode).sort();
    expect(codes, results.map((r) => r.body).join('\n')).toEqual([200, 409, 409]);
    for (const r of results.filter((x) => x.statusCode === 409)) expect(r.json<{ code: string }>().code).toBe('challenge-replayed');
  });

  it('consumes a challenge on a failed attempt too', async () => {
    const body = await touch(cards.valid);
    const bad = await verify({ ...body, signature: b64(crypto.randomBytes(256)) });
    expect(bad.json<{ code: string }>().code).toBe('signature-invalid');
    const again = await verify(body);
    expect(again.json<{ code: string }>().code).toBe('challenge-replayed');
    expect((await auditOf(t)).at(-2)!.purpose).toContain('signature-invalid');
  });

  it('refuses staff of another municipality', async () => {
    const asago = await loginAs(t, 'asago.admin');
    const res = await t.app.inject({ method: 'POST', url: `/api/municipalities/${YABU}/identity/challenges`, headers: asago.headers, payload: { purpose: PURPOSE } });
    expect(res.statusCode).toBe(403);
    const body = await touch(cards.valid);
    expect((await verify(body, asago)).statusCode).toBe(403);
  });

  it('keeps challenges tenant rows: the app role acting for another municipality sees none', async () => {
    await challenge();
    const seen = await t.platform.db.tenant({ municipalityCode: '282251' }, async (tx) =>
      ((await tx.execute(sql`select count(*)::int as n from identity_challenge`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(seen).toBe(0);
    const own = await t.platform.db.tenant({ municipalityCode: YABU }, async (tx) =>
      ((await tx.execute(sql`select count(*)::int as n from identity_challenge`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(own).toBeGreaterThan(0);
  });

  const rows: Row[] = [
    {
      name: 'replayed challenge', code: 'challenge-replayed',
      touch: async () => {
        const body = await touch(cards.valid);
        expect((await verify(body)).statusCode).toBe(200);
        return { body };
      },
    },
    {
      name: 'expired challenge', code: 'challenge-expired',
      touch: async () => {
        const body = await touch(cards.valid);
        await t.platform.db.owner.execute(sql`update identity_challenge set expires_at = now() - interval '1 second' where id = ${body.challengeId}`);
        return { body };
      },
    },
    { name: 'unknown challenge', code: 'challenge-not-found', touch: async () => ({ body: { ...(await touch(cards.valid)), challengeId: crypto.randomUUID() } }) },
    { name: 'challenge for another purpose', code: 'challenge-mismatch', touch: async () => ({ body: { ...(await touch(cards.valid)), purpose: 'ballot.issue' } }) },
    { name: 'challenge of another session', code: 'challenge-mismatch', touch: async () => ({ body: await touch(cards.valid), agent: adminAgain }) },
    {
      name: 'signature over a different challenge', code: 'signature-invalid',
      touch: async () => ({ body: { ...(await touch(cards.valid)), signature: (await signChallenge(cards.valid, crypto.randomBytes(32).toString('base64url'))).signature } }),
    },
    { name: 'garbage signature', code: 'signature-invalid', touch: async () => ({ body: { ...(await touch(cards.valid)), signature: b64(crypto.randomBytes(256)) } }) },
    { name: 'signature of the wrong length', code: 'signature-invalid', touch: async () => ({ body: { ...(await touch(cards.valid)), signature: 'AAAA' } }) },
    { name: 'signature by another card\'s key', code: 'signature-invalid', touch: async () => {
      const body = await touch(cards.valid);
      return { body: { ...body, certificate: b64(cards.revoked.certificate) } };
    } },
    { name: 'certificate from a foreign CA', code: 'certificate-untrusted', touch: async () => ({ body: await touch(cards.foreign) }) },
    { name: 'expired certificate', code: 'certificate-expired', touch: async () => ({ body: await touch(cards.expired) }) },
    { name: 'certificate not yet valid', code: 'certificate-not-yet-valid', touch: async () => ({ body: await touch(cards.notYet) }) },
    { name: 'RSA-1024 key', code: 'certificate-key-too-weak', touch: async () => ({ body: await touch(cards.weak) }) },
    { name: 'signing certificate where the auth one is expected', code: 'certificate-wrong-usage', touch: async () => ({ body: await touch(cards.signing) }) },
    { name: 'CA certificate instead of the card\'s', code: 'certificate-wrong-usage', touch: async () => ({ body: { ...(await touch(cards.valid)), certificate: b64(ca.caCertificate('auth')) } }) },
    { name: 'revoked certificate (CRL)', code: 'certificate-revoked', touch: async () => ({ body: await touch(cards.revoked) }) },
    {
      name: 'revocation unavailable (OCSP responder refuses)', code: 'revocation-unavailable',
      touch: async () => ({ body: await touch(cards.valid, { agent: downAdmin, on: down }), agent: downAdmin, on: down }),
    },
    { name: 'malformed certificate bytes', code: 'certificate-malformed', touch: async () => ({ body: { ...(await touch(cards.valid)), certificate: b64(crypto.randomBytes(900)) } }) },
    {
      name: 'truncated certificate', code: 'certificate-malformed',
      touch: async () => ({ body: { ...(await touch(cards.valid)), certificate: b64(cards.valid.certificate.subarray(0, cards.valid.certificate.length - 10)) } }),
    },
  ];

  it.each(rows)('$name → $code', async (row) => {
    const { body, agent, on } = await row.touch();
    const res = await verify(body, agent ?? admin, on ?? t);
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
    const p = res.json<{ code: string; status: number; type: string; messages: { ja: string; en: string } }>();
    expect(p.code, res.body).toBe(row.code);
    expect(res.statusCode).toBeGreaterThanOrEqual(400);
    expect(res.statusCode).toBeLessThan(500);
    expect(res.statusCode).toBe(problemSpec(row.code)!.status);
    expect(p.type).toBe(`https://kazashi.jp/problems/${row.code}`);
    expect(p.messages.ja).toMatch(/[ぁ-んァ-ン一-龯]/);
    expect(p.messages.en).toMatch(/[A-Za-z]{4}/);
    expect(p.messages.ja).not.toMatch(/\{\w+\}/);
    expect(p.messages.en).not.toMatch(/\{\w+\}/);
    const last = (await auditOf(on ?? t)).at(-1)!;
    expect(last.purpose).toContain(row.code);
  });

  it('rejects bad request bodies as validation failures', async () => {
    const body = await touch(cards.valid);
    for (const bad of [{ ...body, certificate: 'not base64!' }, { ...body, challengeId: 'nope' }, { ...body, purpose: 'Has Spaces' }, { ...body, extra: 1 }]) {
      const res = await verify(bad as Touch);
      expect(res.statusCode).toBe(400);
      expect(res.json<{ code: string }>().code).toBe('validation-failed');
    }
  });
});
