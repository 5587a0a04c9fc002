import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** Writes a file only the owner can read, creating its directory. */
export function writeSecretFile(file: string, content: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  fs.writeFileSync(file, content, { mode: 0o600 });
}

/**
 * Reads a secret file, or (outside production) creates it with `make()`. In production a missing
 * secret is a configuration error: it must come from the operator, not be invented at start-up.
 */
export function loadOrCreateSecret(file: string, make: () => string, production: boolean, what: string): string {
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8');
  if (production) throw new Error(`${what} not found at ${file}; provide it (see README, Configuration)`);
  const content = make();
  writeSecretFile(file, content);
  return content;
}

/** AES-256-GCM with a caller-given key; the output is `v1.<iv>.<tag>.<ciphertext>` in base64url. */
export function sealString(key: Buffer, plaintext: string, aad: string): string {
  const iv = crypto.randomBytes(12);
  const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join('.');
}

export function openString(key: Buffer, sealed: string, aad: string): string {
  const [v, iv, tag, ct] = sealed.split('.');
  if (v !== 'v1' || !iv || !tag || ct === undefined) throw new Error('unknown ciphertext format');
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(aad));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
}

/** The server secret (32 bytes) that protects secrets the platform DB must hold, such as TOTP seeds. */
export function loadServerSecret(file: string, production: boolean): Buffer {
  const b64 = loadOrCreateSecret(file, () => crypto.randomBytes(32).toString('base64'), production, 'server secret key');
  const key = Buffer.from(b64.trim(), 'base64');
  if (key.length !== 32) throw new Error(`server secret at ${file} must be 32 bytes of base64`);
  return key;
}
