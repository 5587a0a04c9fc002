import crypto from 'node:crypto';

/**
 * Mutual authentication between the platform and a remote vault with Ed25519 signatures:
 * the platform signs each request (method, path, date, nonce, body hash); the vault signs each
 * response (status, the request's nonce, body hash). Each side knows the other's public key only.
 */
export const SIG = {
  date: 'x-kazashi-date',
  nonce: 'x-kazashi-nonce',
  signature: 'x-kazashi-signature',
} as const;

export const MAX_CLOCK_SKEW_MS = 60_000;

export const sha256 = (body: string | Buffer) => crypto.createHash('sha256').update(body).digest('base64url');

export function requestSigningInput(method: string, pathAndQuery: string, date: string, nonce: string, body: string): string {
  return [method.toUpperCase(), pathAndQuery, date, nonce, sha256(body)].join('\n');
}

export function responseSigningInput(status: number, nonce: string, body: string): string {
  return [String(status), nonce, sha256(body)].join('\n');
}

export function sign(key: crypto.KeyObject, input: string): string {
  return crypto.sign(null, Buffer.from(input), key).toString('base64url');
}

export function verify(key: crypto.KeyObject, input: string, signature: string): boolean {
  try {
    return crypto.verify(null, Buffer.from(input), key, Buffer.from(signature, 'base64url'));
  } catch {
    return false;
  }
}

export function generateSigningKey(): { privatePem: string; publicPem: string } {
  const { privateKey, publicKey } = crypto.generateKeyPairSync('ed25519');
  return {
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  };
}

export function publicPemOf(privatePem: string): string {
  return crypto.createPublicKey(privatePem).export({ type: 'spki', format: 'pem' }).toString();
}
