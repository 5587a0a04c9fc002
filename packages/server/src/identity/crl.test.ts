// The CRL checker: answers only from a CRL that names the issuer, is signed by the issuer's key and
// is current; anything else is "unavailable" (fail closed). Files are re-read when they change.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TestCa } from '@kazashi/jpki/virtual';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { CrlChecker, CrlFileChecker, FailClosedChecker, FirstAnswerChecker, loadCrl, RevocationUnavailableError } from './revocation.js';

const pem = (der: Uint8Array) => `-----BEGIN X509 CRL-----\n${Buffer.from(der).toString('base64').replace(/.{64}/g, '$&\n')}\n-----END X509 CRL-----\n`;

describe('CrlFileChecker', () => {
  let dir: string;
  let ca: TestCa;
  let root: ParsedCertificate;
  let good: ParsedCertificate;
  let bad: ParsedCertificate;
  let badSerial: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kazashi-crl-'));
    ca = await TestCa.create();
    root = parseCertificate(ca.caCertificate('auth'));
    good = parseCertificate((await ca.issue('auth')).certificate);
    const issued = await ca.issue('auth');
    bad = parseCertificate(issued.certificate);
    badSerial = issued.serialNumber;
    ca.revoke('auth', badSerial);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('reads a DER CRL: good and revoked', async () => {
    const file = path.join(dir, 'auth.crl');
    fs.writeFileSync(file, await ca.crl('auth'));
    const checker = new CrlFileChecker([file]);
    expect(await checker.check(good, root)).toBe('good');
    expect(await checker.check(bad, root)).toBe('revoked');
  });

  it('reads PEM, several CRLs in one file', async () => {
    const other = await TestCa.create();
    const file = path.join(dir, 'auth.pem');
    fs.writeFileSync(file, pem(await other.crl('auth')) + pem(await ca.crl('auth')));
    const checker = new CrlFileChecker([file]);
    expect(await checker.check(bad, root)).toBe('revoked');
    expect(await checker.check(good, root)).toBe('good');
  });

  it('re-reads the file when it changes', async () => {
    const file = path.join(dir, 'changing.crl');
    const ca2 = await TestCa.create();
    const root2 = parseCertificate(ca2.caCertificate('auth'));
    const issued = await ca2.issue('auth');
    const cert = parseCertificate(issued.certificate);
    fs.writeFileSync(file, await ca2.crl('auth'));
    const checker = new CrlFileChecker([file]);
    expect(await checker.check(cert, root2)).toBe('good');
    ca2.revoke('auth', issued.serialNumber);
    fs.writeFileSync(file, await ca2.crl('auth'));
    expect(await checker.check(cert, root2)).toBe('revoked');
  });

  it('refuses a CRL signed by another key under the same name (all test CAs share their names)', async () => {
    const impostor = await TestCa.create();
    const file = path.join(dir, 'impostor.crl');
    fs.writeFileSync(file, await impostor.crl('auth'));
    await expect(new CrlFileChecker([file]).check(bad, root)).rejects.toThrow(/valid signature/);
  });

  it('refuses a CRL whose nextUpdate has passed', async () => {
    const file = path.join(dir, 'stale.crl');
    fs.writeFileSync(file, await ca.crl('auth', -1));
    await expect(new CrlFileChecker([file]).check(good, root)).rejects.toThrow(/out of date/);
  });

  it('refuses a CRL of another issuer (the signing CA)', async () => {
    const file = path.join(dir, 'sign.crl');
    fs.writeFileSync(file, await ca.crl('sign'));
    await expect(new CrlFileChecker([file]).check(good, root)).rejects.toThrow(/no CRL names the issuer/);
  });

  it('is unavailable when the file is missing or not a CRL', async () => {
    await expect(new CrlFileChecker([path.join(dir, 'missing.crl')]).check(good, root)).rejects.toBeInstanceOf(RevocationUnavailableError);
    const junk = path.join(dir, 'junk.crl');
    fs.writeFileSync(junk, 'not a crl');
    await expect(new CrlFileChecker([junk]).check(good, root)).rejects.toBeInstanceOf(RevocationUnavailableError);
  });

  it('falls back to the next source, and fails closed when none answers', async () => {
    const file = path.join(dir, 'fallback.crl');
    fs.writeFileSync(file, await ca.crl('auth'));
    const chain = new FirstAnswerChecker([new FailClosedChecker('first'), new CrlChecker('second', async () => [loadCrl(fs.readFileSync(file))])]);
    expect(await chain.check(bad, root)).toBe('revoked');
    await expect(new FirstAnswerChecker([new FailClosedChecker('a'), new FailClosedChecker('b')]).check(good, root)).rejects.toThrow(/a; b/);
  });
});
