// The OpenID Connect provider end to end over real HTTP (fetch with manual redirects and a cookie jar):
// authorization request → interaction page API → resident card login → consent → code → token → ID token
// verified against the JWKS. A TestCa stands in for J-LIS and a VirtualMyNumberCard for the card.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { TestCa, type VirtualMyNumberCard } from '@kazashi/jpki/virtual';
import { sql } from 'drizzle-orm';
import { createLocalJWKSet, jwtVerify, type JSONWebKeySet, type JWTPayload } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACR } from '../kernel/residentCaller.js';
import { loadOrCreateJwks, pairwiseSubject } from './keys.js';
import { issueVirtualCard, signChallenge, staffTouch, writeTestTrust, type TestTrust } from '../test/cards.js';
import { auditEntries, describeEachEngine, freePort, loginAs, serverRoot, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';

const YABU = '282227';
const HOLDER = { name: '養父 連携太郎', address: '兵庫県養父市八鹿町八鹿1-1', birthDate: '1985-05-05', sex: 'male' as const };
const RP_REDIRECT = 'http://127.0.0.1:9/callback';

let trust: TestTrust;
let virtual: VirtualMyNumberCard;

beforeAll(async () => {
  const ca = await TestCa.create();
  virtual = await issueVirtualCard(ca, HOLDER);
  trust = await writeTestTrust(ca, 'oidc');
}, 120_000);
afterAll(() => trust?.remove());

interface Jar { name: string; value: string; path: string }

/** A browser: a cookie jar that honours paths, and fetch with manual redirects. */
class Browser {
  jar: Jar[] = [];
  csrf = '';
  constructor(readonly base: string) {}

  private cookieFor(url: URL): string {
    return this.jar.filter((c) => url.pathname === c.path || url.pathname.startsWith(c.path.endsWith('/') ? c.path : `${c.path}/`) || c.path === '/')
      .map((c) => `${c.name}=${c.value}`).join('; ');
  }

  private absorb(res: Response, url: URL) {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(';').map((s) => s.trim());
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      const pathAttr = attrs.find((a) => a.toLowerCase().startsWith('path='))?.slice(5) ?? url.pathname.replace(/\/[^/]*$/, '') ?? '/';
      const expired = attrs.some((a) => a.toLowerCase().startsWith('expires=') && Date.parse(a.slice(8)) < Date.now()) || attrs.some((a) => a.toLowerCase() === 'max-age=0');
      this.jar = this.jar.filter((c) => !(c.name === name && c.path === pathAttr));
      if (!expired && value !== '') this.jar.push({ name, value, path: pathAttr });
    }
  }

  async fetch(url: string, init: { method?: string; body?: string | URLSearchParams; headers?: Record<string, string>; json?: unknown } = {}) {
    const u = new URL(url, this.base);
    const headers: Record<string, string> = { ...(init.headers ?? {}) };
    const cookie = this.cookieFor(u);
    if (cookie) headers.cookie = cookie;
    let body = init.body;
    if (init.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(init.json);
    }
    const res = await fetch(u, { method: init.method ?? 'GET', headers, body, redirect: 'manual' });
    this.absorb(res, u);
    return res;
  }

  setResidentSession(token: string, csrf: string) {
    this.jar = this.jar.filter((c) => c.name !== 'kazashi_resident');
    this.jar.push({ name: 'kazashi_resident', value: token, path: '/' });
    this.csrf = csrf;
  }

  /** Card + PIN login on the resident's own device, through the portal's public API. */
  async cardLogin() {
    const c = await (await this.fetch('/api/resident/challenges', { method: 'POST', json: { municipalityCode: YABU, purpose: 'login' } })).json() as { challengeId: string; challenge: string };
    const res = await this.fetch('/api/resident/login', {
      method: 'POST', json: { municipalityCode: YABU, challengeId: c.challengeId, purpose: 'login', ...(await signChallenge(virtual, c.challenge)) },
    });
    expect(res.status, await res.clone().text()).toBe(200);
    this.csrf = ((await res.json()) as { csrfToken: string }).csrfToken;
  }
}

interface Client { clientId: string; clientSecret?: string }
interface AuthRequest { verifier: string; state: string; nonce: string; url: string }

function authRequest(issuer: string, client: Client, opts: { scope: string; redirectUri?: string; acrValues?: string; pkce?: boolean; claims?: object; prompt?: string; maxAge?: number }): AuthRequest {
  const verifier = crypto.randomBytes(32).toString('base64url');
  const state = crypto.randomBytes(8).toString('base64url');
  const nonce = crypto.randomBytes(8).toString('base64url');
  const q = new URLSearchParams({ client_id: client.clientId, redirect_uri: opts.redirectUri ?? RP_REDIRECT, response_type: 'code', scope: opts.scope, state, nonce });
  if (opts.pkce !== false) {
    q.set('code_challenge', crypto.createHash('sha256').update(verifier).digest('base64url'));
    q.set('code_challenge_method', 'S256');
  }
  if (opts.acrValues) q.set('acr_values', opts.acrValues);
  if (opts.claims) q.set('claims', JSON.stringify(opts.claims));
  if (opts.prompt) q.set('prompt', opts.prompt);
  if (opts.maxAge !== undefined) q.set('max_age', String(opts.maxAge));
  return { verifier, state, nonce, url: `${issuer}/auth?${q}` };
}

describe('OpenID Connect keys and subjects', () => {
  it('generates the signing keys once and reads the same keys back (persistent across restarts); production never generates', () => {
    const file = path.join(trust.dir, 'keys', 'oidc-jwks.json');
    const a = loadOrCreateJwks(file, false);
    const b = loadOrCreateJwks(file, true);
    expect(b).toEqual(a);
    expect(a.keys.map((k) => [k.alg, k.use])).toEqual([['RS256', 'sig'], ['ES256', 'sig']]);
    expect(fs.statSync(file).mode & 0o077).toBe(0);
    expect(() => loadOrCreateJwks(path.join(trust.dir, 'missing.json'), true)).toThrow(/JWKS/);
  });

  it('derives the pairwise sub from the client id, not the host: two clients, two subs; stable per client', () => {
    const key = crypto.randomBytes(32);
    const account = `${YABU}:3f2a0c1e-0000-4000-8000-000000000001`;
    expect(pairwiseSubject(key, 'kz-a', account)).toBe(pairwiseSubject(key, 'kz-a', account));
    expect(pairwiseSubject(key, 'kz-a', account)).not.toBe(pairwiseSubject(key, 'kz-b', account));
    expect(pairwiseSubject(key, 'kz-a', account)).toBe(crypto.createHmac('sha256', key).update(`kz-a|${account}`).digest('base64url'));
  });
});

describeEachEngine('OpenID Connect provider', (engine) => {
  let t: TestPlatform;
  let admin: StaffAgent;
  let base: string;
  let issuer: string;
  let resident: { residentId: string; residentNumber: string };
  let full: Client;
  let narrow: Client;
  let jwks: ReturnType<typeof createLocalJWKSet>;

  const staff = (method: 'GET' | 'POST', url: string, payload?: object, agent = admin) =>
    t.app.inject({ method, url, headers: agent.headers, ...(payload ? { payload } : {}) });
  const audit = (action: string) => auditEntries(t, action);

  async function register(body: object): Promise<Client> {
    const res = await staff('POST', `/api/municipalities/${YABU}/oidc-clients`, body);
    expect(res.statusCode, res.body).toBe(201);
    const out = res.json<{ client: { clientId: string }; clientSecret?: string }>();
    return { clientId: out.client.clientId, clientSecret: out.clientSecret };
  }

  /** A resident session started as a kiosk touch-only login would (acr card-touch). */
  async function touchSession(b: Browser) {
    const s = await t.platform.db.tenant({ municipalityCode: YABU }, (tx) => t.platform.residentSessions.start(tx, {
      municipalityCode: YABU, residentId: resident.residentId, acr: ACR.cardTouch, channel: 'kiosk',
    }));
    b.setResidentSession(s.token, s.csrfToken);
  }

  /** Follows the authorization request to the interaction page; returns its uid (or the final redirect). */
  async function start(b: Browser, req: AuthRequest): Promise<{ uid?: string; location: string }> {
    const res = await b.fetch(req.url);
    expect([302, 303], await res.clone().text()).toContain(res.status);
    const location = res.headers.get('location')!;
    const m = /\/oidc\/interaction\/([^/?]+)$/.exec(new URL(location, base).pathname);
    return { uid: m?.[1], location };
  }

  const details = async (b: Browser, uid: string) => {
    const res = await b.fetch(`/oidc/interaction/${uid}/details`);
    expect(res.status, await res.clone().text()).toBe(200);
    return res.json() as Promise<{ prompt: string; client: { name: { ja: string }; municipalityCode: string }; scopes: string[]; missingScopes: string[]; acrRequested: string | null; freshLoginRequired: boolean; resident: { loggedIn: boolean; acr: string | null } }>;
  };
  const loginStep = (b: Browser, uid: string) => b.fetch(`/oidc/interaction/${uid}/login`, { method: 'POST', json: {}, headers: { 'x-csrf-token': b.csrf } });

  /** Resumes after an interaction step; returns the next interaction uid or the code at the redirect URI. */
  async function resume(b: Browser, redirectTo: string): Promise<{ uid?: string; code?: string; location: string }> {
    let url = redirectTo;
    for (let i = 0; i < 5; i++) {
      const res = await b.fetch(url);
      expect([302, 303], await res.clone().text()).toContain(res.status);
      const location = res.headers.get('location')!;
      const abs = new URL(location, base);
      const m = /\/oidc\/interaction\/([^/?]+)$/.exec(abs.pathname);
      if (m) return { uid: m[1], location };
      if (abs.origin !== new URL(base).origin || !abs.pathname.startsWith('/oidc/')) return { code: abs.searchParams.get('code') ?? undefined, location };
      url = location;
    }
    throw new Error('too many redirects');
  }

  async function token(client: Client, code: string, verifier: string, redirectUri = RP_REDIRECT) {
    const res = await fetch(`${issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${encodeURIComponent(client.clientId)}:${encodeURIComponent(client.clientSecret!)}`).toString('base64')}` },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri, code_verifier: verifier }),
    });
    const body = await res.json() as { id_token?: string; access_token?: string; error?: string; error_description?: string };
    return { status: res.status, body };
  }

  async function idToken(client: Client, code: string, req: AuthRequest): Promise<{ claims: JWTPayload & { acr?: string }; accessToken: string }> {
    const tok = await token(client, code, req.verifier);
    expect(tok.status, JSON.stringify(tok.body)).toBe(200);
    const { payload } = await jwtVerify(tok.body.id_token!, jwks, { issuer, audience: client.clientId });
    expect(payload.nonce).toBe(req.nonce);
    return { claims: payload, accessToken: tok.body.access_token! };
  }

  const userinfo = async (accessToken: string) => (await fetch(`${issuer}/me`, { headers: { authorization: `Bearer ${accessToken}` } })).json() as Promise<Record<string, unknown>>;

  /** The whole flow for a browser whose resident session is already set; consents to `approve`. */
  async function flow(b: Browser, client: Client, opts: { scope: string; approve?: string[]; acrValues?: string }) {
    const req = authRequest(issuer, client, opts);
    const first = await start(b, req);
    let step: { uid?: string; code?: string; location: string } = { ...first, code: first.uid ? undefined : new URL(first.location, base).searchParams.get('code') ?? undefined };
    if (step.uid) {
      const d = await details(b, step.uid);
      if (d.prompt === 'login') {
        const res = await loginStep(b, step.uid);
        expect(res.status, await res.clone().text()).toBe(200);
        step = await resume(b, ((await res.json()) as { redirectTo: string }).redirectTo);
      }
    }
    if (step.uid) {
      const d = await details(b, step.uid);
      expect(d.prompt).toBe('consent');
      const res = await b.fetch(`/oidc/interaction/${step.uid}/consent`, { method: 'POST', json: { scopes: opts.approve ?? d.scopes } });
      expect(res.status, await res.clone().text()).toBe(200);
      step = await resume(b, ((await res.json()) as { redirectTo: string }).redirectTo);
    }
    expect(step.code, step.location).toBeTruthy();
    expect(new URL(step.location).searchParams.get('state')).toBe(req.state);
    return idToken(client, step.code!, req);
  }

  beforeAll(async () => {
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    issuer = `${base}/oidc`;
    t = await startTestPlatform(engine, { ...trust.env, KAZASHI_PUBLIC_URL: base, KAZASHI_LOGIN_RATE_LIMIT: '1000' });
    await t.app.listen({ port, host: '127.0.0.1' });
    admin = await loginAs(t, 'yabu.admin');
    // The resident registers at the counter with the virtual card; the basic four go to the vault.
    const reg = await staff('POST', `/api/municipalities/${YABU}/registrations`, {
      ...(await staffTouch(t, admin, 'registration', virtual)), basicFour: HOLDER, consents: [],
    });
    expect(reg.statusCode, reg.body).toBe(201);
    resident = reg.json();
    full = await register({ nameJa: '養父市 子育て支援サービス', nameEn: 'Yabu child-care service', redirectUris: [RP_REDIRECT], scopes: ['profile', 'address', 'birthdate', 'gender'], tokenEndpointAuthMethod: 'client_secret_basic' });
    // A second service on the same host: it must get a different sub.
    narrow = await register({ nameJa: '養父市 図書館', nameEn: 'Yabu library', redirectUris: [RP_REDIRECT], scopes: ['profile'], tokenEndpointAuthMethod: 'client_secret_basic' });
    const keys = await (await fetch(`${issuer}/jwks`)).json() as JSONWebKeySet;
    jwks = createLocalJWKSet(keys);
  }, 120_000);
  afterAll(async () => { await t?.close(); });

  it('publishes discovery: code flow only, S256 PKCE, pairwise subjects, the Kazashi acr values and scopes', async () => {
    const res = await fetch(`${issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    const d = await res.json() as Record<string, unknown>;
    expect(d).toMatchObject({
      issuer, response_types_supported: ['code'], code_challenge_methods_supported: ['S256'], subject_types_supported: ['pairwise'],
      acr_values_supported: [ACR.cardPin, ACR.cardTouch], authorization_endpoint: `${issuer}/auth`, token_endpoint: `${issuer}/token`,
    });
    expect(d.scopes_supported).toEqual(expect.arrayContaining(['openid', 'profile', 'address', 'birthdate', 'gender']));
    const keys = await (await fetch(`${issuer}/jwks`)).json() as JSONWebKeySet;
    expect(keys.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
    expect(JSON.stringify(keys)).not.toMatch(/"d"/);
  });

  it('card + PIN login, consent to some items: a pairwise sub, acr card-pin, and only the consented claims (the vault read audited)', async () => {
    const b = new Browser(base);
    const req = authRequest(issuer, full, { scope: 'openid profile address birthdate gender' });
    const first = await start(b, req);
    expect(first.uid).toBeTruthy();
    const d = await details(b, first.uid!);
    expect(d).toMatchObject({ prompt: 'login', client: { name: { ja: '養父市 子育て支援サービス' }, municipalityCode: YABU }, acrRequested: null, resident: { loggedIn: false } });
    expect(d.scopes).toEqual(['openid', 'profile', 'address', 'birthdate', 'gender']);
    // No resident session yet: the page must log the resident in first.
    const none = await loginStep(b, first.uid!);
    expect(none.status).toBe(401);
    await b.cardLogin();
    expect((await details(b, first.uid!)).resident).toEqual({ loggedIn: true, acr: ACR.cardPin, municipalityCode: YABU });
    const noCsrf = await b.fetch(`/oidc/interaction/${first.uid}/login`, { method: 'POST', json: {} });
    expect(noCsrf.status).toBe(403);
    const login = await loginStep(b, first.uid!);
    expect(login.status, await login.clone().text()).toBe(200);
    const next = await resume(b, ((await login.json()) as { redirectTo: string }).redirectTo);
    const consent = await details(b, next.uid!);
    expect(consent.prompt).toBe('consent');
    expect(consent.missingScopes).toEqual(expect.arrayContaining(['profile', 'address', 'birthdate', 'gender']));
    const approve = await b.fetch(`/oidc/interaction/${next.uid}/consent`, { method: 'POST', json: { scopes: ['profile', 'birthdate'] } });
    expect(approve.status, await approve.clone().text()).toBe(200);
    const done = await resume(b, ((await approve.json()) as { redirectTo: string }).redirectTo);
    expect(done.code).toBeTruthy();
    const { claims, accessToken } = await idToken(full, done.code!, req);
    expect(claims.acr).toBe(ACR.cardPin);
    expect(claims.sub).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(claims.sub).not.toBe(resident.residentId);
    expect(claims.sub).not.toContain(resident.residentNumber);
    expect(JSON.stringify(claims)).not.toContain(resident.residentId);
    const info = await userinfo(accessToken);
    expect(info).toEqual({ sub: claims.sub, name: HOLDER.name, birthdate: HOLDER.birthDate });
    const reads = (await audit('vault.read')).filter((r) => r.actor === `oidc:${full.clientId}`);
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.at(-1)!.resident_id).toBe(resident.residentId);
    expect(reads.at(-1)!.purpose).toContain('養父市 子育て支援サービス');
    expect(String(reads.at(-1)!.fields)).not.toContain('address');
    expect((await audit('oidc.consent')).at(-1)).toMatchObject({ actor: 'resident:self', resident_id: resident.residentId });

    // The same resident at another service (same host): another sub; consent remembered per client.
    const other = await flow(b, narrow, { scope: 'openid profile' });
    expect(other.claims.sub).not.toBe(claims.sub);
    expect(other.claims.acr).toBe(ACR.cardPin);
    expect(await userinfo(other.accessToken)).toEqual({ sub: other.claims.sub, name: HOLDER.name });
    // The same service again: the same sub, no consent asked again.
    const again = await flow(b, full, { scope: 'openid profile birthdate' });
    expect(again.claims.sub).toBe(claims.sub);
  });

  it('a touch-only session yields acr card-touch; asking for card-pin forces a new login (step-up)', async () => {
    const b = new Browser(base);
    await touchSession(b);
    const touch = await flow(b, narrow, { scope: 'openid profile' });
    expect(touch.claims.acr).toBe(ACR.cardTouch);

    // The provider's session is card-touch: acr_values=card-pin sends the resident back to the login step.
    const req = authRequest(issuer, narrow, { scope: 'openid profile', acrValues: ACR.cardPin });
    const step = await start(b, req);
    expect(step.uid, step.location).toBeTruthy();
    const d = await details(b, step.uid!);
    expect(d).toMatchObject({ prompt: 'login', acrRequested: ACR.cardPin, resident: { loggedIn: true, acr: ACR.cardTouch } });
    const refused = await loginStep(b, step.uid!);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe('oidc-acr-insufficient');
    await b.cardLogin();
    const ok = await loginStep(b, step.uid!);
    expect(ok.status, await ok.clone().text()).toBe(200);
    const done = await resume(b, ((await ok.json()) as { redirectTo: string }).redirectTo);
    const { claims } = await idToken(narrow, done.code!, req);
    expect(claims.acr).toBe(ACR.cardPin);
    expect(claims.sub).toBe(touch.claims.sub);

    // An essential acr through the claims parameter works the same way.
    const b2 = new Browser(base);
    await touchSession(b2);
    await flow(b2, narrow, { scope: 'openid profile' });
    const req2 = authRequest(issuer, narrow, { scope: 'openid profile', claims: { id_token: { acr: { essential: true, value: ACR.cardPin } } } });
    const step2 = await start(b2, req2);
    expect((await details(b2, step2.uid!)).prompt).toBe('login');
  });

  it('the provider session ends with the resident session: after a logout on a shared kiosk the next request asks for a card login', async () => {
    const b = new Browser(base);
    // A login is tied to its resident session by the second it began; other tests' live sessions of
    // this resident must not share that second.
    await new Promise((r) => setTimeout(r, 1100));
    await b.cardLogin();
    await flow(b, narrow, { scope: 'openid profile' });
    // While the resident session lives, the provider's own session carries the login (no interaction).
    const again = await start(b, authRequest(issuer, narrow, { scope: 'openid profile' }));
    expect(again.uid, again.location).toBeUndefined();
    const logout = await b.fetch('/api/resident/logout', { method: 'POST', headers: { 'x-csrf-token': b.csrf } });
    expect(logout.status, await logout.clone().text()).toBe(204);
    const next = await start(b, authRequest(issuer, narrow, { scope: 'openid profile' }));
    expect(next.uid, next.location).toBeTruthy();
    expect((await details(b, next.uid!)).prompt).toBe('login');
    expect((await loginStep(b, next.uid!)).status).toBe(401);
  });

  it('prompt=login and max_age need a card login made now: an older resident session is not reused', async () => {
    for (const extra of [{ prompt: 'login' }, { maxAge: 60 }]) {
      const b = new Browser(base);
      await b.cardLogin();
      // The session began ten minutes ago.
      await t.platform.db.owner.execute(sql`update resident_session set created_at = now() - interval '10 minutes' where resident_id = ${resident.residentId} and ended_at is null`);
      const req = authRequest(issuer, narrow, { scope: 'openid profile', ...extra });
      const step = await start(b, req);
      expect(step.uid, step.location).toBeTruthy();
      expect(await details(b, step.uid!)).toMatchObject({ prompt: 'login', freshLoginRequired: true, resident: { loggedIn: true } });
      const refused = await loginStep(b, step.uid!);
      expect(refused.status).toBe(403);
      expect(((await refused.json()) as { code: string }).code).toBe('oidc-reauthentication-required');
      await b.cardLogin();
      expect((await details(b, step.uid!)).freshLoginRequired).toBe(false);
      const ok = await loginStep(b, step.uid!);
      expect(ok.status, await ok.clone().text()).toBe(200);
      const done = await resume(b, ((await ok.json()) as { redirectTo: string }).redirectTo);
      const { claims } = await idToken(narrow, done.code!, req);
      expect(Date.now() / 1000 - Number(claims.auth_time)).toBeLessThan(30);
    }
  });

  it('refuses a request without PKCE, an unregistered redirect_uri, a scope the service may not ask for, and a disabled client', async () => {
    const b = new Browser(base);
    const noPkce = await b.fetch(authRequest(issuer, full, { scope: 'openid', pkce: false }).url);
    expect([302, 303]).toContain(noPkce.status);
    const loc = new URL(noPkce.headers.get('location')!);
    expect(loc.origin + loc.pathname).toBe(RP_REDIRECT);
    expect(loc.searchParams.get('error')).toBe('invalid_request');
    expect(loc.searchParams.get('error_description')).toMatch(/PKCE/);

    const wrongRedirect = await b.fetch(authRequest(issuer, full, { scope: 'openid', redirectUri: 'https://evil.example/callback' }).url);
    expect(wrongRedirect.status).toBe(400);
    expect(wrongRedirect.headers.get('location')).toBeNull();
    expect(await wrongRedirect.text()).toContain('redirect_uri');

    // The library may ask for profile only: address is not offered to the resident at all.
    const step = await start(b, authRequest(issuer, narrow, { scope: 'openid profile address' }));
    if (step.uid) expect((await details(b, step.uid)).scopes).toEqual(['openid', 'profile']);

    const temp = await register({ nameJa: '一時', nameEn: 'Temporary', redirectUris: [RP_REDIRECT], scopes: [], tokenEndpointAuthMethod: 'client_secret_post' });
    const disabled = await staff('POST', `/api/municipalities/${YABU}/oidc-clients/${temp.clientId}/disable`);
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json<{ disabledAt: string | null }>().disabledAt).toBeTruthy();
    const refused = await b.fetch(authRequest(issuer, temp, { scope: 'openid' }).url);
    expect(refused.status).toBe(400);
  });

  it('a declined consent returns access_denied to the service; a code is single-use and bound to the verifier', async () => {
    const b = new Browser(base);
    await b.cardLogin();
    const fresh = await register({ nameJa: '断るサービス', nameEn: 'Declined service', redirectUris: [RP_REDIRECT], scopes: ['profile'], tokenEndpointAuthMethod: 'client_secret_basic' });
    const req = authRequest(issuer, fresh, { scope: 'openid profile' });
    let step = await start(b, req);
    expect(step.uid, step.location).toBeTruthy();
    const login = await loginStep(b, step.uid!);
    expect(login.status, await login.clone().text()).toBe(200);
    step = await resume(b, ((await login.json()) as { redirectTo: string }).redirectTo);
    const abort = await b.fetch(`/oidc/interaction/${step.uid}/abort`, { method: 'POST', json: {} });
    expect(abort.status).toBe(200);
    const done = await resume(b, ((await abort.json()) as { redirectTo: string }).redirectTo);
    expect(new URL(done.location).searchParams.get('error')).toBe('access_denied');

    // The provider session stays (the login was done); the library's consent is remembered: a code at once.
    const req2 = authRequest(issuer, narrow, { scope: 'openid profile' });
    const s2 = await start(b, req2);
    const code = new URL(s2.location).searchParams.get('code')!;
    expect(code, s2.location).toBeTruthy();
    expect((await token(narrow, code, 'x'.repeat(43))).body.error).toBe('invalid_grant');
    const req3 = authRequest(issuer, narrow, { scope: 'openid profile' });
    const code3 = new URL((await start(b, req3)).location).searchParams.get('code')!;
    expect((await token(narrow, code3, req3.verifier)).status).toBe(200);
    expect((await token(narrow, code3, req3.verifier)).body.error).toBe('invalid_grant');
  });

  it('staff registration: municipal admin only, https redirect URIs (localhost http outside production), the secret shown once', async () => {
    const shelter = await loginAs(t, 'yabu.shelter');
    const denied = await staff('GET', `/api/municipalities/${YABU}/oidc-clients`, undefined, shelter);
    expect(denied.statusCode).toBe(403);
    const bad = await staff('POST', `/api/municipalities/${YABU}/oidc-clients`, { nameJa: 'x', nameEn: 'x', redirectUris: ['http://example.com/cb'], scopes: [], tokenEndpointAuthMethod: 'none' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ code: string }>().code).toBe('oidc-redirect-uri-invalid');
    const pub = await staff('POST', `/api/municipalities/${YABU}/oidc-clients`, { nameJa: '公開', nameEn: 'Public', redirectUris: ['https://svc.example/cb', 'http://localhost:3000/cb'], scopes: ['profile'], tokenEndpointAuthMethod: 'none' });
    expect(pub.statusCode, pub.body).toBe(201);
    expect(pub.json()).not.toHaveProperty('clientSecret');
    const list = await staff('GET', `/api/municipalities/${YABU}/oidc-clients`);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain(full.clientSecret!);
    expect(list.json<{ clientId: string }[]>().map((c) => c.clientId)).toEqual(expect.arrayContaining([full.clientId, narrow.clientId]));
    const asago = await staff('GET', '/api/municipalities/282251/oidc-clients');
    expect(asago.statusCode).toBe(403);
    // Nothing about the resident's identity in the provider's own state.
    const state = ((await t.platform.db.owner.execute(sql`select payload::text as p from oidc_payload`)) as unknown as { rows: { p: string }[] }).rows.map((r) => r.p).join('\n');
    expect(state).not.toContain(resident.residentNumber);
    expect(state).not.toContain(HOLDER.name);
  });

  it('the example relying party logs a resident in and shows the sub and acr', async () => {
    const rpPort = await freePort();
    const redirectUri = `http://127.0.0.1:${rpPort}/callback`;
    const rpClient = await register({ nameJa: '例示サービス', nameEn: 'Example RP', redirectUris: [redirectUri], scopes: ['profile', 'address', 'birthdate', 'gender'], tokenEndpointAuthMethod: 'client_secret_basic' });
    const rpDir = path.resolve(serverRoot, '../../examples/relying-party');
    const child: ChildProcess = spawn(process.execPath, ['src/server.mjs'], {
      cwd: rpDir, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, KAZASHI_ISSUER: issuer, CLIENT_ID: rpClient.clientId, CLIENT_SECRET: rpClient.clientSecret!, REDIRECT_URI: redirectUri, PORT: String(rpPort), HOST: '127.0.0.1', ALLOW_HTTP: 'true' },
    });
    let log = '';
    child.stdout!.on('data', (d: Buffer) => { log += d; });
    child.stderr!.on('data', (d: Buffer) => { log += d; });
    try {
      const rp = `http://127.0.0.1:${rpPort}`;
      for (let i = 0; i < 50; i++) {
        if (await fetch(rp).then(() => true, () => false)) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const b = new Browser(base);
      await b.cardLogin();
      const rpJar = new Browser(rp);
      const home = await rpJar.fetch('/');
      expect(home.status, log).toBe(200);
      expect(await home.text()).toContain('/login');
      const go = await rpJar.fetch('/login');
      expect([302, 303], log).toContain(go.status);
      const authUrl = go.headers.get('location')!;
      expect(authUrl.startsWith(`${issuer}/auth`)).toBe(true);
      let step: { uid?: string; location: string } = await (async () => {
        const res = await b.fetch(authUrl);
        expect(res.headers.get('location')).toContain('/oidc/interaction/');
        const m = /\/oidc\/interaction\/([^/?]+)$/.exec(new URL(res.headers.get('location')!, base).pathname);
        return { uid: m?.[1] as string | undefined, location: res.headers.get('location')! };
      })();
      const login = await loginStep(b, step.uid!);
      expect(login.status, await login.clone().text()).toBe(200);
      step = await resume(b, ((await login.json()) as { redirectTo: string }).redirectTo);
      const consent = await b.fetch(`/oidc/interaction/${step.uid}/consent`, { method: 'POST', json: { scopes: ['profile', 'address'] } });
      const done = await resume(b, ((await consent.json()) as { redirectTo: string }).redirectTo);
      expect(done.location.startsWith(redirectUri)).toBe(true);
      const page = await rpJar.fetch(done.location);
      const html = await page.text();
      expect(page.status, `${html}\n${log}`).toBe(200);
      expect(html).toContain(ACR.cardPin);
      expect(html).toMatch(/sub[\s\S]*[A-Za-z0-9_-]{43}/);
      expect(html).toContain(HOLDER.name);
      expect(html).not.toContain(resident.residentId);
    } finally {
      child.kill();
    }
  }, 60_000);
});
