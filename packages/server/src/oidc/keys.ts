import crypto from 'node:crypto';
import { loadOrCreateSecret } from '../kernel/secrets.js';

/** A key derived from the server secret for one purpose (HKDF-SHA256). */
export function deriveKey(serverSecret: Buffer, purpose: string, length = 32): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', serverSecret, Buffer.alloc(0), `kazashi oidc ${purpose}`, length));
}

/** Signing keys of the provider as a private JWKS: one RS256 and one ES256 key. */
export interface PrivateJwks {
  keys: (crypto.JsonWebKey & { kid: string; alg: string; use: 'sig' })[];
}

function jwk(type: 'rsa' | 'ec', alg: string) {
  const { privateKey } = type === 'rsa'
    ? crypto.generateKeyPairSync('rsa', { modulusLength: 2048 })
    : crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key = privateKey.export({ format: 'jwk' });
  const pub = crypto.createPublicKey(privateKey).export({ format: 'jwk' });
  // RFC 7638 thumbprint as the key id, so a rotated key never reuses a kid.
  const members = type === 'rsa' ? { e: pub.e, kty: pub.kty, n: pub.n } : { crv: pub.crv, kty: pub.kty, x: pub.x, y: pub.y };
  const kid = crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
  return { ...key, kid, alg, use: 'sig' as const };
}

export function generateJwks(): PrivateJwks {
  return { keys: [jwk('rsa', 'RS256'), jwk('ec', 'ES256')] };
}

/**
 * The provider's signing keys, generated once (outside production) into `file` and kept like the other
 * secrets under the data directory; in production the operator provides the file.
 */
export function loadOrCreateJwks(file: string, production: boolean): PrivateJwks {
  const text = loadOrCreateSecret(file, () => `${JSON.stringify(generateJwks(), null, 2)}\n`, production, 'OpenID Connect signing keys (JWKS)');
  const jwks = JSON.parse(text) as PrivateJwks;
  if (!Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new Error(`no keys in the OpenID Connect JWKS at ${file}`);
  return jwks;
}

/**
 * The pairwise subject for `accountId` at one client: base64url(HMAC-SHA256(key, clientId|accountId)).
 * Per client id, not per redirect host, so two services on one host cannot link a resident.
 */
export function pairwiseSubject(key: Buffer, clientId: string, accountId: string): string {
  return crypto.createHmac('sha256', key).update(`${clientId}|${accountId}`).digest('base64url');
}
