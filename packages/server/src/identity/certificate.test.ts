// The checked-certificate cache must never stand in for the time checks: a certificate accepted once
// is still refused when it has expired, and a cache of one trust-anchor set does not serve another.
import { TestCa } from '@kazashi/jpki/virtual';
import { beforeAll, describe, expect, it } from 'vitest';
import { CardCheckError, checkAuthCertificate, TrustAnchors } from './certificate.js';

describe('checkAuthCertificate with its cache', () => {
  let ca: TestCa;
  let other: TestCa;
  let der: Uint8Array;

  beforeAll(async () => {
    ca = await TestCa.create();
    other = await TestCa.create();
    der = (await ca.issue('auth')).certificate;
  }, 60_000);

  const code = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e instanceof CardCheckError ? e.code : String(e);
    }
    return 'accepted';
  };

  it('checks validity at every call, after the certificate was accepted and cached', () => {
    const anchors = TrustAnchors.of([ca.caCertificate('auth')], 'test');
    const first = checkAuthCertificate(der, anchors);
    expect(checkAuthCertificate(der, anchors)).toBe(first);
    expect(code(() => checkAuthCertificate(der, anchors, new Date(first.certificate.notAfter.getTime() + 1000)))).toBe('certificate-expired');
    expect(code(() => checkAuthCertificate(der, anchors, new Date(first.certificate.notBefore.getTime() - 1000)))).toBe('certificate-not-yet-valid');
  });

  it('does not carry a result over to another set of trust anchors', () => {
    checkAuthCertificate(der, TrustAnchors.of([ca.caCertificate('auth')], 'test'));
    expect(code(() => checkAuthCertificate(der, TrustAnchors.of([other.caCertificate('auth')], 'other')))).toBe('certificate-untrusted');
  });
});
