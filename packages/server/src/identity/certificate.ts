// Checks of a card's user-authentication certificate and of its signature over a challenge. No server
// imports: failures are typed `CardCheckError`s that identity/errors.ts maps to problems.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { x509 } from '@kazashi/jpki';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Certificate, type AlgorithmIdentifier, type Name } from '@peculiar/asn1-x509';

/** Every way a card touch can fail once its challenge is in order. */
export type CardFailure =
  | 'certificate-malformed'
  | 'certificate-untrusted'
  | 'certificate-expired'
  | 'certificate-not-yet-valid'
  | 'certificate-key-too-weak'
  | 'certificate-wrong-usage'
  | 'certificate-revoked'
  | 'signature-invalid';

export class CardCheckError extends Error {
  override readonly name = 'CardCheckError';
  constructor(readonly code: CardFailure, readonly params: Record<string, string | number> = {}, options?: ErrorOptions) {
    super(code, options);
  }
}

/**
 * A parsed Name, encoded again. Names are compared and hashed as DER, and certificates, CRLs and OCSP
 * responses are DER, so this gives back the bytes as received.
 */
export const nameDer = (name: Name): Buffer => Buffer.from(AsnConvert.serialize(name));

/** The parts of a certificate that identify it and its issuer, as encoded. */
export interface CertificateParts {
  /** The issuer Name, DER. */
  issuer: Buffer;
  /** The subject Name, DER. */
  subject: Buffer;
  /** The serialNumber INTEGER's content bytes. */
  serial: Buffer;
  /** The subjectPublicKey BIT STRING's bits, as OCSP hashes them. */
  publicKeyBits: Buffer;
}

/** A parsed certificate with its encoded parts. */
export interface ParsedCertificate {
  der: Buffer;
  asn: Certificate;
  certificate: x509.X509Certificate;
  parts: CertificateParts;
  publicKey: crypto.KeyObject;
}

export function parseCertificate(der: Uint8Array): ParsedCertificate {
  const bytes = Buffer.from(der);
  try {
    const openssl = new crypto.X509Certificate(bytes);
    // `raw` is the certificate OpenSSL read: anything more (trailing bytes) is not one certificate.
    if (!openssl.raw.equals(bytes)) throw new Error('not a single DER certificate');
    const asn = AsnConvert.parse(bytes, Certificate);
    const tbs = asn.tbsCertificate;
    const parts = {
      issuer: nameDer(tbs.issuer), subject: nameDer(tbs.subject), serial: Buffer.from(tbs.serialNumber),
      publicKeyBits: Buffer.from(tbs.subjectPublicKeyInfo.subjectPublicKey),
    };
    return { der: bytes, asn, certificate: new x509.X509Certificate(bytes), parts, publicKey: openssl.publicKey };
  } catch (cause) {
    throw new CardCheckError('certificate-malformed', {}, { cause });
  }
}

const cardKey = ({ issuer, serial }: CertificateParts) => crypto.createHash('sha256').update(issuer).update(serial).digest('base64url');

/**
 * How a card is known: `base64url(sha256(issuer Name DER || serialNumber content bytes))` of its
 * user-authentication certificate. Stable for the life of that certificate; reveals neither the
 * certificate nor anything about the holder.
 */
export function cardKeyOf(certificateDer: Uint8Array): string {
  return cardKey(parseCertificate(certificateDer).parts);
}

/** Signature algorithms accepted on certificates, CRLs and OCSP responses. SHA-1 is not. */
const SIGNATURE_HASHES: Record<string, string> = {
  '1.2.840.113549.1.1.11': 'sha256', // sha256WithRSAEncryption
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256', // ecdsa-with-SHA256
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/**
 * Whether `key` signed `tbs` (a certificate's, CRL's or BasicOCSPResponse's signed part, as received:
 * the ASN.1 parser keeps those bytes) with an accepted algorithm. Never throws.
 */
export function isSignedBy(tbs: ArrayBuffer | undefined, algorithm: AlgorithmIdentifier, signature: ArrayBuffer, key: crypto.KeyObject): boolean {
  const hash = SIGNATURE_HASHES[algorithm.algorithm];
  if (!tbs || !hash) return false;
  try {
    return crypto.verify(hash, new Uint8Array(tbs), key, new Uint8Array(signature));
  } catch {
    return false;
  }
}

/** Whether `issuer` issued `cert`: its subject is the certificate's issuer and its key signed it. */
export function isIssuedBy(cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  return issuer.parts.subject.equals(cert.parts.issuer)
    && isSignedBy(cert.asn.tbsCertificateRaw, cert.asn.signatureAlgorithm, cert.asn.signatureValue, issuer.publicKey);
}

/** PEM blocks with `label` in `data`, or `data` itself when it is not PEM (DER). */
export function pemOrDer(data: Buffer, label: string): Buffer[] {
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN ')) return [data];
  return x509.PemConverter.decodeWithHeaders(text).filter((b) => b.type === label).map((b) => Buffer.from(b.rawData));
}

/** The CA certificates a card's certificate must be issued by (for JPKI: J-LIS's auth CAs, several generations). */
export class TrustAnchors {
  private constructor(readonly anchors: readonly ParsedCertificate[], readonly source: string) {}

  static of(certificates: Uint8Array[], source: string): TrustAnchors {
    if (certificates.length === 0) throw new Error(`no trust anchor certificates in ${source}`);
    return new TrustAnchors(certificates.map((c) => {
      try {
        return parseCertificate(c);
      } catch (e) {
        throw new Error(`not a certificate in ${source}`, { cause: e });
      }
    }), source);
  }

  /** Reads PEM (one or more CERTIFICATE blocks) or DER files, in place. */
  static fromFiles(files: string[]): TrustAnchors {
    const certs: Buffer[] = [];
    for (const file of files) {
      const found = pemOrDer(fs.readFileSync(file), 'CERTIFICATE');
      if (found.length === 0) throw new Error(`no certificate in trust anchor file ${file}`);
      certs.push(...found);
    }
    return TrustAnchors.of(certs, files.join(', '));
  }

  /** The anchor that issued `cert`: same name as its issuer and a signature that verifies. */
  issuerOf(cert: ParsedCertificate): ParsedCertificate | undefined {
    return this.anchors.find((a) => isIssuedBy(cert, a));
  }
}

export interface CheckedCertificate extends ParsedCertificate {
  issuer: ParsedCertificate;
  cardKey: string;
}

const MIN_RSA_BITS = 2048;
const SIGNING_CA_OU = /OU=JPKI for digital signature/i;

function usageFailure(cert: x509.X509Certificate): string | undefined {
  const bc = cert.getExtension(x509.BasicConstraintsExtension);
  if (bc?.ca) return 'a CA certificate';
  const ku = cert.getExtension(x509.KeyUsagesExtension);
  if (ku && ku.usages & x509.KeyUsageFlags.nonRepudiation) return 'a signing (署名用) certificate';
  if (ku && !(ku.usages & x509.KeyUsageFlags.digitalSignature)) return 'a certificate without digitalSignature';
  if (SIGNING_CA_OU.test(cert.issuer)) return 'a signing (署名用) certificate';
  return undefined;
}

/**
 * Checks a card's user-authentication certificate, in this order: parses (malformed), is an auth
 * certificate (wrong usage: signing or CA certificates), has an RSA key of at least 2048 bits, is
 * issued by a trust anchor, and is valid at `now`. Revocation is the caller's next step.
 */
export function checkAuthCertificate(der: Uint8Array, anchors: TrustAnchors, now = new Date()): CheckedCertificate {
  // Parsing and the chain check cost ~1.5 ms; a reader sees the same cards again and again (re-entry,
  // check-in, login), so what does not depend on the time is kept per trust-anchor set.
  let seen = checkedByAnchors.get(anchors);
  if (!seen) checkedByAnchors.set(anchors, (seen = new Map()));
  const id = crypto.createHash('sha256').update(der).digest('base64url');
  let checked = seen.get(id);
  if (checked) seen.delete(id);
  else checked = checkTimeless(der, anchors);
  seen.set(id, checked);
  if (seen.size > CHECKED_CACHE_SIZE) seen.delete(seen.keys().next().value!);
  const { certificate } = checked;
  if (now < certificate.notBefore) throw new CardCheckError('certificate-not-yet-valid', { notBefore: certificate.notBefore.toISOString() });
  if (now > certificate.notAfter) throw new CardCheckError('certificate-expired', { notAfter: certificate.notAfter.toISOString() });
  return checked;
}

const CHECKED_CACHE_SIZE = 10_000;
const checkedByAnchors = new WeakMap<TrustAnchors, Map<string, CheckedCertificate>>();

function checkTimeless(der: Uint8Array, anchors: TrustAnchors): CheckedCertificate {
  const parsed = parseCertificate(der);
  const { certificate, publicKey } = parsed;
  let usage: string | undefined;
  try {
    usage = usageFailure(certificate);
  } catch (cause) {
    throw new CardCheckError('certificate-malformed', {}, { cause });
  }
  if (usage) throw new CardCheckError('certificate-wrong-usage', { found: usage });
  const bits = publicKey.asymmetricKeyType === 'rsa' ? publicKey.asymmetricKeyDetails?.modulusLength ?? 0 : 0;
  if (bits < MIN_RSA_BITS) {
    throw new CardCheckError('certificate-key-too-weak', { key: publicKey.asymmetricKeyType === 'rsa' ? `RSA-${bits}` : String(publicKey.asymmetricKeyType) });
  }
  const issuer = anchors.issuerOf(parsed);
  if (!issuer) throw new CardCheckError('certificate-untrusted');
  return { ...parsed, issuer, cardKey: cardKey(parsed.parts) };
}

/** RSASSA-PKCS1-v1_5 with SHA-256 over the raw challenge bytes: what the card's auth key produces. */
export function isChallengeSignature(publicKey: crypto.KeyObject, challenge: Uint8Array, signature: Uint8Array): boolean {
  const bytes = (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8;
  if (signature.length !== bytes) return false;
  try {
    return crypto.verify('sha256', challenge, { key: publicKey, padding: crypto.constants.RSA_PKCS1_PADDING }, signature);
  } catch {
    return false;
  }
}
