import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cardJti, deriveQrKey, jtiToCardId, newJti, parseToken, signToken, type QrClaims } from './token.js';

const key = deriveQrKey(crypto.randomBytes(32));
const rotating: QrClaims = { municipalityCode: '282227', kind: 'rotating', residentId: crypto.randomUUID(), issuedAt: 1_790_000_000, expiresAt: 1_790_000_060, jti: newJti() };

describe('QR token format', () => {
  it('round-trips a rotating token as compact URL-safe text', () => {
    const token = signToken(key, rotating);
    expect(token).toMatch(/^K1\.282227\.R\.[A-Za-z0-9._-]+$/);
    expect(token.length).toBeLessThan(130);
    expect(encodeURIComponent(token)).toBe(token);
    expect(parseToken(key, token)).toEqual(rotating);
  });

  it('round-trips a static card token (no expiry, the card id as jti)', () => {
    const cardId = crypto.randomUUID();
    const claims: QrClaims = { ...rotating, kind: 'card', expiresAt: null, jti: cardJti(cardId) };
    const parsed = parseToken(key, signToken(key, claims));
    expect(parsed).toEqual(claims);
    expect(jtiToCardId(parsed!.jti)).toBe(cardId);
  });

  it('refuses any changed character, another key, and malformed text', () => {
    const token = signToken(key, rotating);
    for (let i = 0; i < token.length; i++) {
      if (token[i] === '.') continue;
      const swapped = token.slice(0, i) + (token[i] === 'A' ? 'B' : 'A') + token.slice(i + 1);
      expect(parseToken(key, swapped), `position ${i}`).toBeUndefined();
    }
    expect(parseToken(deriveQrKey(crypto.randomBytes(32)), token)).toBeUndefined();
    for (const bad of ['', 'K1', `${token}.x`, token.replace('K1', 'K2'), ' '.repeat(120)]) expect(parseToken(key, bad)).toBeUndefined();
  });
});
