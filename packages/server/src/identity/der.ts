// Just enough DER to take certificates, CRLs and OCSP responses apart byte-exactly: names are
// compared and hashed as encoded (never re-serialised), and signatures are checked over the signed
// bytes as received.
import crypto from 'node:crypto';

export class DerError extends Error {
  override readonly name = 'DerError';
}

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  offset: number;
  /** Offset of the first content byte. */
  start: number;
  /** Offset just past the content. */
  end: number;
}

/** The TLV at `offset` (definite lengths only, as DER requires). */
export function readTlv(buf: Uint8Array, offset: number): Tlv {
  if (offset + 2 > buf.length) throw new DerError('truncated');
  const tag = buf[offset]!;
  if ((tag & 0x1f) === 0x1f) throw new DerError('multi-byte tags are not used here');
  let len = buf[offset + 1]!;
  let start = offset + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4) throw new DerError('indefinite or oversized length');
    if (start + n > buf.length) throw new DerError('truncated');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + buf[start + i]!;
    start += n;
  }
  const end = start + len;
  if (end > buf.length) throw new DerError('truncated');
  return { tag, offset, start, end };
}

/** The TLVs directly inside a constructed TLV. */
export function children(buf: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end;) {
    const t = readTlv(buf, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** The outermost TLV, which must span the whole buffer (no trailing bytes). */
export function whole(buf: Uint8Array, tag = 0x30): Tlv {
  const t = readTlv(buf, 0);
  if (t.tag !== tag || t.end !== buf.length) throw new DerError('not a single DER structure');
  return t;
}

const raw = (buf: Uint8Array, t: Tlv) => Buffer.from(buf.subarray(t.offset, t.end));
const content = (buf: Uint8Array, t: Tlv) => Buffer.from(buf.subarray(t.start, t.end));

function expect(t: Tlv | undefined, tag: number, what: string): Tlv {
  if (!t || t.tag !== tag) throw new DerError(`expected ${what}`);
  return t;
}

export function decodeOid(bytes: Uint8Array): string {
  if (bytes.length === 0) throw new DerError('empty OID');
  const parts: number[] = [];
  let v = 0;
  for (const b of bytes) {
    v = v * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      if (parts.length === 0) parts.push(v < 80 ? Math.floor(v / 40) : 2, v < 80 ? v % 40 : v - 80);
      else parts.push(v);
      v = 0;
    }
  }
  return parts.join('.');
}

/** The parts of a certificate that identify it and its issuer, as encoded. */
export interface CertificateParts {
  /** The issuer Name, DER (tag and length included). */
  issuer: Buffer;
  /** The subject Name, DER. */
  subject: Buffer;
  /** The serialNumber INTEGER's content bytes. */
  serial: Buffer;
  /** SubjectPublicKeyInfo, DER. */
  spki: Buffer;
  /** The subjectPublicKey BIT STRING's bits (without the unused-bits byte), as OCSP hashes them. */
  publicKeyBits: Buffer;
}

export function certificateParts(der: Uint8Array): CertificateParts {
  const cert = whole(der);
  const [tbsTlv] = children(der, cert);
  const tbs = children(der, expect(tbsTlv, 0x30, 'TBSCertificate'));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = expect(tbs[i++], 0x02, 'serialNumber');
  expect(tbs[i++], 0x30, 'signature algorithm');
  const issuer = expect(tbs[i++], 0x30, 'issuer');
  expect(tbs[i++], 0x30, 'validity');
  const subject = expect(tbs[i++], 0x30, 'subject');
  const spki = expect(tbs[i++], 0x30, 'subjectPublicKeyInfo');
  const bits = expect(children(der, spki)[1], 0x03, 'subjectPublicKey');
  return {
    issuer: raw(der, issuer), subject: raw(der, subject), serial: content(der, serial), spki: raw(der, spki),
    publicKeyBits: Buffer.from(der.subarray(bits.start + 1, bits.end)),
  };
}

/** The issuer Name (DER) of a CRL. */
export function crlIssuer(der: Uint8Array): Buffer {
  const list = whole(der);
  const tbs = children(der, expect(children(der, list)[0], 0x30, 'TBSCertList'));
  let i = tbs[0]?.tag === 0x02 ? 1 : 0;
  expect(tbs[i++], 0x30, 'signature algorithm');
  return raw(der, expect(tbs[i], 0x30, 'issuer'));
}

/** Certificates, CRLs and BasicOCSPResponses share one shape: SEQUENCE { tbs, AlgorithmIdentifier, BIT STRING, … }. */
export interface SignedParts {
  tbs: Buffer;
  algorithm: string;
  signature: Buffer;
}

export function signedParts(der: Uint8Array): SignedParts {
  const outer = readTlv(der, 0);
  if (outer.tag !== 0x30) throw new DerError('expected SEQUENCE');
  const [tbs, alg, sig] = children(der, outer);
  const oid = expect(children(der, expect(alg, 0x30, 'AlgorithmIdentifier'))[0], 0x06, 'algorithm OID');
  const bits = expect(sig, 0x03, 'signature BIT STRING');
  if (!tbs) throw new DerError('expected the signed part');
  return { tbs: raw(der, tbs), algorithm: decodeOid(content(der, oid)), signature: Buffer.from(der.subarray(bits.start + 1, bits.end)) };
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

/** Whether `der` (a certificate, CRL or BasicOCSPResponse) is signed by `key`. Never throws. */
export function isSignedBy(der: Uint8Array, key: crypto.KeyObject): boolean {
  try {
    const { tbs, algorithm, signature } = signedParts(der);
    const hash = SIGNATURE_HASHES[algorithm];
    if (!hash) return false;
    return crypto.verify(hash, tbs, key, signature);
  } catch {
    return false;
  }
}

export function publicKeyOf(spki: Uint8Array): crypto.KeyObject {
  return crypto.createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
}

/** A serial number as lower-case hex without leading zero bytes, for comparing. */
export function serialHex(bytes: Uint8Array | string): string {
  const hex = typeof bytes === 'string' ? bytes.toLowerCase() : Buffer.from(bytes).toString('hex');
  return hex.replace(/^(00)+(?=..)/, '');
}

/** PEM blocks with `label` in `data`, or `data` itself when it is not PEM (DER). */
export function pemOrDer(data: Buffer, label: string): Buffer[] {
  const text = data.toString('latin1');
  if (!text.includes('-----BEGIN ')) return [data];
  const re = new RegExp(`-----BEGIN ${label}-----([A-Za-z0-9+/=\\s]+)-----END ${label}-----`, 'g');
  return [...text.matchAll(re)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
}
