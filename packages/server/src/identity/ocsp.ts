// OCSP (RFC 6960) for card certificates: one request per check, POSTed as application/ocsp-request,
// with a nonce. The response must be signed by the issuing CA or by a responder it delegated
// (id-kp-OCSPSigning), must answer for exactly our certificate, and must be fresh.
import crypto from 'node:crypto';
import {
  BasicOCSPResponse, CertID, Nonce, OCSPRequest, OCSPResponse, OCSPResponseStatus, Request, TBSRequest,
  id_kp_OCSPSigning, id_pkix_ocsp_basic, id_pkix_ocsp_nonce,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Extension } from '@peculiar/asn1-x509';
import { x509 } from '@kazashi/jpki';
import { isIssuedBy, isSignedBy, nameDer, parseCertificate, type ParsedCertificate } from './certificate.js';
import { CLOCK_SKEW_MS, RevocationUnavailableError, serialHex, type RevocationChecker, type RevocationStatus } from './revocation.js';

export type OcspHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export const HASH_OIDS: Record<OcspHash, string> = {
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
};
const HASH_BY_OID = new Map(Object.entries(HASH_OIDS).map(([h, oid]) => [oid, h as OcspHash]));

const digest = (hash: string, data: Uint8Array) => crypto.createHash(hash).update(data).digest();
const arrayBuffer = (b: Uint8Array): ArrayBuffer => new Uint8Array(b).buffer;

/** The CertID that names `cert` to a responder (RFC 6960 4.1.1). */
export function ocspCertId(cert: ParsedCertificate, issuer: ParsedCertificate, hash: OcspHash = 'sha1'): CertID {
  return new CertID({
    hashAlgorithm: new AlgorithmIdentifier({ algorithm: HASH_OIDS[hash], parameters: null }),
    issuerNameHash: new OctetString(digest(hash, cert.parts.issuer)),
    issuerKeyHash: new OctetString(digest(hash, issuer.parts.publicKeyBits)),
    serialNumber: arrayBuffer(cert.parts.serial),
  });
}

/** Whether a responder's CertID names `cert` (whatever hash it chose). */
export function certIdMatches(id: CertID, cert: ParsedCertificate, issuer: ParsedCertificate): boolean {
  const hash = HASH_BY_OID.get(id.hashAlgorithm.algorithm);
  if (!hash) return false;
  return Buffer.from(id.issuerNameHash.buffer).equals(digest(hash, cert.parts.issuer))
    && Buffer.from(id.issuerKeyHash.buffer).equals(digest(hash, issuer.parts.publicKeyBits))
    && serialHex(new Uint8Array(id.serialNumber)) === serialHex(cert.parts.serial);
}

export function nonceExtension(nonce: Uint8Array): Extension {
  return new Extension({ extnID: id_pkix_ocsp_nonce, critical: false, extnValue: new OctetString(AsnConvert.serialize(new Nonce(nonce))) });
}

/** The nonce in a list of extensions, if any (tolerating responders that omit the inner OCTET STRING). */
export function nonceOf(extensions: Extension[] | undefined): Buffer | undefined {
  const ext = extensions?.find((e) => e.extnID === id_pkix_ocsp_nonce);
  if (!ext) return undefined;
  const value = new Uint8Array(ext.extnValue.buffer);
  try {
    return Buffer.from(AsnConvert.parse(value, Nonce).buffer);
  } catch {
    return Buffer.from(value);
  }
}

/** A DER OCSPRequest for one certificate, with a fresh nonce. */
export function buildOcspRequest(cert: ParsedCertificate, issuer: ParsedCertificate, opts: { hash?: OcspHash; nonce?: Uint8Array } = {}): Buffer {
  const tbsRequest = new TBSRequest({
    requestList: [new Request({ reqCert: ocspCertId(cert, issuer, opts.hash) })],
    ...(opts.nonce ? { requestExtensions: [nonceExtension(opts.nonce)] } : {}),
  });
  return Buffer.from(AsnConvert.serialize(new OCSPRequest({ tbsRequest })));
}

export interface OcspOptions {
  /** Abort the HTTP exchange after this long (default 5 s). */
  timeoutMs?: number;
  /** CertID hash; SHA-1 is what RFC 5019 responders expect (default). */
  hash?: OcspHash;
  /** Send a nonce (default true); when the response echoes one, it must match. */
  nonce?: boolean;
  /** A response without nextUpdate and without our nonce is accepted only this young (default 1 h). */
  maxAgeMs?: number;
  fetch?: typeof fetch;
}

function unavailable(msg: string, cause?: unknown): RevocationUnavailableError {
  return new RevocationUnavailableError(`OCSP: ${msg}`, cause ? { cause } : undefined);
}

/** The key that must have signed the response: the issuer's, or a responder certificate the issuer delegated to. */
function signerKey(basic: BasicOCSPResponse, issuer: ParsedCertificate, now: Date): crypto.KeyObject {
  const { byName, byKey } = basic.tbsResponseData.responderID;
  const name = byName && nameDer(byName);
  const names = (c: ParsedCertificate) => name
    ? c.parts.subject.equals(name)
    : !!byKey && digest('sha1', c.parts.publicKeyBits).equals(Buffer.from(byKey.buffer));
  if (names(issuer)) return issuer.publicKey;
  for (const asn of basic.certs ?? []) {
    let c: ParsedCertificate;
    try {
      // Encoded again from the parsed response; responders send DER, so these are the bytes as sent.
      c = parseCertificate(new Uint8Array(AsnConvert.serialize(asn)));
    } catch {
      continue;
    }
    if (!names(c)) continue;
    if (!isIssuedBy(c, issuer)) throw unavailable('the responder certificate is not issued by the CA');
    const eku = c.certificate.getExtension(x509.ExtendedKeyUsageExtension);
    if (!eku?.usages.includes(id_kp_OCSPSigning)) throw unavailable('the responder certificate is not authorised for OCSP signing');
    if (now < c.certificate.notBefore || now > c.certificate.notAfter) throw unavailable('the responder certificate is not valid now');
    return c.publicKey;
  }
  throw unavailable('the response is signed by neither the CA nor a responder it delegated');
}

/**
 * Verifies a DER OCSPResponse for `cert` and returns its status; throws RevocationUnavailableError
 * for anything short of a fresh, correctly signed answer about exactly this certificate.
 */
export function readOcspResponse(
  body: Uint8Array, cert: ParsedCertificate, issuer: ParsedCertificate,
  opts: { nonce?: Uint8Array; now?: Date; maxAgeMs?: number } = {},
): RevocationStatus {
  const now = opts.now ?? new Date();
  let basic: BasicOCSPResponse;
  try {
    const resp = AsnConvert.parse(body, OCSPResponse);
    if (resp.responseStatus !== OCSPResponseStatus.successful) throw unavailable(`the responder answered ${OCSPResponseStatus[resp.responseStatus] ?? resp.responseStatus}`);
    if (resp.responseBytes?.responseType !== id_pkix_ocsp_basic) throw unavailable('not a basic OCSP response');
    basic = AsnConvert.parse(resp.responseBytes.response.buffer, BasicOCSPResponse);
  } catch (e) {
    throw e instanceof RevocationUnavailableError ? e : unavailable('the response cannot be parsed', e);
  }
  let key: crypto.KeyObject;
  try {
    key = signerKey(basic, issuer, now);
  } catch (e) {
    throw e instanceof RevocationUnavailableError ? e : unavailable('the response cannot be parsed', e);
  }
  if (!isSignedBy(basic.tbsResponseDataRaw, basic.signatureAlgorithm, basic.signature, key)) throw unavailable('the response signature does not verify');

  const data = basic.tbsResponseData;
  const echoed = nonceOf(data.responseExtensions);
  if (opts.nonce && echoed && !echoed.equals(Buffer.from(opts.nonce))) throw unavailable('the response nonce does not match the request');
  const single = data.responses.find((r) => certIdMatches(r.certID, cert, issuer));
  if (!single) throw unavailable('the response does not answer for this certificate');
  if (single.thisUpdate.getTime() > now.getTime() + CLOCK_SKEW_MS) throw unavailable('the response is from the future (thisUpdate)');
  if (single.nextUpdate) {
    if (single.nextUpdate.getTime() < now.getTime() - CLOCK_SKEW_MS) throw unavailable('the response is out of date (nextUpdate has passed)');
  } else if (!(opts.nonce && echoed) && now.getTime() - single.thisUpdate.getTime() > (opts.maxAgeMs ?? 3600_000)) {
    throw unavailable('the response is too old');
  }
  const status = single.certStatus;
  if (status.revoked) return 'revoked';
  if (status.unknown !== undefined) throw unavailable('the responder does not know this certificate');
  if (status.good !== undefined) return 'good';
  throw unavailable('the response has no certificate status');
}

/** Revocation by OCSP responder (`KAZASHI_JPKI_OCSP_URL`). */
export class OcspChecker implements RevocationChecker {
  readonly name: string;
  constructor(readonly url: string, private readonly opts: OcspOptions = {}) {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error(`OCSP URL must be http(s): ${url}`);
    this.name = `OCSP ${u.origin}${u.pathname}`;
  }

  async check(cert: ParsedCertificate, issuer: ParsedCertificate, now?: Date): Promise<RevocationStatus> {
    const nonce = this.opts.nonce === false ? undefined : crypto.randomBytes(16);
    const request = buildOcspRequest(cert, issuer, { hash: this.opts.hash, nonce });
    let body: Uint8Array;
    try {
      const res = await (this.opts.fetch ?? fetch)(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/ocsp-request', accept: 'application/ocsp-response' },
        body: new Uint8Array(request),
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 5000),
      });
      if (res.status !== 200) throw unavailable(`the responder answered HTTP ${res.status}`);
      if (!(res.headers.get('content-type') ?? '').toLowerCase().startsWith('application/ocsp-response')) throw unavailable('the responder did not answer application/ocsp-response');
      body = new Uint8Array(await res.arrayBuffer());
    } catch (e) {
      throw e instanceof RevocationUnavailableError ? e : unavailable(`no answer from ${this.name}`, e);
    }
    return readOcspResponse(body, cert, issuer, { nonce, now, maxAgeMs: this.opts.maxAgeMs });
  }
}
