#!/usr/bin/env node
// A tiny joint-use service that logs residents in with Kazashi (OpenID Connect, authorization code + PKCE).
// Configuration by environment; see ../README.md. Plain Node http, no framework, state in memory.
import crypto from 'node:crypto';
import http from 'node:http';
import * as oidc from 'openid-client';

/** @typedef {{ verifier?: string, state?: string, nonce?: string, result?: { claims: Record<string, unknown>, userinfo: Record<string, unknown> } }} RpSession */

const env = process.env;
const issuer = new URL(env.KAZASHI_ISSUER ?? 'http://localhost:8080/oidc');
const clientId = required('CLIENT_ID');
const clientSecret = env.CLIENT_SECRET || undefined;
const port = Number(env.PORT ?? 3000);
const host = env.HOST ?? '127.0.0.1';
const redirectUri = env.REDIRECT_URI ?? `http://localhost:${port}/callback`;
const scope = env.SCOPE ?? 'openid profile address birthdate gender';
/** Plain http to the provider is allowed only for a provider on this machine (development). */
const local = issuer.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(issuer.hostname);

function required(name) {
  const v = env[name];
  if (!v) {
    console.error(`${name} is not set (see examples/relying-party/README.md)`);
    process.exit(2);
  }
  return v;
}

const config = await oidc.discovery(
  issuer, clientId, undefined,
  clientSecret ? oidc.ClientSecretBasic(clientSecret) : oidc.None(),
  local ? { execute: [oidc.allowInsecureRequests] } : undefined,
);

/** @type {Map<string, RpSession>} */
const sessions = new Map();
const esc = (/** @type {unknown} */ s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** @param {http.IncomingMessage} req @param {http.ServerResponse} res @returns {RpSession} */
function session(req, res) {
  const id = /(?:^|;\s*)rp_session=([A-Za-z0-9_-]+)/.exec(req.headers.cookie ?? '')?.[1];
  if (id && sessions.has(id)) return /** @type {RpSession} */ (sessions.get(id));
  const fresh = crypto.randomBytes(18).toString('base64url');
  /** @type {RpSession} */
  const s = {};
  sessions.set(fresh, s);
  res.setHeader('set-cookie', `rp_session=${fresh}; HttpOnly; SameSite=Lax; Path=/`);
  return s;
}

/** @param {http.ServerResponse} res @param {number} status @param {string} body */
function page(res, status, body) {
  res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(`<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>Example service (Kazashi RP)</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}a.button{display:inline-block;padding:.6rem 1.2rem;background:#0031d8;color:#fff;border-radius:.4rem;text-decoration:none}dt{font-weight:bold}</style>
</head><body><h1>連携サービスの例 / Example service</h1>${body}</body></html>`);
}

/** @param {RpSession['result']} r */
function resultView(r) {
  if (!r) return '';
  const rows = Object.entries(r.userinfo).filter(([k]) => k !== 'sub')
    .map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(typeof v === 'object' && v ? (/** @type {{formatted?: string}} */ (v).formatted ?? JSON.stringify(v)) : v)}</dd>`).join('');
  return `<p>ログインしました / Logged in.</p><dl>
<dt>sub</dt><dd><code id="sub">${esc(r.claims.sub)}</code></dd>
<dt>acr</dt><dd><code id="acr">${esc(r.claims.acr)}</code></dd>
<dt>auth_time</dt><dd>${esc(new Date(Number(r.claims.auth_time) * 1000).toISOString())}</dd>
${rows}</dl>`;
}

const server = http.createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', `http://${req.headers.host ?? `${host}:${port}`}`);
  const s = session(req, res);
  try {
    if (req.method === 'GET' && url.pathname === '/') {
      page(res, 200, `${resultView(s.result)}<p><a class="button" href="/login">Kazashiでログイン / Log in with Kazashi</a></p>
<p><a href="/login?acr=pin">カード＋暗証番号を必須にしてログイン / Log in, requiring card + PIN</a></p>`);
    } else if (req.method === 'GET' && url.pathname === '/login') {
      s.verifier = oidc.randomPKCECodeVerifier();
      s.state = oidc.randomState();
      s.nonce = oidc.randomNonce();
      /** @type {Record<string, string>} */
      const params = {
        redirect_uri: redirectUri, scope, state: s.state, nonce: s.nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(s.verifier), code_challenge_method: 'S256',
      };
      if (url.searchParams.get('acr') === 'pin') params.acr_values = 'urn:kazashi:acr:card-pin';
      res.writeHead(303, { location: oidc.buildAuthorizationUrl(config, params).href });
      res.end();
    } else if (req.method === 'GET' && url.pathname === new URL(redirectUri).pathname) {
      if (!s.verifier) return page(res, 400, '<p>No login in progress. <a href="/">Start again</a></p>');
      const current = new URL(url.pathname + url.search, redirectUri);
      const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: s.verifier, expectedState: s.state, expectedNonce: s.nonce });
      const claims = /** @type {Record<string, unknown>} */ (tokens.claims());
      const userinfo = /** @type {Record<string, unknown>} */ (await oidc.fetchUserInfo(config, tokens.access_token, String(claims.sub)));
      s.verifier = s.state = s.nonce = undefined;
      s.result = { claims, userinfo };
      page(res, 200, `${resultView(s.result)}<p><a href="/">Home</a></p>`);
    } else {
      page(res, 404, '<p>Not found</p>');
    }
  } catch (err) {
    console.error(err);
    page(res, 400, `<p>ログインできませんでした / Login failed: ${esc(err instanceof Error ? err.message : err)}</p><p><a href="/">Home</a></p>`);
  }
});

server.listen(port, host, () => console.log(`example relying party on http://${host}:${port} (issuer ${issuer.href}, client ${clientId})`));
