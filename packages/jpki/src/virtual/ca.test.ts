import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { x509 } from '../x509.js';
import { TestCa } from './ca.js';

describe('TestCa', () => {
  it('issues RSA-2048 auth certificates chained to its root, and lists revoked serials in a signed CRL', async () => {
    const ca = await TestCa.create();
    const issued = await ca.issue('auth');
    const cert = new x509.X509Certificate(issued.certificate);
    const root = new x509.X509Certificate(ca.caCertificate('auth'));
    expect(cert.issuer).toBe(root.subject);
    expect(await cert.verify({ publicKey: root.publicKey, signatureOnly: true })).toBe(true);
    expect(crypto.createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength).toBe(2048);
    // the private key matches the certificate
    const sig = crypto.sign('sha256', Buffer.from('challenge'), issued.privateKeyPem);
    expect(crypto.verify('sha256', Buffer.from('challenge'), crypto.createPublicKey({ key: Buffer.from(cert.publicKey.rawData), format: 'der', type: 'spki' }), sig)).toBe(true);

    ca.revoke('auth', issued.serialNumber);
    const crl = new x509.X509Crl(await ca.crl('auth'));
    expect(await crl.verify({ publicKey: root.publicKey })).toBe(true);
    expect(crl.findRevoked(cert)).not.toBeNull();
    expect(crl.findRevoked(new x509.X509Certificate((await ca.issue('auth')).certificate))).toBeNull();
  });

  it('survives export and import', async () => {
    const ca = await TestCa.create();
    ca.revoke('sign', '0a0b');
    const again = await TestCa.import(await ca.export());
    expect(Buffer.from(again.caCertificate('auth')).equals(Buffer.from(ca.caCertificate('auth')))).toBe(true);
    const issued = await again.issue('auth');
    const cert = new x509.X509Certificate(issued.certificate);
    expect(await cert.verify({ publicKey: new x509.X509Certificate(ca.caCertificate('auth')).publicKey, signatureOnly: true })).toBe(true);
    expect(new x509.X509Crl(await again.crl('sign')).entries.map((e) => e.serialNumber)).toEqual(['0a0b']);
  });
});
