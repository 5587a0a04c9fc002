import crypto from 'node:crypto';
import type { QrKind } from './contract.js';

/**
 * The personal QR token: compact, URL-safe text, `.`-separated:
 *
 *   K1.<municipality code>.<kind R|C>.<resident uuid, base64url>.<issued-at>.<expiry|0>.<jti>.<HMAC-SHA-256, base64url>
 *
 * Times are Unix seconds in base 36; a static card (`C`) has expiry `0` and its card id as jti.
 * The resident is named only by the pseudonymous uuid, never by name or resident number.
 * The MAC covers everything before the last `.` under a key derived from the server secret.
 * @example parseToken(key, signToken(key, { municipalityCode: '282227', kind: 'rotating', ... }))
 */
export type { QrKind };

export interface QrClaims {
  municipalityCode: string;
  kind: QrKind;
  residentId: string;
  /** Unix seconds. */
  issuedAt: number;
  /** Unix seconds; null for a static card. */
  expiresAt: number | null;
  jti: string;
}

const VERSION = 'K1';
const FORMAT = /^K1\.([0-9]{6})\.([RC])\.([A-Za-z0-9_-]{22})\.([0-9a-z]{1,10})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{16,22})\.([A-Za-z0-9_-]{43})$/;

/** The QR signing key: HKDF-SHA-256 of the server secret, so the secret itself never signs anything public. */
export function deriveQrKey(serverSecret: Buffer): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', serverSecret, Buffer.alloc(0), 'kazashi/qr-token/v1', 32));
}

const uuidToB64 = (id: string) => Buffer.from(id.replace(/-/g, ''), 'hex').toString('base64url');
function b64ToUuid(s: string): string {
  const h = Buffer.from(s, 'base64url').toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
const mac = (key: Buffer, body: string) => crypto.createHmac('sha256', key).update(body).digest();

/** A fresh random jti for a rotating token (96 bits). */
export const newJti = () => crypto.randomBytes(12).toString('base64url');
/** A card's jti is its id. */
export const cardJti = (cardId: string) => uuidToB64(cardId);
export const jtiToCardId = (jti: string) => b64ToUuid(jti);

export function signToken(key: Buffer, c: QrClaims): string {
  const body = [VERSION, c.municipalityCode, c.kind === 'card' ? 'C' : 'R', uuidToB64(c.residentId),
    c.issuedAt.toString(36), (c.expiresAt ?? 0).toString(36), c.jti].join('.');
  return `${body}.${mac(key, body).toString('base64url')}`;
}

/** The claims of a well-formed token with a good MAC, else undefined (the caller says only "invalid"). */
export function parseToken(key: Buffer, token: string): QrClaims | undefined {
  const m = FORMAT.exec(token);
  if (!m) return undefined;
  const body = token.slice(0, token.lastIndexOf('.'));
  // Compare the text, not decoded bytes: base64url has spare bits, so two texts can decode alike.
  const sent = Buffer.from(m[7]!);
  const want = Buffer.from(mac(key, body).toString('base64url'));
  if (sent.length !== want.length || !crypto.timingSafeEqual(sent, want)) return undefined;
  const kind: QrKind = m[2] === 'C' ? 'card' : 'rotating';
  const exp = Number.parseInt(m[5]!, 36);
  if ((kind === 'card') !== (exp === 0)) return undefined;
  if (m[6]!.length !== (kind === 'card' ? 22 : 16)) return undefined;
  return {
    municipalityCode: m[1]!, kind, residentId: b64ToUuid(m[3]!), issuedAt: Number.parseInt(m[4]!, 36),
    expiresAt: kind === 'card' ? null : exp, jti: m[6]!,
  };
}
