// Test support for card touches: a TestCa stands in for J-LIS, its issued keys for cards (signing as the
// card does: PKCS#1 v1.5 over the SHA-256 DigestInfo of the challenge), and a VirtualMyNumberCard (in
// memory) for a resident's card, driven through the JPKI client with its PIN.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { authenticate, MemoryTransport, type BasicFour } from '@kazashi/jpki';
import { VirtualMyNumberCard, type IssuedKey, type TestCa } from '@kazashi/jpki/virtual';
import { expect } from 'vitest';
import type { StaffAgent, TestPlatform } from './harness.js';

export const TEST_MUNICIPALITY = '282227';
/** The PINs of every virtual card issued by `issueVirtualCard`. */
export const AUTH_PIN = '1234';
export const SIGN_PIN = 'KAZASHI1';
export const CARD_INFO_PIN = '5678';

export const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
export const pemCert = (der: Uint8Array) => `-----BEGIN CERTIFICATE-----\n${b64(der).replace(/.{64}/g, '$&\n')}\n-----END CERTIFICATE-----\n`;

/** A virtual My Number Card for `holder`, with the test PINs. */
export function issueVirtualCard(ca: TestCa, holder: BasicFour): Promise<VirtualMyNumberCard> {
  return VirtualMyNumberCard.issue(ca, { ...holder, authPin: AUTH_PIN, signPin: SIGN_PIN, cardInfoPin: CARD_INFO_PIN });
}

/** The CA's auth root written as a trust-anchor file, and its CRL, in a fresh temporary folder. */
export interface TestTrust {
  dir: string;
  anchors: string;
  crl: string;
  /** Configures a test platform to trust them. */
  env: { KAZASHI_JPKI_TRUST_ANCHORS: string; KAZASHI_JPKI_CRL_FILES: string };
  remove(): void;
}

/** Writes `ca`'s trust anchor and current CRL (revoke first what should be revoked) under a temp folder named after `name`. */
export async function writeTestTrust(ca: TestCa, name: string): Promise<TestTrust> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `kazashi-${name}-`));
  const anchors = path.join(dir, 'anchors.pem');
  fs.writeFileSync(anchors, pemCert(ca.caCertificate('auth')));
  const crl = path.join(dir, 'auth.crl');
  fs.writeFileSync(crl, await ca.crl('auth'));
  return {
    dir, anchors, crl,
    env: { KAZASHI_JPKI_TRUST_ANCHORS: anchors, KAZASHI_JPKI_CRL_FILES: crl },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** What a card answers to a challenge: its authentication certificate and its signature, both base64. */
export interface CardSignature { certificate: string; signature: string }
/** An issued key (signed with node:crypto, as the card would) or a virtual card (through `authenticate` and its PIN). */
export type Signer = Pick<IssuedKey, 'certificate' | 'privateKeyPem'> | VirtualMyNumberCard;

/** Signs `challenge` (base64url, as the server hands it out) with `signer`. */
export async function signChallenge(signer: Signer, challenge: string, pin = AUTH_PIN): Promise<CardSignature> {
  const bytes = Buffer.from(challenge, 'base64url');
  if (signer instanceof VirtualMyNumberCard) {
    const { certificate, signature } = await authenticate(new MemoryTransport(signer), bytes, pin);
    return { certificate: b64(certificate), signature: b64(signature) };
  }
  return { certificate: b64(signer.certificate), signature: b64(crypto.sign('sha256', bytes, signer.privateKeyPem)) };
}

export interface Touch extends CardSignature { challengeId: string; purpose: string }
export interface Challenge { challengeId: string; challenge: string; expiresAt: string }

/** A single-use challenge for one card touch at the counter (staff session), bound to `purpose`. */
export async function staffChallenge(t: TestPlatform, agent: StaffAgent, purpose: string, code = TEST_MUNICIPALITY): Promise<Challenge> {
  const res = await t.app.inject({ method: 'POST', url: `/api/municipalities/${code}/identity/challenges`, headers: agent.headers, payload: { purpose } });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Challenge>();
}

/** A card touch at the counter: a staff challenge for `purpose`, signed by `signer`. */
export async function staffTouch(t: TestPlatform, agent: StaffAgent, purpose: string, signer: Signer, code = TEST_MUNICIPALITY): Promise<Touch> {
  const c = await staffChallenge(t, agent, purpose, code);
  return { challengeId: c.challengeId, purpose, ...(await signChallenge(signer, c.challenge)) };
}
