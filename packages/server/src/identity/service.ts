import crypto from 'node:crypto';
import type { AuditService } from '../audit/service.js';
import type { Database, TenantContext } from '../db/engine.js';
import { HttpErrors, type KazashiError } from '../errors.js';
import { assertMunicipalityCode } from '../municipality/service.js';
import type { StaffPrincipal } from '../staff/principal.js';
import { CardCheckError, cardKeyOf, checkAuthCertificate, isChallengeSignature, type CheckedCertificate } from './certificate.js';
import { IdentityErrors, identityProblem } from './errors.js';
import { identityRepository as repo, type ChallengeRow } from './repository.js';
import { RevocationUnavailableError } from './revocation.js';
import type { IdentityTrust } from './trust.js';

export interface ChallengeView {
  challengeId: string;
  /** 32 random bytes, base64url: what the card signs. */
  challenge: string;
  expiresAt: string;
}

export interface VerifyInput {
  challengeId: string;
  purpose: string;
  /** The card's user-authentication certificate (EF 000A), base64 DER. */
  certificate: string;
  /** RSASSA-PKCS1-v1_5 / SHA-256 signature of the challenge bytes by the card's auth key, base64. */
  signature: string;
}

export interface VerifiedCard {
  cardKey: string;
  notAfter: string;
  verifiedAt: string;
}

/** Who is at the counter: the staff member, their session (hashed) and the request, for binding and audit. */
export interface Counter {
  staff: StaffPrincipal;
  sessionToken: string;
  requestId: string;
}

/** Expired challenges are kept this long (to answer challenge-expired rather than not-found), then purged. */
const KEEP_EXPIRED_MS = 3600_000;

/** Domain-separated from the session table's own token hash. */
const sessionHash = (token: string) => crypto.createHash('sha256').update('kazashi identity challenge\0').update(token).digest('hex');

function tryCardKey(der: Buffer): string | undefined {
  try {
    return cardKeyOf(der);
  } catch {
    return undefined;
  }
}

export class IdentityService {
  constructor(
    private readonly db: Database,
    private readonly audit: AuditService,
    private readonly trust: () => Promise<IdentityTrust>,
    private readonly policy: { challengeTtlSeconds: number },
  ) {}

  /** Card touches are taken by staff of the municipality itself, whatever their role. */
  private context(p: StaffPrincipal, code: string): TenantContext {
    assertMunicipalityCode(code);
    if (p.municipalityCode !== code) throw HttpErrors.forbidden();
    return { municipalityCode: code };
  }

  /** A fresh single-use challenge bound to `purpose` and to the asking session. */
  async createChallenge(c: Counter, code: string, purpose: string): Promise<ChallengeView> {
    const ctx = this.context(c.staff, code);
    const now = new Date();
    const challenge = crypto.randomBytes(32).toString('base64url');
    const row = await this.db.tenant(ctx, async (tx) => {
      await repo.purgeExpired(tx, code, new Date(now.getTime() - KEEP_EXPIRED_MS));
      return repo.insert(tx, {
        municipalityCode: code, purpose, sessionHash: sessionHash(c.sessionToken), challenge, createdAt: now,
        expiresAt: new Date(now.getTime() + this.policy.challengeTtlSeconds * 1000),
      });
    });
    return { challengeId: row.id, challenge, expiresAt: row.expiresAt.toISOString() };
  }

  /**
   * Verifies one card touch: the challenge (exists, same purpose and session, unused, unexpired), the
   * certificate (see checkAuthCertificate), the signature over the challenge, and revocation. A
   * challenge that passed its own checks is consumed whatever the outcome, atomically, in the
   * transaction that records the attempt in the audit trail.
   */
  async verify(c: Counter, code: string, input: VerifyInput): Promise<VerifiedCard> {
    const ctx = this.context(c.staff, code);
    const now = new Date();
    const certificate = Buffer.from(input.certificate, 'base64');
    const challenge = await this.db.tenant(ctx, (tx) => repo.get(tx, input.challengeId));
    let failure = this.challengeFailure(challenge, c, input.purpose, now);
    let checked: CheckedCertificate | undefined;
    if (!failure) {
      try {
        checked = await this.checkTouch(certificate, Buffer.from(challenge!.challenge, 'base64url'), Buffer.from(input.signature, 'base64'), now);
      } catch (e) {
        failure = identityProblem(e);
      }
    }
    const cardKey = checked?.cardKey ?? tryCardKey(certificate);
    const outcome = await this.db.tenant(ctx, async (tx) => {
      let result = failure;
      if (challenge && !failure?.code.startsWith('challenge-') && !(await repo.consume(tx, challenge.id, now))) {
        // Another verification consumed it since we read it (or it expired meanwhile).
        result ??= IdentityErrors[challenge.expiresAt <= now ? 'challenge-expired' : 'challenge-replayed']();
      }
      await this.audit.append(tx, code, {
        actor: `staff:${c.staff.loginName}`, action: 'identity.verify',
        purpose: `${input.purpose} | card ${cardKey ?? '-'} | ${result?.code ?? 'verified'}`,
        categories: [], fields: [], requestId: c.requestId,
      });
      return result;
    });
    if (outcome) throw outcome;
    return { cardKey: checked!.cardKey, notAfter: checked!.certificate.notAfter.toISOString(), verifiedAt: now.toISOString() };
  }

  private challengeFailure(row: ChallengeRow | undefined, c: Counter, purpose: string, now: Date): KazashiError | undefined {
    if (!row) return IdentityErrors['challenge-not-found']();
    const sameSession = crypto.timingSafeEqual(Buffer.from(row.sessionHash), Buffer.from(sessionHash(c.sessionToken)));
    if (!sameSession || row.purpose !== purpose) return IdentityErrors['challenge-mismatch']();
    if (row.usedAt) return IdentityErrors['challenge-replayed']();
    if (row.expiresAt <= now) return IdentityErrors['challenge-expired']();
    return undefined;
  }

  /** Certificate, then signature (cheap and local), then revocation (may ask a responder). */
  private async checkTouch(certificate: Buffer, challenge: Buffer, signature: Buffer, now: Date): Promise<CheckedCertificate> {
    const trust = await this.trust();
    const checked = checkAuthCertificate(certificate, trust.anchors, now);
    if (!isChallengeSignature(checked.publicKey, challenge, signature)) throw new CardCheckError('signature-invalid');
    let status: string;
    try {
      status = await trust.revocation.check(checked, checked.issuer, now);
    } catch (e) {
      throw e instanceof RevocationUnavailableError ? e : new RevocationUnavailableError(`${trust.revocation.name} failed`, { cause: e });
    }
    if (status !== 'good') throw new CardCheckError('certificate-revoked');
    return checked;
  }
}
