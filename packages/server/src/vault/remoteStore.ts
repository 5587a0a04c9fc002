import crypto from 'node:crypto';
import { VaultErrors } from './errors.js';
import { requestSigningInput, responseSigningInput, SIG, sign, verify } from './signing.js';
import type { StoredRecord, VaultStore } from './types.js';

/** The platform's side of a remote vault (`kazashi vault serve`): signed requests, verified responses. */
export class RemoteVaultStore implements VaultStore {
  readonly location = 'remote' as const;
  readonly detail: string;
  private readonly clientKey: crypto.KeyObject;
  private readonly serverKey: crypto.KeyObject;

  constructor(private readonly baseUrl: string, serverPublicPem: string, clientPrivatePem: string, private readonly timeoutMs = 5000) {
    this.detail = new URL(baseUrl).origin;
    this.serverKey = crypto.createPublicKey(serverPublicPem);
    this.clientKey = crypto.createPrivateKey(clientPrivatePem);
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<{ status: number; data: T }> {
    const url = new URL(path, this.baseUrl);
    const text = body === undefined ? '' : JSON.stringify(body);
    const date = new Date().toISOString();
    const nonce = crypto.randomBytes(16).toString('base64url');
    const signature = sign(this.clientKey, requestSigningInput(method, url.pathname + url.search, date, nonce, text));
    let res: Response;
    try {
      res = await fetch(url, {
        method,
        headers: { ...(text ? { 'content-type': 'application/json' } : {}), [SIG.date]: date, [SIG.nonce]: nonce, [SIG.signature]: signature },
        body: text || undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw VaultErrors['vault-unavailable']({}, { cause });
    }
    const resText = await res.text();
    // A response not signed by the vault we trust is treated as no answer at all.
    if (!verify(this.serverKey, responseSigningInput(res.status, nonce, resText), res.headers.get(SIG.signature) ?? '')) {
      throw VaultErrors['vault-unavailable']({}, { cause: new Error(`remote vault response signature invalid (status ${res.status})`) });
    }
    if (res.status >= 500 || res.status === 401) throw VaultErrors['vault-unavailable']({}, { cause: new Error(`remote vault ${res.status}: ${resText}`) });
    return { status: res.status, data: (resText ? JSON.parse(resText) : undefined) as T };
  }

  private recPath(code: string, residentId: string, category: string) {
    return `/v1/${code}/records/${encodeURIComponent(residentId)}/${encodeURIComponent(category)}`;
  }

  async get(code: string, residentId: string, category: string) {
    const r = await this.call<StoredRecord>('GET', this.recPath(code, residentId, category));
    return r.status === 404 ? undefined : r.data;
  }

  async put(rec: StoredRecord) {
    await this.call('PUT', this.recPath(rec.municipalityCode, rec.residentId, rec.category), { keyId: rec.keyId, payload: rec.payload });
  }

  async delete(code: string, residentId: string, category: string) {
    const r = await this.call('DELETE', this.recPath(code, residentId, category));
    return r.status === 204;
  }

  async find(code: string, query: { category?: string; residentIds?: string[] }) {
    const qs = new URLSearchParams();
    if (query.category) qs.set('category', query.category);
    if (query.residentIds) qs.set('residentIds', query.residentIds.join(','));
    return (await this.call<StoredRecord[]>('GET', `/v1/${code}/records?${qs}`)).data;
  }

  async count(code: string) {
    return (await this.call<{ count: number }>('GET', `/v1/${code}/count`)).data.count;
  }

  all(code: string) {
    return this.find(code, {});
  }

  async close() {}
}
