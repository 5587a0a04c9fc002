// Where trust comes from: configured J-LIS anchors (required in production), or outside production the
// demo test CA at $KAZASHI_DATA_DIR/keys/test-ca.json, shared with the `kazashi card` CLI. Without a
// revocation source, production fails closed.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestCa } from '@kazashi/jpki/virtual';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { createPlatform } from '../platform/container.js';
import { staffTouch, type Signer } from '../test/cards.js';
import { loginAs, startTestPlatform, type StaffAgent, type TestPlatform } from '../test/harness.js';
import { parseCertificate } from './certificate.js';
import { demoTestCaPath, loadDemoTestCa, saveDemoTestCa } from './demoCa.js';
import { RevocationUnavailableError } from './revocation.js';
import { identityTrust } from './trust.js';

describe('trust configuration', () => {
  let dir: string;
  let ca: TestCa;
  let anchors: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-trust-'));
    ca = await TestCa.create();
    anchors = path.join(dir, 'anchors.pem');
    fs.writeFileSync(anchors, ca.caCertificatePem('auth'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const config = (env: Record<string, string>) => loadConfig({ KAZASHI_DATA_DIR: dir, ...env });

  it('refuses to start in production without trust anchors', async () => {
    expect(() => identityTrust(config({ NODE_ENV: 'production' }))).toThrow(/KAZASHI_JPKI_TRUST_ANCHORS/);
    await expect(createPlatform(config({ NODE_ENV: 'production' }))).rejects.toThrow(/KAZASHI_JPKI_TRUST_ANCHORS/);
  });

  it('fails closed in production when no CRL file or OCSP URL is configured', async () => {
    const trust = await identityTrust(config({ NODE_ENV: 'production', KAZASHI_JPKI_TRUST_ANCHORS: anchors }))();
    expect(trust.demo).toBe(false);
    const card = parseCertificate((await ca.issue('auth')).certificate);
    const root = parseCertificate(ca.caCertificate('auth'));
    await expect(trust.revocation.check(card, root)).rejects.toBeInstanceOf(RevocationUnavailableError);
  });

  it('refuses unreadable anchors, files without a certificate, and missing CRL files at startup', () => {
    expect(() => identityTrust(config({ KAZASHI_JPKI_TRUST_ANCHORS: path.join(dir, 'nope.pem') }))).toThrow(/ENOENT/);
    const junk = path.join(dir, 'junk.pem');
    fs.writeFileSync(junk, '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n');
    expect(() => identityTrust(config({ KAZASHI_JPKI_TRUST_ANCHORS: junk }))).toThrow(/no certificate/);
    expect(() => identityTrust(config({ KAZASHI_JPKI_TRUST_ANCHORS: anchors, KAZASHI_JPKI_CRL_FILES: path.join(dir, 'nope.crl') }))).toThrow(/CRL file not found/);
  });

  it('reads several anchors with the same name (CA generations) from comma-separated PEM and DER files', async () => {
    const other = await TestCa.create();
    const der = path.join(dir, 'other.der');
    fs.writeFileSync(der, other.caCertificate('auth'));
    const trust = await identityTrust(config({ KAZASHI_JPKI_TRUST_ANCHORS: `${anchors}, ${der}` }))();
    expect(trust.anchors.anchors).toHaveLength(2);
    const mine = parseCertificate((await other.issue('auth')).certificate);
    expect(trust.anchors.issuerOf(mine)?.der.equals(Buffer.from(other.caCertificate('auth')))).toBe(true);
  });

  it('never uses the demo test CA in production', async () => {
    await expect(loadDemoTestCa({ dataDir: dir, production: true })).rejects.toThrow(/never used in production/);
  });

  it('creates the demo test CA once, even when several callers race, with private file permissions', async () => {
    const own = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-democa-'));
    try {
      const cas = await Promise.all([1, 2, 3].map(() => loadDemoTestCa({ dataDir: own, production: false })));
      const file = demoTestCaPath({ dataDir: own });
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const again = await loadDemoTestCa({ dataDir: own, production: false });
      expect(Buffer.from(again.caCertificate('auth')).equals(Buffer.from(cas[0]!.caCertificate('auth')))).toBe(true);
      expect(fs.readdirSync(path.dirname(file))).toEqual(['test-ca.json']);
    } finally {
      fs.rmSync(own, { recursive: true, force: true });
    }
  });
});

describe('the demo: no anchors configured outside production', () => {
  let t: TestPlatform;
  let admin: StaffAgent;

  beforeAll(async () => {
    t = await startTestPlatform('pglite');
    admin = await loginAs(t, 'yabu.admin');
  });
  afterAll(async () => t?.close());

  async function touchAndVerify(card: Signer) {
    const payload = await staffTouch(t, admin, 'demo.touch', card);
    return t.app.inject({ method: 'POST', url: '/api/municipalities/282227/identity/verify', headers: admin.headers, payload });
  }

  it('does not create the demo CA at startup (only on first use)', () => {
    expect(fs.existsSync(demoTestCaPath(t.config))).toBe(false);
  });

  it('trusts cards of the demo test CA and follows its revocations on disk', async () => {
    // The server's first touch creates the CA; the CLI side then loads that same CA.
    const first = await touchAndVerify({ certificate: crypto.randomBytes(64), privateKeyPem: (await TestCa.create().then((x) => x.issue('auth'))).privateKeyPem });
    expect(first.json<{ code: string }>().code).toBe('certificate-malformed');
    const ca = await loadDemoTestCa(t.config);
    const card = await ca.issue('auth');
    const ok = await touchAndVerify(card);
    expect(ok.statusCode, ok.body).toBe(200);

    ca.revoke('auth', card.serialNumber);
    await saveDemoTestCa(t.config, ca);
    const revoked = await touchAndVerify(card);
    expect(revoked.json<{ code: string }>().code).toBe('certificate-revoked');

    const foreign = await (await TestCa.create()).issue('auth');
    expect((await touchAndVerify(foreign)).json<{ code: string }>().code).toBe('certificate-untrusted');
  });
});
