import fs from 'node:fs';
import type { KernelConfig } from '../kernel/config.js';
import type { IdentitySettings } from './config.js';
import { TrustAnchors } from './certificate.js';
import { demoRevocationChecker, loadDemoTestCa } from './demoCa.js';
import { OcspChecker } from './ocsp.js';
import { CrlFileChecker, FailClosedChecker, FirstAnswerChecker, type RevocationChecker } from './revocation.js';

/** What a card's certificate is checked against. */
export interface IdentityTrust {
  anchors: TrustAnchors;
  revocation: RevocationChecker;
  /** True when the demo test CA stands in for J-LIS (never in production). */
  demo: boolean;
}

export type IdentityConfig = Pick<KernelConfig, 'production' | 'dataDir'> & Pick<IdentitySettings, 'jpkiTrustAnchors' | 'jpkiCrlFiles' | 'jpkiOcspUrl'>;

/**
 * Reads the trust configuration. Misconfiguration is a startup error (in production: no trust
 * anchors; anywhere: an unreadable anchor or CRL file, a bad OCSP URL). Outside production without
 * anchors, the demo test CA is loaded (or created) on first use, so that starting stays fast.
 * Revocation: CRL files, then the OCSP responder; with neither, the demo CA's CRL in the demo and
 * otherwise nothing — every touch is then refused (fail closed).
 */
export function identityTrust(config: IdentityConfig): () => Promise<IdentityTrust> {
  const configured = config.jpkiTrustAnchors.length > 0;
  if (!configured && config.production) {
    throw new Error('KAZASHI_JPKI_TRUST_ANCHORS is not set: production needs the J-LIS user-authentication CA certificates (see README, Configuration)');
  }
  const anchors = configured ? TrustAnchors.fromFiles(config.jpkiTrustAnchors) : undefined;
  for (const file of config.jpkiCrlFiles) {
    if (!fs.existsSync(file)) throw new Error(`CRL file not found: ${file} (KAZASHI_JPKI_CRL_FILES)`);
  }
  const checkers: RevocationChecker[] = [];
  if (config.jpkiCrlFiles.length) checkers.push(new CrlFileChecker(config.jpkiCrlFiles));
  if (config.jpkiOcspUrl) checkers.push(new OcspChecker(config.jpkiOcspUrl));
  if (!checkers.length) {
    checkers.push(configured
      ? new FailClosedChecker('no revocation source configured (KAZASHI_JPKI_CRL_FILES or KAZASHI_JPKI_OCSP_URL)')
      : demoRevocationChecker(config));
  }
  const revocation = checkers.length === 1 ? checkers[0]! : new FirstAnswerChecker(checkers);

  let loading: Promise<IdentityTrust> | undefined;
  return () => {
    if (anchors) return Promise.resolve({ anchors, revocation, demo: false });
    loading ??= loadDemoTestCa(config)
      .then((ca) => ({ anchors: TrustAnchors.of([ca.caCertificate('auth')], 'demo test CA'), revocation, demo: true }))
      .catch((e: unknown) => {
        loading = undefined;
        throw e;
      });
    return loading;
  };
}
