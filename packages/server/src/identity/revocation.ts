// Whether a card's certificate has been revoked (JPKI revokes the auth certificate on a change of
// address or name, on loss, or on request). J-LIS gives revocation data only to registered verifiers,
// so the source is pluggable: CRL files, an OCSP responder, or the demo test CA. Every checker fails
// closed: when it cannot answer it throws, and the touch is refused.
import fs from 'node:fs';
import { x509 } from '@kazashi/jpki';
import { AsnConvert } from '@peculiar/asn1-schema';
import { CertificateList } from '@peculiar/asn1-x509';
import { isSignedBy, nameDer, pemOrDer, type ParsedCertificate } from './certificate.js';

export type RevocationStatus = 'good' | 'revoked';

/** Answers for one certificate and the CA that issued it; throws (any error) when it cannot answer. */
export interface RevocationChecker {
  readonly name: string;
  check(cert: ParsedCertificate, issuer: ParsedCertificate, now?: Date): Promise<RevocationStatus>;
}

export class RevocationUnavailableError extends Error {
  override readonly name = 'RevocationUnavailableError';
}

/** Clock skew tolerated between us and a CRL or OCSP signer. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** A serial number as lower-case hex without leading zero bytes, for comparing. */
export function serialHex(bytes: Uint8Array | string): string {
  const hex = typeof bytes === 'string' ? bytes.toLowerCase() : Buffer.from(bytes).toString('hex');
  return hex.replace(/^(00)+(?=..)/, '');
}

/** A parsed CRL: who issued it, when it is current, and its revoked serials. */
export interface LoadedCrl {
  asn: CertificateList;
  /** The issuer Name, DER. */
  issuer: Buffer;
  thisUpdate: Date;
  nextUpdate?: Date;
  revoked: ReadonlySet<string>;
  /** Issuer public keys (SPKI hex) this CRL's signature was checked against, and the answers. */
  signatureChecks: Map<string, boolean>;
}

export function loadCrl(der: Uint8Array, source = 'CRL'): LoadedCrl {
  try {
    const asn = AsnConvert.parse(der, CertificateList);
    const crl = new x509.X509Crl(asn);
    return {
      asn, issuer: nameDer(asn.tbsCertList.issuer), thisUpdate: crl.thisUpdate, nextUpdate: crl.nextUpdate,
      revoked: new Set(crl.entries.map((e) => serialHex(e.serialNumber))), signatureChecks: new Map(),
    };
  } catch (e) {
    throw new RevocationUnavailableError(`${source} is not a CRL`, { cause: e });
  }
}

// Exporting a key costs a quarter of a millisecond, on every touch: the few issuer keys are remembered.
const spkiOf = new WeakMap<object, string>();
function spkiHex(key: ParsedCertificate['publicKey']): string {
  let hex = spkiOf.get(key);
  if (!hex) spkiOf.set(key, (hex = key.export({ type: 'spki', format: 'der' }).toString('hex')));
  return hex;
}

/** Decides from CRLs: one that names the issuer, is signed by the issuer's key and is current. */
export class CrlChecker implements RevocationChecker {
  constructor(readonly name: string, private readonly crls: () => Promise<LoadedCrl[]>) {}

  async check(cert: ParsedCertificate, issuer: ParsedCertificate, now = new Date()): Promise<RevocationStatus> {
    const all = await this.crls();
    const key = spkiHex(issuer.publicKey);
    const ofIssuer = all.filter((c) => c.issuer.equals(cert.parts.issuer));
    const signed = ofIssuer.filter((c) => {
      let ok = c.signatureChecks.get(key);
      if (ok === undefined) c.signatureChecks.set(key, (ok = isSignedBy(c.asn.tbsCertListRaw, c.asn.signatureAlgorithm, c.asn.signature, issuer.publicKey)));
      return ok;
    });
    const current = signed.filter((c) => c.thisUpdate.getTime() <= now.getTime() + CLOCK_SKEW_MS && c.nextUpdate && c.nextUpdate > now);
    if (current.length === 0) {
      const why = ofIssuer.length === 0 ? 'no CRL names the issuer' : signed.length === 0 ? 'no CRL of the issuer has a valid signature' : 'the CRL is out of date (nextUpdate has passed)';
      throw new RevocationUnavailableError(`${this.name}: ${why}`);
    }
    const serial = serialHex(cert.parts.serial);
    return current.some((c) => c.revoked.has(serial)) ? 'revoked' : 'good';
  }
}

/** CRL files (DER or PEM, several per file allowed), re-read whenever one changes on disk. */
export class CrlFileChecker extends CrlChecker {
  constructor(files: string[]) {
    const cache = new Map<string, { stamp: string; crls: LoadedCrl[] }>();
    super(`CRL files (${files.join(', ')})`, async () => files.flatMap((file) => {
      let stamp: string;
      try {
        const st = fs.statSync(file);
        stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
      } catch (e) {
        throw new RevocationUnavailableError(`CRL file ${file} cannot be read`, { cause: e });
      }
      const hit = cache.get(file);
      if (hit?.stamp === stamp) return hit.crls;
      const blocks = pemOrDer(fs.readFileSync(file), 'X509 CRL');
      if (blocks.length === 0) throw new RevocationUnavailableError(`no CRL in ${file}`);
      const crls = blocks.map((b) => loadCrl(b, file));
      cache.set(file, { stamp, crls });
      return crls;
    }));
  }
}

/** Asks each checker in turn and takes the first answer; unavailable only when none can answer. */
export class FirstAnswerChecker implements RevocationChecker {
  readonly name: string;
  constructor(private readonly checkers: RevocationChecker[]) {
    this.name = checkers.map((c) => c.name).join(', then ');
  }

  async check(cert: ParsedCertificate, issuer: ParsedCertificate, now?: Date): Promise<RevocationStatus> {
    const reasons: string[] = [];
    for (const c of this.checkers) {
      try {
        return await c.check(cert, issuer, now);
      } catch (e) {
        reasons.push(e instanceof Error ? e.message : String(e));
      }
    }
    throw new RevocationUnavailableError(reasons.join('; '));
  }
}

/** Never answers: production without a configured CRL or OCSP source refuses every touch. */
export class FailClosedChecker implements RevocationChecker {
  constructor(readonly name: string) {}
  check(): Promise<RevocationStatus> {
    return Promise.reject(new RevocationUnavailableError(this.name));
  }
}
