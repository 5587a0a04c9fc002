// The OCSP checker against a small responder written here with the same ASN.1 library: it parses the
// real request, answers for the CertID it was asked about, and can be told to misbehave.
import crypto, { webcrypto } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { x509 } from '@kazashi/jpki';
import { TestCa } from '@kazashi/jpki/virtual';
import {
  BasicOCSPResponse, CertStatus, OCSPRequest, OCSPResponse, OCSPResponseStatus, ResponderID, ResponseBytes, ResponseData,
  RevokedInfo, SingleResponse, id_pkix_ocsp_basic,
} from '@peculiar/asn1-ocsp';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, Certificate, Name } from '@peculiar/asn1-x509';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseCertificate, type ParsedCertificate } from './certificate.js';
import { certIdMatches, nonceExtension, nonceOf, OcspChecker } from './ocsp.js';
import { RevocationUnavailableError } from './revocation.js';

const SHA256_RSA = '1.2.840.113549.1.1.11';
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

interface Behaviour {
  httpStatus?: number;
  contentType?: string;
  ocspStatus?: OCSPResponseStatus;
  /** Sign with this key instead of the CA's. */
  signWith?: crypto.KeyObject;
  /** Sign as this delegated responder (certificate DER + key). */
  delegate?: { certificate: Uint8Array; key: crypto.KeyObject };
  nonce?: 'echo' | 'omit' | 'wrong';
  thisUpdate?: Date;
  nextUpdate?: Date | null;
  /** Answer for another serial than asked. */
  otherSerial?: boolean;
}

/** An OCSP responder for one TestCa's auth CA. */
class Responder {
  behaviour: Behaviour = {};
  requests: OCSPRequest[] = [];
  private server?: http.Server;
  url = '';

  constructor(private readonly caCert: ParsedCertificate, private readonly caKey: crypto.KeyObject, private readonly revoked: Set<string>, private readonly known: Set<string>) {}

  async start() {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const b = this.behaviour;
        if (req.headers['content-type'] !== 'application/ocsp-request') return res.writeHead(415).end();
        const request = AsnConvert.parse(Buffer.concat(chunks), OCSPRequest);
        this.requests.push(request);
        if (b.httpStatus) return res.writeHead(b.httpStatus).end();
        res.writeHead(200, { 'content-type': b.contentType ?? 'application/ocsp-response' }).end(this.answer(request));
      });
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', r));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/ocsp`;
  }

  stop() {
    return new Promise<void>((r) => this.server!.close(() => r()));
  }

  private answer(request: OCSPRequest): Buffer {
    const b = this.behaviour;
    if (b.ocspStatus !== undefined) return Buffer.from(AsnConvert.serialize(new OCSPResponse({ responseStatus: b.ocspStatus })));
    const certID = request.tbsRequest.requestList[0]!.reqCert;
    const serial = Buffer.from(certID.serialNumber).toString('hex');
    if (b.otherSerial) certID.serialNumber = new Uint8Array([0x01, 0x02]).buffer;
    const certStatus = this.revoked.has(serial) ? new CertStatus({ revoked: new RevokedInfo({ revocationTime: new Date(Date.now() - 60_000) }) })
      : this.known.has(serial) ? new CertStatus({ good: null }) : new CertStatus({ unknown: null });
    const asked = nonceOf(request.tbsRequest.requestExtensions);
    const nonce = b.nonce === 'omit' || !asked ? undefined : b.nonce === 'wrong' ? crypto.randomBytes(16) : asked;
    const signer = b.delegate ? parseCertificate(b.delegate.certificate) : this.caCert;
    const tbs = new ResponseData({
      responderID: new ResponderID({ byName: AsnConvert.parse(signer.parts.subject, Name) }),
      producedAt: new Date(),
      responses: [new SingleResponse({
        certID, certStatus, thisUpdate: b.thisUpdate ?? new Date(Date.now() - 60_000),
        ...(b.nextUpdate === null ? {} : { nextUpdate: b.nextUpdate ?? new Date(Date.now() + 3600_000) }),
      })],
      ...(nonce ? { responseExtensions: [nonceExtension(nonce)] } : {}),
    });
    const key = b.signWith ?? b.delegate?.key ?? this.caKey;
    const basic = new BasicOCSPResponse({
      tbsResponseData: tbs,
      signatureAlgorithm: new AlgorithmIdentifier({ algorithm: SHA256_RSA, parameters: null }),
      signature: new Uint8Array(crypto.sign('sha256', Buffer.from(AsnConvert.serialize(tbs)), key)).buffer,
      ...(b.delegate ? { certs: [AsnConvert.parse(b.delegate.certificate, Certificate)] } : {}),
    });
    return Buffer.from(AsnConvert.serialize(new OCSPResponse({
      responseStatus: OCSPResponseStatus.successful,
      responseBytes: new ResponseBytes({ responseType: id_pkix_ocsp_basic, response: new OctetString(AsnConvert.serialize(basic)) }),
    })));
  }
}

/** The CA's private key, out of its (test-only) export. */
async function caPrivateKey(ca: TestCa): Promise<crypto.KeyObject> {
  const data = JSON.parse(await ca.export()) as { auth: { privateKey: string } };
  return crypto.createPrivateKey({ key: Buffer.from(data.auth.privateKey, 'base64'), format: 'der', type: 'pkcs8' });
}

/** A responder certificate the CA delegates OCSP signing to (or, with `eku: false`, one it does not). */
async function delegatedResponder(ca: TestCa, caKey: crypto.KeyObject, eku = true) {
  const keys = await webcrypto.subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']) as CryptoKeyPair;
  const signingKey = await webcrypto.subtle.importKey('pkcs8', caKey.export({ format: 'der', type: 'pkcs8' }), RSA, false, ['sign']);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: '0badc0de', subject: 'C=JP, CN=Test OCSP responder', issuer: new x509.X509Certificate(ca.caCertificate('auth')).subject,
    notBefore: new Date(Date.now() - 3600_000), notAfter: new Date(Date.now() + 86400_000), publicKey: keys.publicKey, signingKey, signingAlgorithm: RSA,
    extensions: eku ? [new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.ocspSigning])] : [],
  });
  const key = crypto.createPrivateKey({ key: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)), format: 'der', type: 'pkcs8' });
  return { certificate: new Uint8Array(cert.rawData), key };
}

describe('OcspChecker', () => {
  let ca: TestCa;
  let caKey: crypto.KeyObject;
  let root: ParsedCertificate;
  let good: ParsedCertificate;
  let revoked: ParsedCertificate;
  let stranger: ParsedCertificate;
  let responder: Responder;

  beforeAll(async () => {
    ca = await TestCa.create();
    caKey = await caPrivateKey(ca);
    root = parseCertificate(ca.caCertificate('auth'));
    good = parseCertificate((await ca.issue('auth')).certificate);
    revoked = parseCertificate((await ca.issue('auth')).certificate);
    stranger = parseCertificate((await ca.issue('auth')).certificate);
    const hex = (c: ParsedCertificate) => c.parts.serial.toString('hex');
    responder = new Responder(root, caKey, new Set([hex(revoked)]), new Set([hex(good), hex(revoked)]));
    await responder.start();
  });
  afterAll(async () => responder?.stop());
  afterEach(() => {
    responder.behaviour = {};
  });

  const checker = (opts = {}) => new OcspChecker(responder.url, opts);
  const unavailable = (p: Promise<unknown>, why: RegExp) => expect(p).rejects.toThrow(why);

  it('sends a real OCSP request (CertID for the certificate, a nonce) and reads "good"', async () => {
    responder.requests = [];
    expect(await checker().check(good, root)).toBe('good');
    const req = responder.requests[0]!;
    expect(req.tbsRequest.requestList).toHaveLength(1);
    expect(certIdMatches(req.tbsRequest.requestList[0]!.reqCert, good, root)).toBe(true);
    expect(nonceOf(req.tbsRequest.requestExtensions)?.length).toBe(16);
  });

  it('reads "revoked"', async () => {
    expect(await checker().check(revoked, root)).toBe('revoked');
  });

  it('accepts SHA-256 CertIDs', async () => {
    expect(await checker({ hash: 'sha256' }).check(revoked, root)).toBe('revoked');
  });

  it('accepts a response signed by a responder the CA delegated to (id-kp-OCSPSigning)', async () => {
    responder.behaviour = { delegate: await delegatedResponder(ca, caKey) };
    expect(await checker().check(revoked, root)).toBe('revoked');
  });

  it('refuses a delegated responder without id-kp-OCSPSigning', async () => {
    responder.behaviour = { delegate: await delegatedResponder(ca, caKey, false) };
    await unavailable(checker().check(good, root), /not authorised for OCSP signing/);
  });

  it('refuses a response signed by another key', async () => {
    responder.behaviour = { signWith: await caPrivateKey(await TestCa.create()) };
    await unavailable(checker().check(good, root), /signature does not verify/);
  });

  it('refuses "unknown"', async () => {
    await unavailable(checker().check(stranger, root), /does not know/);
  });

  it('refuses a response about another certificate', async () => {
    responder.behaviour = { otherSerial: true };
    await unavailable(checker().check(good, root), /does not answer for this certificate/);
  });

  it('refuses a wrong nonce; accepts an omitted one when the response is fresh', async () => {
    responder.behaviour = { nonce: 'wrong' };
    await unavailable(checker().check(good, root), /nonce/);
    responder.behaviour = { nonce: 'omit' };
    expect(await checker().check(good, root)).toBe('good');
  });

  it('refuses stale responses', async () => {
    responder.behaviour = { nextUpdate: new Date(Date.now() - 3600_000), thisUpdate: new Date(Date.now() - 7200_000) };
    await unavailable(checker().check(good, root), /out of date/);
    responder.behaviour = { nextUpdate: null, nonce: 'omit', thisUpdate: new Date(Date.now() - 2 * 3600_000) };
    await unavailable(checker().check(good, root), /too old/);
  });

  it('refuses error statuses, HTTP errors and wrong content types', async () => {
    responder.behaviour = { ocspStatus: OCSPResponseStatus.tryLater };
    await unavailable(checker().check(good, root), /tryLater/);
    responder.behaviour = { ocspStatus: OCSPResponseStatus.unauthorized };
    await unavailable(checker().check(good, root), /unauthorized/);
    responder.behaviour = { httpStatus: 500 };
    await unavailable(checker().check(good, root), /HTTP 500/);
    responder.behaviour = { contentType: 'text/html' };
    await unavailable(checker().check(good, root), /application\/ocsp-response/);
  });

  it('is unavailable when the responder refuses the connection or is too slow', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    await expect(new OcspChecker(`http://127.0.0.1:${port}/`).check(good, root)).rejects.toBeInstanceOf(RevocationUnavailableError);

    const slow = http.createServer(() => { /* never answers */ });
    await new Promise<void>((r) => slow.listen(0, '127.0.0.1', r));
    try {
      await expect(new OcspChecker(`http://127.0.0.1:${(slow.address() as AddressInfo).port}/`, { timeoutMs: 200 }).check(good, root)).rejects.toThrow(/no answer/);
    } finally {
      slow.closeAllConnections();
      await new Promise<void>((r) => slow.close(() => r()));
    }
  });
});
