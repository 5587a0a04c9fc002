import crypto, { webcrypto } from 'node:crypto';
import { x509 } from '../x509.js';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as const;

/** Which JPKI key a certificate belongs to: user authentication (利用者証明用) or signing (署名用). */
export type CertificateUse = 'auth' | 'sign';

export interface IssueOptions {
  /** Subject CN; real auth certificates carry no name, signing certificates carry the holder's name. */
  commonName?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Hex serial; random when omitted. */
  serialNumber?: string;
  /** RSA modulus length of the key to certify (tests issue 1024-bit keys to prove they are refused). */
  keyBits?: number;
}

export interface IssuedKey {
  /** DER certificate. */
  certificate: Uint8Array<ArrayBuffer>;
  /** PKCS#8 PEM of the private key (the virtual card keeps it; a real card never lets it out). */
  privateKeyPem: string;
  serialNumber: string;
}

interface CaKey {
  name: string;
  keys: CryptoKeyPair;
  certificate: x509.X509Certificate;
  revoked: Map<string, Date>;
}

const ROOT_NAMES: Record<CertificateUse, string> = {
  auth: 'C=JP, O=JPKI TEST, OU=JPKI for user authentication, OU=Kazashi Test CA (not J-LIS)',
  sign: 'C=JP, O=JPKI TEST, OU=JPKI for digital signature, OU=Kazashi Test CA (not J-LIS)',
};

function randomSerial(): string {
  const b = crypto.randomBytes(8);
  b[0]! &= 0x7f; // positive INTEGER
  return b.toString('hex');
}

async function generateRsa(bits: number): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey({ ...RSA, modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']) as Promise<CryptoKeyPair>;
}

/**
 * A test certificate hierarchy shaped like JPKI's: one self-signed root per use (auth, sign) that
 * issues holders' certificates directly, and can revoke them and publish a CRL. For tests and the
 * demo only — its names say "TEST" and "not J-LIS".
 */
export class TestCa {
  private constructor(private readonly cas: Record<CertificateUse, CaKey>) {}

  static async create(opts: { validYears?: number } = {}): Promise<TestCa> {
    const notBefore = new Date(Date.now() - 24 * 3600_000);
    const notAfter = new Date(notBefore.getTime() + (opts.validYears ?? 10) * 365 * 24 * 3600_000);
    const make = async (use: CertificateUse): Promise<CaKey> => {
      const keys = await generateRsa(2048);
      const certificate = await x509.X509CertificateGenerator.createSelfSigned({
        serialNumber: randomSerial(), name: ROOT_NAMES[use], notBefore, notAfter, keys, signingAlgorithm: RSA,
        extensions: [
          new x509.BasicConstraintsExtension(true, undefined, true),
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
          await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
        ],
      });
      return { name: ROOT_NAMES[use], keys, certificate, revoked: new Map() };
    };
    return new TestCa({ auth: await make('auth'), sign: await make('sign') });
  }

  /** The CA certificate (DER) that a card keeps in EF 000B (auth) or 0002 (sign), and that verifiers trust. */
  caCertificate(use: CertificateUse): Uint8Array<ArrayBuffer> {
    return new Uint8Array(this.cas[use].certificate.rawData);
  }

  caCertificatePem(use: CertificateUse): string {
    return this.cas[use].certificate.toString('pem');
  }

  /** Issues a holder certificate for a fresh RSA key pair. */
  async issue(use: CertificateUse, opts: IssueOptions = {}): Promise<IssuedKey> {
    const ca = this.cas[use];
    const keys = await generateRsa(opts.keyBits ?? 2048);
    const serialNumber = opts.serialNumber ?? randomSerial();
    const notBefore = opts.notBefore ?? new Date(Date.now() - 3600_000);
    const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 5 * 365 * 24 * 3600_000);
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber, subject: `C=JP, CN=${opts.commonName ?? serialNumber}`, issuer: ca.certificate.subject, notBefore, notAfter,
      publicKey: keys.publicKey, signingKey: ca.keys.privateKey, signingAlgorithm: RSA,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(use === 'auth' ? x509.KeyUsageFlags.digitalSignature : x509.KeyUsageFlags.nonRepudiation | x509.KeyUsageFlags.digitalSignature, true),
        await x509.AuthorityKeyIdentifierExtension.create(ca.keys.publicKey),
      ],
    });
    const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
    const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').replace(/.{64}/g, '$&\n').replace(/\n?$/, '\n')}-----END PRIVATE KEY-----\n`;
    return { certificate: new Uint8Array(cert.rawData), privateKeyPem, serialNumber };
  }

  /** Revokes a holder certificate by serial (hex); it appears in the next CRL. */
  revoke(use: CertificateUse, serialNumber: string, at = new Date()): void {
    this.cas[use].revoked.set(serialNumber.toLowerCase(), at);
  }

  /** A freshly signed CRL (DER) listing every revoked serial of that CA. */
  async crl(use: CertificateUse, nextUpdateHours = 48): Promise<Uint8Array<ArrayBuffer>> {
    const ca = this.cas[use];
    const crl = await x509.X509CrlGenerator.create({
      issuer: ca.certificate.subject, thisUpdate: new Date(), nextUpdate: new Date(Date.now() + nextUpdateHours * 3600_000),
      signingAlgorithm: RSA, signingKey: ca.keys.privateKey,
      entries: [...ca.revoked].map(([serialNumber, revocationDate]) => ({ serialNumber, revocationDate, reason: x509.X509CrlReason.unspecified })),
    });
    return new Uint8Array(crl.rawData);
  }

  /** Serialises the CA (including its private keys) so a demo CA survives restarts. Test use only. */
  async export(): Promise<string> {
    const out: Record<string, unknown> = {};
    for (const use of ['auth', 'sign'] as const) {
      const ca = this.cas[use];
      out[use] = {
        certificate: Buffer.from(ca.certificate.rawData).toString('base64'),
        privateKey: Buffer.from(await webcrypto.subtle.exportKey('pkcs8', ca.keys.privateKey)).toString('base64'),
        revoked: Object.fromEntries([...ca.revoked].map(([s, d]) => [s, d.toISOString()])),
      };
    }
    return JSON.stringify(out);
  }

  static async import(json: string): Promise<TestCa> {
    const data = JSON.parse(json) as Record<CertificateUse, { certificate: string; privateKey: string; revoked: Record<string, string> }>;
    const load = async (use: CertificateUse): Promise<CaKey> => {
      const d = data[use];
      const certificate = new x509.X509Certificate(Buffer.from(d.certificate, 'base64'));
      const privateKey = await webcrypto.subtle.importKey('pkcs8', Buffer.from(d.privateKey, 'base64'), RSA, true, ['sign']);
      const publicKey = await certificate.publicKey.export(RSA, ['verify'], webcrypto as unknown as Crypto);
      return { name: ROOT_NAMES[use], keys: { privateKey, publicKey } as CryptoKeyPair, certificate, revoked: new Map(Object.entries(d.revoked).map(([s, t]) => [s, new Date(t)])) };
    };
    return new TestCa({ auth: await load('auth'), sign: await load('sign') });
  }
}
