import type { IncomingMessage, ServerResponse } from 'node:http';
import Provider, { interactionPolicy, type ClientInstance, type InteractionInstance, type KoaContextWithOIDC } from 'oidc-provider';
import type { AuditService } from '../audit/index.js';
import type { Database } from '../kernel/db/engine.js';
import { KazashiError } from '../kernel/errors.js';
import type { MunicipalityService } from '../municipality/index.js';
import { ACR, type Acr, type ResidentPrincipal } from '../kernel/residentCaller.js';
import type { VaultService } from '../vault/index.js';
import { adapterFactory } from './adapter.js';
import type { OidcClientService } from './clients.js';
import { OIDC_SCOPES, type OidcInteractionDetails, type OidcRedirect } from './contract.js';
import { OidcErrors } from './errors.js';
import { deriveKey, pairwiseSubject, type PrivateJwks } from './keys.js';
import { oidcRepository, type OidcClientRow } from './repository.js';

/** The resident session lookup the portal domain provides (cookie token → principal, or nothing). */
export interface ResidentSessionLookup {
  authenticate(token: string): Promise<ResidentPrincipal | null | undefined>;
  /** Whether the resident session that began at `authTime` (epoch seconds) is still live. */
  isLive(code: string, residentId: string, authTime: number): Promise<boolean>;
}

export interface OidcOptions {
  /** `${publicUrl}/oidc` */
  issuer: string;
  production: boolean;
  jwks: PrivateJwks;
  /** Lifetime of the provider's own login session, in seconds. */
  sessionTtlSeconds: number;
}

export interface OidcDeps {
  db: Database;
  vault: VaultService;
  municipalities: MunicipalityService;
  audit: AuditService;
  clients: OidcClientService;
  residentSessions: ResidentSessionLookup | undefined;
}

export const ACR_VALUES: readonly Acr[] = [ACR.cardPin, ACR.cardTouch];
/** Stronger first. */
const ACR_STRENGTH: Record<string, number> = { [ACR.cardPin]: 2, [ACR.cardTouch]: 1 };

/** The vault's basic-four record, as OpenID Connect claims, by scope. */
const SCOPE_CLAIMS = { profile: ['name'], address: ['address'], birthdate: ['birthdate'], gender: ['gender'] } as const;
const CLAIM_FIELD: Record<string, string> = { name: 'nameKanji', address: 'address', birthdate: 'birthDate', gender: 'sex' };
const PERSONAL_CATEGORY = 'basic';

/** Symbol under which the HTTP mount leaves the Fastify request id on the raw request (for audit entries). */
export const REQUEST_ID = Symbol('kazashi.requestId');

export function accountIdOf(code: string, residentId: string): string {
  return `${code}:${residentId}`;
}
export function parseAccountId(accountId: string): { municipalityCode: string; residentId: string } {
  const i = accountId.indexOf(':');
  if (i !== 6) throw new Error('malformed account id');
  return { municipalityCode: accountId.slice(0, i), residentId: accountId.slice(i + 1) };
}

/** The weakest acr that satisfies the request's acr_values (the strongest value asked for), if any. */
export function requiredAcr(acrValues: unknown): Acr | undefined {
  if (typeof acrValues !== 'string' || !acrValues.trim()) return undefined;
  const asked = acrValues.split(' ').filter((v) => v in ACR_STRENGTH) as Acr[];
  if (!asked.length) return undefined;
  return asked.sort((a, b) => ACR_STRENGTH[a]! - ACR_STRENGTH[b]!)[0];
}
const satisfies = (have: string | undefined, need: Acr | undefined) => !need || (have !== undefined && (ACR_STRENGTH[have] ?? 0) >= ACR_STRENGTH[need]!);

/** What the interaction page needs to show. */
interface ClientExtra {
  municipality_code: string;
  client_name_en: string;
  clientName: string;
}

/**
 * The OpenID Connect provider for joint-use services (oidc-provider), and the interaction steps behind
 * its login and consent prompts. Residents log in with their card (a resident session from the portal);
 * each service sees a pairwise `sub`, never the resident ID or number, and only the basic-four items the
 * resident consented to, read from the municipality's vault with an audit entry naming the service.
 */
export class OidcService {
  readonly provider: Provider;
  private readonly pairwiseKey: Buffer;

  constructor(private readonly deps: OidcDeps, serverSecret: Buffer, opts: OidcOptions, private readonly repo: typeof oidcRepository = oidcRepository) {
    this.pairwiseKey = deriveKey(serverSecret, 'pairwise subject');
    const cookieKeys = [deriveKey(serverSecret, 'cookies').toString('base64url')];

    const policy = interactionPolicy.base();
    // acr_values is voluntary in OpenID Connect; here asking for the stronger card-pin means requiring it.
    policy.get('login')!.checks.push(new interactionPolicy.Check('acr_values_stronger', 'requested ACR is stronger than the session\'s', (ctx) => {
      const need = requiredAcr(ctx.oidc.params?.acr_values);
      return Boolean(ctx.oidc.session?.accountId) && !satisfies(ctx.oidc.session?.acr ?? ctx.oidc.acr, need);
    }));

    // The provider's own session must not outlive the resident's: after a logout on a shared kiosk (or
    // the kiosk session's expiry) the next person must not be logged in as the previous one.
    policy.get('login')!.checks.push(new interactionPolicy.Check('resident_session_ended', 'the resident session behind this login has ended', async (ctx) => {
      // The login's ts is the resident session's auth time (see login()), which names that session.
      const session = ctx.oidc.session as { accountId?: string; loginTs?: number } | undefined;
      if (!session?.accountId) return false;
      const [code, residentId] = session.accountId.split(':');
      return !(code && residentId && session.loginTs && deps.residentSessions && (await deps.residentSessions.isLive(code, residentId, session.loginTs)));
    }));

    this.provider = new Provider(opts.issuer, {
      adapter: adapterFactory({ db: deps.db, clientMetadata: (row) => this.clientMetadata(row) }),
      jwks: opts.jwks,
      cookies: { keys: cookieKeys, long: { httpOnly: true, sameSite: 'lax' }, short: { httpOnly: true, sameSite: 'lax' } },
      acrValues: [...ACR_VALUES],
      scopes: [...OIDC_SCOPES],
      // acr and auth_time ride on openid: every ID token says how the resident logged in, asked for or not.
      claims: { openid: ['sub', 'acr', 'auth_time'], ...SCOPE_CLAIMS, sid: null, iss: null },
      subjectTypes: ['pairwise'],
      pairwiseIdentifier: async (_ctx: unknown, accountId: string, client: ClientInstance) => pairwiseSubject(this.pairwiseKey, client.clientId, accountId),
      responseTypes: ['code'],
      pkce: { required: () => true },
      clientDefaults: { grant_types: ['authorization_code'], response_types: ['code'], id_token_signed_response_alg: 'RS256', subject_type: 'pairwise' },
      extraClientMetadata: { properties: ['municipality_code', 'client_name_en'] },
      features: {
        devInteractions: { enabled: false },
        claimsParameter: { enabled: true },
        resourceIndicators: { enabled: false },
        userinfo: { enabled: true },
        rpInitiatedLogout: { enabled: true },
        revocation: { enabled: true },
      },
      ttl: {
        AccessToken: 600, AuthorizationCode: 60, IdToken: 600, Interaction: 1800,
        Session: opts.sessionTtlSeconds, Grant: 365 * 24 * 3600,
      },
      interactions: { policy, url: (_ctx: unknown, interaction: InteractionInstance) => `/oidc/interaction/${interaction.uid}` },
      loadExistingGrant: async (ctx: KoaContextWithOIDC) => this.existingGrant(ctx),
      findAccount: async (ctx: KoaContextWithOIDC, sub: string) => ({
        accountId: sub,
        claims: async (use: string, scope: string, claims: Record<string, unknown> | undefined) => this.claims(ctx, sub, use, scope, claims),
      }),
      // A browser-based service may call the token and userinfo endpoints from its own redirect origins only.
      clientBasedCORS: (_ctx: unknown, origin: string, client: ClientInstance & { redirectUris?: string[] }) =>
        (client.redirectUris ?? []).some((u) => { try { return new URL(u).origin === origin; } catch { return false; } }),
      renderError: async (ctx: KoaContextWithOIDC, out: Record<string, string>) => {
        const esc = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
        Object.assign(ctx, {
          type: 'html',
          body: `<!doctype html><html lang="ja"><head><meta charset="utf-8"><title>ログインエラー / Login error</title></head><body>`
            + `<h1>ログインできませんでした / Login failed</h1><p>${esc(out.error ?? '')}</p><p>${esc(out.error_description ?? '')}</p></body></html>`,
        });
      },
    });
    this.provider.proxy = true;
  }

  private clientMetadata(row: OidcClientRow) {
    const secret = this.deps.clients.openSecret(row);
    return {
      client_id: row.clientId,
      ...(secret ? { client_secret: secret } : {}),
      client_name: row.nameJa,
      client_name_en: row.nameEn,
      municipality_code: row.municipalityCode,
      redirect_uris: row.redirectUris,
      post_logout_redirect_uris: row.postLogoutRedirectUris,
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: row.tokenEndpointAuthMethod,
      subject_type: 'pairwise',
      scope: row.scopes.join(' '),
    };
  }

  /** A grant for this resident and client from the provider session, or a consent given before (recorded consent). */
  private async existingGrant(ctx: KoaContextWithOIDC) {
    const oidc = ctx.oidc as unknown as {
      result?: { consent?: { grantId?: string } };
      session: { accountId?: string; grantIdFor(clientId: string): string | undefined };
      client: ClientInstance;
    };
    const grantId = oidc.result?.consent?.grantId ?? oidc.session.grantIdFor(oidc.client.clientId);
    if (grantId) return this.provider.Grant.find(grantId);
    if (!oidc.session.accountId) return undefined;
    const latest = await this.deps.db.tenant({ municipalityCode: null }, (tx) => this.repo.latestGrantId(tx, oidc.session.accountId!, oidc.client.clientId));
    return latest ? this.provider.Grant.find(latest) : undefined;
  }

  /** Claims for `accountId`: the vault is read only for personal claims of scopes both allowed and granted. */
  private async claims(ctx: KoaContextWithOIDC, accountId: string, use: string, scope: string, requested: Record<string, unknown> | undefined) {
    const out: Record<string, unknown> = { sub: accountId };
    const client = ctx.oidc.client as (ClientInstance & Partial<ClientExtra>) | undefined;
    if (!client) return out;
    const allowed = new Set((client.scope ?? '').split(' '));
    const granted = new Set(scope.split(' ').filter((s) => allowed.has(s)));
    const wanted = new Set<string>();
    for (const [s, names] of Object.entries(SCOPE_CLAIMS)) {
      if (!granted.has(s)) continue;
      // With the code flow, scope claims go to userinfo; an id_token carries only those asked for by name.
      for (const n of names) if (use === 'userinfo' || (requested && n in requested)) wanted.add(n);
    }
    if (!wanted.size) return out;
    const { municipalityCode, residentId } = parseAccountId(accountId);
    const fields = [...wanted].map((c) => CLAIM_FIELD[c]!);
    const req = (ctx as unknown as { req: IncomingMessage & { [REQUEST_ID]?: string } }).req;
    const data = await this.deps.vault.get({
      municipalityCode, actor: `oidc:${client.clientId}`,
      purpose: `OpenID Connect: ${client.clientName ?? client.clientId} / ${client.client_name_en ?? ''} (${[...granted].join(' ')})`,
      requestId: req?.[REQUEST_ID] ?? 'oidc',
    }, residentId, PERSONAL_CATEGORY, { fields }).catch((err: unknown) => {
      // A resident registered without the basic four simply has none to give.
      if (err instanceof KazashiError && err.code === 'vault-record-not-found') return {} as Record<string, string>;
      throw err;
    });
    if (wanted.has('name') && data.nameKanji) out.name = data.nameKanji;
    if (wanted.has('address') && data.address) out.address = { formatted: data.address };
    if (wanted.has('birthdate') && data.birthDate) out.birthdate = data.birthDate;
    if (wanted.has('gender') && data.sex) out.gender = data.sex;
    return out;
  }

  // --- interactions (the resident-facing page's JSON API) ---

  private async interaction(req: IncomingMessage, res: ServerResponse, uid: string): Promise<InteractionInstance> {
    let i: InteractionInstance;
    try {
      i = await this.provider.interactionDetails(req, res);
    } catch {
      throw OidcErrors['oidc-interaction-not-found']();
    }
    if (i.uid !== uid) throw OidcErrors['oidc-interaction-not-found']();
    return i;
  }

  private async clientOf(i: InteractionInstance) {
    const client = await this.provider.Client.find(String(i.params.client_id)) as (ClientInstance & ClientExtra) | undefined;
    if (!client) throw OidcErrors['oidc-client-not-found']();
    return client;
  }

  private async resident(token: string | undefined): Promise<ResidentPrincipal | undefined> {
    if (!token || !this.deps.residentSessions) return undefined;
    return (await this.deps.residentSessions.authenticate(token)) ?? undefined;
  }

  private static requestedScopes(i: InteractionInstance, client: ClientInstance): string[] {
    const allowed = new Set((client.scope ?? 'openid').split(' '));
    const asked = new Set(String(i.params.scope ?? 'openid').split(' '));
    return OIDC_SCOPES.filter((s) => asked.has(s) && allowed.has(s));
  }

  /** The strongest acr the request needs: acr_values, or an essential acr in the claims parameter. */
  private static acrRequested(i: InteractionInstance): Acr | null {
    let need = requiredAcr(i.params.acr_values) ?? null;
    try {
      const claims = typeof i.params.claims === 'string' ? JSON.parse(i.params.claims) as { id_token?: { acr?: { essential?: boolean; value?: string; values?: string[] } } } : undefined;
      const acr = claims?.id_token?.acr;
      if (acr?.essential) {
        const essential = requiredAcr([acr.value, ...(acr.values ?? [])].filter(Boolean).join(' '));
        if (essential && (!need || ACR_STRENGTH[essential]! > ACR_STRENGTH[need]!)) need = essential;
      }
    } catch { /* the provider has already refused malformed claims */ }
    return need;
  }

  /** Whether a login made at `authTime` is recent enough for the request (prompt=login, max_age). */
  private static freshEnough(i: InteractionInstance, authTime: Date | undefined): boolean {
    const prompts = String(i.params.prompt ?? '').split(' ');
    const maxAge = i.params.max_age === undefined ? undefined : Number(i.params.max_age);
    if (!prompts.includes('login') && (maxAge === undefined || !Number.isFinite(maxAge))) return true;
    if (!authTime) return false;
    const at = authTime.getTime() / 1000;
    if (prompts.includes('login') && at < i.iat - 5) return false;
    // 5 s of tolerance, as for clocks: a card login made a moment ago satisfies max_age=0.
    return maxAge === undefined || !Number.isFinite(maxAge) || Date.now() / 1000 - at <= maxAge + 5;
  }

  async details(req: IncomingMessage, res: ServerResponse, uid: string, residentToken: string | undefined): Promise<OidcInteractionDetails> {
    const i = await this.interaction(req, res, uid);
    const client = await this.clientOf(i);
    const m = await this.deps.municipalities.get(client.municipality_code);
    const resident = await this.resident(residentToken);
    const scopes = OidcService.requestedScopes(i, client);
    const missing = Array.isArray(i.prompt.details.missingOIDCScope) ? (i.prompt.details.missingOIDCScope as string[]) : i.prompt.name === 'consent' ? scopes : [];
    return {
      // The base interaction policy (see the constructor) has only these two prompts.
      prompt: i.prompt.name as OidcInteractionDetails['prompt'],
      client: { clientId: client.clientId, name: { ja: client.clientName, en: client.client_name_en }, municipalityCode: client.municipality_code, municipalityName: { ja: m.nameJa, en: m.nameEn } },
      scopes,
      missingScopes: scopes.filter((s) => missing.includes(s)),
      acrRequested: OidcService.acrRequested(i),
      freshLoginRequired: i.prompt.name === 'login' && !OidcService.freshEnough(i, resident?.authTime),
      resident: { loggedIn: Boolean(resident), acr: resident?.acr ?? null, municipalityCode: resident?.municipalityCode ?? null },
    };
  }

  private async eligible(clientCode: string, residentCode: string): Promise<boolean> {
    if (clientCode === residentCode) return true;
    const groups = await this.deps.municipalities.groups();
    return groups.some((g) => g.members.some((m) => m.municipalityCode === clientCode) && g.members.some((m) => m.municipalityCode === residentCode));
  }

  /** Completes the login prompt with the resident's card session (stepping up when the service needs card + PIN). */
  async login(req: IncomingMessage, res: ServerResponse, uid: string, residentToken: string | undefined, requestId: string): Promise<OidcRedirect> {
    const i = await this.interaction(req, res, uid);
    if (i.prompt.name !== 'login') throw OidcErrors['oidc-interaction-wrong-step']({ prompt: i.prompt.name });
    const resident = await this.resident(residentToken);
    if (!resident) throw OidcErrors['oidc-resident-login-required']();
    const client = await this.clientOf(i);
    const need = OidcService.acrRequested(i);
    if (!satisfies(resident.acr, need ?? undefined)) throw OidcErrors['oidc-acr-insufficient']();
    if (!OidcService.freshEnough(i, resident.authTime)) throw OidcErrors['oidc-reauthentication-required']();
    if (!(await this.eligible(client.municipality_code, resident.municipalityCode))) throw OidcErrors['oidc-resident-not-eligible']();
    await this.deps.db.tenant({ municipalityCode: resident.municipalityCode }, (tx) => this.deps.audit.append(tx, resident.municipalityCode, {
      actor: 'resident:self', action: 'oidc.login', residentId: resident.residentId,
      purpose: `OpenID Connect login to ${client.clientName} / ${client.client_name_en} (${client.clientId}), ${resident.acr}`,
      categories: [], fields: [], requestId,
    }));
    const redirectTo = await this.provider.interactionResult(req, res, {
      login: {
        accountId: accountIdOf(resident.municipalityCode, resident.residentId),
        acr: resident.acr,
        amr: resident.acr === ACR.cardPin ? ['hwk', 'pin'] : ['hwk'],
        ts: Math.floor(resident.authTime.getTime() / 1000),
        remember: false,
      },
    }, { mergeWithLastSubmission: false });
    return { redirectTo };
  }

  /** Records the resident's consent for this service (the provider's Grant); scopes not approved are rejected. */
  async consent(req: IncomingMessage, res: ServerResponse, uid: string, approved: string[], requestId: string): Promise<OidcRedirect> {
    const i = await this.interaction(req, res, uid);
    if (i.prompt.name !== 'consent') throw OidcErrors['oidc-interaction-wrong-step']({ prompt: i.prompt.name });
    const accountId = i.session?.accountId;
    if (!accountId) throw OidcErrors['oidc-interaction-not-found']();
    const client = await this.clientOf(i);
    const requested = OidcService.requestedScopes(i, client);
    const yes = requested.filter((s) => s === 'openid' || approved.includes(s));
    const no = requested.filter((s) => !yes.includes(s));
    const grant = (i.grantId ? await this.provider.Grant.find(i.grantId) : undefined) ?? new this.provider.Grant({ accountId, clientId: client.clientId });
    grant.addOIDCScope(yes.join(' '));
    if (no.length) grant.rejectOIDCScope(no.join(' '));
    const claimsAsked = Array.isArray(i.prompt.details.missingOIDCClaims) ? (i.prompt.details.missingOIDCClaims as string[]) : [];
    const claimsOk = claimsAsked.filter((c) => Object.entries(SCOPE_CLAIMS).some(([s, names]) => yes.includes(s) && (names as readonly string[]).includes(c)));
    if (claimsOk.length) grant.addOIDCClaims(claimsOk);
    const grantId = await grant.save();
    const { municipalityCode, residentId } = parseAccountId(accountId);
    const fields = yes.flatMap((s) => (s in SCOPE_CLAIMS ? SCOPE_CLAIMS[s as keyof typeof SCOPE_CLAIMS].map((c) => CLAIM_FIELD[c]!) : []));
    await this.deps.db.tenant({ municipalityCode }, (tx) => this.deps.audit.append(tx, municipalityCode, {
      actor: 'resident:self', action: 'oidc.consent', residentId,
      purpose: `OpenID Connect consent for ${client.clientName} / ${client.client_name_en} (${client.clientId}): ${yes.join(' ')}`,
      categories: fields.length ? [PERSONAL_CATEGORY] : [], fields, requestId,
    }));
    const redirectTo = await this.provider.interactionResult(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return { redirectTo };
  }

  async abort(req: IncomingMessage, res: ServerResponse, uid: string): Promise<OidcRedirect> {
    await this.interaction(req, res, uid);
    const redirectTo = await this.provider.interactionResult(req, res, {
      error: 'access_denied', error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
    return { redirectTo };
  }
}
