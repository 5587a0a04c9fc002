import crypto from 'node:crypto';
import type { AuditService } from '../audit/index.js';
import type { Database } from '../kernel/db/engine.js';
import { assertMunicipalityCode } from '../kernel/tenancy/municipalityCode.js';
import { openString, sealString } from '../kernel/secrets.js';
import { actFor, type StaffPrincipal } from '../kernel/callers.js';
import { OIDC_SCOPES, type OidcClientCreated, type OidcClientInput, type OidcClientView } from './contract.js';
import { OidcErrors } from './errors.js';
import { deriveKey } from './keys.js';
import { oidcRepository, type OidcClientRow } from './repository.js';

/** What registers a client: the API's OidcClientInput; the CLI's scopes are unchecked text (unknown ones are dropped). */
export type ClientRegistration = Omit<OidcClientInput, 'scopes'> & { scopes: readonly string[] };

export const clientView = (r: OidcClientRow): OidcClientView => ({
  clientId: r.clientId, municipalityCode: r.municipalityCode, name: { ja: r.nameJa, en: r.nameEn },
  redirectUris: r.redirectUris, scopes: r.scopes, tokenEndpointAuthMethod: r.tokenEndpointAuthMethod,
  createdBy: r.createdBy, createdAt: r.createdAt.toISOString(), disabledAt: r.disabledAt?.toISOString() ?? null,
});

/**
 * A redirect URI must be https (no fragment); plain http only to localhost / 127.0.0.1, and only
 * outside production, for developing a service on one's own machine.
 */
export function validateRedirectUri(uri: string, production: boolean): void {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    throw OidcErrors['oidc-redirect-uri-invalid']({ uri });
  }
  const local = u.protocol === 'http:' && (u.hostname === 'localhost' || u.hostname === '127.0.0.1');
  if (u.hash || uri.includes('#') || u.username || u.password || !(u.protocol === 'https:' || (local && !production))) {
    throw OidcErrors['oidc-redirect-uri-invalid']({ uri });
  }
}

/** Who registers clients: a municipal admin of that municipality (or a CLI operator). */
export type ClientCaller = { staff: StaffPrincipal; requestId: string } | { system: string; requestId: string };

/** Registration of joint-use services as OpenID Connect clients by a municipality's admin. */
export class OidcClientService {
  private readonly secretKey: Buffer;

  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    serverSecret: Buffer,
    private readonly opts: { production: boolean },
    private readonly repo: typeof oidcRepository = oidcRepository,
  ) {
    this.secretKey = deriveKey(serverSecret, 'client secret');
  }

  private ctx(c: ClientCaller, code: string) {
    assertMunicipalityCode(code);
    return 'staff' in c ? actFor(c.staff, code, 'oidc:manage') : { municipalityCode: code };
  }

  private actor = (c: ClientCaller) => ('staff' in c ? `staff:${c.staff.loginName}` : c.system);

  async list(c: ClientCaller, code: string): Promise<OidcClientView[]> {
    return this.db.tenant(this.ctx(c, code), async (tx) => (await this.repo.listClients(tx, code)).map(clientView));
  }

  /** Registers a client; a confidential client's secret is returned this once and kept only sealed. */
  async create(c: ClientCaller, code: string, input: ClientRegistration): Promise<OidcClientCreated> {
    const ctx = this.ctx(c, code);
    const redirectUris = [...new Set(input.redirectUris)];
    for (const uri of redirectUris) validateRedirectUri(uri, this.opts.production);
    const scopes = OIDC_SCOPES.filter((s) => s === 'openid' || input.scopes.includes(s));
    const clientId = `kz-${crypto.randomBytes(12).toString('base64url')}`;
    const clientSecret = input.tokenEndpointAuthMethod === 'none' ? undefined : crypto.randomBytes(32).toString('base64url');
    return this.db.tenant(ctx, async (tx) => {
      const row = await this.repo.insertClient(tx, {
        clientId, municipalityCode: code, nameJa: input.nameJa.trim(), nameEn: input.nameEn.trim(), redirectUris, scopes,
        tokenEndpointAuthMethod: input.tokenEndpointAuthMethod,
        secretSealed: clientSecret ? sealString(this.secretKey, clientSecret, `oidc-client|${clientId}`) : null,
        createdBy: this.actor(c),
      });
      await this.audit.append(tx, code, {
        actor: this.actor(c), action: 'oidc.client.create', purpose: `OpenID Connect client ${clientId} (${row.nameJa})`,
        categories: [], fields: [], requestId: c.requestId,
      });
      return { client: clientView(row), ...(clientSecret ? { clientSecret } : {}) };
    });
  }

  /** Disables a client with immediate effect (the provider reads clients on every request). */
  async disable(c: ClientCaller, code: string, clientId: string): Promise<OidcClientView> {
    return this.db.tenant(this.ctx(c, code), async (tx) => {
      const row = await this.repo.getClient(tx, code, clientId);
      if (!row) throw OidcErrors['oidc-client-not-found']();
      const after = row.disabledAt ? row : (await this.repo.disableClient(tx, code, clientId, new Date())) ?? row;
      await this.audit.append(tx, code, {
        actor: this.actor(c), action: 'oidc.client.disable', purpose: `OpenID Connect client ${clientId} (${row.nameJa})`,
        categories: [], fields: [], requestId: c.requestId,
      });
      return clientView(after);
    });
  }

  /** The client's secret in clear, for the provider's client authentication. */
  openSecret(row: OidcClientRow): string | undefined {
    return row.secretSealed ? openString(this.secretKey, row.secretSealed, `oidc-client|${row.clientId}`) : undefined;
  }
}
